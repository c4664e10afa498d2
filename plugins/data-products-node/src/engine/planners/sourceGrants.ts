import { canReadTable, relationKind, schemaExists } from '../catalog';
import { pgInputError } from '../errors';
import { sourceGrantsLock } from '../locks';
import { RunnableStep } from '../runner';
import { escapeIdentifier, qualifiedName } from '../sql';
import { ProvisionContext } from './context';

/**
 * Source-aligned ports read their operational table as the product's role:
 * SELECT on that table and USAGE on its schema; tables no port reads any
 * more are revoked again.
 */
export async function planSourceGrants(
  ctx: ProvisionContext,
): Promise<RunnableStep[]> {
  const { trx, spec } = ctx;
  const role = escapeIdentifier(spec.role);
  const locks = [sourceGrantsLock(ctx.sourceSchema)];
  const steps: RunnableStep[] = [];
  const read = new Set<string>();
  for (const port of spec.ports) {
    if (!port.source) {
      continue;
    }
    const { schema, table } = port.source;
    read.add(`${schema}.${table}`);
    if (await canReadTable(trx, spec.role, schema, table)) {
      continue;
    }
    steps.push({
      id: `source-grant:${port.name}`,
      description: `Let ${spec.role} read the operational table ${schema}.${table}`,
      locks,
      statements: [
        { sql: `GRANT USAGE ON SCHEMA ${escapeIdentifier(schema)} TO ${role}` },
        { sql: `GRANT SELECT ON ${qualifiedName(schema, table)} TO ${role}` },
      ],
      explainFailure: error =>
        pgInputError(
          error,
          `Output port '${port.name}' cannot read its source ${schema}.${table}`,
        ),
    });
  }

  const formerSources = [
    ...new Set(
      ctx.existingPorts
        .map(r => r.source_table)
        .filter((t): t is string => !!t && !read.has(t)),
    ),
  ];
  for (const former of formerSources) {
    const [schema, table] = former.split('.');
    if (!(await relationKind(trx, schema, table))) {
      continue;
    }
    steps.push({
      id: `source-revoke:${former}`,
      description: `Stop ${spec.role} reading the operational table ${former}, which no port reads any more`,
      locks,
      statements: [
        {
          sql: `REVOKE SELECT ON ${qualifiedName(schema, table)} FROM ${role}`,
        },
      ],
    });
  }
  if (
    formerSources.length > 0 &&
    read.size === 0 &&
    (await schemaExists(trx, ctx.sourceSchema))
  ) {
    steps.push({
      id: 'source-schema-revoke',
      description: `Stop ${spec.role} using schema ${ctx.sourceSchema}`,
      locks,
      statements: [
        {
          sql: `REVOKE USAGE ON SCHEMA ${escapeIdentifier(
            ctx.sourceSchema,
          )} FROM ${role}`,
        },
      ],
    });
  }
  return steps;
}
