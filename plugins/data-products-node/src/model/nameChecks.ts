import {
  functionRefusalReason,
  MODEL_FUNCTIONS,
  MODEL_TABLESAMPLE_METHODS,
  MODEL_TYPES,
} from './allowlist';

/** Why a name is refused, and what the model's author can do instead. */
export interface NameRefusal {
  problem: string;
  remedy: string;
}

const PG_CATALOG = 'pg_catalog';

// A name PostgreSQL resolves to a built-in: unqualified or qualified with pg_catalog.
function builtInName(name: readonly string[]): string | undefined {
  if (name.length === 1) {
    return name[0];
  }
  return name.length === 2 && name[0] === PG_CATALOG ? name[1] : undefined;
}

const FUNCTION_REMEDY =
  'Compute the value with the built-in aggregate, window, string, math, date/time, JSON and conversion functions listed in docs/model-safety.md';

/** Refuses a function call (its qualified name) unless the allowlist has it. */
export function functionRefusal(
  name: readonly string[],
): NameRefusal | undefined {
  const functionName = builtInName(name);
  if (functionName === undefined) {
    return {
      problem: `calls ${name.join(
        '.',
      )}(), a function outside pg_catalog; models call only PostgreSQL's built-in functions, never a schema-qualified or user-defined one`,
      remedy: FUNCTION_REMEDY,
    };
  }
  if (MODEL_FUNCTIONS.has(functionName)) {
    return undefined;
  }
  const reason = functionRefusalReason(functionName);
  return {
    problem: reason
      ? `calls ${functionName}(), which models may not call: ${reason}`
      : `calls ${functionName}(), which is not among the built-in functions models may call`,
    remedy: FUNCTION_REMEDY,
  };
}

/**
 * Refuses an operator (its qualified name, empty where the syntax has no
 * operator) qualified with a schema other than pg_catalog: it may
 * be a user's function behind a symbol. Unqualified operators resolve
 * through the search_path the engine runs models with (pg_catalog only).
 */
export function operatorRefusal(
  name: readonly string[],
): NameRefusal | undefined {
  if (name.length === 0 || builtInName(name) !== undefined) {
    return undefined;
  }
  return {
    problem: `uses the operator OPERATOR(${name.join(
      '.',
    )}), which is not one of PostgreSQL's built-in operators`,
    remedy:
      'Write the operator without a schema (a = b), or qualify it with pg_catalog: OPERATOR(pg_catalog.=)',
  };
}

/** Refuses a cast to a type outside the allowlist (`%TYPE` included). */
export function typeRefusal(
  name: readonly string[],
  copiesColumnType: boolean,
): NameRefusal | undefined {
  const typeName = builtInName(name);
  if (!copiesColumnType && typeName && MODEL_TYPES.has(typeName)) {
    return undefined;
  }
  return {
    problem: `casts to the type ${name.join('.')}${
      copiesColumnType ? '%TYPE' : ''
    }, which is not among the built-in types models may use`,
    remedy:
      'Cast to a built-in type such as text, integer, numeric(10,2), date, timestamptz or jsonb; docs/model-safety.md lists them',
  };
}

/** Refuses a TABLESAMPLE method that is not built in (extensions' methods run their code). */
export function tableSampleRefusal(
  method: readonly string[],
): NameRefusal | undefined {
  const methodName = builtInName(method);
  if (methodName && MODEL_TABLESAMPLE_METHODS.has(methodName)) {
    return undefined;
  }
  return {
    problem: `samples with the TABLESAMPLE method ${method.join(
      '.',
    )}, which is not built in`,
    remedy:
      'Use TABLESAMPLE BERNOULLI (percent) or TABLESAMPLE SYSTEM (percent)',
  };
}
