import { ModelRefusalContext, modelError } from './location';
import {
  functionRefusal,
  NameRefusal,
  operatorRefusal,
  tableSampleRefusal,
  typeRefusal,
} from './nameChecks';
import {
  asNode,
  firstLocation,
  isRecord,
  nameParts,
  ownLocation,
  TreeNode,
} from './tree';

/** What the tree check needs besides the model: which relations are resolved inputs. */
export interface TreeCheckContext extends ModelRefusalContext {
  /** The `RangeVar` nodes (fields objects) bound to `source()` references. */
  sourceRelations: ReadonlySet<object>;
  /** The offset of a run of keywords in the model (outside strings and comments), if present. */
  findKeywords(words: readonly string[]): number | undefined;
}

interface Scope {
  /** WITH queries a table reference here reads (PostgreSQL looks them up before tables). */
  ctes: ReadonlySet<string>;
  /** WITH queries of the same WITH written later, which PostgreSQL would not find. */
  laterCtes: ReadonlySet<string>;
}

// Nodes that neither call code nor read data themselves; their children are checked.
const PLAIN_NODES: ReadonlySet<string> = new Set([
  'A_ArrayExpr',
  'A_Const',
  'A_Indices',
  'A_Indirection',
  'A_Star',
  'Alias',
  'BitString',
  'BoolExpr',
  'Boolean',
  'BooleanTest',
  'CaseExpr',
  'CaseWhen',
  'CoalesceExpr',
  'CollateClause',
  'ColumnRef',
  'Float',
  'GroupingFunc',
  'GroupingSet',
  'Integer',
  'JoinExpr',
  'List',
  'MinMaxExpr',
  'NamedArgExpr',
  'NullTest',
  'RangeSubselect',
  'ResTarget',
  'RowExpr',
  'SQLValueFunction',
  'String',
  'WindowDef',
]);

const LOCK_CLAUSES: Readonly<Record<string, string[]>> = {
  LCS_FORKEYSHARE: ['FOR', 'KEY', 'SHARE'],
  LCS_FORSHARE: ['FOR', 'SHARE'],
  LCS_FORNOKEYUPDATE: ['FOR', 'NO', 'KEY', 'UPDATE'],
  LCS_FORUPDATE: ['FOR', 'UPDATE'],
};

/** A readable name for a statement node type, with its article: `CreateRoleStmt` → `a CREATE ROLE statement`. */
export function describeStatement(type: string): string {
  const name = statementName(type);
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name} statement`;
}

function statementName(type: string): string {
  const named: Record<string, string> = {
    VariableSetStmt: 'SET',
    VariableShowStmt: 'SHOW',
    ViewStmt: 'CREATE VIEW',
    CreateTableAsStmt: 'CREATE TABLE AS',
    TransactionStmt: 'transaction control',
    DoStmt: 'DO',
  };
  return (
    named[type] ??
    type
      .replace(/Stmt$/, '')
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toUpperCase()
  );
}

function describeNode(type: string): string {
  if (type.startsWith('Json')) {
    return 'SQL/JSON syntax (JSON_OBJECT, JSON_ARRAY, JSON_TABLE, IS JSON, JSON_QUERY ...)';
  }
  const described: Record<string, string> = {
    XmlExpr: 'an XML expression',
    XmlSerialize: 'XMLSERIALIZE',
    RangeTableFunc: 'XMLTABLE',
    MergeSupportFunc: 'MERGE_ACTION()',
    SetToDefault: 'DEFAULT',
  };
  return described[type] ?? `${type} syntax`;
}

class ModelTreeChecker {
  constructor(private readonly context: TreeCheckContext) {}

  private refuse(at: number, problem: string, remedy: string): never {
    throw modelError(this.context, at, problem, remedy);
  }

  private where(fields: Record<string, unknown>, fallback: number): number {
    return ownLocation(fields) ?? firstLocation(fields) ?? fallback;
  }

  checkSelect(select: Record<string, unknown>, scope: Scope, fallback: number) {
    const into = select.intoClause;
    if (isRecord(into)) {
      const table = isRecord(into.rel) ? into.rel : {};
      this.refuse(
        this.where(table, fallback),
        `SELECT INTO creates the table ${String(
          table.relname,
        )}; a model only reads`,
        "Remove INTO: the engine creates the output port's table or view from the model",
      );
    }
    const locking = Array.isArray(select.lockingClause)
      ? asNode(select.lockingClause[0])
      : undefined;
    if (locking) {
      const words = LOCK_CLAUSES[String(locking.fields.strength)] ?? ['FOR'];
      this.refuse(
        this.context.findKeywords(words) ??
          this.where(locking.fields, fallback),
        `${words.join(' ')} locks rows of the product's inputs`,
        `Remove the ${words.join(' ')} clause: a model only reads`,
      );
    }

    let inner = scope;
    if (isRecord(select.withClause)) {
      inner = this.checkWith(select.withClause, scope, fallback);
    }
    for (const [key, value] of Object.entries(select)) {
      if (key === 'larg' || key === 'rarg') {
        if (isRecord(value)) {
          this.checkSelect(value, inner, fallback);
        }
      } else if (key !== 'withClause') {
        this.checkValue(value, inner, fallback);
      }
    }
  }

  private checkWith(
    withClause: Record<string, unknown>,
    scope: Scope,
    fallback: number,
  ): Scope {
    const ctes = (Array.isArray(withClause.ctes) ? withClause.ctes : [])
      .map(asNode)
      .filter((node): node is TreeNode => node?.type === 'CommonTableExpr');
    const names = ctes.map(cte => String(cte.fields.ctename));
    const recursive = withClause.recursive === true;
    ctes.forEach((cte, index) => {
      const readable = recursive ? names : names.slice(0, index);
      this.checkCommonTableExpr(
        cte.fields,
        {
          ctes: new Set([...scope.ctes, ...readable]),
          laterCtes: new Set(recursive ? [] : names.slice(index)),
        },
        fallback,
      );
    });
    return { ctes: new Set([...scope.ctes, ...names]), laterCtes: new Set() };
  }

  private checkCommonTableExpr(
    cte: Record<string, unknown>,
    scope: Scope,
    fallback: number,
  ) {
    const at = ownLocation(cte) ?? fallback;
    const query = asNode(cte.ctequery);
    if (query?.type !== 'SelectStmt') {
      this.refuse(
        at,
        `the WITH query "${String(cte.ctename)}" is ${describeStatement(
          query?.type ?? 'UnknownStmt',
        )}; a model may not change data`,
        'Keep only SELECT queries in WITH',
      );
    }
    for (const [key, value] of Object.entries(cte)) {
      if (key === 'ctequery') {
        this.checkSelect(query.fields, scope, at);
      } else {
        this.checkValue(value, scope, at);
      }
    }
  }

  private checkValue(value: unknown, scope: Scope, fallback: number): void {
    if (Array.isArray(value)) {
      value.forEach(item => this.checkValue(item, scope, fallback));
      return;
    }
    if (!isRecord(value)) {
      return;
    }
    const node = asNode(value);
    if (node) {
      this.checkNode(node, scope, fallback);
      return;
    }
    const at = ownLocation(value) ?? fallback;
    Object.values(value).forEach(child => this.checkValue(child, scope, at));
  }

  private checkNode(
    { type, fields }: TreeNode,
    scope: Scope,
    fallback: number,
  ) {
    const at = ownLocation(fields) ?? fallback;
    switch (type) {
      case 'SelectStmt':
        this.checkSelect(fields, scope, at);
        return;
      case 'RangeVar':
        this.checkRangeVar(fields, scope, at);
        return;
      case 'FuncCall':
        this.refuseByName(at, functionRefusal(nameParts(fields.funcname)));
        break;
      case 'A_Expr':
        this.refuseByName(at, operatorRefusal(nameParts(fields.name)));
        break;
      case 'SubLink':
        this.refuseByName(at, operatorRefusal(nameParts(fields.operName)));
        break;
      case 'SortBy':
        this.refuseByName(at, operatorRefusal(nameParts(fields.useOp)));
        break;
      case 'TypeCast':
        this.checkType(fields.typeName, at);
        break;
      case 'RangeFunction':
        this.checkRangeFunction(fields, fallback);
        break;
      case 'RangeTableSample':
        this.refuseByName(at, tableSampleRefusal(nameParts(fields.method)));
        break;
      case 'ParamRef':
        this.refuse(
          at,
          `uses the parameter $${String(fields.number ?? '')}`,
          'Write the value into the model: models take no parameters',
        );
        break;
      default:
        if (!PLAIN_NODES.has(type)) {
          this.refuse(
            this.where(fields, fallback),
            `uses ${describeNode(type)}, which models may not use`,
            'Write the model with plain SELECT syntax and the built-in functions listed in docs/model-safety.md',
          );
        }
    }
    Object.values(fields).forEach(child => this.checkValue(child, scope, at));
  }

  private checkRangeVar(
    fields: Record<string, unknown>,
    scope: Scope,
    at: number,
  ) {
    if (this.context.sourceRelations.has(fields)) {
      return;
    }
    const relname = String(fields.relname);
    const qualified = Boolean(fields.schemaname || fields.catalogname);
    if (!qualified && scope.ctes.has(relname)) {
      return;
    }
    const name = [fields.catalogname, fields.schemaname, relname]
      .filter(Boolean)
      .join('.');
    const later =
      !qualified && scope.laterCtes.has(relname)
        ? ` (the WITH query "${relname}" comes later in the same WITH, and a WITH query reads only those written before it)`
        : '';
    this.refuse(
      at,
      `reads the table ${name} directly${later}; a model reads only its declared inputs, through source(), and its own WITH queries`,
      "Read another data product's output port with {{ source('<product>', '<port>') }} after adding it to spec.inputs",
    );
  }

  private refuseByName(at: number, refusal: NameRefusal | undefined) {
    if (refusal) {
      this.refuse(at, refusal.problem, refusal.remedy);
    }
  }

  private checkType(typeName: unknown, at: number) {
    if (isRecord(typeName)) {
      this.refuseByName(
        ownLocation(typeName) ?? at,
        typeRefusal(nameParts(typeName.names), typeName.pct_type === true),
      );
    }
  }

  private checkRangeFunction(
    fields: Record<string, unknown>,
    fallback: number,
  ) {
    const at = this.where(fields, fallback);
    if (fields.is_rowsfrom) {
      this.refuse(
        at,
        'uses ROWS FROM (...)',
        'Call one set-returning function in FROM instead, e.g. FROM unnest(...) AS u(value)',
      );
    }
    const functions = Array.isArray(fields.functions) ? fields.functions : [];
    const declaresColumns =
      (Array.isArray(fields.coldeflist) && fields.coldeflist.length > 0) ||
      functions.some(item => {
        const items = asNode(item)?.fields.items;
        return Array.isArray(items) && asNode(items[1])?.type === 'List';
      });
    if (declaresColumns) {
      this.refuse(
        at,
        'declares the columns of a function in FROM (AS t(a integer)), which only record-returning functions need',
        'Read JSON with jsonb_each, jsonb_array_elements or ->> instead: models may not call record-returning functions',
      );
    }
  }
}

/**
 * Checks a parsed model's SELECT (positions in model offsets, references
 * bound): no SELECT INTO, no locking clause, no data-modifying WITH query,
 * tables only through `source()` or WITH queries in scope, functions, types,
 * operators and TABLESAMPLE methods only from the allowlist, and no syntax
 * outside the set known to be harmless. Throws an `InputError` pointing at
 * the first offence.
 */
export function checkModelTree(
  context: TreeCheckContext,
  select: Record<string, unknown>,
): void {
  new ModelTreeChecker(context).checkSelect(
    select,
    { ctes: new Set(), laterCtes: new Set() },
    0,
  );
}
