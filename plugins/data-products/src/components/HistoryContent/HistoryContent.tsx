import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import type {
  AccessEvent,
  AccessEventAction,
} from '@dataproducts/plugin-data-products-common';
import useAsync from 'react-use/esm/useAsync';
import { dataProductsAccessApiRef } from '../../api';
import { OutcomeLabel, formatTimestamp } from '../StatusChip';

/** Each action as the History says it. */
const actionLabels: Record<AccessEventAction, string> = {
  provision: 'provisioned',
  refresh: 'refreshed',
  grant: 'access granted',
  revoke: 'access revoked',
  expire: 'access expired',
  decommission: 'decommissioned',
  deprecate: 'deprecated',
  undeprecate: 'deprecation withdrawn',
  request: 'access requested',
  approve: 'request approved',
  deny: 'request denied',
};

const refLink = (ref: string | undefined, defaultKind?: string) =>
  ref ? <EntityRefLink entityRef={ref} defaultKind={defaultKind} /> : '—';

const columns: TableColumn<AccessEvent>[] = [
  {
    title: 'When',
    field: 'at',
    defaultSort: 'desc',
    cellStyle: { whiteSpace: 'nowrap' },
    render: event => formatTimestamp(event.at),
  },
  {
    title: 'What',
    field: 'action',
    render: event => actionLabels[event.action] ?? event.action,
  },
  { title: 'Port', render: event => refLink(event.port) },
  { title: 'Consumer', render: event => refLink(event.consumer) },
  { title: 'By', render: event => refLink(event.actor, 'user') },
  {
    title: 'Outcome',
    field: 'outcome',
    render: event => <OutcomeLabel outcome={event.outcome} />,
  },
  { title: 'Detail', field: 'detail', render: event => event.detail ?? '' },
];

/**
 * The History tab of a data product: every provisioning, refresh, grant,
 * revoke, expiry and decommission, and every access request and decision,
 * with who did it, when, and how it went.
 */
export function HistoryContent() {
  const { entity } = useEntity();
  const accessApi = useApi(dataProductsAccessApiRef);
  const entityRef = stringifyEntityRef(entity);
  const history = useAsync(
    () => accessApi.getProductHistory(entityRef),
    [accessApi, entityRef],
  );

  if (history.error) return <ResponseErrorPanel error={history.error} />;
  return (
    <Table<AccessEvent>
      title="History"
      columns={columns}
      data={history.value ?? []}
      isLoading={history.loading}
      options={{
        paging: true,
        pageSize: 20,
        emptyRowsWhenPaging: false,
        padding: 'dense',
      }}
      emptyContent={
        <div style={{ padding: 16 }}>
          Nothing has happened to this product yet.
        </div>
      }
    />
  );
}
