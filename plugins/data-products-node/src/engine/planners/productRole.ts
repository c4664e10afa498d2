import { ConflictError } from '@backstage/errors';
import { isDirectMember, roleExists } from '../catalog';
import { RunnableStep } from '../runner';
import { escapeIdentifier } from '../sql';
import { ProvisionContext } from './context';

/**
 * The product's role, NOLOGIN, made a member of the portal's engine role so
 * the engine's user can act as it without holding its rights.
 */
export async function planProductRole(
  ctx: ProvisionContext,
): Promise<RunnableStep[]> {
  const { trx, spec, roles } = ctx;
  const role = escapeIdentifier(spec.role);
  const grantToEngine = {
    sql: `GRANT ${role} TO ${escapeIdentifier(roles.engine)}`,
  };
  if (!(await roleExists(trx, spec.role))) {
    return [
      {
        id: 'product-role',
        description: `Create role ${spec.role} for data product ${spec.name}`,
        statements: [{ sql: `CREATE ROLE ${role} NOLOGIN` }, grantToEngine],
      },
    ];
  }
  if (!ctx.owned) {
    throw new ConflictError(
      `Role '${spec.role}' already exists but was not created by the portal for data product '${spec.name}'. ` +
        `Drop it, or configure another dataProducts.warehouse.rolePrefix.`,
    );
  }
  if (!(await isDirectMember(trx, spec.role, roles.engine))) {
    // A product provisioned before the engine role existed.
    return [
      {
        id: 'product-role',
        description: `Let the portal's engine role ${roles.engine} act as ${spec.role}`,
        statements: [grantToEngine],
      },
    ];
  }
  return [];
}
