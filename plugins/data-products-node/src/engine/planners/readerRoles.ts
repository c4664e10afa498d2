import { ConflictError } from '@backstage/errors';
import { roleExists } from '../catalog';
import { RunnableStep } from '../runner';
import { escapeIdentifier } from '../sql';
import { ProvisionContext } from './context';

/** One NOLOGIN reader role per port, with USAGE on the product's schema. */
export async function planReaderRoles(
  ctx: ProvisionContext,
): Promise<RunnableStep[]> {
  const { trx, spec } = ctx;
  const steps: RunnableStep[] = [];
  for (const port of spec.ports) {
    if (!(await roleExists(trx, port.readerRole))) {
      const reader = escapeIdentifier(port.readerRole);
      steps.push({
        id: `reader-role:${port.name}`,
        description: `Create reader role ${port.readerRole} for output port ${spec.schema}.${port.name}`,
        statements: [
          { sql: `CREATE ROLE ${reader} NOLOGIN` },
          {
            sql: `GRANT USAGE ON SCHEMA ${escapeIdentifier(
              spec.schema,
            )} TO ${reader}`,
            role: spec.role,
          },
        ],
      });
    } else if (
      !ctx.existingPorts.some(r => r.reader_role === port.readerRole)
    ) {
      throw new ConflictError(
        `Role '${port.readerRole}' already exists but was not created by the portal for output port '${port.name}' of data product '${spec.name}'. ` +
          `Drop it, or configure another dataProducts.warehouse.rolePrefix.`,
      );
    }
  }
  return steps;
}
