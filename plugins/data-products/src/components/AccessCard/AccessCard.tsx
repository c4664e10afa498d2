import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  type AccessRequest,
  dataProductAccessApprovePermission,
  dataProductAccessRevokePermission,
} from '@dataproducts/plugin-data-products-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { accessLevelExplanation, accessLevelOf } from '../../lib/access';
import { RequestAccessButton } from '../RequestAccess';
import { PendingRequestsTable, ReadersTable } from './AccessTables';
import { Decision, DecisionDialog } from './DecisionDialog';
import { useAccessPorts, usePortAccess } from './useAccess';

function decisionMessage(request: AccessRequest): string {
  switch (request.status) {
    case 'granted':
      return 'Access granted.';
    case 'failed':
      return `The grant failed: ${request.outcome ?? 'no reason given'}.`;
    case 'denied':
      return 'Request denied.';
    default:
      return 'Access revoked.';
  }
}

function Section(props: { title: string; children: React.ReactNode }) {
  return (
    <Box mt={1}>
      <Typography
        variant="subtitle2"
        component="h3"
        style={{ padding: '8px 16px' }}
      >
        {props.title}
      </Typography>
      {props.children}
    </Box>
  );
}

/**
 * Who can read the output port on the page (or every port of the product on
 * the page), from the warehouse itself, joined with the requests; pending
 * requests with Approve and Deny, granted ones with Revoke, for those the
 * permission policy allows; and "Request access".
 */
export function AccessCard() {
  const { entity } = useEntity();
  const alertApi = useApi(alertApiRef);
  const { productRef, ports, ...portsState } = useAccessPorts(entity);
  const access = usePortAccess(ports);
  const approve = usePermission({
    permission: dataProductAccessApprovePermission,
    resourceRef: productRef,
  });
  const revoke = usePermission({
    permission: dataProductAccessRevokePermission,
    resourceRef: productRef,
  });
  const [deciding, setDeciding] = useState<{
    decision: Decision;
    request: AccessRequest;
  }>();

  const showPort = (ports?.length ?? 0) > 1;
  const single = ports?.length === 1 ? ports[0] : undefined;
  const error = portsState.error ?? access.error;

  let content;
  if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (portsState.loading || !access.value) {
    content = <Progress />;
  } else if (access.value.length === 0) {
    content = (
      <Typography style={{ padding: 16 }}>
        This data product has no output ports yet.
      </Typography>
    );
  } else {
    const readers = access.value.flatMap(a =>
      a.readers.map(reader => ({ port: a.port, reader })),
    );
    const pending = access.value.flatMap(a =>
      a.pending.map(request => ({ port: a.port, request })),
    );
    const onDecide = (decision: Decision, request: AccessRequest) =>
      setDeciding({ decision, request });
    content = (
      <>
        <Section title={`Who can read (${readers.length})`}>
          <ReadersTable
            rows={readers}
            showPort={showPort}
            canRevoke={revoke.allowed}
            onDecide={onDecide}
          />
        </Section>
        <Section title={`Waiting for approval (${pending.length})`}>
          <PendingRequestsTable
            rows={pending}
            showPort={showPort}
            canApprove={approve.allowed}
            onDecide={onDecide}
          />
        </Section>
      </>
    );
  }

  return (
    <InfoCard
      title="Access"
      subheader={single && accessLevelExplanation(accessLevelOf(single))}
      action={
        <RequestAccessButton
          productRef={productRef}
          ports={ports ?? []}
          onRequested={access.retry}
        />
      }
      noPadding
    >
      {content}
      {deciding && (
        <DecisionDialog
          {...deciding}
          onClose={() => setDeciding(undefined)}
          onDecided={request => {
            setDeciding(undefined);
            alertApi.post({
              message: decisionMessage(request),
              severity: request.status === 'failed' ? 'error' : 'success',
              display: 'transient',
            });
            access.retry();
          }}
        />
      )}
    </InfoCard>
  );
}
