import { BuildDefinition, buildStepId, planBuild } from '../build';
import { readColumns, relationKind } from '../catalog';
import { compileModel } from '../compileModel';
import { columnDrift } from '../contract';
import { RunnableStep } from '../runner';
import { PortSpec } from '../spec';
import { escapeIdentifier, hashOf, qualifiedName } from '../sql';
import { ProvisionContext } from './context';

function definitionOf(ctx: ProvisionContext, port: PortSpec): BuildDefinition {
  const { spec } = ctx;
  const base = {
    product: spec.name,
    schema: spec.schema,
    role: spec.role,
    port: port.name,
    type: port.type,
    readerRole: port.readerRole,
    columns: port.columns,
    description: port.description,
  };
  if (port.source) {
    const columns = port.columns
      .map(c => {
        const name = escapeIdentifier(c.name);
        return `CAST(${name} AS ${c.type}) AS ${name}`;
      })
      .join(', ');
    return {
      ...base,
      select: `SELECT ${columns} FROM ${qualifiedName(
        port.source.schema,
        port.source.table,
      )}`,
      source: `${port.source.schema}.${port.source.table}`,
    };
  }
  const model = compileModel(port.name, port.model!, ctx.inputs);
  return { ...base, select: model.sql, model };
}

/** What the metadata stores to tell a changed port from an unchanged one. */
function definitionHash(def: BuildDefinition): string {
  return hashOf({
    type: def.type,
    columns: def.columns,
    description: def.description ?? null,
    select: def.select,
    readerRole: def.readerRole,
  });
}

/**
 * A build step for each port that is new, changed, of another kind than
 * declared, or whose columns were altered by hand since its last build.
 */
export async function planPortBuilds(
  ctx: ProvisionContext,
): Promise<RunnableStep[]> {
  const { trx, spec, meta } = ctx;
  const steps: RunnableStep[] = [];
  for (const port of spec.ports) {
    const definition = definitionOf(ctx, port);
    const hash = definitionHash(definition);
    const row = ctx.existingPorts.find(r => r.port === port.name);
    const upToDate =
      row &&
      row.definition_hash === hash &&
      (await relationKind(trx, spec.schema, port.name)) ===
        (port.type === 'postgres-table' ? 'r' : 'v') &&
      columnDrift(port.columns, await readColumns(trx, spec.schema, port.name))
        .length === 0;
    if (upToDate) {
      continue;
    }
    steps.push(
      await planBuild(trx, definition, {
        id: buildStepId(port.name),
        record: (_trx, rowCount) =>
          meta.upsertPort({
            product: spec.name,
            port: port.name,
            port_type: port.type,
            reader_role: port.readerRole,
            definition_hash: hash,
            build_sql: definition.select,
            model_text: definition.model?.text ?? null,
            columns: port.columns,
            description: port.description ?? null,
            source_table: definition.source ?? null,
            row_count: String(rowCount),
          }),
      }),
    );
  }
  return steps;
}
