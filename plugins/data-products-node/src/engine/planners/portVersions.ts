import { Knex } from 'knex';
import { ConflictError } from '@backstage/errors';
import { versionedPorts } from '../breaking';
import { relationKind } from '../catalog';
import { versionedName } from '../diff';
import { majorOf } from '../diffSpec';
import { ColumnConstraints, ContractRecords } from '../metadata';
import { RunnableStep } from '../runner';
import { boundedName, escapeIdentifier, qualifiedName } from '../sql';
import { PlanStatement } from '../types';
import { ProvisionContext } from './context';

/** The indexes (and so the PRIMARY KEY and UNIQUE constraints) of a relation. */
async function indexesOf(
  trx: Knex.Transaction,
  schema: string,
  relation: string,
): Promise<string[]> {
  const result = await trx.raw(
    `SELECT i.relname AS name
       FROM pg_catalog.pg_index x
       JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
       JOIN pg_catalog.pg_class c ON c.oid = x.indrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ? AND c.relname = ?
      ORDER BY 1`,
    [schema, relation],
  );
  return result.rows.map((r: { name: string }) => r.name);
}

/**
 * A port whose breaking change comes with a new major version keeps its
 * current version readable: the relation (with its indexes) is renamed to
 * `<port>_v<old major>` before the new version is built under the port's
 * name. Other products' views depend on the relation by OID, so they go on
 * reading it; its grants to the port's reader role stay with it.
 */
export async function planVersionedPorts(
  ctx: ProvisionContext,
): Promise<RunnableStep[]> {
  const { trx, spec } = ctx;
  if (!ctx.diff) return [];
  const records = new ContractRecords(trx);
  const steps: RunnableStep[] = [];
  for (const port of versionedPorts(ctx.diff)) {
    const row = ctx.existingPorts.find(r => r.port === port.port)!;
    const from = port.version.from!;
    const major = majorOf(from);
    const relation = versionedName(port.port, major);
    const kind = await relationKind(trx, spec.schema, port.port);
    if (!kind) continue;
    if (await relationKind(trx, spec.schema, relation)) {
      throw new ConflictError(
        `Output port '${port.port}' of data product '${spec.name}' cannot keep version ${from} as ${spec.schema}.${relation}: ` +
          `that name is taken. Drop or rename ${spec.schema}.${relation} first, or publish the change under another port name.`,
      );
    }
    const statements: PlanStatement[] = [
      {
        sql: `ALTER ${kind === 'v' ? 'VIEW' : 'TABLE'} ${qualifiedName(
          spec.schema,
          port.port,
        )} RENAME TO ${escapeIdentifier(relation)}`,
        role: spec.role,
      },
      ...(await indexesOf(trx, spec.schema, port.port)).map(index => ({
        sql: `ALTER INDEX ${qualifiedName(
          spec.schema,
          index,
        )} RENAME TO ${escapeIdentifier(boundedName(`${index}_v${major}`))}`,
        role: spec.role,
      })),
    ];
    steps.push({
      id: `keep-version:${port.port}`,
      description: `Keep version ${from} of output port ${spec.schema}.${
        port.port
      } readable as ${spec.schema}.${relation} for ${port.consumers
        .map(c => c.product ?? c.group ?? c.role)
        .join(', ')}, before version ${port.version.to} is built`,
      statements,
      record: () =>
        records.insertVersion({
          product: spec.name,
          port: port.port,
          major,
          contract_version: from,
          relation,
          port_type: kind === 'v' ? 'postgres-view' : 'postgres-table',
          columns: row.columns,
        }),
    });
  }
  // A port no longer declared takes its kept versions with it, before its
  // reader role (which they are granted to) is dropped.
  for (const port of ctx.diff.ports.filter(p => p.change === 'removed')) {
    for (const kept of port.keptVersions ?? []) {
      if (kept.readBy.length > 0) {
        throw new ConflictError(
          `Output port '${port.port}' of data product '${
            spec.name
          }' is no longer declared, but its version ${kept.major} (${
            kept.relation
          }) is still read by ${kept.readBy.join(
            ', ',
          )}. Ask them to move first, or keep declaring the port.`,
        );
      }
      steps.push(
        await dropVersionStep(ctx, {
          port: port.port,
          major: kept.major,
          relation: kept.relation.slice(spec.schema.length + 1),
        }),
      );
    }
  }
  return steps;
}

/** The step that drops a kept version of a port and forgets it. */
async function dropVersionStep(
  ctx: ProvisionContext,
  version: { port: string; major: number; relation: string },
): Promise<RunnableStep> {
  const { trx, spec } = ctx;
  const { port, major, relation } = version;
  const kind = await relationKind(trx, spec.schema, relation);
  const records = new ContractRecords(trx);
  return {
    id: `drop-version:${relation}`,
    description: `Drop version ${major} of output port ${spec.schema}.${port} (${spec.schema}.${relation}): no other product reads it any more`,
    statements: kind
      ? [
          {
            sql: `DROP ${kind === 'v' ? 'VIEW' : 'TABLE'} ${qualifiedName(
              spec.schema,
              relation,
            )}`,
            role: spec.role,
          },
        ]
      : [],
    record: () => records.deleteVersion(spec.name, port, major),
  };
}

/** Equal constraints, whatever the order of the columns (jsonb keeps its own). */
function sameConstraints(
  recorded: ColumnConstraints | null,
  declared: ColumnConstraints,
): boolean {
  const sorted = (c: ColumnConstraints) =>
    JSON.stringify(Object.entries(c).sort(([a], [b]) => a.localeCompare(b)));
  return recorded !== null && sorted(recorded) === sorted(declared);
}

/**
 * After the builds: records each port's contract version and constraints
 * where they changed, and drops each kept earlier version that no other
 * product's view reads any more.
 */
export async function planPortContracts(
  ctx: ProvisionContext,
): Promise<RunnableStep[]> {
  const { trx, spec } = ctx;
  const records = new ContractRecords(trx);
  const steps: RunnableStep[] = [];
  const recorded = ctx.owned ? await records.contracts(spec.name) : [];
  for (const port of spec.ports) {
    const row = recorded.find(r => r.port === port.name);
    if (
      row &&
      row.contract_version === port.version &&
      sameConstraints(row.contract_constraints, port.constraints)
    ) {
      continue;
    }
    steps.push({
      id: `contract:${port.name}`,
      description: `Record version ${port.version} and the column constraints of output port ${spec.schema}.${port.name}`,
      statements: [],
      record: () =>
        records.recordContract(spec.name, port.name, {
          version: port.version,
          constraints: port.constraints,
        }),
    });
  }
  const kept = ctx.owned ? await records.versions(spec.name) : [];
  for (const version of kept) {
    const port = ctx.diff?.ports.find(p => p.port === version.port);
    const planned = port?.keptVersions?.find(k => k.major === version.major);
    // Versions of a removed port went before it; the others go once unread.
    if (port?.change === 'removed' || planned?.action !== 'drop') continue;
    steps.push(await dropVersionStep(ctx, version));
  }
  return steps;
}
