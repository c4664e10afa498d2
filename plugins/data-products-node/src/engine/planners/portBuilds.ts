import {
  BuildDefinition,
  buildStepId,
  planBuild,
  sourceSelect,
} from '../build';
import { readColumns, relationKind } from '../catalog';
import {
  hasColumnLineage,
  modelPortLineage,
  recordColumnLineage,
  sourcePortLineage,
} from '../columnLineageRecords';
import { compileModel } from '../compileModel';
import { columnDrift } from '../contract';
import { RunnableStep } from '../runner';
import { hasChecks } from '../qualitySpec';
import { PortSpec } from '../spec';
import { hashOf } from '../sql';
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
    refreshStrategy: port.refreshStrategy,
    checks: port.checks,
  };
  if (port.source) {
    return {
      ...base,
      select: sourceSelect(port.columns, port.source),
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
    // Absent for the default, so ports built before strategies existed stay unchanged.
    ...(def.refreshStrategy === 'swap'
      ? {}
      : { refreshStrategy: def.refreshStrategy }),
    // Absent without checks, so ports built before checks existed stay unchanged.
    ...(hasChecks(def.checks) ? { checks: def.checks } : {}),
  });
}

/**
 * A build step for each port that is new, changed, of another kind than
 * declared, whose columns were altered by hand since its last build, or
 * whose model's inputs are not recorded yet.
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
    // A new major version moves the current relation aside: always built.
    const versioned = ctx.diff?.ports.some(
      p => p.port === port.name && p.outcome === 'new-major-version',
    );
    const upToDate =
      !versioned &&
      row &&
      row.definition_hash === hash &&
      // A model port built before its inputs were recorded is built again,
      // which records them: its refreshes check the model against them.
      (!definition.model || row.model_inputs !== null) &&
      // A port built before column lineage was recorded is built again, which records it.
      (await hasColumnLineage(trx, spec.name, port.name)) &&
      (await relationKind(trx, spec.schema, port.name)) ===
        (port.type === 'postgres-table' ? 'r' : 'v') &&
      columnDrift(port.columns, await readColumns(trx, spec.schema, port.name))
        .length === 0;
    if (upToDate) {
      continue;
    }
    const lineage = definition.model
      ? await modelPortLineage(meta, spec.name, port, definition.model)
      : sourcePortLineage(spec.name, port, port.source!);
    steps.push(
      await planBuild(trx, definition, {
        id: buildStepId(port.name),
        fresh: versioned,
        record: async (buildTrx, rowCount) => {
          await meta.upsertPort({
            product: spec.name,
            port: port.name,
            port_type: port.type,
            reader_role: port.readerRole,
            definition_hash: hash,
            build_sql: definition.select,
            model_text: definition.model?.text ?? null,
            model_inputs: definition.model
              ? ctx.inputs.map(({ ref, product, port: name }) => ({
                  ref,
                  product,
                  port: name,
                }))
              : null,
            refresh_strategy: port.refreshStrategy,
            quality_checks: hasChecks(port.checks) ? port.checks : null,
            columns: port.columns,
            description: port.description ?? null,
            source_table: definition.source ?? null,
            row_count: String(rowCount),
          });
          await recordColumnLineage(buildTrx, lineage);
        },
      }),
    );
  }
  return steps;
}
