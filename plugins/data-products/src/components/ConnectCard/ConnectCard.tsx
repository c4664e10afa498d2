import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  CodeSnippet,
  InfoCard,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  getOutputPortProductRef,
  type OutputPortEntityV1alpha1,
  type PortConnection,
} from '@dataproducts/plugin-data-products-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { dataProductsConsumersApiRef } from '../../api/DataProductsConsumersApi';
import { errorMessage } from '../../lib/errors';
import { RequestAccessButton } from '../RequestAccess';

function Snippet(props: { label: string; text: string; language: string }) {
  return (
    <Box mt={2}>
      <Typography variant="subtitle2" component="h3">
        {props.label}
      </Typography>
      <CodeSnippet
        text={props.text}
        language={props.language}
        showCopyCodeButton
        customStyle={{
          margin: 0,
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-all',
        }}
      />
    </Box>
  );
}

/** Which role the reader uses, or how to get one. */
function ReadingRole(props: {
  connection: PortConnection;
  entity: OutputPortEntityV1alpha1;
}) {
  const { connection, entity } = props;
  if (connection.roles.length > 0) {
    return (
      <Typography variant="body2">
        You read it through your group's role{' '}
        {connection.roles.map((role, i) => (
          <span key={role.role}>
            {i > 0 && ', '}
            <code>{role.role}</code> (
            <EntityRefLink entityRef={role.group} defaultKind="group" />)
          </span>
        ))}
        . A database administrator maps your own login into that role once.
      </Typography>
    );
  }
  if (connection.access === 'private') {
    return (
      <Typography variant="body2">
        This port is private: only its own product reads it, and its access
        cannot be requested.
      </Typography>
    );
  }
  return (
    <>
      <Typography variant="body2">
        None of your groups can read this port yet. Ask for access for your
        group (or for a product of yours, whose model then reads it with the
        line below); once it is granted, your group's role reads it.
      </Typography>
      <Box mt={1}>
        <RequestAccessButton
          productRef={stringifyEntityRef(getOutputPortProductRef(entity))}
          ports={[entity]}
        />
      </Box>
    </>
  );
}

/**
 * How to read the output port on the page: the server and database from the
 * portal's configuration, a psql command, a JDBC URL and a SQL snippet with
 * the reader role of the signed-in user's group (or how to get one), and the
 * `source()` line a consumer product's model reads it with.
 */
export function ConnectCard() {
  const { entity } = useEntity<OutputPortEntityV1alpha1>();
  const api = useApi(dataProductsConsumersApiRef);
  const entityRef = stringifyEntityRef(entity);
  const connection = useAsync(
    () => api.getPortConnection(entityRef),
    [api, entityRef],
  );

  let content;
  if (connection.loading) {
    content = <Progress />;
  } else if (connection.error) {
    content = (
      <WarningPanel
        defaultExpanded
        severity="error"
        title="Connection details unavailable"
        message={errorMessage(connection.error)}
      />
    );
  } else if (connection.value) {
    const value = connection.value;
    content = (
      <>
        <Typography variant="body2" paragraph>
          <code>
            {value.schema}.{value.relation}
          </code>{' '}
          on {value.host}:{value.serverPort}, database{' '}
          <code>{value.database}</code>. Sign in with your own database login;
          the portal never hands out its own.
        </Typography>
        <ReadingRole connection={value} entity={entity} />
        <Snippet label="psql" text={value.psql} language="bash" />
        <Snippet label="JDBC URL" text={value.jdbcUrl} language="text" />
        <Snippet label="SQL" text={value.sql} language="sql" />
        <Snippet
          label="In a data product's model"
          text={value.source}
          language="sql"
        />
      </>
    );
  }
  return <InfoCard title="Connect">{content}</InfoCard>;
}
