import { Knex } from 'knex';
import { RunnableStep } from '../runner';
import { ProductSpec, RoleNames } from '../spec';
import { planBuildTimeout } from './buildTimeout';
import { ProvisionContext, readProvisionContext } from './context';
import { planDroppedPorts } from './droppedPorts';
import { planInputGrants } from './inputGrants';
import { planPortBuilds } from './portBuilds';
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
  planPortBuilds,
  planDroppedPorts,
];

/**
 * Every step `apply` takes for a product, from what exists now. Reads only;
 * the caller's transaction holds the product's and schema's locks, so the
 * steps are still right when they run.
 */
export async function planProvision(
  trx: Knex.Transaction,
  spec: ProductSpec,
  options: { roles: RoleNames; sourceSchema: string },
): Promise<RunnableStep[]> {
  const ctx = await readProvisionContext(trx, spec, options);
  const steps: RunnableStep[] = [];
  for (const planner of PROVISION_PLANNERS) {
    steps.push(...(await planner(ctx)));
  }
  return steps;
}
