import { DEFAULT_NAMESPACE, parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { validateColumnType } from '../columnTypes';
import {
  DataProductEntityV1alpha1,
  DataProductType,
  validateDataProductEntity,
} from '../DataProductEntityV1alpha1';
import type { EntityValidationProblem } from '../entityProblems';
import { IDENTIFIER_PATTERN } from '../identifiers';
import {
  DATA_PRODUCT_KIND,
  DATA_PRODUCTS_API_VERSION,
  OUTPUT_PORT_KIND,
} from '../kinds';
import {
  OutputPortAccess,
  OutputPortColumn,
  OutputPortEntityV1alpha1,
  OutputPortQualityRule,
  OutputPortRefreshPolicy,
  OutputPortRefreshStrategy,
  QUALITY_OPERATORS,
  validateOutputPortEntity,
} from '../OutputPortEntityV1alpha1';
import { outputPortEntityName, validateEntityName } from '../refs';
import {
  COLUMN_TYPE_OF_LOGICAL_TYPE,
  CUSTOM,
  durationOfSlaValue,
  isCronExpression,
  LIFECYCLE_OF_STATUS,
  portQuery,
  SLA,
} from './mapping';
import type {
  OdcsCustomProperty,
  OdcsDataContract,
  OdcsQualityRule,
  OdcsSchemaObject,
  OdcsSlaProperty,
} from './types';
import { validateOdcsContract } from './validateOdcsContract';

/** What the form gives for what a contract may lack. */
export interface OdcsImportOptions {
  /** The owner (a Group ref) when the contract's `team` names none. */
  owner?: string;
  /** The product's PostgreSQL schema when no `postgres` server names one. */
  schema?: string;
  /** The port's model SQL when the contract carries neither `model` nor `sourceTable`. */
  model?: string;
}

/** A data product with one output port, as a contract defines them. */
export interface OdcsImport {
  product: DataProductEntityV1alpha1;
  port: OutputPortEntityV1alpha1;
  /** What the contract says that the portal does not take, field by field. */
  ignored: string[];
}

const PORT_TYPE_OF_PHYSICAL_TYPE: Record<
  string,
  'postgres-table' | 'postgres-view'
> = {
  table: 'postgres-table',
  view: 'postgres-view',
};

const METRICS = new Set([
  'rowCount',
  'nullValues',
  'duplicateValues',
  'invalidValues',
]);

const VERSION =
  /^(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})$/;

function refuse(problems: string[]): never {
  throw new InputError(
    `The data contract cannot be imported: ${problems.join('; ')}`,
  );
}

function customValue(
  list: OdcsCustomProperty[] | undefined,
  property: string,
): unknown {
  return list?.find(entry => entry.property === property)?.value;
}

function customString(
  list: OdcsCustomProperty[] | undefined,
  property: string,
  field: string,
  problems: string[],
): string | undefined {
  const value = customValue(list, property);
  if (value === undefined || typeof value === 'string') return value;
  problems.push(`${field} customProperty ${property} must be a string`);
  return undefined;
}

/** The contract's quality rule as a port rule, or a reason it is left out. */
function qualityRule(
  rule: OdcsQualityRule,
  field: string,
  column: string | undefined,
  problems: string[],
  ignored: string[],
): OutputPortQualityRule | undefined {
  const common = {
    name: rule.name,
    description: rule.description,
  };
  const operators = Object.fromEntries(
    QUALITY_OPERATORS.filter(op => rule[op] !== undefined).map(op => [
      op,
      rule[op],
    ]),
  );
  const severity = rule.severity;
  if (
    severity !== undefined &&
    severity !== 'error' &&
    severity !== 'warning'
  ) {
    problems.push(
      `${field}.severity: ${JSON.stringify(severity)} must be error or warning`,
    );
    return undefined;
  }
  if (customValue(rule.customProperties, CUSTOM.metric) === 'freshness') {
    if (column === undefined) {
      problems.push(
        `${field}: a freshness rule belongs to a property (the date or timestamp column it measures)`,
      );
      return undefined;
    }
    return clean<OutputPortQualityRule>({
      ...common,
      metric: 'freshness',
      column,
      unit: rule.unit as OutputPortQualityRule['unit'],
      severity: severity as OutputPortQualityRule['severity'],
      ...operators,
    });
  }
  const type = rule.type ?? (rule.metric || rule.rule ? 'library' : undefined);
  if (type === 'text' || type === 'custom' || type === undefined) {
    ignored.push(
      `${field}: a ${type ?? 'text'} quality rule is not checked by the portal`,
    );
    return undefined;
  }
  if (type === 'sql') {
    return clean<OutputPortQualityRule>({
      ...common,
      type: 'sql',
      query: portQuery(rule.query ?? '', column),
      severity: severity as OutputPortQualityRule['severity'],
      ...operators,
    });
  }
  const metric = rule.metric ?? rule.rule;
  if (!metric || !METRICS.has(metric)) {
    problems.push(
      `${field}.metric: ${JSON.stringify(
        metric,
      )} is not a metric the portal checks (rowCount, nullValues, duplicateValues, invalidValues)`,
    );
    return undefined;
  }
  const args = rule.arguments ?? {};
  const unknownArgs = Object.keys(args).filter(
    key => key !== 'validValues' && key !== 'pattern',
  );
  if (unknownArgs.length) {
    problems.push(
      `${field}.arguments.${unknownArgs[0]} is not an argument the portal takes (validValues, pattern)`,
    );
    return undefined;
  }
  if (
    rule.unit !== undefined &&
    rule.unit !== 'rows' &&
    rule.unit !== 'percent'
  ) {
    problems.push(
      `${field}.unit: ${JSON.stringify(rule.unit)} must be rows or percent`,
    );
    return undefined;
  }
  return clean<OutputPortQualityRule>({
    ...common,
    type: rule.type === 'library' ? 'library' : undefined,
    metric: metric as OutputPortQualityRule['metric'],
    column,
    arguments: rule.arguments as OutputPortQualityRule['arguments'],
    unit: rule.unit as OutputPortQualityRule['unit'],
    severity: severity as OutputPortQualityRule['severity'],
    ...operators,
  });
}

function clean<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}

function columnOf(
  property: NonNullable<OdcsSchemaObject['properties']>[number],
  field: string,
  problems: string[],
): OutputPortColumn | undefined {
  const name = property.physicalName ?? property.name;
  if (!IDENTIFIER_PATTERN.test(name) || name.length > 63) {
    problems.push(
      `${field}.name: ${JSON.stringify(
        name,
      )} is not a column name the portal takes (lower case letters, digits and underscores, not starting with a digit, at most 63 characters)`,
    );
    return undefined;
  }
  let type = property.physicalType;
  if (type === undefined) {
    type =
      property.logicalType && COLUMN_TYPE_OF_LOGICAL_TYPE[property.logicalType];
    if (type === undefined) {
      problems.push(
        `${field}: give a physicalType (logicalType ${JSON.stringify(
          property.logicalType,
        )} has no column type of its own)`,
      );
      return undefined;
    }
  } else {
    const rule = validateColumnType(type);
    if (rule) {
      problems.push(
        `${field}.physicalType: ${JSON.stringify(
          type,
        )} is not a supported column type (it ${rule}); use one of the documented types, e.g. INTEGER, VARCHAR(100), NUMERIC(10,2), TIMESTAMPTZ`,
      );
      return undefined;
    }
  }
  return clean({
    name,
    type,
    description: property.description,
    required: property.required,
    unique: property.unique,
    primaryKey: property.primaryKey,
    classification: property.classification?.toLocaleLowerCase('en-US'),
  });
}

function refreshOf(
  sla: OdcsSlaProperty[],
  portType: string,
  problems: string[],
  ignored: string[],
): OutputPortRefreshPolicy | undefined {
  const refresh: OutputPortRefreshPolicy = {};
  sla.forEach((entry, index) => {
    const field = `slaProperties[${index}]`;
    const property = entry.property;
    if (property !== SLA.frequency && property !== SLA.latency) return;
    if (portType !== 'postgres-table') {
      ignored.push(`${field}: a view is live, it takes no ${property}`);
      return;
    }
    if (property === SLA.frequency && isCronExpression(entry.value)) {
      refresh.schedule = entry.value;
      return;
    }
    const duration = durationOfSlaValue(entry.value, entry.unit);
    if (duration === undefined) {
      problems.push(
        `${field}: ${property} ${JSON.stringify(entry.value)} ${
          entry.unit ?? ''
        } must be a positive whole number of d, h, min or s${
          property === SLA.frequency ? ', or a five-field cron expression' : ''
        }`,
      );
      return;
    }
    if (property === SLA.frequency) {
      refresh.schedule = { every: duration };
    } else {
      refresh.freshness = { maxAge: duration };
    }
  });
  return Object.keys(refresh).length ? refresh : undefined;
}

function listProblems(label: string, problems: EntityValidationProblem[]) {
  return problems.map(p => `the ${label}'s ${p.message}`);
}

/**
 * Maps an ODCS v3.1.0 data contract back to the data product and output
 * port it defines (the inverse of {@link toOdcsContract}): one schema object
 * becomes the port, its properties the columns (types from `physicalType`,
 * else from `logicalType`), constraints, classification and quality rules;
 * `slaProperties` frequency and latency the refresh policy; `status` the
 * lifecycle; `team` the owner; the `postgres` server's schema the product's
 * schema. Validates the document against our ODCS schema first, and the
 * entities it gives after; throws an `InputError` naming every field it
 * cannot take.
 */
export function fromOdcsContract(
  doc: unknown,
  options: OdcsImportOptions = {},
): OdcsImport {
  const schemaProblems = validateOdcsContract(doc);
  if (schemaProblems.length) {
    refuse(schemaProblems.map(p => p.message));
  }
  const contract = doc as OdcsDataContract;
  const problems: string[] = [];
  const ignored: string[] = [];

  const objects = contract.schema ?? [];
  if (objects.length !== 1) {
    refuse([
      `schema must list exactly one object, the output port's table or view (it lists ${objects.length}): import one contract per port`,
    ]);
  }
  const object = objects[0];
  const portType = PORT_TYPE_OF_PHYSICAL_TYPE[object.physicalType ?? 'table'];
  if (!portType) {
    problems.push(
      `schema[0].physicalType: ${JSON.stringify(
        object.physicalType,
      )} must be table or view`,
    );
  }
  const portName = object.physicalName ?? object.name;
  if (!IDENTIFIER_PATTERN.test(portName) || portName.length > 63) {
    problems.push(
      `schema[0].physicalName: ${JSON.stringify(
        portName,
      )} is not a port name the portal takes (lower case letters, digits and underscores, not starting with a digit)`,
    );
  }
  const productName = contract.dataProduct;
  if (productName === undefined) {
    problems.push('dataProduct is required: it names the data product');
  } else if (validateEntityName(productName)) {
    problems.push(
      `dataProduct: ${JSON.stringify(productName)} ${validateEntityName(
        productName,
      )}`,
    );
  }
  if (!VERSION.test(contract.version)) {
    problems.push(
      `version: ${JSON.stringify(
        contract.version,
      )} must be MAJOR.MINOR.PATCH, e.g. 1.0.0`,
    );
  }

  const columns: OutputPortColumn[] = [];
  const quality: OutputPortQualityRule[] = [];
  (object.quality ?? []).forEach((rule, index) => {
    const imported = qualityRule(
      rule,
      `schema[0].quality[${index}]`,
      undefined,
      problems,
      ignored,
    );
    if (imported) quality.push(imported);
  });
  (object.properties ?? []).forEach((property, index) => {
    const field = `schema[0].properties[${index}]`;
    const column = columnOf(property, field, problems);
    if (!column) return;
    columns.push(column);
    (property.quality ?? []).forEach((rule, ruleIndex) => {
      const imported = qualityRule(
        rule,
        `${field}.quality[${ruleIndex}]`,
        column.name,
        problems,
        ignored,
      );
      if (imported) quality.push(imported);
    });
  });

  const team = Array.isArray(contract.team) ? undefined : contract.team;
  // A team named by its entity name is a Group; a full ref is taken as given.
  const teamOwner =
    team?.name && !/[:/]/.test(team.name) ? `group:${team.name}` : team?.name;
  const owner = teamOwner || options.owner;
  if (!owner) {
    problems.push(
      'team.name is required to know the owner: give the owning group',
    );
  }
  const server = contract.servers?.find(
    s => (s.type === 'postgres' || s.type === 'postgresql') && s.schema,
  );
  const schema = server?.schema ?? options.schema;
  if (!schema) {
    problems.push(
      "servers: no postgres server names a schema: give the product's schema",
    );
  }

  const custom = contract.customProperties;
  const objectCustom = object.customProperties;
  const source = customString(
    objectCustom,
    CUSTOM.sourceTable,
    'schema[0]',
    problems,
  );
  const model =
    customString(objectCustom, CUSTOM.model, 'schema[0]', problems) ??
    (source === undefined ? options.model : undefined);
  if (source === undefined && model === undefined) {
    problems.push(
      `schema[0] says neither how the port is built nor what it exposes: give the model SQL (customProperty ${CUSTOM.model}, or the form) or the operational table (customProperty ${CUSTOM.sourceTable})`,
    );
  }
  const lifecycle = LIFECYCLE_OF_STATUS[contract.status] ?? contract.status;
  const sla = contract.slaProperties ?? [];
  const sunset = sla.find(entry => entry.property === SLA.endOfLife)?.value;
  if (lifecycle === 'deprecated' && typeof sunset !== 'string') {
    problems.push(
      `slaProperties: a deprecated contract needs an ${SLA.endOfLife} date (YYYY-MM-DD), the product's sunset`,
    );
  }
  const refresh = refreshOf(sla, portType, problems, ignored);
  const inputs = customValue(custom, CUSTOM.productInputs);
  if (
    inputs !== undefined &&
    (!Array.isArray(inputs) || inputs.some(i => typeof i !== 'string'))
  ) {
    problems.push(
      `customProperty ${CUSTOM.productInputs} must be a list of entity refs`,
    );
  }
  if (contract.roles?.length) {
    ignored.push(
      'roles: access is granted through access requests in the portal, not imported',
    );
  }
  if (problems.length) {
    refuse(problems);
  }

  let portEntityName = outputPortEntityName(productName!, portName);
  let namespace = DEFAULT_NAMESPACE;
  try {
    const ref = parseEntityRef(contract.id);
    if (ref.kind.toLocaleLowerCase('en-US') === 'outputport') {
      portEntityName = ref.name;
      namespace = ref.namespace;
    }
  } catch {
    // An id that is no entity ref (a UUID, say): the port is named by convention.
  }
  const metadataNamespace =
    namespace === DEFAULT_NAMESPACE ? {} : { namespace };
  const productType =
    (customString(custom, CUSTOM.productType, 'the contract', problems) as
      | DataProductType
      | undefined) ??
    (source !== undefined ? 'source-aligned' : 'consumer-aligned');
  const product: DataProductEntityV1alpha1 = {
    apiVersion: DATA_PRODUCTS_API_VERSION,
    kind: DATA_PRODUCT_KIND,
    metadata: clean({
      name: productName!,
      ...metadataNamespace,
      title: customString(
        custom,
        CUSTOM.productTitle,
        'the contract',
        problems,
      ),
      description: contract.description?.purpose,
    }),
    spec: clean({
      type: productType,
      lifecycle,
      deprecation:
        lifecycle === 'deprecated'
          ? clean({
              sunset: sunset as string,
              replacement: customString(
                custom,
                CUSTOM.deprecationReplacement,
                'the contract',
                problems,
              ),
              reason: customString(
                custom,
                CUSTOM.deprecationReason,
                'the contract',
                problems,
              ),
            })
          : undefined,
      owner: owner!,
      domain: contract.domain,
      schema: schema!,
      inputs: inputs as string[] | undefined,
    }),
  };
  const port: OutputPortEntityV1alpha1 = {
    apiVersion: DATA_PRODUCTS_API_VERSION,
    kind: OUTPUT_PORT_KIND,
    metadata: clean({
      name: portEntityName,
      ...metadataNamespace,
      title: contract.name,
      description: object.description,
      tags: contract.tags?.length ? contract.tags : undefined,
    }),
    spec: clean({
      dataProduct: productName!,
      name: portName,
      type: portType,
      version: contract.version,
      access: customString(
        objectCustom,
        CUSTOM.access,
        'schema[0]',
        problems,
      ) as OutputPortAccess | undefined,
      refreshStrategy: customString(
        objectCustom,
        CUSTOM.refreshStrategy,
        'schema[0]',
        problems,
      ) as OutputPortRefreshStrategy | undefined,
      refresh,
      quality: quality.length ? quality : undefined,
      owner: customString(objectCustom, CUSTOM.owner, 'schema[0]', problems),
      source,
      model,
      columns,
    }),
  };
  const entityProblems = [
    ...listProblems('data product', validateDataProductEntity(product)),
    ...listProblems('output port', validateOutputPortEntity(port)),
  ];
  if (problems.length || entityProblems.length) {
    refuse([...problems, ...entityProblems]);
  }
  return { product, port, ignored };
}
