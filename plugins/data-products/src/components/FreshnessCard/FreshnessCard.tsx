import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  getOutputPortProductRef,
  isOutputPortEntity,
  type PortFreshness,
  type RefreshRun,
} from '@dataproducts/plugin-data-products-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { dataProductsFreshnessApiRef } from '../../api';
import { FreshnessChip } from '../FreshnessChip';
import { RefreshNowButton } from '../RefreshNowButton';
import { formatTimestamp } from '../StatusChip';

function RunOutcome(props: { run: RefreshRun }) {
  switch (props.run.outcome) {
    case 'succeeded':
      return <StatusOK>succeeded</StatusOK>;
    case 'failed':
      return <StatusError>failed</StatusError>;
    case 'retrying':
      return <StatusWarning>retried</StatusWarning>;
    default:
      return <StatusPending>running</StatusPending>;
  }
}

const runColumns: TableColumn<RefreshRun>[] = [
  { title: 'Started', render: run => formatTimestamp(run.startedAt) },
  { title: 'Trigger', field: 'trigger' },
  { title: 'Attempt', field: 'attempt', type: 'numeric' },
  { title: 'Outcome', render: run => <RunOutcome run={run} /> },
  { title: 'Rows', render: run => run.rows ?? '—' },
  { title: 'Error', render: run => run.error ?? '' },
];

/** The facts behind a port's freshness, in words. */
function PortFacts(props: { freshness: PortFreshness }) {
  const { freshness } = props;
  const facts: Array<[string, string]> = [
    ['Last successful build', formatTimestamp(freshness.lastSuccessAt)],
    ['Fresh for (maxAge)', freshness.maxAge ?? '—'],
    [
      'Schedule',
      freshness.type === 'postgres-view'
        ? 'none: a live view'
        : freshness.schedule ?? 'none',
    ],
  ];
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 24 }} mb={1}>
      {facts.map(([label, value]) => (
        <Box key={label}>
          <Typography variant="caption" color="textSecondary">
            {label}
          </Typography>
          <Typography variant="body2">{value}</Typography>
        </Box>
      ))}
    </Box>
  );
}

function PortFreshnessView(props: { portRef: string; productRef: string }) {
  const { portRef, productRef } = props;
  const api = useApi(dataProductsFreshnessApiRef);
  const state = useAsyncRetry(() => api.getPortFreshness(portRef), [portRef]);
  // What Refresh now answered, shown until the port is read again.
  const [refreshed, setRefreshed] = useState<PortFreshness>();
  useEffect(() => setRefreshed(undefined), [state.value]);
  if (state.loading && !state.value) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const freshness = refreshed
    ? { ...refreshed, runs: state.value!.runs }
    : state.value!;
  const onRefreshed = (latest: PortFreshness) => {
    setRefreshed(latest);
    state.retry();
  };
  return (
    <>
      <Box display="flex" alignItems="center" style={{ gap: 12 }} mb={1}>
        <FreshnessChip state={freshness.state} freshness={freshness} />
        <Typography variant="body2">{freshness.reason}</Typography>
        <Box flexGrow={1} />
        {freshness.type === 'postgres-table' && (
          <RefreshNowButton
            portRef={portRef}
            productRef={productRef}
            name={freshness.name}
            onRefreshed={onRefreshed}
          />
        )}
      </Box>
      <PortFacts freshness={freshness} />
      {freshness.type === 'postgres-table' && (
        <Table<RefreshRun>
          title="Recent refreshes"
          columns={runColumns}
          data={freshness.runs ?? []}
          options={{ paging: false, search: false, padding: 'dense' }}
          emptyContent={
            <Box p={2}>
              No refresh yet: the port was last built when it was provisioned.
            </Box>
          }
        />
      )}
    </>
  );
}

function ProductFreshnessView(props: { productRef: string }) {
  const { productRef } = props;
  const api = useApi(dataProductsFreshnessApiRef);
  const state = useAsyncRetry(
    () => api.getProductFreshness(productRef),
    [productRef],
  );
  if (state.loading && !state.value) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const product = state.value!;
  const columns: TableColumn<PortFreshness>[] = [
    { title: 'Port', field: 'name' },
    {
      title: 'Freshness',
      render: port => <FreshnessChip state={port.state} freshness={port} />,
    },
    {
      title: 'Last successful build',
      render: port => formatTimestamp(port.lastSuccessAt),
    },
    { title: 'Fresh for', render: port => port.maxAge ?? '—' },
    { title: 'Schedule', render: port => port.schedule ?? '—' },
    {
      title: '',
      render: port =>
        port.type === 'postgres-table' ? (
          <RefreshNowButton
            portRef={port.port}
            productRef={productRef}
            name={port.name}
            onRefreshed={state.retry}
          />
        ) : null,
    },
  ];
  return (
    <>
      <Box display="flex" alignItems="center" style={{ gap: 12 }} mb={1}>
        <FreshnessChip
          state={product.state}
          freshness={{ reason: 'The worst freshness of its ports' }}
        />
        <Typography variant="body2">
          The worst freshness of its output ports.
        </Typography>
      </Box>
      <Table<PortFreshness>
        columns={columns}
        data={product.ports}
        options={{
          paging: false,
          search: false,
          padding: 'dense',
          toolbar: false,
        }}
      />
    </>
  );
}

/**
 * How fresh the data is, on DataProduct and OutputPort pages: a chip
 * (fresh, stale, failing, no policy) with the last successful build, the
 * maxAge and the schedule; a port's recent refreshes; and Refresh now for
 * those allowed to refresh the product.
 */
export function FreshnessCard() {
  const { entity } = useEntity();
  const ref = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  return (
    <InfoCard title="Freshness">
      {isOutputPortEntity(entity) ? (
        <PortFreshnessView
          portRef={ref}
          productRef={stringifyEntityRef(
            getOutputPortProductRef(entity),
          ).toLocaleLowerCase('en-US')}
        />
      ) : (
        <ProductFreshnessView productRef={ref} />
      )}
    </InfoCard>
  );
}
