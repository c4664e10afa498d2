import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusWarning,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  isOutputPortEntity,
  type PortQualitySummary,
  type QualityResult,
  type QualityRuleHistory,
} from '@dataproducts/plugin-data-products-common';
import Box from '@material-ui/core/Box';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import green from '@material-ui/core/colors/green';
import orange from '@material-ui/core/colors/orange';
import red from '@material-ui/core/colors/red';
import useAsync from 'react-use/esm/useAsync';
import { dataProductsQualityApiRef } from '../../api/DataProductsQualityApi';
import { QualityChip } from '../QualityChip';
import { formatTimestamp } from '../StatusChip';

/** A measured value with its unit: `3 rows`, `12.5%`, `40 s`. */
export function formatMeasured(
  value: number | null,
  unit: QualityResult['unit'],
): string {
  if (value === null) return '—';
  if (unit === 'percent') return `${value}%`;
  if (unit === 'seconds') return `${value} s`;
  return `${value} ${value === 1 ? 'row' : 'rows'}`;
}

function Outcome(props: { result: QualityResult }) {
  const { result } = props;
  if (result.passed) return <StatusOK>passed</StatusOK>;
  return result.severity === 'error' ? (
    <StatusError>failed</StatusError>
  ) : (
    <StatusWarning>warning</StatusWarning>
  );
}

/** The last builds of one rule, oldest first, as a strip of small pass/fail marks. */
export function HistoryStrip(props: { rule: QualityRuleHistory }) {
  const { rule } = props;
  const builds = [...rule.history].reverse();
  const failed = rule.latest.severity === 'error' ? red[700] : orange[800];
  return (
    <Box
      display="flex"
      style={{ gap: 2 }}
      role="list"
      aria-label={`Last ${builds.length} builds of ${rule.key}`}
    >
      {builds.map(build => (
        <span
          key={build.buildId}
          role="listitem"
          aria-label={build.passed ? 'passed' : 'failed'}
        >
          <Tooltip
            title={`${formatTimestamp(build.checkedAt)}: ${formatMeasured(
              build.value,
              rule.latest.unit,
            )}, ${build.passed ? 'passed' : 'failed'}`}
          >
            <span
              style={{
                display: 'inline-block',
                width: 6,
                height: 16,
                borderRadius: 1,
                backgroundColor: build.passed ? green[600] : failed,
              }}
            />
          </Tooltip>
        </span>
      ))}
    </Box>
  );
}

const ruleColumns: TableColumn<QualityRuleHistory>[] = [
  {
    title: 'Check',
    render: rule => (
      <>
        <Typography variant="body2">{rule.key}</Typography>
        <Typography variant="caption" color="textSecondary">
          {rule.latest.description}
        </Typography>
      </>
    ),
  },
  {
    title: 'Kind',
    render: rule =>
      rule.latest.kind === 'constraint' ? 'constraint' : 'quality rule',
  },
  { title: 'Severity', render: rule => rule.latest.severity },
  {
    title: 'Latest',
    render: rule => formatMeasured(rule.latest.value, rule.latest.unit),
  },
  { title: 'Expected', render: rule => rule.latest.expectation },
  {
    title: 'Outcome',
    render: rule => (
      <>
        <Outcome result={rule.latest} />
        {rule.latest.detail && (
          <Typography variant="caption" display="block">
            {rule.latest.detail}
          </Typography>
        )}
      </>
    ),
  },
  { title: 'Last builds', render: rule => <HistoryStrip rule={rule} /> },
];

function PortQualityView(props: { portRef: string }) {
  const api = useApi(dataProductsQualityApiRef);
  const state = useAsync(
    () => api.getPortQuality(props.portRef),
    [api, props.portRef],
  );
  if (state.loading) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const quality = state.value!;
  const [latest] = quality.builds;
  if (!latest) {
    return (
      <Typography variant="body2">
        No build of this port has been checked yet. Declare column constraints
        (required, unique, primaryKey) or quality rules (spec.quality): every
        build checks them before the new data is published.
      </Typography>
    );
  }
  const summary: PortQualitySummary = {
    product: quality.product,
    port: quality.port,
    checkedAt: latest.checkedAt,
    outcome: latest.outcome,
    checks: quality.rules.length,
    failedErrors: quality.rules.filter(
      r => !r.latest.passed && r.latest.severity === 'error',
    ).length,
    failedWarnings: quality.rules.filter(
      r => !r.latest.passed && r.latest.severity === 'warning',
    ).length,
  };
  return (
    <>
      <Box display="flex" alignItems="center" style={{ gap: 12 }} mb={1}>
        <QualityChip ports={[summary]} />
        <Typography variant="body2">
          Last checked {formatTimestamp(latest.checkedAt)} on {latest.rowCount}{' '}
          rows
          {latest.outcome === 'failed'
            ? ': the build was refused and the previous data stays in place'
            : ''}
          .
        </Typography>
      </Box>
      <Table<QualityRuleHistory>
        columns={ruleColumns}
        data={quality.rules}
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

function ProductQualityView(props: { product: string }) {
  const api = useApi(dataProductsQualityApiRef);
  const state = useAsync(
    () => api.getQualitySummaries([props.product]),
    [api, props.product],
  );
  if (state.loading) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const ports = state.value ?? [];
  if (ports.length === 0) {
    return (
      <Typography variant="body2">
        No build of this product's ports has been checked yet.
      </Typography>
    );
  }
  const columns: TableColumn<PortQualitySummary>[] = [
    { title: 'Port', field: 'port' },
    { title: 'Quality', render: port => <QualityChip ports={[port]} /> },
    { title: 'Checks', field: 'checks', type: 'numeric' },
    { title: 'Failed', field: 'failedErrors', type: 'numeric' },
    { title: 'Warnings', field: 'failedWarnings', type: 'numeric' },
    { title: 'Last checked', render: port => formatTimestamp(port.checkedAt) },
  ];
  return (
    <Table<PortQualitySummary>
      columns={columns}
      data={ports}
      options={{
        paging: false,
        search: false,
        padding: 'dense',
        toolbar: false,
      }}
    />
  );
}

/**
 * The checks of each build (declared constraints and quality rules): on an
 * OutputPort page each rule with its latest value, outcome and severity and
 * its last 30 builds as a strip; on a DataProduct page the latest outcome
 * of each port.
 */
export function QualityCard() {
  const { entity } = useEntity();
  return (
    <InfoCard title="Quality">
      {isOutputPortEntity(entity) ? (
        <PortQualityView
          portRef={stringifyEntityRef(entity).toLocaleLowerCase('en-US')}
        />
      ) : (
        <ProductQualityView product={entity.metadata.name} />
      )}
    </InfoCard>
  );
}
