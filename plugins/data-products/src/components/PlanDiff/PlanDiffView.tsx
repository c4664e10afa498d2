import type {
  DataProductPlan,
  PlanPortConsumer,
  PlanPortDiff,
} from '@dataproducts/plugin-data-products-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';

const CHANGE_WORDS: Record<string, string> = {
  added: 'added',
  removed: 'removed',
  type: 'type changed',
  constraint: 'constraints changed',
  description: 'description changed',
};

function BreakingChip({ breaking }: { breaking: boolean }) {
  return breaking ? (
    <Chip size="small" color="secondary" label="breaking" />
  ) : (
    <Chip size="small" variant="outlined" label="non-breaking" />
  );
}

const VIA_WORDS: Record<PlanPortConsumer['via'][number], string> = {
  'declared-input': 'declared input',
  'reader-role': 'reader role',
  view: 'view',
};

function consumerName(consumer: PlanPortConsumer): string {
  if (consumer.product) return `data product ${consumer.product}`;
  if (consumer.group) return `group ${consumer.group}`;
  return `role ${consumer.role}`;
}

/** A consumer in words: who, and how the warehouse knows. */
export function consumerText(consumer: PlanPortConsumer): string {
  const how = consumer.via
    .map(via =>
      via === 'view' ? `view ${consumer.views?.join(', ')}` : VIA_WORDS[via],
    )
    .join(', ');
  return `${consumerName(consumer)} (${how})`;
}

function portHeading(port: PlanPortDiff): string {
  const { from, to } = port.version;
  let version = '';
  if (from && to && from !== to) {
    version = `, version ${from} → ${to}`;
  } else if (to ?? from) {
    version = `, version ${to ?? from}`;
  }
  return `Output port ${port.port}: ${port.change}${version}`;
}

function PortDiff({ port }: { port: PlanPortDiff }) {
  return (
    <Box mb={2} data-testid={`plan-diff-port-${port.port}`}>
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <Typography variant="subtitle1">{portHeading(port)}</Typography>
        {port.change !== 'unchanged' && (
          <BreakingChip breaking={port.breaking} />
        )}
      </Box>
      {port.type && (
        <Typography variant="body2">
          Materialization {port.type.from} → {port.type.to}
        </Typography>
      )}
      {port.columns.length > 0 && (
        <Table size="small" aria-label={`Column changes of ${port.port}`}>
          <TableHead>
            <TableRow>
              <TableCell>Column</TableCell>
              <TableCell>Change</TableCell>
              <TableCell>Before</TableCell>
              <TableCell>After</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {port.columns.map(change => (
              <TableRow key={`${change.column}-${change.kind}`}>
                <TableCell>{change.column}</TableCell>
                <TableCell>{CHANGE_WORDS[change.kind]}</TableCell>
                <TableCell>{change.from ?? ''}</TableCell>
                <TableCell>{change.to ?? ''}</TableCell>
                <TableCell>
                  <BreakingChip breaking={change.breaking} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {port.columns
        .filter(change => change.derived?.length)
        .map(change => (
          <Typography variant="body2" key={`derived-${change.column}`}>
            Consumer columns derived from {change.column}:{' '}
            {change
              .derived!.map(
                d =>
                  `${d.product}.${d.port}.${d.column}${
                    d.direct ? '' : ' (through joins or filters)'
                  }`,
              )
              .join(', ')}
          </Typography>
        ))}
      <Typography variant="body2">
        {port.consumers.length
          ? `Consumers affected: ${port.consumers.map(consumerText).join('; ')}`
          : 'No consumers read this port.'}
      </Typography>
      {port.outcome === 'new-major-version' && (
        <Typography variant="body2">
          Version {port.version.from} stays readable as{' '}
          {`${port.port}_v${port.version.from?.split('.')[0]}`} until its
          consumers move to version {port.version.to}.
        </Typography>
      )}
      {port.keptVersions?.map(kept => (
        <Typography variant="body2" key={kept.relation}>
          Earlier version {kept.relation}:{' '}
          {kept.action === 'keep'
            ? `kept, read by ${kept.readBy.join(', ')}`
            : 'dropped, no one reads it any more'}
        </Typography>
      ))}
    </Box>
  );
}

/**
 * What a plan would change, before it is applied: each output port added,
 * removed or changed with its column changes flagged breaking or not, the
 * consumers affected, and why the plan would not run, when it would not.
 */
export function PlanDiffView({ plan }: { plan: DataProductPlan }) {
  const changed = plan.diff.ports.filter(p => p.change !== 'unchanged');
  return (
    <Box>
      {plan.problem && (
        <Box mb={2}>
          <Alert severity="error">{plan.problem.message}</Alert>
        </Box>
      )}
      {!plan.problem && plan.diff.breaking && (
        <Box mb={2}>
          <Alert severity="warning">
            This change is breaking for readers of the port.
          </Alert>
        </Box>
      )}
      {plan.diff.new && (
        <Typography variant="body2" paragraph>
          Data product {plan.product} is new: schema {plan.schema} and every
          port are created.
        </Typography>
      )}
      {changed.length === 0 && !plan.diff.new && (
        <Typography variant="body2" paragraph>
          No output port changes.
        </Typography>
      )}
      {changed.map(port => (
        <PortDiff port={port} key={port.port} />
      ))}
      {plan.steps.length > 0 && (
        <>
          <Typography variant="subtitle2">
            Steps ({plan.steps.length})
          </Typography>
          <ul>
            {plan.steps.map(step => (
              <li key={step.id}>
                <Typography variant="body2">{step.description}</Typography>
              </li>
            ))}
          </ul>
        </>
      )}
    </Box>
  );
}
