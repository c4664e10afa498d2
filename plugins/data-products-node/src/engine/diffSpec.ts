import { InputError } from '@backstage/errors';
import {
  DEFAULT_CONTRACT_VERSION,
  parseContractVersion,
  type OutputPortEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';
import type { ColumnConstraint, ColumnConstraints } from './metadata';

// What a port declares of its contract besides its columns and types: its
// version and its column constraints, as the plan's diff compares them.

/** The constraints in the order they are shown. */
export const CONSTRAINTS: readonly ColumnConstraint[] = [
  'primaryKey',
  'required',
  'unique',
];

/**
 * A port's declared column constraints from its entity: each column with
 * the constraints it declares (a primary key is also required and unique).
 */
export function declaredConstraints(
  port: OutputPortEntityV1alpha1,
): ColumnConstraints {
  const constraints: ColumnConstraints = {};
  for (const column of port.spec.columns ?? []) {
    const declared = new Set<ColumnConstraint>();
    if (column?.primaryKey === true) {
      CONSTRAINTS.forEach(c => declared.add(c));
    }
    if (column?.required === true) declared.add('required');
    if (column?.unique === true) declared.add('unique');
    constraints[String(column?.name)] = CONSTRAINTS.filter(c =>
      declared.has(c),
    );
  }
  return constraints;
}

/** A port's `spec.version`, checked: MAJOR.MINOR.PATCH, `1.0.0` when absent. */
export function checkContractVersion(port: OutputPortEntityV1alpha1): string {
  const value: unknown = port.spec.version ?? DEFAULT_CONTRACT_VERSION;
  if (!parseContractVersion(value)) {
    throw new InputError(
      `Invalid version of output port '${port.spec.name}' ${JSON.stringify(
        value,
      )}: must be MAJOR.MINOR.PATCH, e.g. 1.0.0 or 2.0.0`,
    );
  }
  return value as string;
}

/** The major number of a checked version. */
export function majorOf(version: string): number {
  return parseContractVersion(version)!.major;
}
