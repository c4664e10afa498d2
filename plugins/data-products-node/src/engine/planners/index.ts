import { Knex } from 'knex';
import type { DataProductPlanDiff } from '@dataproducts/plugin-data-products-common';
import { refuseBreakingChanges } from '../breaking';
import { diffProduct } from '../diff';
import { RunnableStep } from '../runner';
import { ProductSpec, RoleNames } from '../spec';
import { planBuildTimeout } from './buildTimeout';
import { ProvisionContext, readProvisionContext } from './context';
import { planDroppedPorts } from './droppedPorts';
import { planInputGrants } from './inputGrants';
import { planPortBuilds } from './portBuilds';
import { planPortContracts, planVersionedPorts } from './portVersions';
import { planProductRole } from './productRole';
import { planReaderRoles } from './readerRoles';
import { planSchema } from './schema';
import { planSourceGrants } from './sourceGrants';

/** The planners of `apply`, in the order their steps run. */
const PROVISION_PLANNERS: Array<
  (ctx: ProvisionContext) => Promise<RunnableStep[]>
> = [
  planProductRole,
  planSchema,
  planBuildTimeout,
  planReaderRoles,
  planSourceGrants,
  planInputGrants,
  planVersionedPorts,
  planPortBuilds,
  planDroppedPorts,
  planPortContracts,
];

/**
 * The steps of a plan, in order, carrying the diff they were planned from:
 * still an array, so a caller that only runs the steps needs no change.
 */
export type PlannedSteps = RunnableStep[] & { diff: DataProductPlanDiff };

/**
 * What a plan would change in a product's ports, from what exists now,
 * without refusing anything. Reads only.
 */
export async function planDiff(
  trx: Knex.Transaction,
  spec: ProductSpec,
  options: { roles: RoleNames; sourceSchema: string },
): Promise<DataProductPlanDiff> {
  return diffProduct(await readProvisionContext(trx, spec, options));
}

/**
 * Every step `apply` takes for a product, from what exists now, with the
 * diff of its ports; refused with a `ConflictError` when the diff breaks a
 * port that has consumers without a new major version. Reads only; the
 * caller's transaction holds the product's and schema's locks, so the steps
 * are still right when they run.
 */
export async function planProvision(
  trx: Knex.Transaction,
  spec: ProductSpec,
  options: { roles: RoleNames; sourceSchema: string },
): Promise<PlannedSteps> {
  const ctx = await readProvisionContext(trx, spec, options);
  ctx.diff = await diffProduct(ctx);
  refuseBreakingChanges(ctx.diff, spec.schema);
  const steps: RunnableStep[] = [];
  for (const planner of PROVISION_PLANNERS) {
    steps.push(...(await planner(ctx)));
  }
  return Object.assign(steps, { diff: ctx.diff });
}
