import { Knex } from 'knex';
import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type {
  DataProductEntityV1alpha1,
  DataProductStatus,
  OutputPortEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';
import { AccessRequest, checkAccessRequest, planAccessChange } from './access';
import { buildStepId, planBuild } from './build';
import { planDecommission } from './decommission';
import { countRows, inspectProduct } from './inspect';
import { Metadata, METADATA_SCHEMA } from './metadata';
import { planProvision } from './planners';
import { RunnableStep, runSteps, toPlanStep } from './runner';
import { setUpWarehouse } from './setUp';
import { checkEntityName, ProductSpec, RoleNames, toProductSpec } from './spec';
import { checkIdentifier } from './sql';
import {
  ApplyResult,
  DecommissionResult,
  PortResult,
  ProvisionPlan,
  ProvisionRequest,
} from './types';

/** Options of {@link WarehouseEngine}. */
export interface WarehouseEngineOptions {
  /**
   * A knex instance (client `pg`) connected to the warehouse database as a
   * user that may create roles, or a function that returns one on first use.
   */
  knex: Knex | (() => Promise<Knex>);
  /** Prefix of every role the engine creates. Defaults to `dp_`. */
  rolePrefix?: string;
  /** The schema holding the operational source tables. Defaults to `sources`. */
  sourceSchema?: string;
  logger?: LoggerService;
}

function toProvisionPlan(
  spec: ProductSpec,
  steps: RunnableStep[],
): ProvisionPlan {
  return {
    product: spec.name,
    schema: spec.schema,
    steps: steps.map(toPlanStep),
  };
}

/**
 * The warehouse engine: provisions data products in PostgreSQL (schema, roles,
 * output ports, grants) and reports what really exists. Every change is a
 * plan of steps made by planners and carried out by one runner, so a plan
 * shows exactly the SQL that `apply` runs.
 */
export class WarehouseEngine {
  private readonly roles: RoleNames;
  private readonly sourceSchema: string;
  private readonly logger?: LoggerService;
  private readonly getKnex: () => Promise<Knex>;
  private connection?: Promise<Knex>;

  constructor(options: WarehouseEngineOptions) {
    this.roles = new RoleNames(options.rolePrefix ?? 'dp_');
    this.sourceSchema = checkIdentifier(
      options.sourceSchema ?? 'sources',
      'sourceSchema',
    );
    this.logger = options.logger;
    const knex = options.knex;
    this.getKnex =
      typeof knex === 'function' && !('client' in knex)
        ? (knex as () => Promise<Knex>)
        : async () => knex as Knex;
  }

  /** The prefix of every role this engine creates. */
  get rolePrefix(): string {
    return this.roles.prefix;
  }

  /**
   * Connects, checks the server's version, migrates the metadata schema and
   * creates the engine role when missing. Other methods call it on first use.
   */
  async ready(): Promise<void> {
    await this.db();
  }

  private db(): Promise<Knex> {
    if (!this.connection) {
      this.connection = (async () => {
        const knex = await this.getKnex();
        await setUpWarehouse(knex, this.roles.engine);
        return knex;
      })();
      this.connection.catch(() => {
        this.connection = undefined;
      });
    }
    return this.connection;
  }

  /** Runs `fn` in one transaction holding the products' and schemas' advisory locks. */
  private async transaction<T>(
    products: string[],
    fn: (trx: Knex.Transaction) => Promise<T>,
    schemas: string[] = [],
  ): Promise<T> {
    const knex = await this.db();
    const keys = [
      ...products.map(product => `dataproducts:product:${product}`),
      ...schemas.map(schema => `dataproducts:schema:${schema}`),
    ];
    return knex.transaction(async trx => {
      for (const key of [...new Set(keys)].sort()) {
        await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [key]);
      }
      return fn(trx);
    });
  }

  private toSpec(request: ProvisionRequest): ProductSpec {
    return toProductSpec(request, {
      roles: this.roles,
      sourceSchema: this.sourceSchema,
      reservedSchemas: [METADATA_SCHEMA, this.sourceSchema],
    });
  }

  private provisionTransaction<T>(
    spec: ProductSpec,
    fn: (trx: Knex.Transaction, steps: RunnableStep[]) => Promise<T>,
  ): Promise<T> {
    return this.transaction(
      [spec.name, ...spec.inputs.map(i => i.product)],
      async trx =>
        fn(
          trx,
          await planProvision(trx, spec, {
            roles: this.roles,
            sourceSchema: this.sourceSchema,
          }),
        ),
      [spec.schema],
    );
  }

  /** The ordered steps `apply` would take now, with the exact SQL. Changes nothing. */
  async plan(request: ProvisionRequest): Promise<ProvisionPlan> {
    const spec = this.toSpec(request);
    return this.provisionTransaction(spec, async (_trx, steps) =>
      toProvisionPlan(spec, steps),
    );
  }

  /**
   * Provisions a product and its ports in one transaction, serialised per
   * product and per schema; converges (a second run changes nothing).
   */
  async apply(request: ProvisionRequest): Promise<ApplyResult> {
    const spec = this.toSpec(request);
    return this.provisionTransaction(spec, async (trx, steps) => {
      await runSteps(trx, steps);
      const rows = await new Metadata(trx).ports(spec.name);
      const ids = new Set(steps.map(step => step.id));
      const ports: PortResult[] = [];
      for (const port of spec.ports) {
        const row = rows.find(r => r.port === port.name)!;
        ports.push({
          name: port.name,
          object: `${spec.schema}.${port.name}`,
          type: port.type,
          rowCount: await countRows(
            trx,
            { schema_name: spec.schema, role_name: spec.role },
            row,
          ),
          built: ids.has(buildStepId(port.name)),
        });
      }
      this.logger?.info(
        `Applied data product ${spec.name}: ${steps.length} step(s)`,
      );
      return {
        product: spec.name,
        schema: spec.schema,
        plan: toProvisionPlan(spec, steps),
        ports,
      };
    });
  }

  /**
   * Rebuilds a table port from its stored definition, atomically: readers
   * see the old rows until the new ones are swapped in. A view port is live
   * and is left as it is.
   */
  async refresh(product: string, port: string): Promise<PortResult> {
    checkEntityName(product, 'data product name');
    checkIdentifier(port, 'output port name');
    return this.transaction([product], async trx => {
      const meta = new Metadata(trx);
      const productRow = await meta.product(product);
      const row = productRow && (await meta.port(product, port));
      if (!productRow || !row) {
        throw new NotFoundError(
          `Output port '${port}' of data product '${product}' is not provisioned; provision the product first`,
        );
      }
      const object = `${productRow.schema_name}.${port}`;
      if (row.port_type === 'postgres-view') {
        return {
          name: port,
          object,
          type: row.port_type,
          rowCount: await countRows(trx, productRow, row),
          built: false,
        };
      }
      let rowCount = 0;
      const step = await planBuild(
        trx,
        {
          product,
          schema: productRow.schema_name,
          role: productRow.role_name,
          port,
          type: row.port_type,
          readerRole: row.reader_role,
          columns: row.columns,
          description: row.description ?? undefined,
          select: row.build_sql,
          source: row.source_table ?? undefined,
        },
        {
          id: buildStepId(port),
          record: async (_trx, built) => {
            rowCount = built;
            await meta.markBuilt(product, port, built);
          },
        },
      );
      await runSteps(trx, [step]);
      return { name: port, object, type: row.port_type, rowCount, built: true };
    });
  }

  private changeAccess(
    request: AccessRequest,
    change: 'grant' | 'revoke',
  ): Promise<{ changed: boolean }> {
    const checked = checkAccessRequest(request);
    return this.transaction([checked.product, checked.consumer], async trx => {
      const steps = await planAccessChange(trx, checked, change);
      await runSteps(trx, steps);
      return { changed: steps.length > 0 };
    });
  }

  /** Lets a consumer product read a port: grants it the port's reader role. */
  async grant(request: AccessRequest): Promise<{ changed: boolean }> {
    return this.changeAccess(request, 'grant');
  }

  /** Takes a consumer product's read access to a port away. */
  async revoke(request: AccessRequest): Promise<{ changed: boolean }> {
    return this.changeAccess(request, 'revoke');
  }

  /**
   * Removes a product from the warehouse: its schema with every port, its
   * roles and its grants. Refused while other products hold grants on its
   * ports, unless `force`.
   */
  async decommission(
    product: string,
    options: { force?: boolean } = {},
  ): Promise<DecommissionResult> {
    checkEntityName(product, 'data product name');
    return this.transaction([product], async trx => {
      const planned = await planDecommission(trx, product, {
        force: options.force,
        sourceSchema: this.sourceSchema,
      });
      if (!planned) {
        return { product, schema: '', removed: false, droppedConsumers: [] };
      }
      await runSteps(trx, planned.steps);
      return {
        product,
        schema: planned.row.schema_name,
        removed: true,
        droppedConsumers: planned.consumers,
      };
    });
  }

  /**
   * What really exists for a product: its objects, their actual columns and
   * types, row counts, when each was last built, and drift from the declared
   * columns. Pass the declared ports to compare against; without them the
   * ports the portal last built are reported.
   */
  async inspect(
    product: DataProductEntityV1alpha1 | string,
    ports?: OutputPortEntityV1alpha1[],
  ): Promise<DataProductStatus> {
    const name = checkEntityName(
      typeof product === 'string' ? product : product.metadata.name,
      'data product name',
    );
    return inspectProduct(await this.db(), name, product, ports);
  }

  /** Closes the engine's connection pool. */
  async close(): Promise<void> {
    if (this.connection) {
      const knex = await this.connection.catch(() => undefined);
      await knex?.destroy();
      this.connection = undefined;
    }
  }
}
