import { Knex } from 'knex';
import type {
  PlanColumnChange,
  PlanDerivedColumn,
} from '@dataproducts/plugin-data-products-common';
import { columnImpact } from './columnLineageGraph';

/**
 * Adds to each breaking change of a port's columns the consumer columns
 * derived from the column, transitively, from the stored column lineage:
 * what the change would reach.
 */
export async function addDerivedColumns(
  db: Knex | Knex.Transaction,
  product: string,
  port: string,
  changes: PlanColumnChange[],
): Promise<void> {
  for (const change of changes) {
    if (!change.breaking || change.kind === 'added') continue;
    const { consumers } = await columnImpact(
      db as Knex,
      product,
      port,
      change.column,
    );
    if (consumers.length > 0) {
      change.derived = consumers.map(consumer => ({
        product: consumer.product,
        port: consumer.port,
        column: consumer.column,
        direct: consumer.transformations.some(t => t.type === 'DIRECT'),
      }));
    }
  }
}

/**
 * The consumer columns of a change in words, for a refusal:
 * ` (marketing-customer-360.customer_activity.customer_email derives from
 * it)`; columns that depend on it only through joins, filters, grouping or
 * sorting are counted. Empty when nothing derives from it.
 */
export function describeDerivedColumns(
  derived: PlanDerivedColumn[] | undefined,
): string {
  if (!derived?.length) return '';
  const name = (d: PlanDerivedColumn) => `${d.product}.${d.port}.${d.column}`;
  const direct = derived.filter(d => d.direct).map(name);
  const indirect = derived.filter(d => !d.direct).length;
  const parts = [];
  if (direct.length) {
    parts.push(
      `${direct.join(', ')} ${
        direct.length === 1 ? 'derives' : 'derive'
      } from it`,
    );
  }
  if (indirect) {
    parts.push(
      `${indirect} more ${
        indirect === 1 ? 'column depends' : 'columns depend'
      } on it through joins, filters, grouping or sorting`,
    );
  }
  return ` (${parts.join('; ')})`;
}
