import type {
  FreshnessState,
  PortFreshness,
} from '@dataproducts/plugin-data-products-common';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import green from '@material-ui/core/colors/green';
import grey from '@material-ui/core/colors/grey';
import orange from '@material-ui/core/colors/orange';
import red from '@material-ui/core/colors/red';
import { formatTimestamp } from '../StatusChip';

/** The words a freshness state is shown with. */
export const FRESHNESS_LABELS: Record<FreshnessState, string> = {
  fresh: 'fresh',
  stale: 'stale',
  failing: 'failing',
  unknown: 'no policy',
};

const COLORS: Record<FreshnessState, string> = {
  fresh: green[700],
  stale: orange[800],
  failing: red[700],
  unknown: grey[600],
};

/** What the chip's tooltip says: why, when last built, for how long fresh, how often refreshed. */
function details(freshness: Partial<PortFreshness>): string {
  return [
    freshness.reason,
    freshness.lastSuccessAt
      ? `Last successful build: ${formatTimestamp(freshness.lastSuccessAt)}`
      : undefined,
    freshness.maxAge ? `Fresh for: ${freshness.maxAge}` : undefined,
    freshness.schedule ? `Refreshed: ${freshness.schedule}` : undefined,
  ]
    .filter(Boolean)
    .join('. ');
}

/**
 * A port's or product's freshness as a coloured chip (fresh, stale,
 * failing, or no policy), with the reason, the last successful build and
 * the maxAge in its tooltip.
 */
export function FreshnessChip(props: {
  state: FreshnessState;
  /** What the tooltip explains; a product's chip may give only a reason. */
  freshness?: Partial<PortFreshness>;
}) {
  const { state, freshness } = props;
  const label = FRESHNESS_LABELS[state];
  const chip = (
    <Chip
      size="small"
      label={label}
      aria-label={`Freshness: ${label}`}
      style={{ backgroundColor: COLORS[state], color: '#fff' }}
    />
  );
  const title = freshness ? details(freshness) : '';
  return title ? <Tooltip title={title}>{chip}</Tooltip> : chip;
}
