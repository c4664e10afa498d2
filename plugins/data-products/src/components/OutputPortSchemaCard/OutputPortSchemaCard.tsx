import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import type {
  ColumnDrift,
  OutputPortColumn,
  OutputPortEntityV1alpha1,
  WarehouseColumn,
} from '@dataproducts/plugin-data-products-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import useAsync from 'react-use/esm/useAsync';
import { dataProductsApiRef } from '../../api';
import { errorMessage } from '../../lib/errors';
import { formatTimestamp } from '../StatusChip';
import { CardTable } from '../CardTable';
import { ContractDownloadButton } from '../ContractDownloadButton';

const useStyles = makeStyles(theme => ({
  drift: {
    color: theme.palette.error.main,
    fontWeight: theme.typography.fontWeightBold as number,
  },
  chip: { marginRight: theme.spacing(0.5) },
}));

interface SchemaRow {
  id: string;
  name: string;
  declared?: OutputPortColumn;
  actual?: WarehouseColumn;
  drift?: ColumnDrift;
}

function driftText(drift: ColumnDrift | undefined): string {
  if (!drift) return '';
  switch (drift.kind) {
    case 'missing':
      return 'missing in the warehouse';
    case 'extra':
      return 'not in the contract';
    default:
      return `type ${drift.actual}, declared ${drift.expected}`;
  }
}

/** The declared columns of the output port on the page beside what the warehouse really has, drift highlighted column by column. */
export function OutputPortSchemaCard() {
  const classes = useStyles();
  const { entity } = useEntity<OutputPortEntityV1alpha1>();
  const api = useApi(dataProductsApiRef);
  const entityRef = stringifyEntityRef(entity);
  const status = useAsync(() => api.getPortStatus(entityRef), [api, entityRef]);

  const declared = entity.spec.columns ?? [];
  const actual = status.value?.exists ? status.value.columns : [];
  const drift = status.value?.drift ?? [];
  const rows: SchemaRow[] = declared.map(column => ({
    id: column.name,
    name: column.name,
    declared: column,
    actual: actual.find(c => c.name === column.name),
    drift: drift.find(d => d.column === column.name),
  }));
  for (const column of actual) {
    if (!declared.some(d => d.name === column.name)) {
      rows.push({
        id: column.name,
        name: column.name,
        actual: column,
        drift: drift.find(d => d.column === column.name) ?? {
          column: column.name,
          kind: 'extra',
          actual: column.type,
        },
      });
    }
  }

  const subheader = status.value?.exists
    ? [
        status.value.object,
        status.value.rowCount === undefined
          ? undefined
          : `${status.value.rowCount.toLocaleString('en-US')} rows`,
        status.value.lastBuiltAt
          ? `built ${formatTimestamp(status.value.lastBuiltAt)}`
          : undefined,
      ]
        .filter(Boolean)
        .join(' · ')
    : undefined;

  const columns: TableColumn<SchemaRow>[] = [
    {
      title: 'Column',
      field: 'name',
      cellStyle: { whiteSpace: 'nowrap' },
      render: row => (
        <span className={row.drift ? classes.drift : undefined}>
          {row.name}
        </span>
      ),
    },
    {
      // the declared type with its constraints under it: one column, so
      // that the table fits a 1,400 px window
      title: 'Declared type',
      render: row => (
        <>
          <div style={{ whiteSpace: 'nowrap' }}>
            {row.declared?.type ?? '—'}
          </div>
          {row.declared?.primaryKey && (
            <Chip className={classes.chip} size="small" label="key" />
          )}
          {row.declared?.required && (
            <Chip className={classes.chip} size="small" label="required" />
          )}
          {row.declared?.unique && (
            <Chip className={classes.chip} size="small" label="unique" />
          )}
        </>
      ),
    },
    {
      title: 'Description',
      render: row => row.declared?.description ?? row.actual?.description ?? '',
    },
    {
      // the warehouse's type, and any drift from the contract under it: one
      // column, so that the table fits a 1,400 px window
      title: 'In the warehouse',
      render: row => (
        <>
          {status.value?.exists ? row.actual?.type ?? '—' : '—'}
          {row.drift && (
            <div className={classes.drift}>{driftText(row.drift)}</div>
          )}
        </>
      ),
    },
  ];

  return (
    <InfoCard
      title="Schema"
      subheader={subheader}
      noPadding
      action={<ContractDownloadButton portRef={entityRef} />}
    >
      {status.error && (
        <WarningPanel
          defaultExpanded
          severity="error"
          title="Live warehouse status unavailable"
          message={errorMessage(status.error)}
        />
      )}
      {status.value && !status.value.exists && (
        <WarningPanel
          defaultExpanded
          severity="info"
          title="Not provisioned yet"
          message={`${status.value.object} does not exist in the warehouse yet; the declared contract is shown below.`}
        />
      )}
      {status.value && status.value.drift.length > 0 && (
        <WarningPanel
          defaultExpanded
          severity="warning"
          title={`The warehouse differs from the contract in ${status.value.drift.length} column(s)`}
        />
      )}
      <CardTable<SchemaRow>
        columns={columns}
        data={rows}
        isLoading={status.loading}
        emptyMessage="This output port declares no columns."
      />
    </InfoCard>
  );
}
