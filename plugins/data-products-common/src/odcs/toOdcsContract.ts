import { stringifyEntityRef } from '@backstage/catalog-model';
import { normalizeColumnType } from '../columnTypes';
import type { DataProductEntityV1alpha1 } from '../DataProductEntityV1alpha1';
import type {
  OutputPortEntityV1alpha1,
  OutputPortQualityRule,
} from '../OutputPortEntityV1alpha1';
import { QUALITY_OPERATORS } from '../OutputPortEntityV1alpha1';
import {
  getEntityNamespace,
  parseDomainRef,
  parseOutputPortRef,
  parseOwnerRef,
} from '../refs';
import {
  CUSTOM,
  DIMENSION_OF_METRIC,
  logicalTypeOf,
  odcsQuery,
  PHYSICAL_TYPE_OF_PORT_TYPE,
  SLA,
  slaValueOfDuration,
  STATUS_OF_LIFECYCLE,
} from './mapping';
import {
  ODCS_API_VERSION,
  ODCS_KIND,
  OdcsCustomProperty,
  OdcsDataContract,
  OdcsQualityRule,
  OdcsRole,
  OdcsSchemaProperty,
  OdcsSlaProperty,
} from './types';

/** What a contract says beyond the entities: where the data is and who reads it. */
export interface OdcsExportContext {
  /** The warehouse server as consumers reach it (never credentials). */
  server?: {
    /** The server's identifier in the contract, e.g. `warehouse`. */
    name: string;
    host: string;
    port?: number;
    database: string;
    environment?: string;
  };
  /** The roles that hold the port's reader role, from the warehouse. */
  readers?: Array<{ role: string; product?: string; group?: string }>;
}

function custom(
  entries: Array<[string, unknown]>,
): OdcsCustomProperty[] | undefined {
  const list = entries
    .filter(([, value]) => value !== undefined)
    .map(([property, value]) => ({ property, value }));
  return list.length ? list : undefined;
}

/** Drops the keys whose value is undefined, so that the YAML holds only what is said. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}

/** A ref as short as it can be written in the entity's namespace: `sales`, else `group:other/sales`. */
function shortRef(
  ref: { kind: string; namespace: string; name: string },
  defaultKind: string,
  namespace: string,
): string {
  return ref.kind.toLocaleLowerCase('en-US') ===
    defaultKind.toLocaleLowerCase('en-US') && ref.namespace === namespace
    ? ref.name
    : stringifyEntityRef(ref);
}

function qualityRule(rule: OutputPortQualityRule): OdcsQualityRule {
  const operators = Object.fromEntries(
    QUALITY_OPERATORS.filter(op => rule[op] !== undefined).map(op => [
      op,
      rule[op],
    ]),
  );
  const common = { name: rule.name, description: rule.description };
  if (rule.metric === 'freshness') {
    // ODCS v3.1.0 has no freshness metric: the rule travels as the SQL it
    // measures (seconds since the column's latest value), with the portal's
    // metric as a custom property so that an import restores it.
    return defined({
      ...common,
      type: 'sql' as const,
      query: `SELECT EXTRACT(EPOCH FROM (now() - MAX("${rule.column}"))) FROM {object}`,
      dimension: DIMENSION_OF_METRIC.freshness,
      unit: rule.unit,
      severity: rule.severity,
      customProperties: custom([[CUSTOM.metric, 'freshness']]),
      ...operators,
    });
  }
  if (rule.query !== undefined || rule.type === 'sql') {
    return defined({
      ...common,
      type: 'sql' as const,
      query: rule.query === undefined ? undefined : odcsQuery(rule.query),
      severity: rule.severity,
      ...operators,
    });
  }
  return defined({
    ...common,
    type: rule.type,
    metric: rule.metric as OdcsQualityRule['metric'],
    arguments: rule.arguments,
    dimension: rule.metric ? DIMENSION_OF_METRIC[rule.metric] : undefined,
    unit: rule.unit,
    severity: rule.severity,
    ...operators,
  });
}

function slaProperties(
  port: OutputPortEntityV1alpha1,
  product: DataProductEntityV1alpha1,
): OdcsSlaProperty[] | undefined {
  const list: OdcsSlaProperty[] = [];
  const element = port.spec.name;
  const schedule = port.spec.refresh?.schedule;
  if (typeof schedule === 'string') {
    list.push({ property: SLA.frequency, value: schedule, element });
  } else if (schedule) {
    list.push({
      property: SLA.frequency,
      ...slaValueOfDuration(schedule.every),
      element,
    });
  }
  const maxAge = port.spec.refresh?.freshness?.maxAge;
  if (maxAge) {
    list.push({
      property: SLA.latency,
      ...slaValueOfDuration(maxAge),
      element,
    });
  }
  const sunset = product.spec.deprecation?.sunset;
  if (sunset) {
    list.push({ property: SLA.endOfLife, value: sunset });
  }
  return list.length ? list : undefined;
}

function holder(reader: { product?: string; group?: string }) {
  if (reader.product) return `Held by data product ${reader.product}`;
  if (reader.group) return `Held by ${reader.group}`;
  return undefined;
}

function roles(context: OdcsExportContext): OdcsRole[] | undefined {
  const list = (context.readers ?? []).map(reader =>
    defined({ role: reader.role, access: 'read', description: holder(reader) }),
  );
  return list.length ? list : undefined;
}

/**
 * The ODCS v3.1.0 data contract of an output port: its columns with physical
 * and logical types and constraints, its quality rules, its refresh policy
 * as SLA properties, the product's lifecycle, domain and owner, the server
 * and the roles that read it. Whatever ODCS has no field for (the port's
 * model SQL or source table, access level, refresh strategy; the product's
 * type, title and inputs) travels in `customProperties`, so that
 * {@link fromOdcsContract} gives the same definitions back.
 */
export function toOdcsContract(
  port: OutputPortEntityV1alpha1,
  product: DataProductEntityV1alpha1,
  context: OdcsExportContext = {},
): OdcsDataContract {
  const namespace = getEntityNamespace(product);
  const { spec } = port;
  const pkColumns = spec.columns.filter(c => c.primaryKey);
  const properties: OdcsSchemaProperty[] = spec.columns.map(column => {
    const position = pkColumns.indexOf(column);
    const rules = (spec.quality ?? []).filter(
      rule => rule.column === column.name && rule.query === undefined,
    );
    return defined({
      name: column.name,
      physicalType: column.type,
      logicalType: logicalTypeOf(normalizeColumnType(column.type)),
      description: column.description,
      required: column.required,
      unique: column.unique,
      primaryKey: column.primaryKey,
      primaryKeyPosition: position >= 0 ? position + 1 : undefined,
      classification: column.classification,
      quality: rules.length ? rules.map(qualityRule) : undefined,
    });
  });
  const objectRules = (spec.quality ?? []).filter(
    rule => rule.column === undefined || rule.query !== undefined,
  );
  const owner = parseOwnerRef(product.spec.owner, {
    defaultNamespace: namespace,
  });
  const domain = product.spec.domain
    ? parseDomainRef(product.spec.domain, { defaultNamespace: namespace })
    : undefined;
  const server = context.server;
  return defined({
    apiVersion: ODCS_API_VERSION,
    kind: ODCS_KIND,
    id: stringifyEntityRef(
      parseOutputPortRef(port.metadata.name, {
        defaultNamespace: getEntityNamespace(port),
      }),
    ),
    name: port.metadata.title ?? spec.name,
    version: spec.version ?? '1.0.0',
    status:
      STATUS_OF_LIFECYCLE[product.spec.lifecycle] ?? product.spec.lifecycle,
    domain: domain && shortRef(domain, 'Domain', namespace),
    dataProduct: product.metadata.name,
    tags: port.metadata.tags?.length ? port.metadata.tags : undefined,
    description: product.metadata.description
      ? { purpose: product.metadata.description }
      : undefined,
    schema: [
      defined({
        name: spec.name,
        physicalName: spec.name,
        physicalType: PHYSICAL_TYPE_OF_PORT_TYPE[spec.type],
        logicalType: 'object' as const,
        description: port.metadata.description,
        properties,
        quality: objectRules.length ? objectRules.map(qualityRule) : undefined,
        customProperties: custom([
          [CUSTOM.sourceTable, spec.source],
          [CUSTOM.model, spec.model],
          [CUSTOM.access, spec.access],
          [CUSTOM.refreshStrategy, spec.refreshStrategy],
          [CUSTOM.owner, spec.owner],
        ]),
      }),
    ],
    team: { name: shortRef(owner, 'Group', namespace) },
    roles: roles(context),
    slaProperties: slaProperties(port, product),
    servers: server
      ? [
          defined({
            server: server.name,
            type: 'postgres',
            environment: server.environment,
            host: server.host,
            port: server.port,
            database: server.database,
            schema: product.spec.schema,
          }),
        ]
      : undefined,
    customProperties: custom([
      [CUSTOM.productTitle, product.metadata.title],
      [CUSTOM.productType, product.spec.type],
      [
        CUSTOM.productInputs,
        product.spec.inputs?.length ? product.spec.inputs : undefined,
      ],
      [CUSTOM.deprecationReplacement, product.spec.deprecation?.replacement],
      [CUSTOM.deprecationReason, product.spec.deprecation?.reason],
    ]),
  });
}
