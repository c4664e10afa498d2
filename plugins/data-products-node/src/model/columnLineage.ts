import type { SelectStmt } from 'libpg-query';
import { PhysicalRelation } from './references';
import { asNode, isRecord, nameParts } from './tree';

/**
 * How an output column derives from an input column, in the vocabulary of
 * OpenLineage's ColumnLineageDatasetFacet: DIRECT (the value comes from it)
 * or INDIRECT (it decides which rows there are or in which order).
 */
export type ColumnTransformationType = 'DIRECT' | 'INDIRECT';

/**
 * DIRECT: IDENTITY (copied), TRANSFORMATION (computed from it), AGGREGATION
 * (computed from many rows of it). INDIRECT: JOIN, FILTER, GROUP_BY, SORT,
 * WINDOW, CONDITIONAL.
 */
export type ColumnTransformationSubtype =
  | 'IDENTITY'
  | 'TRANSFORMATION'
  | 'AGGREGATION'
  | 'JOIN'
  | 'FILTER'
  | 'GROUP_BY'
  | 'SORT'
  | 'WINDOW'
  | 'CONDITIONAL';

/** One transformation from an input column to an output column. */
export interface ColumnTransformation {
  type: ColumnTransformationType;
  subtype: ColumnTransformationSubtype;
}

/** An input column an output column derives from, and how. */
export interface ColumnLineageInputField {
  /** The input relation as the model reads it (the resolved `source()`). */
  relation: PhysicalRelation;
  /** The input column. */
  field: string;
  transformations: ColumnTransformation[];
}

/** The lineage of one model: per output column, and for the whole result. */
export interface ModelColumnLineage {
  /** Every output column, in order, with the input columns it derives from. */
  columns: Array<{ name: string; inputFields: ColumnLineageInputField[] }>;
  /**
   * Input columns that shape every row (joins, filters, grouping, sorting):
   * OpenLineage's dataset-level dependencies. They are also listed on each
   * column, as INDIRECT.
   */
  dataset: ColumnLineageInputField[];
}

/** What the lineage needs to know of an input relation: its columns, in order. */
export type RelationColumns = (relation: PhysicalRelation) => readonly string[];

type Direct = 'IDENTITY' | 'TRANSFORMATION' | 'AGGREGATION';
const DIRECT_RANK: Record<Direct, number> = {
  IDENTITY: 0,
  TRANSFORMATION: 1,
  AGGREGATION: 2,
};

/** One derivation: input column key (`schema.name\u0000field`) and how. */
interface Derivation {
  key: string;
  type: ColumnTransformationType;
  subtype: ColumnTransformationSubtype;
}

/** What a column of a relation in scope, or of a query's result, derives from. */
type Derivations = Derivation[];

interface QueryResult {
  columns: Array<{ name: string; derivations: Derivations }>;
  /** Indirect derivations that shape every row of the result. */
  dataset: Derivations;
}

interface ScopeRelation {
  alias: string | undefined;
  columns: Array<{ name: string; derivations: Derivations }>;
  /** What shapes the rows of a sub-query or CTE: it shapes the reader's too. */
  dataset?: Derivations;
}

interface Scope {
  relations: ScopeRelation[];
  ctes: Map<string, QueryResult>;
  outer?: Scope;
  /** The SELECT's output columns, for ORDER BY / GROUP BY by alias or position. */
  outputs?: QueryResult['columns'];
}

/** Functions that aggregate many rows into one value (PostgreSQL's built-in aggregates). */
const AGGREGATES = new Set([
  'array_agg',
  'avg',
  'bit_and',
  'bit_or',
  'bit_xor',
  'bool_and',
  'bool_or',
  'count',
  'every',
  'json_agg',
  'json_object_agg',
  'jsonb_agg',
  'jsonb_object_agg',
  'max',
  'min',
  'range_agg',
  'range_intersect_agg',
  'string_agg',
  'sum',
  'xmlagg',
  'corr',
  'covar_pop',
  'covar_samp',
  'regr_avgx',
  'regr_avgy',
  'regr_count',
  'regr_intercept',
  'regr_r2',
  'regr_slope',
  'regr_sxx',
  'regr_sxy',
  'regr_syy',
  'stddev',
  'stddev_pop',
  'stddev_samp',
  'variance',
  'var_pop',
  'var_samp',
  'mode',
  'percentile_cont',
  'percentile_disc',
  'rank',
  'dense_rank',
  'percent_rank',
  'cume_dist',
  'any_value',
]);

const KEY_SEPARATOR = '\u0000';

function relationKey(relation: PhysicalRelation, field: string): string {
  return `${relation.schema}.${relation.name}${KEY_SEPARATOR}${field}`;
}

function dedupe(derivations: Derivations): Derivations {
  const seen = new Map<string, Derivation>();
  for (const derivation of derivations) {
    seen.set(
      `${derivation.key}|${derivation.type}|${derivation.subtype}`,
      derivation,
    );
  }
  return [...seen.values()];
}

/** What `derivations` become when read in the context `how`. */
function through(derivations: Derivations, how: Derivation['subtype'], type: ColumnTransformationType): Derivations {
  return derivations.map(derivation => {
    if (derivation.type === 'INDIRECT') {
      return derivation;
    }
    if (type === 'INDIRECT') {
      return { key: derivation.key, type, subtype: how };
    }
    const a = DIRECT_RANK[derivation.subtype as Direct];
    const b = DIRECT_RANK[how as Direct];
    return {
      key: derivation.key,
      type: 'DIRECT',
      subtype: a >= b ? derivation.subtype : how,
    };
  });
}

function asIndirect(
  derivations: Derivations,
  subtype: ColumnTransformationSubtype,
): Derivations {
  return through(derivations, subtype, 'INDIRECT');
}

class LineageAnalyzer {
  constructor(private readonly columnsOf: RelationColumns) {}

  query(select: Record<string, unknown>, outer?: Scope, ctes?: Map<string, QueryResult>): QueryResult {
    const scope: Scope = {
      relations: [],
      ctes: new Map(ctes ?? outer?.ctes ?? []),
      outer,
    };
    this.withClause(select.withClause, scope);

    if (select.op && select.op !== 'SETOP_NONE') {
      return this.setOperation(select, scope);
    }
    if (Array.isArray(select.valuesLists)) {
      return this.values(select.valuesLists, scope);
    }

    const dataset: Derivations = [];
    for (const item of asList(select.fromClause)) {
      this.fromItem(item, scope, dataset);
    }
    for (const relation of scope.relations) {
      dataset.push(...(relation.dataset ?? []));
    }

    const columns: QueryResult['columns'] = [];
    for (const target of asList(select.targetList)) {
      const node = asNode(target);
      if (node?.type !== 'ResTarget') continue;
      const value = node.fields.val;
      const star = starOf(value);
      if (star) {
        for (const relation of this.starRelations(star, scope)) {
          for (const column of relation.columns) {
            columns.push({
              name: column.name,
              derivations: column.derivations,
            });
          }
        }
        continue;
      }
      const derivations: Derivations = [];
      this.expression(value, scope, 'IDENTITY', derivations, dataset);
      columns.push({
        name:
          typeof node.fields.name === 'string'
            ? node.fields.name
            : figureColumnName(value),
        derivations,
      });
    }
    scope.outputs = columns;

    this.indirect(select.whereClause, scope, 'FILTER', dataset);
    this.indirect(select.havingClause, scope, 'FILTER', dataset);
    for (const item of asList(select.groupClause)) {
      this.byReference(item, scope, 'GROUP_BY', dataset);
    }
    for (const item of asList(select.sortClause)) {
      this.byReference(asNode(item)?.fields.node, scope, 'SORT', dataset);
    }
    for (const item of asList(select.distinctClause)) {
      if (asNode(item)) {
        this.byReference(item, scope, 'GROUP_BY', dataset);
      }
    }
    for (const item of asList(select.windowClause)) {
      const windowDef = asNode(item)?.fields;
      this.windowDefinition(windowDef, scope, dataset);
    }
    return { columns, dataset: dedupe(dataset) };
  }

  private withClause(withClause: unknown, scope: Scope) {
    if (!isRecord(withClause)) return;
    for (const cte of asList(withClause.ctes)) {
      const fields = asNode(cte)?.fields;
      const query = asNode(fields?.ctequery)?.fields;
      if (!fields || !query) continue;
      const name = String(fields.ctename);
      let result: QueryResult;
      if (withClause.recursive && query.op && query.op !== 'SETOP_NONE') {
        // the non-recursive branch names the columns; the recursive one adds to them
        const seed = this.query(query.larg as Record<string, unknown>, scope.outer, scope.ctes);
        scope.ctes.set(name, renameColumns(seed, fields.aliascolnames));
        result = this.query(query, scope.outer, scope.ctes);
      } else {
        result = this.query(query, scope.outer, scope.ctes);
      }
      scope.ctes.set(name, renameColumns(result, fields.aliascolnames));
    }
  }

  private setOperation(select: Record<string, unknown>, scope: Scope): QueryResult {
    const left = this.query(select.larg as Record<string, unknown>, scope.outer, scope.ctes);
    const right = this.query(select.rarg as Record<string, unknown>, scope.outer, scope.ctes);
    const columns = left.columns.map((column, index) => ({
      name: column.name,
      derivations: dedupe([
        ...column.derivations,
        ...(right.columns[index]?.derivations ?? []),
      ]),
    }));
    const dataset = [...left.dataset, ...right.dataset];
    const ordered: Scope = { ...scope, relations: [], outputs: columns };
    for (const item of asList(select.sortClause)) {
      this.byReference(asNode(item)?.fields.node, ordered, 'SORT', dataset);
    }
    return { columns, dataset: dedupe(dataset) };
  }

  private values(lists: unknown[], scope: Scope): QueryResult {
    const columns: QueryResult['columns'] = [];
    const dataset: Derivations = [];
    for (const row of lists) {
      asList(asNode(row)?.fields.items ?? row).forEach((value, index) => {
        const derivations: Derivations = [];
        this.expression(value, scope, 'IDENTITY', derivations, dataset);
        if (!columns[index]) {
          columns[index] = { name: `column${index + 1}`, derivations: [] };
        }
        columns[index].derivations.push(...derivations);
      });
    }
    return { columns, dataset };
  }

  private fromItem(item: unknown, scope: Scope, dataset: Derivations) {
    const node = asNode(item);
    if (!node) return;
    const fields = node.fields;
    const alias = isRecord(fields.alias) ? fields.alias : undefined;
    const aliasName = typeof alias?.aliasname === 'string' ? alias.aliasname : undefined;
    switch (node.type) {
      case 'RangeVar': {
        const name = String(fields.relname);
        const schema = typeof fields.schemaname === 'string' ? fields.schemaname : undefined;
        const cte = schema === undefined ? scope.ctes.get(name) : undefined;
        if (cte) {
          scope.relations.push({
            alias: aliasName ?? name,
            columns: renameColumns(cte, alias?.colnames).columns,
            dataset: cte.dataset,
          });
          return;
        }
        if (schema === undefined) {
          scope.relations.push({ alias: aliasName ?? name, columns: [] });
          return;
        }
        const relation = { schema, name };
        const names = this.columnsOf(relation);
        const renamed = aliasNames(alias?.colnames);
        scope.relations.push({
          alias: aliasName ?? name,
          columns: names.map((field, index) => ({
            name: renamed[index] ?? field,
            derivations: [
              { key: relationKey(relation, field), type: 'DIRECT', subtype: 'IDENTITY' },
            ],
          })),
        });
        return;
      }
      case 'RangeSubselect': {
        const query = asNode(fields.subquery)?.fields;
        if (!query) return;
        const result = this.query(
          query,
          fields.lateral ? { ...scope, relations: [...scope.relations] } : scope.outer,
          scope.ctes,
        );
        scope.relations.push({
          alias: aliasName,
          columns: renameColumns(result, alias?.colnames).columns,
          dataset: result.dataset,
        });
        return;
      }
      case 'RangeFunction': {
        // e.g. unnest(array) or generate_series(1, n): its columns derive from the arguments
        const derivations: Derivations = [];
        this.expression(fields.functions, scope, 'TRANSFORMATION', derivations, dataset);
        const names = aliasNames(alias?.colnames);
        scope.relations.push({
          alias: aliasName,
          columns: (names.length > 0 ? names : [aliasName ?? 'unnest']).map(name => ({
            name,
            derivations,
          })),
        });
        return;
      }
      case 'JoinExpr': {
        const before = scope.relations.length;
        this.fromItem(fields.larg, scope, dataset);
        this.fromItem(fields.rarg, scope, dataset);
        this.indirect(fields.quals, scope, 'JOIN', dataset);
        const joined = scope.relations.slice(before);
        for (const name of nameParts(fields.usingClause)) {
          for (const relation of joined) {
            const column = relation.columns.find(c => c.name === name);
            if (column) dataset.push(...asIndirect(column.derivations, 'JOIN'));
          }
        }
        if (aliasName) {
          scope.relations.splice(before, joined.length, {
            alias: aliasName,
            columns: joined.flatMap(relation => relation.columns),
            dataset: joined.flatMap(relation => relation.dataset ?? []),
          });
        }
        return;
      }
      default:
        return;
    }
  }

  private starRelations(qualifier: string[], scope: Scope): ScopeRelation[] {
    if (qualifier.length === 0) return scope.relations;
    const alias = qualifier[qualifier.length - 1];
    return scope.relations.filter(relation => relation.alias === alias);
  }

  /** The derivations of a column reference, looked up through the scopes. */
  private resolve(parts: string[], scope: Scope | undefined): Derivations | undefined {
    for (let current = scope; current; current = current.outer) {
      const column = parts[parts.length - 1];
      const qualifier = parts.length > 1 ? parts[parts.length - 2] : undefined;
      const found = current.relations
        .filter(relation => qualifier === undefined || relation.alias === qualifier)
        .flatMap(relation => relation.columns.filter(c => c.name === column));
      if (found.length > 0) {
        // a USING column appears once per side: both sides feed it
        return found.flatMap(c => c.derivations);
      }
    }
    return undefined;
  }

  /**
   * Collects what `value` derives from: direct column reads with `how` (the
   * strongest transformation on the way), and indirect ones (CASE conditions,
   * sub-query filters) into `out`; what shapes rows goes to `dataset`.
   */
  private expression(
    value: unknown,
    scope: Scope,
    how: Direct,
    out: Derivations,
    dataset: Derivations,
  ): void {
    if (Array.isArray(value)) {
      value.forEach(item => this.expression(item, scope, how, out, dataset));
      return;
    }
    const node = asNode(value);
    if (!node) {
      if (isRecord(value)) {
        Object.values(value).forEach(child =>
          this.expression(child, scope, how, out, dataset),
        );
      }
      return;
    }
    const fields = node.fields;
    const deeper: Direct = how === 'AGGREGATION' ? how : 'TRANSFORMATION';
    switch (node.type) {
      case 'ColumnRef': {
        const parts = nameParts(fields.fields);
        const derivations = this.resolve(parts, scope);
        if (derivations) out.push(...through(derivations, how, 'DIRECT'));
        return;
      }
      case 'FuncCall': {
        const name = nameParts(fields.funcname).pop() ?? '';
        const aggregate =
          AGGREGATES.has(name) ||
          fields.agg_star === true ||
          fields.agg_order !== undefined ||
          fields.agg_filter !== undefined ||
          fields.over !== undefined;
        const inner: Direct = aggregate ? 'AGGREGATION' : deeper;
        this.expression(fields.args, scope, inner, out, dataset);
        this.expression(fields.agg_order, scope, inner, out, dataset);
        if (fields.agg_filter !== undefined) {
          const filter: Derivations = [];
          this.expression(fields.agg_filter, scope, 'TRANSFORMATION', filter, dataset);
          out.push(...asIndirect(filter, 'FILTER'));
        }
        if (isRecord(fields.over)) {
          const window: Derivations = [];
          this.windowDefinition(fields.over, scope, window);
          out.push(...window);
        }
        return;
      }
      case 'CaseExpr': {
        const conditions: Derivations = [];
        this.expression(fields.arg, scope, 'TRANSFORMATION', conditions, dataset);
        for (const when of asList(fields.args)) {
          const whenFields = asNode(when)?.fields;
          this.expression(whenFields?.expr, scope, 'TRANSFORMATION', conditions, dataset);
          this.expression(whenFields?.result, scope, deeper, out, dataset);
        }
        this.expression(fields.defresult, scope, deeper, out, dataset);
        out.push(...asIndirect(conditions, 'CONDITIONAL'));
        return;
      }
      case 'SubLink': {
        const query = asNode(fields.subselect)?.fields;
        const result = query ? this.query(query, scope, scope.ctes) : undefined;
        const tested: Derivations = [];
        this.expression(fields.testexpr, scope, deeper, tested, dataset);
        const values = (result?.columns ?? []).flatMap(c => c.derivations);
        const shaping = result?.dataset ?? [];
        if (fields.subLinkType === 'EXPR_SUBLINK' || fields.subLinkType === 'ARRAY_SUBLINK') {
          out.push(...through(values, deeper, 'DIRECT'), ...shaping);
        } else {
          // EXISTS / IN / ANY / ALL: a yes or no that decides, not a value
          out.push(
            ...asIndirect([...tested, ...values], 'CONDITIONAL'),
            ...shaping,
          );
          return;
        }
        out.push(...tested);
        return;
      }
      case 'SelectStmt':
        return;
      default:
        Object.values(fields).forEach(child =>
          this.expression(child, scope, deeper, out, dataset),
        );
    }
  }

  /** Everything `value` reads, as INDIRECT `subtype` dependencies of every row. */
  private indirect(
    value: unknown,
    scope: Scope,
    subtype: ColumnTransformationSubtype,
    dataset: Derivations,
  ) {
    if (value === undefined) return;
    const read: Derivations = [];
    this.expression(value, scope, 'TRANSFORMATION', read, dataset);
    // all a WHERE, ON or GROUP BY reads, a CASE or IN inside it included, is of that kind
    dataset.push(...read.map(d => ({ key: d.key, type: 'INDIRECT' as const, subtype })));
  }

  /** GROUP BY, ORDER BY, DISTINCT ON: an expression, an output column's name or position. */
  private byReference(
    value: unknown,
    scope: Scope,
    subtype: ColumnTransformationSubtype,
    dataset: Derivations,
  ) {
    const node = asNode(value);
    const outputs = scope.outputs ?? [];
    const position = node?.type === 'A_Const' ? asNode(node.fields.ival)?.fields : undefined;
    const ival = isRecord(node?.fields.ival) ? node?.fields.ival.ival : position?.ival;
    if (node?.type === 'A_Const' && typeof ival === 'number') {
      const output = outputs[ival - 1];
      if (output) dataset.push(...asIndirect(output.derivations, subtype));
      return;
    }
    if (node?.type === 'ColumnRef') {
      const parts = nameParts(node.fields.fields);
      if (parts.length === 1 && this.resolve(parts, scope) === undefined) {
        const output = outputs.find(o => o.name === parts[0]);
        if (output) dataset.push(...asIndirect(output.derivations, subtype));
        return;
      }
    }
    this.indirect(value, scope, subtype, dataset);
  }

  private windowDefinition(
    windowDef: Record<string, unknown> | undefined,
    scope: Scope,
    out: Derivations,
  ) {
    if (!windowDef) return;
    const read: Derivations = [];
    const ignored: Derivations = [];
    this.expression(windowDef.partitionClause, scope, 'TRANSFORMATION', read, ignored);
    for (const sort of asList(windowDef.orderClause)) {
      this.expression(asNode(sort)?.fields.node, scope, 'TRANSFORMATION', read, ignored);
    }
    out.push(...asIndirect([...read, ...ignored], 'WINDOW'));
  }
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The qualifier of a `*` or `t.*` target, or undefined for anything else. */
function starOf(value: unknown): string[] | undefined {
  const node = asNode(value);
  if (node?.type !== 'ColumnRef' || !Array.isArray(node.fields.fields)) {
    return undefined;
  }
  const last = node.fields.fields[node.fields.fields.length - 1];
  if (asNode(last)?.type !== 'A_Star') return undefined;
  return nameParts(node.fields.fields.slice(0, -1));
}

function aliasNames(colnames: unknown): string[] {
  return nameParts(colnames);
}

function renameColumns(result: QueryResult, colnames: unknown): QueryResult {
  const names = aliasNames(colnames);
  if (names.length === 0) return result;
  return {
    ...result,
    columns: result.columns.map((column, index) => ({
      ...column,
      name: names[index] ?? column.name,
    })),
  };
}

/** The name PostgreSQL gives an unnamed output column (its FigureColname, in short). */
function figureColumnName(value: unknown): string {
  const node = asNode(value);
  if (!node) return '?column?';
  switch (node.type) {
    case 'ColumnRef': {
      return nameParts(node.fields.fields).pop() || '?column?';
    }
    case 'TypeCast': {
      const inner = figureColumnName(node.fields.arg);
      if (inner !== '?column?') return inner;
      const typeName = isRecord(node.fields.typeName) ? node.fields.typeName : {};
      return nameParts(typeName.names).pop() ?? '?column?';
    }
    case 'FuncCall':
      return nameParts(node.fields.funcname).pop() ?? '?column?';
    case 'CaseExpr':
      return 'case';
    case 'CoalesceExpr':
      return 'coalesce';
    case 'MinMaxExpr':
      return node.fields.op === 'IS_GREATEST' ? 'greatest' : 'least';
    case 'A_Indirection':
      return figureColumnName(node.fields.arg);
    case 'SubLink': {
      if (node.fields.subLinkType === 'EXISTS_SUBLINK') return 'exists';
      if (node.fields.subLinkType === 'ARRAY_SUBLINK') return 'array';
      const select = asNode(node.fields.subselect)?.fields;
      const first = asNode(asList(select?.targetList)[0])?.fields;
      if (!first) return '?column?';
      return typeof first.name === 'string' ? first.name : figureColumnName(first.val);
    }
    default:
      return '?column?';
  }
}

function toInputFields(derivations: Derivations): ColumnLineageInputField[] {
  const byField = new Map<string, ColumnLineageInputField>();
  for (const derivation of dedupe(derivations)) {
    let field = byField.get(derivation.key);
    if (!field) {
      const [relationName, column] = derivation.key.split(KEY_SEPARATOR);
      const dot = relationName.indexOf('.');
      field = {
        relation: {
          schema: relationName.slice(0, dot),
          name: relationName.slice(dot + 1),
        },
        field: column,
        transformations: [],
      };
      byField.set(derivation.key, field);
    }
    field.transformations.push({
      type: derivation.type,
      subtype: derivation.subtype,
    });
  }
  const order: Record<string, number> = {
    IDENTITY: 0,
    TRANSFORMATION: 1,
    AGGREGATION: 2,
    JOIN: 3,
    FILTER: 4,
    GROUP_BY: 5,
    SORT: 6,
    WINDOW: 7,
    CONDITIONAL: 8,
  };
  const fields = [...byField.values()];
  for (const field of fields) {
    field.transformations.sort((a, b) => order[a.subtype] - order[b.subtype]);
  }
  return fields.sort((a, b) =>
    `${a.relation.schema}.${a.relation.name}.${a.field}`.localeCompare(
      `${b.relation.schema}.${b.relation.name}.${b.field}`,
    ),
  );
}

/**
 * Column-level lineage of a checked model, from its PostgreSQL parse tree:
 * for each output column, the input columns it derives from and how —
 * DIRECT (IDENTITY, TRANSFORMATION, AGGREGATION) or INDIRECT (JOIN, FILTER,
 * GROUP_BY, SORT, WINDOW, CONDITIONAL) — through joins, CTEs, sub-queries,
 * set operations and `*`. `columnsOf` names an input relation's columns (its
 * contract), for `*` and unqualified names. A column whose value comes from
 * no input (a constant) has no input fields.
 */
export function columnLineage(
  tree: SelectStmt,
  columnsOf: RelationColumns,
): ModelColumnLineage {
  const result = new LineageAnalyzer(columnsOf).query(
    tree as unknown as Record<string, unknown>,
  );
  return {
    columns: result.columns.map(column => ({
      name: column.name,
      inputFields: toInputFields([...column.derivations, ...result.dataset]),
    })),
    dataset: toInputFields(result.dataset),
  };
}
