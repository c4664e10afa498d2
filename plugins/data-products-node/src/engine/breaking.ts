import { ConflictError } from '@backstage/errors';
import type {
  DataProductPlanDiff,
  PlanPortDiff,
} from '@dataproducts/plugin-data-products-common';
import { describeConsumer, versionedName } from './diff';
import { majorOf } from './diffSpec';
import { describeDerivedColumns } from './lineageImpact';

/** The next major version after `version`, e.g. 2.0.0 after 1.4.2. */
function nextMajor(version: string): string {
  return `${majorOf(version) + 1}.0.0`;
}

function refusal(product: string, schema: string, port: PlanPortDiff): string {
  const readers = port.consumers.map(describeConsumer).join(', ');
  if (port.change === 'removed') {
    return (
      `Output port '${port.port}' of data product '${product}' is no longer declared, ` +
      `but it is read by ${readers}. Ask them to stop reading it (remove it from their inputs, ` +
      `or revoke their access) first, or keep declaring the port.`
    );
  }
  const from = port.version.from!;
  const changes = port.columns
    .filter(c => c.breaking)
    .map(c => `${c.description}${describeDerivedColumns(c.derived)}`)
    .join('; ');
  return (
    `Output port '${port.port}' of data product '${product}' (version ${from}) would change in a breaking way: ` +
    `${changes}. It is read by ${readers}. Publish the change as a new major version ` +
    `(set the port's spec.version to ${nextMajor(from)}: version ${from} stays readable as ` +
    `${schema}.${versionedName(port.port, majorOf(from))} until they move), ` +
    `or ask them to stop reading the port first.`
  );
}

/**
 * Refuses a plan whose diff breaks a port that has consumers without a new
 * major version: a `ConflictError` naming each such port, its breaking
 * changes, the consumers (products, groups and their views) and what to do.
 */
export function refuseBreakingChanges(
  diff: DataProductPlanDiff,
  schema: string,
): void {
  const refused = diff.ports.filter(p => p.outcome === 'refused');
  if (refused.length > 0) {
    throw new ConflictError(
      refused.map(port => refusal(diff.product, schema, port)).join('\n'),
    );
  }
}

/** The ports whose current version is moved aside (kept readable) before the new one is built. */
export function versionedPorts(diff: DataProductPlanDiff): PlanPortDiff[] {
  return diff.ports.filter(p => p.outcome === 'new-major-version');
}
