import {
  KubernetesValidatorFunctions,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  normalizeColumnType,
  OutputPortEntityV1alpha1,
  OutputPortType,
} from '@dataproducts/plugin-data-products-common';
import { checkContractVersion, declaredConstraints } from './diffSpec';
import { annotatedBuildTimeout, BuildLimits } from './limits';
import type { ColumnConstraints } from './metadata';
import { checkPortChecks, PortChecks } from './qualitySpec';
import { boundedName, checkIdentifier, checkSchemaName } from './sql';
import { ProvisionRequest, ResolvedInput } from './types';

/**
 * How a rebuild replaces a table port's rows. `swap` builds the new table
 * beside the old one and swaps it in (`DROP` + `RENAME`), fast, but a
 * REPEATABLE READ or SERIALIZABLE reader whose snapshot predates the swap
 * finds the new table empty; `delete-insert` replaces the rows of the same
 * table with `DELETE` and `INSERT` in one transaction, which readers at every
 * isolation level see atomically.
 */
export type RefreshStrategy = 'swap' | 'delete-insert';

/** The refresh strategies, the default first. */
export const REFRESH_STRATEGIES: readonly RefreshStrategy[] = [
  'swap',
  'delete-insert',
];

/** A declared column, validated, with its type normalized to PostgreSQL's spelling. */
export interface ColumnSpec {
  name: string;
  type: string;
  description?: string;
}

/** A port, validated and ready to plan. */
export interface PortSpec {
  name: string;
  /** The OutputPort's entity ref, e.g. `outputport:default/sales-crm-customers-customers`. */
  ref: string;
  type: OutputPortType;
  description?: string;
  columns: ColumnSpec[];
  readerRole: string;
  /** Source-aligned: the operational table. */
  source?: { schema: string; table: string };
  /** Consumer-aligned: the model SQL as written, compiled when the port is planned. */
  model?: string;
  /** Table ports: how a rebuild replaces the rows readers see. */
  refreshStrategy: RefreshStrategy;
  /** The declared constraints and quality rules every build checks. */
  checks: PortChecks;
  /** The contract version, MAJOR.MINOR.PATCH (`1.0.0` when not declared). */
  version: string;
  /** The declared constraints of each column, compared by the plan's diff. */
  constraints: ColumnConstraints;
}

/** A product, validated and ready to plan. */
export interface ProductSpec {
  name: string;
  schema: string;
  role: string;
  description?: string;
  ports: PortSpec[];
  inputs: ResolvedInput[];
  /** The product's own build timeout (its annotation), in milliseconds; the default when absent. */
  buildTimeoutMs?: number;
}

/** What a normalized column type looks like; it is spliced into CAST(), so it is checked again. */
const NORMALIZED_TYPE =
  /^[a-z]+(?: [a-z]+)*(?:\(\d{1,8}(?:,\d{1,4})?\))?(?: [a-z]+)*$/;

/**
 * Checks an entity name (a value, never an identifier) with the catalog's own
 * rule, naming it when invalid.
 */
export function checkEntityName(value: unknown, what: string): string {
  if (!KubernetesValidatorFunctions.isValidObjectName(value)) {
    throw new InputError(
      `Invalid ${what} ${JSON.stringify(
        value,
      )}: must be a catalog entity name (letters and digits, with - _ . between them, at most 63 characters)`,
    );
  }
  return value as string;
}

/**
 * A port's `spec.refreshStrategy`: `swap` (the default) or `delete-insert`,
 * for table ports only (a view is live and never refreshed).
 */
function checkRefreshStrategy(port: OutputPortEntityV1alpha1): RefreshStrategy {
  const value: unknown = port.spec.refreshStrategy;
  if (value === undefined) {
    return REFRESH_STRATEGIES[0];
  }
  if (!REFRESH_STRATEGIES.includes(value as RefreshStrategy)) {
    throw new InputError(
      `Invalid refreshStrategy of output port '${
        port.spec.name
      }' ${JSON.stringify(value)}: must be ${REFRESH_STRATEGIES.join(' or ')}`,
    );
  }
  if (value !== REFRESH_STRATEGIES[0] && port.spec.type !== 'postgres-table') {
    throw new InputError(
      `Output port '${port.spec.name}' is a ${
        port.spec.type
      }, which is live and never refreshed: remove its refreshStrategy ${JSON.stringify(
        value,
      )}`,
    );
  }
  return value as RefreshStrategy;
}

/** Names of the roles the engine creates. */
export class RoleNames {
  constructor(readonly prefix: string) {
    if (!/^[a-z_][a-z0-9_]{0,19}$/.test(prefix)) {
      throw new InputError(
        `Invalid rolePrefix ${JSON.stringify(
          prefix,
        )}: must be 1-20 lower case letters, digits or underscores, not starting with a digit`,
      );
    }
  }

  product(schema: string): string {
    return boundedName(`${this.prefix}${schema}`);
  }

  reader(schema: string, port: string): string {
    return boundedName(`${this.prefix}${schema}__${port}_r`);
  }

  /**
   * The portal's NOLOGIN NOINHERIT role that is a member of every product
   * role and is granted to the engine's user: the user can `SET ROLE` to a
   * product role through it without inheriting the product's privileges.
   * Product roles are `<prefix><schema>` and a schema holds no `__`; reader
   * roles end in `_r`: this name is neither.
   */
  get engine(): string {
    return `${this.prefix}portal__engine`;
  }

  /**
   * A role that exists only inside the rolled-back transaction of one model
   * check (`id` tells checks apart); holding `__`, it is never a product's.
   */
  check(id: string): string {
    return `${this.prefix}portal__check_${id}`;
  }
}

/** Name of the helper object a port is built into before the swap. */
export function nextName(port: string): string {
  return boundedName(`_dp_next_${port}`);
}

/** The security-definer function, owned by the product role, that runs model SQL. */
export const BUILD_FUNCTION = '_dataproducts_build';

/**
 * Validates a provisioning request before any SQL runs: every identifier,
 * column type, source table and `source()` reference. Throws an `InputError`
 * naming the offending value.
 */
export function toProductSpec(
  request: ProvisionRequest,
  options: {
    roles: RoleNames;
    sourceSchema: string;
    reservedSchemas: string[];
    limits: BuildLimits;
  },
): ProductSpec {
  const { product, ports } = request;
  if (!product || typeof product !== 'object' || !product.metadata) {
    throw new InputError('A DataProduct entity is required');
  }
  const name = checkEntityName(product.metadata.name, 'data product name');
  const schema = checkSchemaName(
    product.spec?.schema,
    `schema of data product '${name}'`,
  );
  if (options.reservedSchemas.includes(schema)) {
    throw new InputError(
      `Invalid schema of data product '${name}' ${JSON.stringify(
        schema,
      )}: it is reserved for the portal`,
    );
  }
  const inputs = (request.inputs ?? []).map(input => ({
    ref: String(input.ref),
    product: checkEntityName(input.product, `input product of '${name}'`),
    port: checkIdentifier(input.port, `input port of '${name}'`),
  }));

  if (!Array.isArray(ports)) {
    throw new InputError(`Data product '${name}' needs a list of output ports`);
  }
  const seen = new Set<string>();
  const portSpecs = ports.map(port => {
    const portName = checkIdentifier(
      port?.spec?.name,
      `output port name of data product '${name}'`,
    );
    if (portName.startsWith('_dp_')) {
      throw new InputError(
        `Invalid output port name ${JSON.stringify(
          portName,
        )}: names starting with '_dp_' are reserved for the portal`,
      );
    }
    if (seen.has(portName)) {
      throw new InputError(
        `Data product '${name}' declares output port '${portName}' twice`,
      );
    }
    seen.add(portName);
    if (port.spec.dataProduct) {
      const ownerName = String(port.spec.dataProduct)
        .split(':')
        .pop()!
        .split('/')
        .pop();
      if (ownerName !== name) {
        throw new InputError(
          `Output port '${portName}' belongs to data product '${port.spec.dataProduct}', not '${name}'`,
        );
      }
    }
    const type = port.spec.type;
    if (type !== 'postgres-table' && type !== 'postgres-view') {
      throw new InputError(
        `Invalid type of output port '${portName}' ${JSON.stringify(
          type,
        )}: must be postgres-table or postgres-view`,
      );
    }
    if (!Array.isArray(port.spec.columns) || port.spec.columns.length === 0) {
      throw new InputError(
        `Output port '${portName}' must declare at least one column`,
      );
    }
    const columnNames = new Set<string>();
    const columns = port.spec.columns.map(column => {
      const columnName = checkIdentifier(
        column?.name,
        `column name of output port '${portName}'`,
      );
      if (columnNames.has(columnName)) {
        throw new InputError(
          `Output port '${portName}' declares column '${columnName}' twice`,
        );
      }
      columnNames.add(columnName);
      let columnType: string;
      try {
        columnType = normalizeColumnType(column.type);
      } catch (error) {
        throw new InputError(
          `Invalid type of column '${columnName}' of output port '${portName}' ${JSON.stringify(
            column.type,
          )}: ${(error as Error).message}`,
        );
      }
      if (!NORMALIZED_TYPE.test(columnType)) {
        throw new InputError(
          `Invalid type of column '${columnName}' of output port '${portName}' ${JSON.stringify(
            column.type,
          )}`,
        );
      }
      return {
        name: columnName,
        type: columnType,
        description: column.description || undefined,
      };
    });

    const spec: PortSpec = {
      name: portName,
      ref: stringifyEntityRef(port),
      type,
      description: port.metadata.description || undefined,
      columns,
      readerRole: options.roles.reader(schema, portName),
      refreshStrategy: checkRefreshStrategy(port),
      checks: checkPortChecks(port, columns),
      version: checkContractVersion(port),
      constraints: declaredConstraints(port),
    };
    if (port.spec.source && port.spec.model) {
      throw new InputError(
        `Output port '${portName}' declares both a source and a model: use one`,
      );
    }
    if (port.spec.source) {
      const parts = String(port.spec.source).split('.');
      const table = parts.length === 2 ? parts[1] : parts[0];
      const sourceSchema = parts.length === 2 ? parts[0] : options.sourceSchema;
      if (parts.length > 2 || sourceSchema !== options.sourceSchema) {
        throw new InputError(
          `Invalid source of output port '${portName}' ${JSON.stringify(
            port.spec.source,
          )}: a source-aligned port reads a table in schema '${
            options.sourceSchema
          }', written '${options.sourceSchema}.<table>'`,
        );
      }
      spec.source = {
        schema: sourceSchema,
        table: checkIdentifier(
          table,
          `source table of output port '${portName}'`,
        ),
      };
    } else if (typeof port.spec.model === 'string' && port.spec.model.trim()) {
      spec.model = port.spec.model;
    } else {
      throw new InputError(
        `Output port '${portName}' needs either a source (an operational table) or a model (SQL)`,
      );
    }
    return spec;
  });

  return {
    name,
    schema,
    role: options.roles.product(schema),
    description:
      product.metadata.description || product.metadata.title || undefined,
    ports: portSpecs,
    inputs,
    buildTimeoutMs: annotatedBuildTimeout(product, options.limits),
  };
}
