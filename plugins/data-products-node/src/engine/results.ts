import { Knex } from 'knex';
import type { DataProductPlanDiff } from '@dataproducts/plugin-data-products-common';
import { buildStepId } from './build';
import { countRows } from './inspect';
import { Metadata } from './metadata';
import { RunnableStep, toPlanStep } from './runner';
import { ProductSpec } from './spec';
import { ApplyResult, PortResult, ProvisionPlan } from './types';

/** A product's steps as the plan `plan` and `apply` return. */
export function toProvisionPlan(
  spec: ProductSpec,
  steps: RunnableStep[] & { diff?: DataProductPlanDiff },
): ProvisionPlan {
  return {
    product: spec.name,
    schema: spec.schema,
    steps: steps.map(toPlanStep),
    ...(steps.diff ? { diff: steps.diff } : {}),
  };
}

/**
 * What `apply` returns once its steps ran, read inside its transaction: the
 * plan it ran and each port with its rows (a view counted within
 * `countTimeoutMs`) and whether this run built it.
 */
export async function applyResult(
  trx: Knex.Transaction,
  spec: ProductSpec,
  steps: RunnableStep[] & { diff?: DataProductPlanDiff },
  countTimeoutMs: number,
): Promise<ApplyResult> {
  const rows = await new Metadata(trx).ports(spec.name);
  const ids = new Set(steps.map(step => step.id));
  const ports: PortResult[] = [];
  for (const port of spec.ports) {
    const row = rows.find(r => r.port === port.name)!;
    ports.push({
      name: port.name,
      object: `${spec.schema}.${port.name}`,
      type: port.type,
      rowCount: await countRows(
        trx,
        { schema_name: spec.schema, role_name: spec.role },
        row,
        countTimeoutMs,
      ),
      built: ids.has(buildStepId(port.name)),
    });
  }
  return {
    product: spec.name,
    schema: spec.schema,
    plan: toProvisionPlan(spec, steps),
    ports,
  };
}
