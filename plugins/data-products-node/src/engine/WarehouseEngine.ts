import { Knex } from 'knex';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type {
  DataProductEntityV1alpha1,
  DataProductStatus,
  OutputPortEntityV1alpha1,
  OutputPortStatus,
} from '@dataproducts/plugin-data-products-common';
import { columnDrift, describeDrift, readColumns } from './contract';
import {
  ensureMetadata,
  Metadata,
  METADATA_SCHEMA,
  PortRow,
  ProductRow,
} from './metadata';
import {
  CompiledModel,
  compileMatched,
  originalOffset,
  pointAt,
} from './model';
import {
  BUILD_FUNCTION,
  checkEntityName,
  describeProduct,
  nextName,
  PortSpec,
  ProductSpec,
  RoleNames,
} from './spec';
import { checkIdentifier, hashOf, q, qualified } from './sql';
import {
  ApplyResult,
  DecommissionResult,
  PlanStep,
  PortResult,
  ProvisionPlan,
  ProvisionRequest,
} from './types';

type Db = Knex | Knex.Transaction;

/** A plan step with the code that carries it out. */
interface Step extends PlanStep {
  run(trx: Knex.Transaction): Promise<void>;
}

/** Everything needed to (re)build one port. */
interface BuildDefinition {
  product: string;
  schema: string;
  role: string;
  port: string;
  type: 'postgres-table' | 'postgres-view';
  readerRole: string;
  columns: Array<{ name: string; type: string; description?: string }>;
  description?: string;
  select: string;
  model?: CompiledModel;
  source?: string;
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
}

/** Ends the build query, so that the query knex puts before PostgreSQL's message can be cut off. */
const BUILD_MARKER = '/* dataproducts build */';

const ROLE_EXISTS_SQL = 'SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ?';

function describeLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * The warehouse engine: provisions data products in PostgreSQL (schema, roles,
 * output ports, grants) and reports what really exists.
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

  /** Connects, creating the metadata schema when missing. Other methods call it on first use. */
  async ready(): Promise<void> {
    await this.db();
  }

  private db(): Promise<Knex> {
    if (!this.connection) {
      this.connection = (async () => {
        const knex = await this.getKnex();
        await ensureMetadata(knex);
        return knex;
      })();
      this.connection.catch(() => {
        this.connection = undefined;
      });
    }
    return this.connection;
  }

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

  private describe(request: ProvisionRequest): ProductSpec {
    return describeProduct(request, {
      roles: this.roles,
      sourceSchema: this.sourceSchema,
      reservedSchemas: [METADATA_SCHEMA, this.sourceSchema],
    });
  }

  /** The ordered steps `apply` would take now, in words and SQL. Changes nothing. */
  async plan(request: ProvisionRequest): Promise<ProvisionPlan> {
    const spec = this.describe(request);
    return this.transaction(
      [spec.name, ...spec.inputs.map(i => i.product)],
      async trx => {
        const steps = await this.prepare(trx, spec);
        return toPlan(spec, steps);
      },
      [spec.schema],
    );
  }

  /**
   * Provisions a product and its ports in one transaction, serialised per
   * product and per schema; converges (a second run changes nothing).
   */
  async apply(request: ProvisionRequest): Promise<ApplyResult> {
    const spec = this.describe(request);
    return this.transaction(
      [spec.name, ...spec.inputs.map(i => i.product)],
      async trx => {
        const steps = await this.prepare(trx, spec);
        for (const step of steps) {
          await step.run(trx);
        }
        const meta = new Metadata(trx);
        const rows = await meta.ports(spec.name);
        const built = new Set(
          steps.flatMap(s => (s as Step & { builds?: string }).builds ?? []),
        );
        const ports: PortResult[] = [];
        for (const port of spec.ports) {
          const row = rows.find(r => r.port === port.name)!;
          ports.push({
            name: port.name,
            object: `${spec.schema}.${port.name}`,
            type: port.type,
            rowCount: await this.rowCount(
              trx,
              { schema_name: spec.schema, role_name: spec.role },
              row,
            ),
            built: built.has(port.name),
          });
        }
        this.logger?.info(
          `Applied data product ${spec.name}: ${steps.length} step(s)`,
        );
        return {
          product: spec.name,
          schema: spec.schema,
          plan: toPlan(spec, steps),
          ports,
        };
      },
      [spec.schema],
    );
  }

  /** Rows in a port: for tables as of the last build, views counted as the product role. */
  private async rowCount(
    db: Db,
    product: { schema_name: string; role_name: string },
    row: PortRow,
  ): Promise<number> {
    if (row.port_type === 'postgres-table' && row.row_count !== null) {
      return Number(row.row_count);
    }
    const count = async (trx: Knex.Transaction) => {
      await trx.raw(`SET LOCAL ROLE ${q(product.role_name)}`);
      const result = await trx.raw(
        `SELECT count(*)::bigint AS n FROM ${qualified(
          product.schema_name,
          row.port,
        )}`,
      );
      await trx.raw('RESET ROLE');
      return Number(result.rows[0].n);
    };
    return (db as Knex.Transaction).isTransaction
      ? count(db as Knex.Transaction)
      : (db as Knex).transaction(count);
  }

  private async prepare(
    trx: Knex.Transaction,
    spec: ProductSpec,
  ): Promise<Step[]> {
    const meta = new Metadata(trx);
    const steps: Step[] = [];
    const owned = await meta.product(spec.name);
    const schemaOwner = await meta.productBySchema(spec.schema);
    const schemaExists = await exists(
      trx,
      'SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?',
      [spec.schema],
    );

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
    if (schemaExists && !owned) {
      throw new ConflictError(
        `Schema '${spec.schema}' already exists in the warehouse but was not created by the portal for data product '${spec.name}'. ` +
          `Choose another schema, or drop or rename the existing one.`,
      );
    }

    const existingPorts = owned ? await meta.ports(spec.name) : [];
    const allInputs = await this.resolveInputs(trx, spec);

    // The product's role.
    if (!(await exists(trx, ROLE_EXISTS_SQL, [spec.role]))) {
      steps.push({
        description: `Create role ${spec.role} for data product ${spec.name}`,
        sql: [
          `CREATE ROLE ${q(spec.role)} NOLOGIN`,
          `GRANT ${q(spec.role)} TO CURRENT_USER WITH INHERIT FALSE, SET TRUE`,
        ],
        run: async t => {
          await t.raw(`CREATE ROLE ${q(spec.role)} NOLOGIN`);
          await t.raw(
            `GRANT ${q(
              spec.role,
            )} TO CURRENT_USER WITH INHERIT FALSE, SET TRUE`,
          );
        },
      });
    } else if (!owned) {
      throw new ConflictError(
        `Role '${spec.role}' already exists but was not created by the portal for data product '${spec.name}'. ` +
          `Drop it, or configure another dataProducts.warehouse.rolePrefix.`,
      );
    }

    // The schema and its build function.
    const buildFunctionSql = [
      `CREATE OR REPLACE FUNCTION ${qualified(
        spec.schema,
        BUILD_FUNCTION,
      )}(statement text) RETURNS bigint ` +
        `LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $dp$ ` +
        `DECLARE affected bigint; BEGIN EXECUTE statement; GET DIAGNOSTICS affected = ROW_COUNT; RETURN affected; END $dp$`,
      `REVOKE ALL ON FUNCTION ${qualified(
        spec.schema,
        BUILD_FUNCTION,
      )}(text) FROM PUBLIC`,
    ];
    if (!schemaExists) {
      const sql = [
        `CREATE SCHEMA ${q(spec.schema)} AUTHORIZATION ${q(spec.role)}`,
        `SET LOCAL ROLE ${q(spec.role)}`,
        ...buildFunctionSql,
        `RESET ROLE`,
      ];
      steps.push({
        description: `Create schema ${spec.schema} owned by ${spec.role}`,
        sql,
        run: async t => {
          for (const statement of sql) {
            await t.raw(statement);
          }
          if (!owned) {
            await meta.insertProduct({
              product: spec.name,
              schema_name: spec.schema,
              role_name: spec.role,
              description: null,
            });
          }
        },
      });
    }
    if ((owned?.description ?? null) !== (spec.description ?? null)) {
      steps.push({
        description: `Describe schema ${spec.schema}`,
        sql: [
          `COMMENT ON SCHEMA ${q(spec.schema)} IS ${
            spec.description ? describeLiteral(spec.description) : 'NULL'
          }`,
        ],
        run: async t => {
          await t.raw(`SET LOCAL ROLE ${q(spec.role)}`);
          await comment(t, 'SCHEMA', [spec.schema], spec.description);
          await t.raw('RESET ROLE');
          await meta.updateProductDescription(
            spec.name,
            spec.description ?? null,
          );
        },
      });
    }

    // Reader roles, one per port.
    for (const port of spec.ports) {
      if (!(await exists(trx, ROLE_EXISTS_SQL, [port.readerRole]))) {
        steps.push({
          description: `Create reader role ${port.readerRole} for output port ${spec.schema}.${port.name}`,
          sql: [
            `CREATE ROLE ${q(port.readerRole)} NOLOGIN`,
            `GRANT USAGE ON SCHEMA ${q(spec.schema)} TO ${q(port.readerRole)}`,
          ],
          run: async t => {
            await t.raw(`CREATE ROLE ${q(port.readerRole)} NOLOGIN`);
            await t.raw(`SET LOCAL ROLE ${q(spec.role)}`);
            await t.raw(
              `GRANT USAGE ON SCHEMA ${q(spec.schema)} TO ${q(
                port.readerRole,
              )}`,
            );
            await t.raw('RESET ROLE');
          },
        });
      } else if (!existingPorts.some(r => r.reader_role === port.readerRole)) {
        throw new ConflictError(
          `Role '${port.readerRole}' already exists but was not created by the portal for output port '${port.name}' of data product '${spec.name}'. ` +
            `Drop it, or configure another dataProducts.warehouse.rolePrefix.`,
        );
      }
    }

    // Source-aligned ports read their operational table as the product's role.
    for (const port of spec.ports.filter(p => p.source)) {
      const source = port.source!;
      const table = qualified(source.schema, source.table);
      const granted =
        (await exists(trx, ROLE_EXISTS_SQL, [spec.role])) &&
        (await exists(
          trx,
          `SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = ? AND c.relname = ? AND pg_catalog.has_table_privilege(?, c.oid, 'SELECT')
             AND pg_catalog.has_schema_privilege(?, n.oid, 'USAGE')`,
          [source.schema, source.table, spec.role, spec.role],
        ));
      if (!granted) {
        const sql = [
          `GRANT USAGE ON SCHEMA ${q(source.schema)} TO ${q(spec.role)}`,
          `GRANT SELECT ON ${table} TO ${q(spec.role)}`,
        ];
        steps.push({
          description: `Let ${spec.role} read the operational table ${source.schema}.${source.table}`,
          sql,
          run: async t => {
            for (const statement of sql) {
              try {
                await t.raw(statement);
              } catch (error) {
                throw pgInputError(
                  error,
                  `Output port '${port.name}' cannot read its source ${source.schema}.${source.table}`,
                  statement,
                );
              }
            }
          },
        });
      }
    }

    // Operational tables that no port reads any more.
    const sourceTables = new Set(
      spec.ports
        .filter(p => p.source)
        .map(p => `${p.source!.schema}.${p.source!.table}`),
    );
    const formerSources = [
      ...new Set(
        existingPorts
          .map(r => r.source_table)
          .filter((t): t is string => !!t && !sourceTables.has(t)),
      ),
    ];
    for (const former of formerSources) {
      const [schema, table] = former.split('.');
      if (
        !(await exists(
          trx,
          `SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ? AND c.relname = ?`,
          [schema, table],
        ))
      ) {
        continue;
      }
      const sql = [
        `REVOKE SELECT ON ${qualified(schema, table)} FROM ${q(spec.role)}`,
      ];
      steps.push({
        description: `Stop ${spec.role} reading the operational table ${former}, which no port reads any more`,
        sql,
        run: async t => {
          await t.raw(sql[0]);
        },
      });
    }
    if (
      formerSources.length > 0 &&
      sourceTables.size === 0 &&
      (await exists(
        trx,
        'SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?',
        [this.sourceSchema],
      ))
    ) {
      const sql = [
        `REVOKE USAGE ON SCHEMA ${q(this.sourceSchema)} FROM ${q(spec.role)}`,
      ];
      steps.push({
        description: `Stop ${spec.role} using schema ${this.sourceSchema}`,
        sql,
        run: async t => {
          await t.raw(sql[0]);
        },
      });
    }

    // Inputs: the product's role gets the reader role of each declared input.
    const held = owned ? await meta.grantsHeldBy(spec.name) : [];
    for (const input of allInputs) {
      if (
        !held.some(g => g.product === input.product && g.port === input.port)
      ) {
        steps.push({
          description: `Grant ${spec.name} read access to its input ${input.schema}.${input.port}`,
          sql: [`GRANT ${q(input.readerRole)} TO ${q(spec.role)}`],
          run: async t => {
            await t.raw(`GRANT ${q(input.readerRole)} TO ${q(spec.role)}`);
            await meta.insertGrant(input.product, input.port, spec.name);
          },
        });
      }
    }
    for (const grant of held) {
      if (
        !allInputs.some(
          i => i.product === grant.product && i.port === grant.port,
        )
      ) {
        const row = await meta.port(grant.product, grant.port);
        if (!row) continue;
        steps.push({
          description: `Revoke ${spec.name}'s read access to ${grant.product}/${grant.port}, no longer a declared input`,
          sql: [`REVOKE ${q(row.reader_role)} FROM ${q(spec.role)}`],
          run: async t => {
            await t.raw(`REVOKE ${q(row.reader_role)} FROM ${q(spec.role)}`);
            await meta.deleteGrant(grant.product, grant.port, spec.name);
          },
        });
      }
    }

    // Ports.
    for (const port of spec.ports) {
      const definition = this.definition(spec, port, allInputs);
      const hash = definitionHash(definition);
      const row = existingPorts.find(r => r.port === port.name);
      const relkind = schemaExists
        ? await relationKind(trx, spec.schema, port.name)
        : undefined;
      const upToDate =
        row &&
        row.definition_hash === hash &&
        relkind === (port.type === 'postgres-table' ? 'r' : 'v') &&
        // Altered by hand since the last build: rebuild to the contract.
        columnDrift(
          port.columns,
          await readColumns(trx, spec.schema, port.name),
        ).length === 0;
      if (!upToDate) {
        steps.push({
          description: `${relkind ? 'Rebuild' : 'Build'} ${
            port.type === 'postgres-table' ? 'table' : 'view'
          } ${spec.schema}.${port.name} ${
            port.source
              ? `from ${port.source.schema}.${port.source.table}`
              : 'from its model'
          }, check it against the declared columns and swap it in`,
          sql: buildSql(definition),
          builds: port.name,
          run: async t => {
            const rowCount = await this.build(t, definition);
            await meta.upsertPort({
              product: spec.name,
              port: port.name,
              port_type: port.type,
              reader_role: port.readerRole,
              definition_hash: hash,
              build_sql: definition.select,
              model_text: port.model?.text ?? null,
              columns: port.columns,
              description: port.description ?? null,
              source_table: port.source
                ? `${port.source.schema}.${port.source.table}`
                : null,
              row_count: String(rowCount),
            });
          },
        } as Step);
      }
    }

    // Ports no longer declared.
    for (const row of existingPorts) {
      if (spec.ports.some(p => p.name === row.port)) continue;
      const consumers = (await meta.grantsOn(spec.name)).filter(
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
      const kind = await relationKind(trx, spec.schema, row.port);
      // As the schema owner: the object, and the reader role's USAGE on the
      // schema, without which the role could not be dropped.
      const asOwner = [
        ...(kind
          ? [
              `DROP ${kind === 'v' ? 'VIEW' : 'TABLE'} ${qualified(
                spec.schema,
                row.port,
              )}`,
            ]
          : []),
        ...((await exists(trx, ROLE_EXISTS_SQL, [row.reader_role]))
          ? [
              `REVOKE USAGE ON SCHEMA ${q(spec.schema)} FROM ${q(
                row.reader_role,
              )}`,
            ]
          : []),
      ];
      const dropRole = `DROP ROLE IF EXISTS ${q(row.reader_role)}`;
      steps.push({
        description: `Drop output port ${spec.schema}.${row.port}, no longer declared`,
        sql: [...asOwner, dropRole],
        run: async t => {
          await t.raw(`SET LOCAL ROLE ${q(spec.role)}`);
          for (const statement of asOwner) {
            await t.raw(statement);
          }
          await t.raw('RESET ROLE');
          await t.raw(dropRole);
          await meta.deletePort(spec.name, row.port);
        },
      });
    }
    return steps;
  }

  /** The declared inputs with their physical names and reader roles, from the metadata. */
  private async resolveInputs(db: Db, spec: ProductSpec) {
    const meta = new Metadata(db);
    const resolved = [];
    for (const input of spec.inputs) {
      const product = await meta.product(input.product);
      const port = product && (await meta.port(input.product, input.port));
      if (!product || !port) {
        throw new InputError(
          `Input ${input.ref} of data product '${spec.name}' is not provisioned in the warehouse ` +
            `(port '${input.port}' of data product '${input.product}'). Provision '${input.product}' first.`,
        );
      }
      if (input.product === spec.name) {
        throw new InputError(
          `Data product '${spec.name}' cannot declare its own port '${input.port}' as an input`,
        );
      }
      resolved.push({
        ...input,
        schema: product.schema_name,
        readerRole: port.reader_role,
      });
    }
    return resolved;
  }

  private definition(
    spec: ProductSpec,
    port: PortSpec,
    inputs: Array<{ product: string; port: string; schema: string }>,
  ): BuildDefinition {
    let select: string;
    let model: CompiledModel | undefined;
    if (port.source) {
      const columns = port.columns
        .map(c => `CAST(${q(c.name)} AS ${c.type}) AS ${q(c.name)}`)
        .join(', ');
      select = `SELECT ${columns} FROM ${qualified(
        port.source.schema,
        port.source.table,
      )}`;
    } else {
      model = compileMatched(
        port.model!.text,
        port.model!.references,
        input => {
          const found = inputs.find(
            i => i.product === input.product && i.port === input.port,
          )!;
          return qualified(found.schema, found.port);
        },
      );
      select = model.sql;
    }
    return {
      product: spec.name,
      schema: spec.schema,
      role: spec.role,
      port: port.name,
      type: port.type,
      readerRole: port.readerRole,
      columns: port.columns,
      description: port.description,
      select,
      model,
      source: port.source
        ? `${port.source.schema}.${port.source.table}`
        : undefined,
    };
  }

  /**
   * Builds a port beside the live one as the product's role, checks it
   * against the contract and swaps it in. Runs inside the caller's
   * transaction; returns the row count.
   */
  private async build(
    trx: Knex.Transaction,
    def: BuildDefinition,
  ): Promise<number> {
    const next = nextName(def.port);
    const target = qualified(def.schema, def.port);
    const staged = qualified(def.schema, next);
    const isTable = def.type === 'postgres-table';
    const prefix = `${isTable ? 'CREATE TABLE' : 'CREATE VIEW'} ${staged} AS\n`;
    const statement = `${prefix}${def.select}\n`;

    await trx.raw(`SET LOCAL ROLE ${q(def.role)}`);
    let rowCount: number;
    try {
      const result = await trx.raw(
        `SELECT ${qualified(
          def.schema,
          BUILD_FUNCTION,
        )}(?) AS n ${BUILD_MARKER}`,
        [statement],
      );
      rowCount = Number(result.rows[0].n);
      if (!isTable) {
        const counted = await trx.raw(
          `SELECT count(*)::bigint AS n FROM ${staged}`,
        );
        rowCount = Number(counted.rows[0].n);
      }
    } catch (error) {
      throw modelError(error, def, prefix.length);
    }

    const actual = await readColumns(trx, def.schema, next);
    const drift = columnDrift(def.columns, actual);
    if (drift.length > 0) {
      throw new InputError(
        `Output port '${def.port}' of data product '${def.product}' does not match its declared columns, ` +
          `so it was not changed (the previous version stays in place):\n${describeDrift(
            drift,
          )}`,
      );
    }

    const currentKind = await relationKind(trx, def.schema, def.port);
    const dependents = currentKind
      ? await dependentViews(trx, def.schema, def.port)
      : [];
    const conflict = (reason: string) =>
      new ConflictError(
        `Output port '${def.port}' of data product '${
          def.product
        }' is read by ${dependents.join(
          ', ',
        )} (views of other data products), so ${reason}; the previous version stays in place. ` +
          `Change or decommission those products first.`,
      );
    if (dependents.length > 0 && currentKind !== (isTable ? 'r' : 'v')) {
      throw conflict(`it cannot become a ${isTable ? 'table' : 'view'}`);
    }
    if (dependents.length > 0 && isTable) {
      // Views of other products depend on the table: replace its rows, not the table.
      const current = await readColumns(trx, def.schema, def.port);
      const shape = (columns: Array<{ name: string; type: string }>) =>
        columns
          .map(c => `${c.name} ${c.type}`)
          .sort()
          .join(', ');
      if (shape(current) !== shape(actual)) {
        throw conflict(
          `its columns cannot change (now ${shape(current)}; declared ${shape(
            actual,
          )})`,
        );
      }
      await trx.raw(`TRUNCATE ${target}`);
      await trx.raw(
        `INSERT INTO ${target} (${def.columns
          .map(c => q(c.name))
          .join(', ')}) ` +
          `SELECT ${def.columns.map(c => q(c.name)).join(', ')} FROM ${staged}`,
      );
      await trx.raw(`DROP TABLE ${staged}`);
    } else if (dependents.length > 0) {
      // Views of other products depend on the view: replace its definition in place.
      await trx.raw(`DROP VIEW ${staged}`);
      const replace = `CREATE OR REPLACE VIEW ${target} AS\n`;
      try {
        await trx.raw(
          `SELECT ${qualified(
            def.schema,
            BUILD_FUNCTION,
          )}(?) AS n ${BUILD_MARKER}`,
          [`${replace}${def.select}\n`],
        );
      } catch (error) {
        if ((error as PgError).code === '42P16') {
          throw conflict(
            `its columns cannot change this way (${pgMessage(
              error as PgError,
              BUILD_MARKER,
            )})`,
          );
        }
        throw modelError(error, def, replace.length);
      }
    } else {
      if (currentKind) {
        await trx.raw(
          `DROP ${currentKind === 'v' ? 'VIEW' : 'TABLE'} ${target}`,
        );
      }
      await trx.raw(
        `ALTER ${isTable ? 'TABLE' : 'VIEW'} ${staged} RENAME TO ${q(
          def.port,
        )}`,
      );
    }
    await trx.raw(`GRANT SELECT ON ${target} TO ${q(def.readerRole)}`);
    await comment(
      trx,
      isTable ? 'TABLE' : 'VIEW',
      [def.schema, def.port],
      def.description,
    );
    for (const column of def.columns) {
      await comment(
        trx,
        'COLUMN',
        [def.schema, def.port, column.name],
        column.description,
      );
    }
    await trx.raw('RESET ROLE');
    return rowCount;
  }

  /**
   * Rebuilds a table port from its current definition, atomically: readers
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
          rowCount: await this.rowCount(trx, productRow, row),
          built: false,
        };
      }
      const rowCount = await this.build(trx, {
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
      });
      await meta.markBuilt(product, port, rowCount);
      return { name: port, object, type: row.port_type, rowCount, built: true };
    });
  }

  /** Lets a consumer product read a port: grants it the port's reader role. */
  async grant(options: {
    product: string;
    port: string;
    consumer: string;
  }): Promise<{ changed: boolean }> {
    const { product, port, consumer } = this.checkGrant(options);
    return this.transaction([product, consumer], async trx => {
      const { reader, consumerRole, held } = await this.grantContext(
        trx,
        product,
        port,
        consumer,
      );
      if (held) return { changed: false };
      await trx.raw(`GRANT ${q(reader)} TO ${q(consumerRole)}`);
      await new Metadata(trx).insertGrant(product, port, consumer);
      return { changed: true };
    });
  }

  /** Takes a consumer product's read access to a port away. */
  async revoke(options: {
    product: string;
    port: string;
    consumer: string;
  }): Promise<{ changed: boolean }> {
    const { product, port, consumer } = this.checkGrant(options);
    return this.transaction([product, consumer], async trx => {
      const { reader, consumerRole, held } = await this.grantContext(
        trx,
        product,
        port,
        consumer,
      );
      if (!held) return { changed: false };
      await trx.raw(`REVOKE ${q(reader)} FROM ${q(consumerRole)}`);
      await new Metadata(trx).deleteGrant(product, port, consumer);
      return { changed: true };
    });
  }

  private checkGrant(options: {
    product: string;
    port: string;
    consumer: string;
  }) {
    const product = checkEntityName(options.product, 'data product name');
    const port = checkIdentifier(options.port, 'output port name');
    const consumer = checkEntityName(
      options.consumer,
      'consumer data product name',
    );
    if (product === consumer) {
      throw new InputError(
        `Data product '${product}' cannot be its own consumer`,
      );
    }
    return { product, port, consumer };
  }

  private async grantContext(
    trx: Knex.Transaction,
    product: string,
    port: string,
    consumer: string,
  ) {
    const meta = new Metadata(trx);
    const row = await meta.port(product, port);
    if (!row) {
      throw new NotFoundError(
        `Output port '${port}' of data product '${product}' is not provisioned`,
      );
    }
    const consumerRow = await meta.product(consumer);
    if (!consumerRow) {
      throw new NotFoundError(
        `Consumer data product '${consumer}' is not provisioned; provision it first`,
      );
    }
    const held = await exists(
      trx,
      `SELECT 1 FROM pg_catalog.pg_auth_members m
         JOIN pg_catalog.pg_roles r ON r.oid = m.roleid
         JOIN pg_catalog.pg_roles u ON u.oid = m.member
        WHERE r.rolname = ? AND u.rolname = ?`,
      [row.reader_role, consumerRow.role_name],
    );
    return {
      reader: row.reader_role,
      consumerRole: consumerRow.role_name,
      held,
    };
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
      const meta = new Metadata(trx);
      const row = await meta.product(product);
      if (!row) {
        return { product, schema: '', removed: false, droppedConsumers: [] };
      }
      const consumers = [
        ...new Set(
          (await meta.grantsOn(product))
            .filter(g => g.consumer !== product)
            .map(g => g.consumer),
        ),
      ];
      if (consumers.length > 0 && !options.force) {
        throw new ConflictError(
          `Data product '${product}' is still read by ${consumers
            .map(c => `'${c}'`)
            .join(
              ', ',
            )}. Revoke their grants first, or decommission with force.`,
        );
      }
      const ports = await meta.ports(product);
      if (
        await exists(
          trx,
          'SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?',
          [row.schema_name],
        )
      ) {
        await trx.raw(`SET LOCAL ROLE ${q(row.role_name)}`);
        await trx.raw(`DROP SCHEMA ${q(row.schema_name)} CASCADE`);
        await trx.raw('RESET ROLE');
      }
      for (const port of ports) {
        await trx.raw(`DROP ROLE IF EXISTS ${q(port.reader_role)}`);
      }
      if (await exists(trx, ROLE_EXISTS_SQL, [row.role_name])) {
        for (const port of ports.filter(p => p.source_table)) {
          const [schema, table] = port.source_table!.split('.');
          if (
            await exists(trx, 'SELECT 1 WHERE to_regclass(?) IS NOT NULL', [
              qualified(schema, table),
            ])
          ) {
            await trx.raw(
              `REVOKE SELECT ON ${qualified(schema, table)} FROM ${q(
                row.role_name,
              )}`,
            );
          }
        }
        if (
          await exists(
            trx,
            'SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?',
            [this.sourceSchema],
          )
        ) {
          await trx.raw(
            `REVOKE USAGE ON SCHEMA ${q(this.sourceSchema)} FROM ${q(
              row.role_name,
            )}`,
          );
        }
        await trx.raw(`DROP ROLE ${q(row.role_name)}`);
      }
      await meta.deleteProduct(product);
      return {
        product,
        schema: row.schema_name,
        removed: true,
        droppedConsumers: consumers,
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
    const knex = await this.db();
    const meta = new Metadata(knex);
    const row: ProductRow | undefined = await meta.product(name);
    const schema =
      typeof product === 'string'
        ? row?.schema_name ?? ''
        : product.spec.schema;
    const rows = row ? await meta.ports(name) : [];
    const provisioned =
      !!row &&
      row.schema_name === schema &&
      (await exists(
        knex,
        'SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?',
        [schema],
      ));

    const declared =
      ports?.map(p => ({
        name: String(p.spec.name),
        type: p.spec.type,
        columns: (p.spec.columns ?? []).map(c => ({
          name: c.name,
          type: c.type,
        })),
      })) ??
      rows.map(r => ({ name: r.port, type: r.port_type, columns: r.columns }));

    const statuses: OutputPortStatus[] = [];
    for (const port of declared) {
      const portRow = rows.find(r => r.port === port.name);
      const kind =
        provisioned && /^[a-z_][a-z0-9_]*$/.test(port.name)
          ? await relationKind(knex, schema, port.name)
          : undefined;
      const columns = kind ? await readColumns(knex, schema, port.name) : [];
      const status: OutputPortStatus = {
        name: port.name,
        object: `${schema}.${port.name}`,
        type: port.type,
        exists: !!kind,
        columns,
        drift: kind ? columnDrift(port.columns, columns) : [],
      };
      if (kind && portRow) {
        try {
          status.rowCount = await this.rowCount(knex, row!, portRow);
        } catch (error) {
          // A view whose product lost read access to an input: it exists but cannot be counted.
          if ((error as PgError).code !== '42501') {
            throw error;
          }
        }
        status.lastBuiltAt = portRow.last_built_at
          ? new Date(portRow.last_built_at).toISOString()
          : undefined;
      }
      statuses.push(status);
    }
    const consumers = row
      ? [
          ...new Set(
            (await meta.grantsOn(name))
              .filter(g => g.consumer !== name)
              .map(g => g.consumer),
          ),
        ].sort()
      : [];
    return { product: name, schema, provisioned, ports: statuses, consumers };
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

function toPlan(spec: ProductSpec, steps: Step[]): ProvisionPlan {
  return {
    product: spec.name,
    schema: spec.schema,
    steps: steps.map(({ description, sql }) => ({ description, sql })),
  };
}

function definitionHash(def: BuildDefinition): string {
  return hashOf({
    type: def.type,
    columns: def.columns,
    description: def.description ?? null,
    select: def.select,
    readerRole: def.readerRole,
  });
}

function buildSql(def: BuildDefinition): string[] {
  const staged = qualified(def.schema, nextName(def.port));
  const target = qualified(def.schema, def.port);
  const isTable = def.type === 'postgres-table';
  const word = isTable ? 'TABLE' : 'VIEW';
  return [
    `SET LOCAL ROLE ${q(def.role)}`,
    `CREATE ${word} ${staged} AS\n${def.select}`,
    `-- compare the columns of ${staged} with the declared columns: ${def.columns
      .map(c => `${c.name} ${c.type}`)
      .join(', ')}`,
    `DROP ${word} IF EXISTS ${target}`,
    `ALTER ${word} ${staged} RENAME TO ${q(def.port)}`,
    `GRANT SELECT ON ${target} TO ${q(def.readerRole)}`,
    ...(def.description
      ? [`COMMENT ON ${word} ${target} IS ${describeLiteral(def.description)}`]
      : []),
    ...def.columns
      .filter(c => c.description)
      .map(
        c =>
          `COMMENT ON COLUMN ${target}.${q(c.name)} IS ${describeLiteral(
            c.description!,
          )}`,
      ),
    'RESET ROLE',
  ];
}

async function exists(db: Db, sql: string, bindings: readonly unknown[]) {
  const result = await db.raw(sql, bindings as Knex.RawBinding[]);
  return result.rows.length > 0;
}

async function relationKind(
  db: Db,
  schema: string,
  name: string,
): Promise<'r' | 'v' | string | undefined> {
  const result = await db.raw(
    `SELECT c.relkind FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ? AND c.relname = ?`,
    [schema, name],
  );
  return result.rows[0]?.relkind;
}

/** The views (`schema.name`) that read a table or view, other than itself. */
async function dependentViews(
  db: Db,
  schema: string,
  name: string,
): Promise<string[]> {
  const result = await db.raw(
    `SELECT DISTINCT n.nspname || '.' || c.relname AS name
       FROM pg_catalog.pg_depend d
       JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
       JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass
        AND d.refobjid = to_regclass(?) AND r.ev_class <> d.refobjid
      ORDER BY 1`,
    [qualified(schema, name)],
  );
  return result.rows.map((r: { name: string }) => r.name);
}

/**
 * `COMMENT ON` with the text bound as a value: PostgreSQL builds the literal
 * and the resulting statement is run. The literal is a Unicode-escape string
 * (`U&'...'`) with every `?` written `\003F`: knex turns each `?` of a raw
 * statement into a bind placeholder (`$1`), even inside a string literal.
 */
async function comment(
  db: Db,
  kind: 'SCHEMA' | 'TABLE' | 'VIEW' | 'COLUMN',
  path: string[],
  text: string | undefined,
): Promise<void> {
  const target = path.map(p => q(p)).join('.');
  const result = await db.raw(
    `SELECT 'COMMENT ON ${kind} ${target} IS ' || CASE WHEN v IS NULL THEN 'NULL'
       ELSE 'U&' || chr(39) || replace(replace(replace(v,
              chr(92), chr(92) || chr(92)),
              chr(39), chr(39) || chr(39)),
              chr(63), chr(92) || '003F') || chr(39) END AS statement
       FROM (SELECT ?::text AS v) t`,
    [text ?? null],
  );
  await db.raw(result.rows[0].statement);
}

/** PostgreSQL's own message, without the query text knex puts before it. */
function pgMessage(error: PgError, marker: string): string {
  const at = error.message.lastIndexOf(`${marker} - `);
  return at < 0 ? error.message : error.message.slice(at + marker.length + 3);
}

interface PgError extends Error {
  code?: string;
  position?: string;
  internalPosition?: string;
  internalQuery?: string;
  hint?: string;
}

function pgInputError(
  error: unknown,
  context: string,
  statement: string,
): Error {
  const e = error as PgError;
  if (!e?.code) {
    return error as Error;
  }
  return new InputError(`${context}: ${pgMessage(e, statement)}`);
}

function modelError(
  error: unknown,
  def: BuildDefinition,
  prefixLength: number,
): Error {
  const e = error as PgError;
  if (!e?.code) {
    return error as Error;
  }
  const what = def.model
    ? `Model SQL of output port '${def.port}' of data product '${def.product}' failed in PostgreSQL`
    : `Building output port '${def.port}' of data product '${def.product}'${
        def.source ? ` from ${def.source}` : ''
      } failed in PostgreSQL`;
  let where = '';
  const position = Number(e.internalPosition ?? 0);
  if (position > 0) {
    const offset = position - 1 - prefixLength;
    if (offset >= 0 && offset <= def.select.length) {
      where = def.model
        ? ` at ${pointAt(def.model.text, originalOffset(def.model, offset))}`
        : ` at ${pointAt(def.select, offset)}`;
    }
  }
  let hint = e.hint ? `\nHint: ${e.hint}` : '';
  if (e.code === '42501') {
    hint =
      "\nA model runs as the product's own role and can read only its declared inputs, through {{ source('<product>', '<port>') }}.";
  }
  return new InputError(
    `${what}: ${pgMessage(e, BUILD_MARKER)}${where}${hint}`,
  );
}
