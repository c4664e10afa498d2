import {
  Entity,
  RELATION_HAS_PART,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  EntityRefLink,
  useEntity,
  useRelatedEntities,
} from '@backstage/plugin-catalog-react';
import type {
  DataProductEntityV1alpha1,
  OutputPortEntityV1alpha1,
  OutputPortStatus,
} from '@dataproducts/plugin-data-products-common';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { dataProductsApiRef } from '../../api';
import { accessLevelOf } from '../../lib/access';
import { errorMessage } from '../../lib/errors';
import { portTypeLabel } from '../../lib/relations';
import { PortStatusLabel, formatTimestamp } from '../StatusChip';

interface PortRow {
  id: string;
  port: OutputPortEntityV1alpha1;
  location: string;
  status?: OutputPortStatus;
  checking: boolean;
}

const columns: TableColumn<PortRow>[] = [
  // Seven narrow columns did not fit a card at 1,400 px (Rows was cut off):
  // the location goes under the port, the access level under the type.
  {
    title: 'Port',
    field: 'port.spec.name',
    cellStyle: { whiteSpace: 'nowrap' },
    render: row => (
      <>
        <EntityRefLink entityRef={row.port} title={row.port.spec.name} />
        <Typography variant="caption" color="textSecondary" display="block">
          {row.location}
        </Typography>
      </>
    ),
  },
  {
    title: 'Type',
    render: row => (
      <>
        <span>{portTypeLabel(row.port.spec.type)}</span>
        <Typography variant="caption" color="textSecondary" display="block">
          {accessLevelOf(row.port)}
        </Typography>
      </>
    ),
  },
  {
    title: 'Status',
    cellStyle: { whiteSpace: 'nowrap' },
    render: row => (
      <PortStatusLabel status={row.status} loading={row.checking} />
    ),
  },
  {
    title: 'Rows',
    align: 'right',
    cellStyle: { whiteSpace: 'nowrap' },
    render: row =>
      row.status?.rowCount === undefined
        ? '—'
        : row.status.rowCount.toLocaleString('en-US'),
  },
  {
    title: 'Last built',
    render: row => formatTimestamp(row.status?.lastBuiltAt),
  },
];

/** The output ports of the data product on the page, with their live warehouse status. */
export function OutputPortsCard() {
  const { entity } = useEntity<DataProductEntityV1alpha1>();
  const api = useApi(dataProductsApiRef);
  const ports = useRelatedEntities(entity, {
    type: RELATION_HAS_PART,
    kind: 'outputport',
  });
  const entityRef = stringifyEntityRef(entity);
  const status = useAsync(
    () => api.getProductStatus(entityRef),
    [api, entityRef],
  );

  if (ports.loading) {
    return (
      <InfoCard title="Output ports">
        <Progress />
      </InfoCard>
    );
  }
  if (ports.error) {
    return (
      <InfoCard title="Output ports">
        <ResponseErrorPanel error={ports.error} />
      </InfoCard>
    );
  }

  const rows: PortRow[] = (ports.entities ?? []).map((e: Entity) => {
    const port = e as OutputPortEntityV1alpha1;
    return {
      id: stringifyEntityRef(port),
      port,
      location: `${entity.spec.schema}.${port.spec.name}`,
      status: status.value?.ports.find(p => p.name === port.spec.name),
      checking: status.loading,
    };
  });

  return (
    <InfoCard title="Output ports" noPadding>
      {status.error && (
        <WarningPanel
          defaultExpanded
          severity="error"
          title="Live warehouse status unavailable"
          message={errorMessage(status.error)}
        />
      )}
      {status.value && !status.value.provisioned && (
        <WarningPanel
          defaultExpanded
          severity="info"
          title="Not provisioned yet"
          message={`Schema ${status.value.schema} does not exist in the warehouse yet: run the provisioning template or the dataproduct:provision action.`}
        />
      )}
      {rows.length === 0 ? (
        <Typography style={{ padding: 16 }}>
          This data product has no output ports yet.
        </Typography>
      ) : (
        <Table<PortRow>
          columns={columns}
          data={rows}
          options={{
            paging: false,
            search: false,
            toolbar: false,
            padding: 'dense',
          }}
        />
      )}
    </InfoCard>
  );
}
