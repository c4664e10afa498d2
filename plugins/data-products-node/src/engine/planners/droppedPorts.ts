import { ConflictError } from '@backstage/errors';
import { relationKind, roleExists } from '../catalog';
import { RunnableStep } from '../runner';
import { escapeIdentifier, qualifiedName } from '../sql';
import { PlanStatement } from '../types';
import { ProvisionContext } from './context';

/**
 * Ports no longer declared: the object and its reader role go (refused while
 * another product reads the port).
 */
export async function planDroppedPorts(
  ctx: ProvisionContext,
): Promise<RunnableStep[]> {
  const { trx, spec, meta } = ctx;
  const dropped = ctx.existingPorts.filter(
    row => !spec.ports.some(p => p.name === row.port),
  );
  if (dropped.length === 0) {
    return [];
  }
  const grants = await meta.grantsOn(spec.name);
  const steps: RunnableStep[] = [];
  for (const row of dropped) {
    const consumers = grants.filter(
      g => g.port === row.port && g.consumer !== spec.name,
    );
    if (consumers.length > 0) {
      throw new ConflictError(
        `Output port '${row.port}' of data product '${
          spec.name
        }' is no longer declared but is read by ${consumers
          .map(c => `'${c.consumer}'`)
          .join(', ')}. Revoke their grants first.`,
      );
    }
    // As the schema owner: the object, and the reader role's USAGE on the
    // schema, without which the role could not be dropped.
    const statements: PlanStatement[] = [];
    const kind = await relationKind(trx, spec.schema, row.port);
    if (kind) {
      statements.push({
        sql: `DROP ${kind === 'v' ? 'VIEW' : 'TABLE'} ${qualifiedName(
          spec.schema,
          row.port,
        )}`,
        role: spec.role,
      });
    }
    const reader = escapeIdentifier(row.reader_role);
    if (await roleExists(trx, row.reader_role)) {
      statements.push({
        sql: `REVOKE USAGE ON SCHEMA ${escapeIdentifier(
          spec.schema,
        )} FROM ${reader}`,
        role: spec.role,
      });
    }
    statements.push({ sql: `DROP ROLE IF EXISTS ${reader}` });
    steps.push({
      id: `drop-port:${row.port}`,
      description: `Drop output port ${spec.schema}.${row.port}, no longer declared`,
      statements,
      record: () => meta.deletePort(spec.name, row.port),
    });
  }
  return steps;
}
