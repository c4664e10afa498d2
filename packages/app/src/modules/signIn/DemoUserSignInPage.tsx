import {
  Content,
  ContentHeader,
  Header,
  InfoCard,
  Page,
  ProxiedSignInPage,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  type IdentityApi,
  configApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import type { SignInPageProps } from '@backstage/plugin-app-react';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { startTransition, useState } from 'react';

/** The backend's development sign-in provider (packages/backend/src/modules/demoUserSignIn.ts). */
const DEMO_USERS_PROVIDER = 'demoUsers';
/** The header that names the user to sign in as. */
const DEMO_USER_HEADER = 'x-portal-user';
/** The choice that signs in through the guest provider instead. */
const GUEST = 'guest';
/** Where the choice is kept, so a reload signs in as the same person. */
const CHOICE_KEY = 'portal:development-sign-in';

/** The user part of `user:default/ana.sales`. */
const userName = (ref: string) => ref.replace(/^user:(?:[^/]+\/)?/, '');

/** An identity that forgets the choice on sign-out, so the picker shows again. */
function forgettingChoice(identity: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identity.getProfileInfo(),
    getBackstageIdentity: () => identity.getBackstageIdentity(),
    getCredentials: () => identity.getCredentials(),
    signOut: async () => {
      localStorage.removeItem(CHOICE_KEY);
      await identity.signOut();
    },
  };
}

function ChoiceCard(props: {
  title: string;
  description: string;
  button: string;
  onClick: () => void;
}) {
  return (
    <Grid item xs={12} sm={6} md={4} lg={3}>
      <InfoCard
        title={props.title}
        variant="fullHeight"
        actions={
          <Button color="primary" variant="outlined" onClick={props.onClick}>
            {props.button}
          </Button>
        }
      >
        <Typography variant="body1">{props.description}</Typography>
      </InfoCard>
    </Grid>
  );
}

/**
 * The sign-in page of local development: pick one of the demo
 * organisation's users (so two browsers can play owner and consumer), or
 * enter as guest. The choice is remembered until sign-out.
 */
export function DemoUserSignInPage(
  props: SignInPageProps & { users: string[] },
) {
  const { users, onSignInSuccess } = props;
  const configApi = useApi(configApiRef);
  const [choice, setChoice] = useState(
    () => localStorage.getItem(CHOICE_KEY) ?? undefined,
  );
  // A transition: the picker stays until the sign-in page, which loads
  // lazily, can show.
  const choose = (value: string | undefined) => {
    if (value) localStorage.setItem(CHOICE_KEY, value);
    else localStorage.removeItem(CHOICE_KEY);
    startTransition(() => setChoice(value));
  };

  if (choice) {
    return (
      <ProxiedSignInPage
        key={choice}
        provider={choice === GUEST ? GUEST : DEMO_USERS_PROVIDER}
        headers={choice === GUEST ? {} : { [DEMO_USER_HEADER]: choice }}
        onSignInSuccess={identity =>
          onSignInSuccess(forgettingChoice(identity))
        }
        ErrorComponent={({ error }) => (
          <Content>
            {error && <ResponseErrorPanel error={error} />}
            <Button
              color="primary"
              variant="contained"
              onClick={() => choose(undefined)}
            >
              Pick someone else
            </Button>
          </Content>
        )}
      />
    );
  }

  return (
    <Page themeId="home">
      <Header title={configApi.getString('app.title')} />
      <Content>
        <ContentHeader title="Sign in as a demo user (development only)" />
        <Grid container spacing={2}>
          {users.map(ref => (
            <ChoiceCard
              key={ref}
              title={userName(ref)}
              description={`Sign in as ${ref}, with the groups the catalog gives them.`}
              button={`Sign in as ${userName(ref)}`}
              onClick={() => choose(ref)}
            />
          ))}
          <ChoiceCard
            title="Guest"
            description="Enter as a Guest User."
            button="Enter"
            onClick={() => choose(GUEST)}
          />
        </Grid>
      </Content>
    </Page>
  );
}
