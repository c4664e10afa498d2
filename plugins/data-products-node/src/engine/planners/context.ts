import { Knex } from 'knex';
import { ConflictError, InputError } from '@backstage/errors';
import type { DataProductPlanDiff } from '@dataproducts/plugin-data-products-common';
import { schemaExists } from '../catalog';
import { ProvisionedInput } from '../compileModel';
import { Metadata, PortRow, ProductRow } from '../metadata';
import { ProductSpec, RoleNames } from '../spec';
import { ResolvedInput } from '../types';

/** What every provisioning planner reads: the request and what exists now. */
export interface ProvisionContext {
  trx: Knex.Transaction;
  spec: ProductSpec;
  roles: RoleNames;
  sourceSchema: string;
  meta: Metadata;
  /** The product's metadata row, when the portal provisioned it before. */
  owned?: ProductRow;
  schemaExists: boolean;
  /** The ports the portal built for the product before. */
  existingPorts: PortRow[];
  /** The declared inputs, each with its schema and reader role. */
  inputs: Array<ProvisionedInput & { readerRole: string }>;
  /** What the plan changes in the product's ports (see `diff.ts`), once computed. */
  diff?: DataProductPlanDiff;
}

/**
 * A product's declared inputs with their schemas and reader roles, from the
 * metadata; an input that is not provisioned, or is the product's own port,
 * is refused with an `InputError`.
 */
export async function provisionedInputs(
  meta: Metadata,
  product: string,
  inputs: readonly ResolvedInput[],
): Promise<ProvisionContext['inputs']> {
  const resolved = [];
  for (const input of inputs) {
    const provisioned = await meta.product(input.product);
    const port = provisioned && (await meta.port(input.product, input.port));
    if (!provisioned || !port) {
      throw new InputError(
        `Input ${input.ref} of data product '${product}' is not provisioned in the warehouse ` +
          `(port '${input.port}' of data product '${input.product}'). Provision '${input.product}' first.`,
      );
    }
    if (input.product === product) {
      throw new InputError(
        `Data product '${product}' cannot declare its own port '${input.port}' as an input`,
      );
    }
    resolved.push({
      ...input,
      schema: provisioned.schema_name,
      readerRole: port.reader_role,
    });
  }
  return resolved;
}

/**
 * Reads what exists for a product and refuses a schema that is another
 * product's, or that the portal did not make for this one.
 */
export async function readProvisionContext(
  trx: Knex.Transaction,
  spec: ProductSpec,
  options: { roles: RoleNames; sourceSchema: string },
): Promise<ProvisionContext> {
  const meta = new Metadata(trx);
  const owned = await meta.product(spec.name);
  const schemaOwner = await meta.productBySchema(spec.schema);
  const exists = await schemaExists(trx, spec.schema);
  if (owned && owned.schema_name !== spec.schema) {
    throw new ConflictError(
      `Data product '${spec.name}' is provisioned in schema '${owned.schema_name}', not '${spec.schema}'. ` +
        `Changing a product's schema is not supported: decommission it first.`,
    );
  }
  if (schemaOwner && schemaOwner.product !== spec.name) {
    throw new ConflictError(
      `Schema '${spec.schema}' belongs to data product '${schemaOwner.product}', not '${spec.name}'. Choose another schema.`,
    );
  }
  if (exists && !owned) {
    throw new ConflictError(
      `Schema '${spec.schema}' already exists in the warehouse but was not created by the portal for data product '${spec.name}'. ` +
        `Choose another schema, or drop or rename the existing one.`,
    );
  }
  return {
    trx,
    spec,
    roles: options.roles,
    sourceSchema: options.sourceSchema,
    meta,
    owned,
    schemaExists: exists,
    existingPorts: owned ? await meta.ports(spec.name) : [],
    inputs: await provisionedInputs(meta, spec.name, spec.inputs),
  };
}
