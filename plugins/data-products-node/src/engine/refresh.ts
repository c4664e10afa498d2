import { Knex } from 'knex';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { BuildDefinition, buildStepId, planBuild, sourceSelect } from './build';
import { compileModel, ProvisionedInput } from './compileModel';
import { RunControl } from './control';
import { countRows } from './inspect';
import { Metadata, PortRow, ProductRow } from './metadata';
import { runSteps } from './runner';
import { PortResult } from './types';

/** A provisioned port's records, or a `NotFoundError` saying to provision it first. */
export async function provisionedPort(
  meta: Metadata,
  product: string,
  port: string,
): Promise<{ product: ProductRow; port: PortRow }> {
  const productRow = await meta.product(product);
  const portRow = productRow && (await meta.port(product, port));
  if (!productRow || !portRow) {
    throw new NotFoundError(
      `Output port '${port}' of data product '${product}' is not provisioned; provision the product first`,
    );
  }
  return { product: productRow, port: portRow };
}

/**
 * The build definition of a provisioned table port, from its records: a
 * source-aligned port's SELECT made again from its columns and table, a
 * model checked again against the inputs it was provisioned with (resolved
 * to where they are now), so a refresh runs only SQL the checker produced.
 */
async function recordedDefinition(
  meta: Metadata,
  product: ProductRow,
  row: PortRow,
): Promise<BuildDefinition> {
  const base = {
    product: product.product,
    schema: product.schema_name,
    role: product.role_name,
    port: row.port,
    type: row.port_type,
    readerRole: row.reader_role,
    columns: row.columns,
    description: row.description ?? undefined,
    refreshStrategy: row.refresh_strategy,
    checks: row.quality_checks ?? undefined,
  };
  if (row.source_table) {
    const [schema, table] = row.source_table.split('.');
    return {
      ...base,
      select: sourceSelect(row.columns, { schema, table }),
      source: row.source_table,
    };
  }
  const port = `Output port '${row.port}' of data product '${product.product}'`;
  if (row.model_text === null || row.model_inputs === null) {
    throw new ConflictError(
      `${port} was built before the portal recorded the inputs its model is checked against, so it is not refreshed from stored SQL. ` +
        `Provision '${product.product}' again (dataproduct:provision), which checks and records them, then refresh it.`,
    );
  }
  const inputs: ProvisionedInput[] = [];
  for (const input of row.model_inputs) {
    const provisioned = await meta.product(input.product);
    if (!provisioned) {
      throw new ConflictError(
        `${port} reads ${input.ref} (port '${input.port}' of data product '${input.product}'), which is no longer provisioned. ` +
          `Provision '${input.product}' again, or change the model and provision '${product.product}'.`,
      );
    }
    inputs.push({ ...input, schema: provisioned.schema_name });
  }
  const model = compileModel(row.port, row.model_text, inputs);
  return { ...base, select: model.sql, model };
}

/**
 * Rebuilds a provisioned table port from its records inside the caller's
 * build, as `apply` builds it (a model is checked again first); a view port
 * is live and only counted.
 */
export async function refreshPort(
  trx: Knex.Transaction,
  control: RunControl,
  product: string,
  port: string,
): Promise<PortResult> {
  const meta = new Metadata(trx);
  const records = await provisionedPort(meta, product, port);
  const object = `${records.product.schema_name}.${port}`;
  const type = records.port.port_type;
  if (type === 'postgres-view') {
    const rowCount = await countRows(
      trx,
      records.product,
      records.port,
      control.timeouts.statementMs,
    );
    return { name: port, object, type, rowCount, built: false };
  }
  let rowCount = 0;
  const definition = await recordedDefinition(
    meta,
    records.product,
    records.port,
  );
  const step = await planBuild(trx, definition, {
    id: buildStepId(port),
    record: async (_trx, built) => {
      rowCount = built;
      await meta.markBuilt(product, port, built);
    },
  });
  await runSteps(trx, [step], { control });
  return { name: port, object, type, rowCount, built: true };
}
