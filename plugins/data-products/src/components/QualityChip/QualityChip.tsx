import type {
  PortQualitySummary,
  QualityOutcomeKind,
} from '@dataproducts/plugin-data-products-common';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import green from '@material-ui/core/colors/green';
import orange from '@material-ui/core/colors/orange';
import red from '@material-ui/core/colors/red';

/** The words a build's checks are shown with. */
export const QUALITY_LABELS: Record<QualityOutcomeKind, string> = {
  passed: 'checks pass',
  warning: 'warnings',
  failed: 'failing',
};

const COLORS: Record<QualityOutcomeKind, string> = {
  passed: green[700],
  warning: orange[800],
  failed: red[700],
};

const RANK: Record<QualityOutcomeKind, number> = {
  passed: 0,
  warning: 1,
  failed: 2,
};

/** The worst outcome of some ports' latest builds, or undefined when none was checked. */
export function worstOutcome(
  ports: PortQualitySummary[],
): QualityOutcomeKind | undefined {
  return ports.reduce<QualityOutcomeKind | undefined>(
    (worst, port) =>
      worst === undefined || RANK[port.outcome] > RANK[worst]
        ? port.outcome
        : worst,
    undefined,
  );
}

function describePort(port: PortQualitySummary): string {
  const failed = [
    port.failedErrors ? `${port.failedErrors} failed` : '',
    port.failedWarnings ? `${port.failedWarnings} warning(s)` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return `${port.port}: ${port.checks} check(s)${failed ? `, ${failed}` : ''}`;
}

/**
 * The outcome of the latest builds' checks (declared constraints and
 * quality rules) of a product's ports as a coloured chip: checks pass,
 * warnings, or failing (the last build was refused), with each port in its
 * tooltip.
 */
export function QualityChip(props: { ports: PortQualitySummary[] }) {
  const outcome = worstOutcome(props.ports);
  if (!outcome) {
    return null;
  }
  const label = QUALITY_LABELS[outcome];
  return (
    <Tooltip title={props.ports.map(describePort).join('; ')}>
      <span>
        <Chip
          size="small"
          label={label}
          aria-label={`Quality: ${label}`}
          style={{ backgroundColor: COLORS[outcome], color: '#fff' }}
        />
      </span>
    </Tooltip>
  );
}
