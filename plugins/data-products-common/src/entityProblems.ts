/** One broken rule in a DataProduct or OutputPort entity. */
export interface EntityValidationProblem {
  /** The field, as a path: `spec.columns[2].type`. */
  field: string;
  /** The offending value (`undefined` when the field is missing). */
  value: unknown;
  /** The rule, phrased to follow the value: `must be a non-empty string`. */
  rule: string;
  /** A sentence naming the field, the value and the rule. */
  message: string;
}

function formatValue(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Makes a problem whose message names the field, the value and the rule. */
export function entityProblem(
  field: string,
  value: unknown,
  rule: string,
): EntityValidationProblem {
  const message =
    value === undefined
      ? `${field} ${rule}`
      : `${field}: ${formatValue(value)} ${rule}`;
  return { field, value, rule, message };
}

/** Whether a value is a plain object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
