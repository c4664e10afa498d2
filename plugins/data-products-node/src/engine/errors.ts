import { ConflictError, CustomErrorBase, InputError } from '@backstage/errors';
import { ColumnDrift } from '@dataproducts/plugin-data-products-common';
import {
  CheckedModel,
  locateExecutionError,
  locateInModel,
  ModelLocation,
} from '../model';
import { describeDrift } from './contract';

/** The fields of an error that PostgreSQL reported through pg. */
export interface PgError extends Error {
  code?: string;
  position?: string;
  internalPosition?: string;
  internalQuery?: string;
  hint?: string;
}

/** True when PostgreSQL reported the error (it has a SQLSTATE). */
export function isPgError(error: unknown): error is PgError {
  return typeof (error as PgError)?.code === 'string';
}

/** A PostgreSQL error in a statement the user's input shaped, as an `InputError` with context. */
export function pgInputError(error: unknown, context: string): Error {
  if (!isPgError(error)) {
    return error as Error;
  }
  return new InputError(`${context}: ${error.message}`);
}

/** What a port is built from, to say where a build failed. */
export interface BuildSubject {
  product: string;
  port: string;
  /** The SELECT the port is built from. */
  select: string;
  /** Consumer-aligned ports: the checked model, to point at the line as written. */
  model?: CheckedModel;
  /** Source-aligned ports: `schema.table`. */
  source?: string;
}

/**
 * A PostgreSQL error raised while the build function ran a port's SELECT,
 * as an `InputError` that points at the line and column of the model as
 * written (mapped back from the deparsed SQL that ran). `prefixLength` is
 * the length of what precedes the SELECT in the statement the function ran.
 */
export function modelError(
  error: unknown,
  subject: BuildSubject,
  prefixLength: number,
): Error {
  if (!isPgError(error)) {
    return error as Error;
  }
  const what = subject.model
    ? `Model SQL of output port '${subject.port}' of data product '${subject.product}' failed in PostgreSQL`
    : `Building output port '${subject.port}' of data product '${
        subject.product
      }'${
        subject.source ? ` from ${subject.source}` : ''
      } failed in PostgreSQL`;
  let where = '';
  const position = Number(error.internalPosition ?? 0) - prefixLength;
  if (position > 0 && position <= subject.select.length) {
    const location: ModelLocation = subject.model
      ? locateExecutionError(subject.model, position)
      : locateInModel(subject.select, position - 1);
    where = ` at line ${location.line}, column ${location.column}:\n${location.excerpt}`;
  }
  let hint = error.hint ? `\nHint: ${error.hint}` : '';
  if (error.code === '42501') {
    hint =
      "\nA model runs as the product's own role and can read only its declared inputs, through {{ source('<product>', '<port>') }}.";
  }
  return new InputError(`${what}: ${error.message}${where}${hint}`);
}

/** The columns a build produced are not the declared ones. */
export function contractError(
  product: string,
  port: string,
  drift: ColumnDrift[],
): InputError {
  return new InputError(
    `Output port '${port}' of data product '${product}' does not match its declared columns, ` +
      `so it was not changed (the previous version stays in place):\n${describeDrift(
        drift,
      )}`,
  );
}

/** Views of other products read a port, and the change asked for would break them. */
export function dependentViewsConflict(
  product: string,
  port: string,
  dependents: string[],
  reason: string,
): ConflictError {
  return new ConflictError(
    `Output port '${port}' of data product '${product}' is read by ${dependents.join(
      ', ',
    )} (views of other data products), so ${reason}; the previous version stays in place. ` +
      `Change or decommission those products first.`,
  );
}

/**
 * A run stopped because its caller cancelled it (an aborted `AbortSignal`,
 * e.g. a cancelled scaffolder task). Nothing of the run was committed.
 */
export class BuildCancelledError extends CustomErrorBase {
  name = 'BuildCancelledError' as const;
}
