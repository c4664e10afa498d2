import { Knex } from 'knex';
import { LoggerService } from '@backstage/backend-plugin-api';
import type {
  DataProductEntityV1alpha1,
  DataProductPlanDiff,
  DataProductStatus,
  OutputPortEntityV1alpha1,
  PortQuality,
  PortQualitySummary,
} from '@dataproducts/plugin-data-products-common';
import { loadModelParser } from '../model';
import { AccessConsumer, AccessGrant, changeAccess } from './access';
import {
  ColumnConsumer,
  columnImpact,
  ColumnLineageQuery,
  ColumnLineageWalk,
  walkColumnLineage,
} from './columnLineageGraph';
import { RunControl } from './control';
import { planDecommission } from './decommission';
import {
  checkDraftModel,
  checkDraftModelRequest,
  DraftModelCheck,
  DraftModelRequest,
} from './draftModel';
import { inspectProduct } from './inspect';
import { BuildLimits, checkBuildLimits } from './limits';
import { productLock, schemaLock } from './locks';
import { Metadata, METADATA_SCHEMA } from './metadata';
import { planDiff, planProvision } from './planners';
import {
  PortReaderRole,
  ReadablePort,
  readPortReaders,
  readReadablePorts,
} from './readers';
import { PortBuild, readPortBuilds } from './builds';
import { PortPreviewRows, PortSize, portSize, previewPort } from './preview';
import { readPortQuality, readQualitySummaries } from './qualityResults';
import { provisionedPort, refreshPort } from './refresh';
import { EngineRuns } from './runs';
import { applyResult, toProvisionPlan } from './results';
import { RunnableStep, runSteps } from './runner';
import { BuildRun } from './sessions';
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

/** What a caller can pass to a build (apply, refresh, plan, model check). */
export interface BuildOptions {
  /**
   * Cancels the build: its running statement is cancelled, its transaction
   * rolls back, and nothing commits once the signal fired.
   */
  signal?: AbortSignal;
}

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
  /**
   * The bounds builds run within; each omitted one has its default (see
   * `dataProducts.warehouse` in config.d.ts).
   */
  limits?: Partial<BuildLimits>;
}

/**
 * The warehouse engine: provisions data products in PostgreSQL (schema, roles,
 * output ports, grants) and reports what really exists. Every change is a
 * plan of steps made by planners and carried out by one runner, so a plan
 * shows exactly the SQL that `apply` runs. Builds run on connections of
 * their own, bounded by timeouts, a few at a time, and can be cancelled.
 */
export class WarehouseEngine {
  private readonly roles: RoleNames;
  private readonly sourceSchema: string;
  private readonly logger?: LoggerService;
  private readonly limits: BuildLimits;
  private readonly getKnex: () => Promise<Knex>;
  private connection?: Promise<EngineRuns>;

  constructor(options: WarehouseEngineOptions) {
    this.roles = new RoleNames(options.rolePrefix ?? 'dp_');
    this.sourceSchema = checkIdentifier(
      options.sourceSchema ?? 'sources',
      'sourceSchema',
    );
    this.logger = options.logger;
    this.limits = checkBuildLimits(options.limits);
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
   * Connects, checks the server's version, migrates the metadata schema,
   * creates the engine role when missing and loads the model parser. Other
   * methods call it on first use.
   */
  async ready(): Promise<void> {
    await this.db();
  }

  private db(): Promise<EngineRuns> {
    if (!this.connection) {
      this.connection = (async () => {
        const knex = await this.getKnex();
        await setUpWarehouse(knex, this.roles.engine);
        await loadModelParser();
        return new EngineRuns(knex, this.limits, this.logger);
      })();
      this.connection.catch(() => {
        this.connection = undefined;
      });
    }
    return this.connection;
  }

  private toSpec(request: ProvisionRequest): ProductSpec {
    return toProductSpec(request, {
      roles: this.roles,
      sourceSchema: this.sourceSchema,
      reservedSchemas: [METADATA_SCHEMA, this.sourceSchema],
      limits: this.limits,
    });
  }

  /**
   * Plans a product's provisioning and hands the steps to `fn`, in a build
   * that locks the product and its schema exclusively and its inputs in
   * shared mode (two consumers of one input build at once).
   */
  private async provision<T>(
    spec: ProductSpec,
    run: Omit<BuildRun, 'timeouts'>,
    fn: (
      trx: Knex.Transaction,
      control: RunControl,
      steps: RunnableStep[],
    ) => Promise<T>,
  ): Promise<T> {
    const runs = await this.db();
    return runs.build(
      { ...run, timeouts: runs.timeouts(spec.buildTimeoutMs) },
      {
        exclusive: [productLock(spec.name), schemaLock(spec.schema)],
        shared: spec.inputs.map(input => productLock(input.product)),
      },
      async (trx, control) =>
        fn(
          trx,
          control,
          await planProvision(trx, spec, {
            roles: this.roles,
            sourceSchema: this.sourceSchema,
          }),
        ),
    );
  }

  /**
   * The ordered steps `apply` would take now, with the exact SQL. Also a
   * real check: the steps run in a transaction that is rolled back, each
   * build with `LIMIT 0` and the contract checks applied, so syntax errors,
   * undeclared inputs, forbidden functions and column mismatches fail here.
   * Changes nothing.
   */
  async plan(
    request: ProvisionRequest,
    options: BuildOptions = {},
  ): Promise<ProvisionPlan> {
    const spec = this.toSpec(request);
    return this.provision(
      spec,
      {
        what: `Checking the plan of data product '${spec.name}'`,
        signal: options.signal,
        rollback: true,
      },
      async (trx, control, steps) => {
        await runSteps(trx, steps, { control, rehearse: true });
        return toProvisionPlan(spec, steps);
      },
    );
  }

  /**
   * What provisioning the product would change in its output ports, from
   * what the warehouse holds now: ports and columns added, removed or
   * changed, each change breaking or not, who reads each port, and whether
   * a breaking change would be refused. Runs nothing and refuses nothing
   * (`plan` and `apply` refuse what the diff says is refused).
   */
  async diff(
    request: ProvisionRequest,
    options: BuildOptions = {},
  ): Promise<DataProductPlanDiff> {
    const spec = this.toSpec(request);
    const runs = await this.db();
    return runs.build(
      {
        what: `Comparing data product '${spec.name}' with the warehouse`,
        timeouts: runs.timeouts(spec.buildTimeoutMs),
        signal: options.signal,
        rollback: true,
      },
      {
        exclusive: [productLock(spec.name), schemaLock(spec.schema)],
        shared: spec.inputs.map(input => productLock(input.product)),
      },
      trx =>
        planDiff(trx, spec, {
          roles: this.roles,
          sourceSchema: this.sourceSchema,
        }),
    );
  }

  /**
   * Provisions a product and its ports in one transaction, serialised per
   * product and per schema; converges (a second run changes nothing).
   */
  async apply(
    request: ProvisionRequest,
    options: BuildOptions = {},
  ): Promise<ApplyResult> {
    const spec = this.toSpec(request);
    return this.provision(
      spec,
      {
        what: `Provisioning data product '${spec.name}'`,
        signal: options.signal,
      },
      async (trx, control, steps) => {
        await runSteps(trx, steps, { control });
        this.logger?.info(
          `Applied data product ${spec.name}: ${steps.length} step(s)`,
        );
        return applyResult(trx, spec, steps, control.timeouts.statementMs);
      },
    );
  }

  /**
   * Rebuilds a table port from its records, atomically, as `apply` builds
   * it (a model is checked again first). A view port is live and is left as
   * it is.
   */
  async refresh(
    product: string,
    port: string,
    options: BuildOptions = {},
  ): Promise<PortResult> {
    checkEntityName(product, 'data product name');
    checkIdentifier(port, 'output port name');
    const runs = await this.db();
    const recorded = await provisionedPort(
      new Metadata(runs.knex),
      product,
      port,
    );
    const buildTimeout = recorded.product.build_timeout_ms;
    return runs.build(
      {
        what: `Refreshing output port '${port}' of data product '${product}'`,
        timeouts: runs.timeouts(
          buildTimeout === null ? undefined : Number(buildTimeout),
        ),
        signal: options.signal,
      },
      {
        exclusive: [productLock(product)],
        shared: (recorded.port.model_inputs ?? []).map(input =>
          productLock(input.product),
        ),
      },
      (trx, control) => refreshPort(trx, control, product, port),
    );
  }

  /**
   * What PostgreSQL makes of model SQL for a product that may not exist yet
   * (the compose form's check): the model is checked by the parser, then
   * run with `LIMIT 0` as a role that holds exactly the declared inputs'
   * reader roles, in a transaction that is rolled back. Returns the columns
   * and types the model produces; an `InputError` pointing at the line and
   * column of the model otherwise.
   */
  async checkDraftModel(
    request: DraftModelRequest,
    options: BuildOptions = {},
  ): Promise<DraftModelCheck> {
    const draft = checkDraftModelRequest(request);
    const runs = await this.db();
    return runs.build(
      {
        what: `Checking model SQL of output port '${draft.port}' of data product '${draft.product}'`,
        timeouts: runs.timeouts(),
        signal: options.signal,
        rollback: true,
      },
      { exclusive: [], shared: draft.inputs.map(i => productLock(i.product)) },
      (trx, control) => checkDraftModel(trx, control, draft, this.roles),
    );
  }

  /**
   * Lets a consumer read a port: grants the port's reader role to the
   * consumer product's role, or to a group's NOLOGIN role (made when missing).
   */
  async grant(request: AccessGrant): Promise<{ changed: boolean }> {
    return changeAccess(await this.db(), this.roles.prefix, request, 'grant');
  }

  /** Takes a consumer's read access to a port away. */
  async revoke(request: AccessGrant): Promise<{ changed: boolean }> {
    return changeAccess(await this.db(), this.roles.prefix, request, 'revoke');
  }

  /**
   * Who can read a port, from `pg_auth_members`: the roles holding its
   * reader role, with the product or group each belongs to. Reads on the pool.
   */
  async readers(product: string, port: string): Promise<PortReaderRole[]> {
    checkEntityName(product, 'data product name');
    checkIdentifier(port, 'output port name');
    const { knex } = await this.db();
    return readPortReaders(knex, product, port);
  }

  /** The ports the consumers' roles can read, from `pg_auth_members`. */
  async readable(consumers: AccessConsumer[]): Promise<ReadablePort[]> {
    const { knex } = await this.db();
    return readReadablePorts(knex, this.roles.prefix, consumers);
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
    const runs = await this.db();
    return runs.change(
      `Decommissioning data product '${product}'`,
      { exclusive: [productLock(product)] },
      async (trx, control) => {
        const planned = await planDecommission(trx, product, {
          force: options.force,
          sourceSchema: this.sourceSchema,
        });
        if (!planned) {
          return { product, schema: '', removed: false, droppedConsumers: [] };
        }
        await runSteps(trx, planned.steps, { control });
        return {
          product,
          schema: planned.row.schema_name,
          removed: true,
          droppedConsumers: planned.consumers,
        };
      },
    );
  }

  /**
   * What really exists for a product: its objects, their actual columns and
   * types, row counts, when each was last built, and drift from the declared
   * columns. Pass the declared ports to compare against; without them the
   * ports the portal last built are reported. Reads on the pool, never
   * waiting for a build.
   */
  async inspect(
    product: DataProductEntityV1alpha1 | string,
    ports?: OutputPortEntityV1alpha1[],
  ): Promise<DataProductStatus> {
    const name = checkEntityName(
      typeof product === 'string' ? product : product.metadata.name,
      'data product name',
    );
    const { knex } = await this.db();
    return inspectProduct(knex, {
      name,
      product,
      ports,
      countTimeoutMs: this.limits.statusTimeoutMs,
    });
  }

  /**
   * Which of these products the warehouse holds, decided as `inspect`
   * decides `provisioned` (the portal's record of the product names this
   * schema, and the schema exists), in one read whatever their number: for
   * registering many products at once.
   */
  async provisioned(
    products: ReadonlyArray<{ name: string; schema: string }>,
  ): Promise<Set<string>> {
    if (products.length === 0) return new Set();
    for (const { name } of products) checkEntityName(name, 'data product name');
    const { knex } = await this.db();
    const { rows } = await knex.raw(
      `SELECT p.product, p.schema_name
         FROM ??.products p
         JOIN pg_catalog.pg_namespace n ON n.nspname = p.schema_name
        WHERE p.product = ANY(?::text[])`,
      [METADATA_SCHEMA, products.map(p => p.name)],
    );
    const held = new Map(
      (rows as Array<{ product: string; schema_name: string }>).map(r => [
        r.product,
        r.schema_name,
      ]),
    );
    return new Set(
      products.filter(p => held.get(p.name) === p.schema).map(p => p.name),
    );
  }

  /**
   * When each port the portal built was last built, with its row count as
   * of then, from the portal's bookkeeping: one read on the pool, never
   * counting or waiting for a build. All products, or the named ones.
   */
  async builds(products?: string[]): Promise<PortBuild[]> {
    const { knex } = await this.db();
    return readPortBuilds(knex, products);
  }

  /**
   * The recorded checks of a port's builds (constraints and quality rules):
   * its last 30 builds, and per rule the latest result and its history.
   * Reads on the pool.
   */
  async quality(product: string, port: string): Promise<PortQuality> {
    checkEntityName(product, 'data product name');
    checkIdentifier(port, 'output port name');
    const { knex } = await this.db();
    return readPortQuality(knex, product, port);
  }

  /** The latest checked build of every port, or of the named products' ports. Reads on the pool. */
  async qualitySummaries(products?: string[]): Promise<PortQualitySummary[]> {
    products?.forEach(p => checkEntityName(p, 'data product name'));
    const { knex } = await this.db();
    return readQualitySummaries(knex, products);
  }

  /**
   * The first rows of a port, read as a role that holds only the port's
   * reader role, in a read-only transaction that is rolled back and bounded
   * by `statusTimeout`. Only the columns in `reveal` are read; the others
   * come back masked. See `preview.ts`.
   */
  async preview(
    product: string,
    port: string,
    options: { reveal: readonly string[] },
  ): Promise<PortPreviewRows> {
    checkEntityName(product, 'data product name');
    checkIdentifier(port, 'output port name');
    const { knex } = await this.db();
    return previewPort(knex, {
      roles: this.roles,
      product,
      port,
      timeoutMs: this.limits.statusTimeoutMs,
      reveal: options.reveal,
    });
  }

  /** How many rows a port holds (counted, or estimated when large) and its size on disk. */
  async portSize(product: string, port: string): Promise<PortSize> {
    checkEntityName(product, 'data product name');
    checkIdentifier(port, 'output port name');
    const { knex } = await this.db();
    return portSize(knex, {
      roles: this.roles,
      product,
      port,
      timeoutMs: this.limits.statusTimeoutMs,
    });
  }

  /**
   * The column lineage around a port, from what its builds and its inputs'
   * and consumers' builds recorded: upstream to source-table columns,
   * downstream to consumer columns. Reads on the pool.
   */
  async columnLineage(query: ColumnLineageQuery): Promise<ColumnLineageWalk> {
    checkEntityName(query.product, 'data product name');
    checkIdentifier(query.port, 'output port name');
    const { knex } = await this.db();
    return walkColumnLineage(knex, query);
  }

  /**
   * The consumer columns derived from a column of a port, transitively: what
   * changing or removing it would reach. Reads on the pool.
   */
  async columnImpact(
    product: string,
    port: string,
    column: string,
  ): Promise<{ consumers: ColumnConsumer[]; truncated: boolean }> {
    checkEntityName(product, 'data product name');
    checkIdentifier(port, 'output port name');
    const { knex } = await this.db();
    return columnImpact(knex, product, port, column);
  }

  /** Closes the engine's connection pool. */
  async close(): Promise<void> {
    if (this.connection) {
      const runs = await this.connection.catch(() => undefined);
      await runs?.knex.destroy();
      this.connection = undefined;
    }
  }
}
