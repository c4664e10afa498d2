import { Knex } from 'knex';
import {
  DEFAULT_CONTRACT_VERSION,
  type DataProductPlanDiff,
  type PlanColumnChange,
  type PlanKeptVersion,
  type PlanPortConsumer,
  type PlanPortDiff,
} from '@dataproducts/plugin-data-products-common';
import { dependentViews, readColumns, relationKind } from './catalog';
import { CONSTRAINTS, majorOf } from './diffSpec';
import { addDerivedColumns } from './lineageImpact';
import {
  ColumnConstraint,
  ColumnConstraints,
  ContractRecords,
  PortRow,
} from './metadata';
import type { ProvisionContext } from './planners/context';
import { readPortReaders } from './readers';
import type { PortSpec } from './spec';

type Db = Knex | Knex.Transaction;

/**
 * A column's constraints as `pg_catalog` has them on a table: NOT NULL
 * (`attnotnull`), and single-column PRIMARY KEY and UNIQUE constraints
 * (`pg_constraint`). Read only for a port whose declared constraints the
 * metadata has not recorded.
 */
async function catalogConstraints(
  db: Db,
  schema: string,
  relation: string,
): Promise<ColumnConstraints> {
  const result = await db.raw(
    `SELECT a.attname AS name, a.attnotnull AS not_null,
            coalesce(bool_or(k.contype = 'p'), false) AS primary_key,
            coalesce(bool_or(k.contype IN ('p', 'u')), false) AS is_unique
       FROM pg_catalog.pg_attribute a
       JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_catalog.pg_constraint k
         ON k.conrelid = c.oid AND k.contype IN ('p', 'u') AND k.conkey = ARRAY[a.attnum]
      WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped
      GROUP BY a.attname, a.attnotnull, a.attnum
      ORDER BY a.attnum`,
    [schema, relation],
  );
  const constraints: ColumnConstraints = {};
  for (const row of result.rows as Array<{
    name: string;
    not_null: boolean;
    primary_key: boolean;
    is_unique: boolean;
  }>) {
    constraints[row.name] = CONSTRAINTS.filter(
      c =>
        (c === 'primaryKey' && row.primary_key) ||
        (c === 'required' && (row.not_null || row.primary_key)) ||
        (c === 'unique' && row.is_unique),
    );
  }
  return constraints;
}

function listed(constraints: readonly ColumnConstraint[]): string {
  return constraints.length ? constraints.join(', ') : 'none';
}

/** The column changes from what exists to what is declared, each classified. */
export function diffColumns(
  current: Array<{ name: string; type: string; description?: string }>,
  declared: PortSpec['columns'],
  constraints: {
    current?: ColumnConstraints;
    declared: ColumnConstraints;
  },
): PlanColumnChange[] {
  const changes: PlanColumnChange[] = [];
  for (const column of current) {
    if (!declared.some(d => d.name === column.name)) {
      changes.push({
        column: column.name,
        kind: 'removed',
        from: column.type,
        breaking: true,
        description: `column ${column.name} (${column.type}) removed`,
      });
    }
  }
  for (const column of declared) {
    const now = current.find(c => c.name === column.name);
    if (!now) {
      changes.push({
        column: column.name,
        kind: 'added',
        to: column.type,
        breaking: false,
        description: `column ${column.name} (${column.type}) added`,
      });
      continue;
    }
    if (now.type !== column.type) {
      changes.push({
        column: column.name,
        kind: 'type',
        from: now.type,
        to: column.type,
        breaking: true,
        description: `column ${column.name}: type ${now.type} → ${column.type}`,
      });
    }
    const before = constraints.current?.[column.name];
    const after = constraints.declared[column.name] ?? [];
    if (before && listed(before) !== listed(after)) {
      const tightened = after.some(c => !before.includes(c));
      changes.push({
        column: column.name,
        kind: 'constraint',
        from: listed(before),
        to: listed(after),
        breaking: tightened,
        description: `column ${column.name}: constraints ${listed(
          before,
        )} → ${listed(after)} (${tightened ? 'tightened' : 'loosened'})`,
      });
    }
    if ((now.description ?? '') !== (column.description ?? '')) {
      changes.push({
        column: column.name,
        kind: 'description',
        from: now.description ?? '',
        to: column.description ?? '',
        breaking: false,
        description: `column ${column.name}: description changed`,
      });
    }
  }
  return changes;
}

/**
 * Who reads a port of the product: the products the portal granted it to
 * (declared inputs and approved requests), every role holding its reader
 * role (`pg_auth_members`: products and groups), and the products whose
 * views depend on it (`pg_depend`).
 */
export async function readPortConsumers(
  ctx: Pick<ProvisionContext, 'trx' | 'meta' | 'spec'>,
  row: PortRow,
  relation: string = row.port,
): Promise<PlanPortConsumer[]> {
  const { trx, meta, spec } = ctx;
  const consumers = new Map<string, PlanPortConsumer>();
  const entry = (key: string, init: Omit<PlanPortConsumer, 'via'>) => {
    const found = consumers.get(key) ?? { ...init, via: [] };
    consumers.set(key, found);
    return found;
  };
  const add = (found: PlanPortConsumer, via: PlanPortConsumer['via'][0]) => {
    if (!found.via.includes(via)) found.via.push(via);
  };
  if (relation === row.port) {
    for (const grant of await meta.grantsOn(spec.name)) {
      if (grant.port === row.port && grant.consumer !== spec.name) {
        add(
          entry(`product:${grant.consumer}`, { product: grant.consumer }),
          'declared-input',
        );
      }
    }
    for (const reader of await readPortReaders(trx, spec.name, row.port)) {
      if (reader.product === spec.name) continue;
      if (reader.product) {
        const found = entry(`product:${reader.product}`, {
          product: reader.product,
        });
        found.role = reader.role;
        add(found, 'reader-role');
      } else if (reader.group) {
        add(
          entry(`group:${reader.group}`, {
            group: reader.group,
            role: reader.role,
          }),
          'reader-role',
        );
      } else {
        add(entry(`role:${reader.role}`, { role: reader.role }), 'reader-role');
      }
    }
  }
  for (const view of await dependentViews(trx, spec.schema, relation)) {
    const schema = view.split('.')[0];
    if (schema === spec.schema) continue;
    const owner = await meta.productBySchema(schema);
    const found = owner
      ? entry(`product:${owner.product}`, { product: owner.product })
      : entry(`schema:${schema}`, {});
    found.views = [...(found.views ?? []), view];
    add(found, 'view');
  }
  return [...consumers.values()];
}

/** Who a consumer is, in words. */
export function describeConsumer(consumer: PlanPortConsumer): string {
  let who = `role '${consumer.role ?? 'unknown'}'`;
  if (consumer.product) {
    who = `data product '${consumer.product}'`;
  } else if (consumer.group) {
    who = `group '${consumer.group}'`;
  }
  return consumer.views?.length
    ? `${who} (its view${
        consumer.views.length > 1 ? 's' : ''
      } ${consumer.views.join(', ')})`
    : who;
}

/**
 * What happens to a breaking change: applied when nothing reads the port,
 * else a new major version when the major increased (and the relation
 * exists to keep), else refused.
 */
function breakingOutcome(
  hasConsumers: boolean,
  newMajor: boolean,
): PlanPortDiff['outcome'] {
  if (!hasConsumers) return 'applied';
  return newMajor ? 'new-major-version' : 'refused';
}

/** The name an earlier major version of a port is kept under. */
export function versionedName(port: string, major: number): string {
  return `${port}_v${major}`;
}

/**
 * The diff of a product's declared ports against what the warehouse holds
 * now: columns, types and descriptions from `pg_catalog` (the recorded
 * declaration for a port whose relation is missing), constraints as last
 * applied (recorded in the metadata; from `pg_catalog` for a port applied
 * before they were recorded, and not compared when neither has any), and
 * each port's consumers. A breaking change to a port with consumers is
 * `refused` unless its major version increases (`new-major-version`).
 */
export async function diffProduct(
  ctx: ProvisionContext,
): Promise<DataProductPlanDiff> {
  const { trx, spec } = ctx;
  const records = new ContractRecords(trx);
  const contracts = ctx.owned ? await records.contracts(spec.name) : [];
  const kept = ctx.owned ? await records.versions(spec.name) : [];
  const ports: PlanPortDiff[] = [];

  for (const port of spec.ports) {
    const row = ctx.existingPorts.find(r => r.port === port.name);
    if (!row) {
      ports.push({
        port: port.name,
        change: 'added',
        version: { to: port.version },
        breaking: false,
        columns: diffColumns([], port.columns, {
          declared: port.constraints,
        }),
        consumers: [],
      });
      continue;
    }
    const contract = contracts.find(c => c.port === port.name);
    const kind = await relationKind(trx, spec.schema, port.name);
    const actual = kind ? await readColumns(trx, spec.schema, port.name) : [];
    let current = contract?.contract_constraints ?? undefined;
    if (!current && kind === 'r') {
      const fromCatalog = await catalogConstraints(trx, spec.schema, port.name);
      current = Object.values(fromCatalog).some(c => c.length)
        ? fromCatalog
        : undefined;
    }
    const columns = diffColumns(kind ? actual : row.columns, port.columns, {
      current,
      declared: port.constraints,
    });
    await addDerivedColumns(trx, spec.name, port.name, columns);
    const from = contract?.contract_version ?? DEFAULT_CONTRACT_VERSION;
    const currentType = kind === 'v' ? 'postgres-view' : 'postgres-table';
    const type =
      kind && currentType !== port.type
        ? { from: currentType, to: port.type }
        : undefined;
    const breaking = columns.some(c => c.breaking);
    const diff: PlanPortDiff = {
      port: port.name,
      change:
        columns.length > 0 || type || from !== port.version
          ? 'changed'
          : 'unchanged',
      version: { from, to: port.version },
      ...(type ? { type } : {}),
      breaking,
      columns,
      consumers: await readPortConsumers(ctx, row),
    };
    if (breaking) {
      diff.outcome = breakingOutcome(
        diff.consumers.length > 0,
        majorOf(port.version) > majorOf(from) && !!kind,
      );
    }
    ports.push(diff);
  }

  for (const row of ctx.existingPorts) {
    if (spec.ports.some(p => p.name === row.port)) continue;
    const consumers = await readPortConsumers(ctx, row);
    ports.push({
      port: row.port,
      change: 'removed',
      version: {
        from:
          contracts.find(c => c.port === row.port)?.contract_version ??
          DEFAULT_CONTRACT_VERSION,
      },
      breaking: true,
      columns: [],
      consumers,
      outcome: consumers.length ? 'refused' : 'applied',
    });
  }

  for (const version of kept) {
    const readBy = (
      await dependentViews(trx, spec.schema, version.relation)
    ).filter(view => view.split('.')[0] !== spec.schema);
    const keptVersion: PlanKeptVersion = {
      major: version.major,
      relation: `${spec.schema}.${version.relation}`,
      readBy,
      action: readBy.length ? 'keep' : 'drop',
    };
    const diff = ports.find(p => p.port === version.port);
    if (diff) {
      diff.keptVersions = [...(diff.keptVersions ?? []), keptVersion];
    }
  }

  return {
    product: spec.name,
    new: !ctx.owned,
    breaking: ports.some(p => p.breaking),
    refused: ports.some(p => p.outcome === 'refused'),
    ports,
  };
}
