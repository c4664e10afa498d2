import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  getOutputPortProductRef,
  type OutputPortEntityV1alpha1,
  type PortPreview,
  type PortPreviewColumn,
  type PortSizeInfo,
} from '@dataproducts/plugin-data-products-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import useAsync from 'react-use/esm/useAsync';
import { dataProductsApiRef, dataProductsFreshnessApiRef } from '../../api';
import { dataProductsConsumersApiRef } from '../../api/DataProductsConsumersApi';
import { errorMessage } from '../../lib/errors';
import { FreshnessChip } from '../FreshnessChip';
import { RequestAccessButton } from '../RequestAccess';
import { formatTimestamp } from '../StatusChip';

const useStyles = makeStyles(theme => ({
  scroll: { overflowX: 'auto', maxWidth: '100%' },
  type: {
    display: 'block',
    color: theme.palette.text.secondary,
    fontWeight: 'normal',
  },
  cell: {
    whiteSpace: 'nowrap',
    maxWidth: 320,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  },
  masked: { color: theme.palette.text.secondary, letterSpacing: 2 },
  null: { color: theme.palette.text.disabled, fontStyle: 'italic' },
  chip: { marginTop: theme.spacing(0.5) },
}));

const MASK_LABELS: Record<NonNullable<PortPreviewColumn['masked']>, string> = {
  pii: 'PII: masked',
  undeclared: 'not in the contract: masked',
};

/** Bytes as people read them: `8 kB`, `1.2 MB`. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

/** The row count as the card says it: counted, estimated, or not counted. */
export function rowsText(size: PortSizeInfo): string {
  if (size.rows === undefined) {
    return 'rows not counted (the view took too long)';
  }
  const rows = `${size.rows.toLocaleString('en-US')} row${
    size.rows === 1 ? '' : 's'
  }`;
  return size.rowsExact ? rows : `≈ ${rows} (PostgreSQL's estimate)`;
}

function isForbidden(error: Error): boolean {
  return (
    (error instanceof ResponseError || error.name === 'ResponseError') &&
    (error as ResponseError).response?.status === 403
  );
}

function PreviewTable(props: { preview: PortPreview }) {
  const classes = useStyles();
  const { preview } = props;
  return (
    <div className={classes.scroll}>
      <Table size="small" aria-label="Sample rows">
        <TableHead>
          <TableRow>
            {preview.columns.map(column => (
              <TableCell key={column.name} className={classes.cell}>
                <strong>{column.name}</strong>
                <span className={classes.type}>{column.type}</span>
                {column.masked && (
                  <Chip
                    className={classes.chip}
                    size="small"
                    label={MASK_LABELS[column.masked]}
                  />
                )}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {preview.rows.map((row, i) => (
            <TableRow key={i}>
              {row.map((value, j) => {
                const column = preview.columns[j];
                if (column.masked) {
                  return (
                    <TableCell key={column.name} className={classes.masked}>
                      •••
                    </TableCell>
                  );
                }
                return (
                  <TableCell
                    key={column.name}
                    className={classes.cell}
                    title={value ?? 'NULL'}
                  >
                    {value === null ? (
                      <span className={classes.null}>NULL</span>
                    ) : (
                      value
                    )}
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

/**
 * A sample of the output port on the page: its first 20 rows, for those
 * allowed to preview it (the product's owners and admins, and members of a
 * group that reads the port), columns classified `pii` masked by the
 * backend; others are told why not and offered Request access. Above it:
 * the row count (exact, or PostgreSQL's estimate for a large table), the
 * size on disk, when the port was last built and its freshness chip.
 */
export function PreviewCard() {
  const classes = useStyles();
  const { entity } = useEntity<OutputPortEntityV1alpha1>();
  const consumers = useApi(dataProductsConsumersApiRef);
  const status = useApi(dataProductsApiRef);
  const freshnessApi = useApi(dataProductsFreshnessApiRef);
  const entityRef = stringifyEntityRef(entity);
  const size = useAsync(
    () => consumers.getPortSize(entityRef),
    [consumers, entityRef],
  );
  const built = useAsync(
    () => status.getPortStatus(entityRef),
    [status, entityRef],
  );
  const freshness = useAsync(
    () => freshnessApi.getPortFreshness(entityRef),
    [freshnessApi, entityRef],
  );
  const preview = useAsync(
    () => consumers.getPortPreview(entityRef),
    [consumers, entityRef],
  );

  const facts = [
    size.value ? rowsText(size.value) : undefined,
    size.value?.bytes !== undefined
      ? `${formatBytes(size.value.bytes)} on disk`
      : undefined,
    entity.spec.type === 'postgres-view'
      ? 'a view: always live'
      : built.value?.lastBuiltAt &&
        `last built ${formatTimestamp(built.value.lastBuiltAt)}`,
  ].filter(Boolean);

  let content;
  if (preview.loading) {
    content = <Progress />;
  } else if (preview.error && isForbidden(preview.error)) {
    content = (
      <Box p={2}>
        <WarningPanel
          defaultExpanded
          severity="info"
          title="You cannot preview this port"
          message={errorMessage(preview.error)}
        />
        <Typography variant="body2" style={{ margin: '16px 0 8px' }}>
          Sample rows are shown to the product's owners and data product
          administrators, and to members of a group that can read the port.
        </Typography>
        <RequestAccessButton
          productRef={stringifyEntityRef(getOutputPortProductRef(entity))}
          ports={[entity]}
        />
      </Box>
    );
  } else if (preview.error) {
    content = (
      <WarningPanel
        defaultExpanded
        severity="error"
        title="Sample rows unavailable"
        message={errorMessage(preview.error)}
      />
    );
  } else if (preview.value) {
    const value = preview.value;
    const masked = value.columns.filter(c => c.masked).length;
    content = (
      <>
        {value.rows.length === 0 ? (
          <Box p={2}>
            <Typography variant="body2">
              {value.object} has no rows yet.
            </Typography>
          </Box>
        ) : (
          <PreviewTable preview={value} />
        )}
        <Box p={2}>
          <Typography variant="caption" color="textSecondary">
            The first {value.limit} rows as PostgreSQL returns them, read as the
            port's reader.
            {masked > 0 &&
              ` ${masked} column${
                masked === 1 ? ' is' : 's are'
              } masked: never read from the warehouse.`}
            {value.cut > 0 &&
              ` ${value.cut} long value${
                value.cut === 1 ? ' is' : 's are'
              } cut (…).`}
          </Typography>
        </Box>
      </>
    );
  }

  return (
    <InfoCard
      title="Preview"
      subheader={
        <span className={classes.type}>
          {size.error
            ? `Size unavailable: ${errorMessage(size.error)}`
            : facts.join(' · ')}
          {freshness.value && (
            <span style={{ marginLeft: 8 }}>
              <FreshnessChip
                state={freshness.value.state}
                freshness={freshness.value}
              />
            </span>
          )}
        </span>
      }
      noPadding
    >
      {content}
    </InfoCard>
  );
}
