import {
  Content,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { AccessRequest } from '@dataproducts/plugin-data-products-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { dataProductsAccessApiRef } from '../../api';
import { formatDay } from '../../lib/access';
import { AccessStatusLabel, formatTimestamp } from '../StatusChip';

type Readable = { port: string; via: string };

const requestColumns: TableColumn<AccessRequest>[] = [
  { title: 'Port', render: r => <EntityRefLink entityRef={r.port} /> },
  { title: 'Product', render: r => <EntityRefLink entityRef={r.product} /> },
  { title: 'For', render: r => <EntityRefLink entityRef={r.consumer} /> },
  { title: 'Purpose', field: 'purpose' },
  { title: 'Until', render: r => formatDay(r.until) },
  {
    title: 'Status',
    field: 'status',
    render: r => (
      <>
        <AccessStatusLabel status={r.status} />
        {(r.decisionNote || r.outcome) && (
          <Typography variant="body2" color="textSecondary">
            {[r.decisionNote, r.outcome].filter(Boolean).join(' — ')}
          </Typography>
        )}
      </>
    ),
  },
  {
    title: 'Decided by',
    render: r =>
      r.decidedBy ? (
        <EntityRefLink entityRef={r.decidedBy} defaultKind="user" />
      ) : (
        '—'
      ),
  },
  {
    title: 'Asked',
    field: 'createdAt',
    defaultSort: 'desc',
    render: r => formatTimestamp(r.createdAt),
  },
];

const readableColumns: TableColumn<Readable>[] = [
  { title: 'Port', render: r => <EntityRefLink entityRef={r.port} /> },
  { title: 'Through', render: r => <EntityRefLink entityRef={r.via} /> },
];

/**
 * "My access": the access requests the signed-in user made, with their
 * status, and the ports their groups and their groups' products can read.
 */
export function MyAccessPage() {
  const accessApi = useApi(dataProductsAccessApiRef);
  const mine = useAsync(() => accessApi.getMyAccess(), [accessApi]);

  return (
    <Content>
      {mine.error ? (
        <ResponseErrorPanel error={mine.error} />
      ) : (
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <Table<AccessRequest>
              title={`My requests (${mine.value?.requests.length ?? '…'})`}
              columns={requestColumns}
              data={mine.value?.requests ?? []}
              isLoading={mine.loading}
              options={{ paging: false, search: false, padding: 'dense' }}
              emptyContent={
                <Typography style={{ padding: 16 }}>
                  You have not asked for access yet: use Request access on a
                  data product or output port page.
                </Typography>
              }
            />
          </Grid>
          <Grid item xs={12}>
            <Table<Readable>
              title={`What I can read (${mine.value?.readable.length ?? '…'})`}
              columns={readableColumns}
              data={mine.value?.readable ?? []}
              isLoading={mine.loading}
              options={{ paging: false, search: false, padding: 'dense' }}
              emptyContent={
                <Typography style={{ padding: 16 }}>
                  Neither your groups nor their data products can read any
                  output port yet.
                </Typography>
              }
            />
          </Grid>
        </Grid>
      )}
    </Content>
  );
}
