/**
 * SQLSTATEs of failures that say nothing about the build itself and may pass
 * if it runs again: the connection went away (class 08), the server is
 * shutting down or starting (57P01–57P03), too many connections (53300),
 * a serialization failure or deadlock (40001, 40P01) and a lock that was not
 * granted in time (55P03).
 */
const TRANSIENT_SQLSTATES = new Set([
  '40001',
  '40P01',
  '55P03',
  '53300',
  '57P01',
  '57P02',
  '57P03',
]);

/** Socket errors of a connection to the warehouse that was refused or broken. */
const TRANSIENT_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

// Errors the engine made from a transient failure, e.g. the ConflictError of
// a lock timeout, which says what happened in words but no longer carries
// PostgreSQL's SQLSTATE.
const marked = new WeakSet<Error>();

/** Marks an error the engine made from a transient failure; returns it. */
export function markTransient<T extends Error>(error: T): T {
  marked.add(error);
  return error;
}

/**
 * True when a run failed for a reason that may pass if it runs again (see
 * {@link TRANSIENT_SQLSTATES}), looking through the error's causes; false for
 * errors in the product itself (a model error, a contract violation, a
 * cancelled or timed-out statement).
 */
export function isTransientError(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    if (current instanceof Error && marked.has(current)) {
      return true;
    }
    const { code, name } = current as { code?: unknown; name?: unknown };
    if (typeof code === 'string') {
      if (
        TRANSIENT_SQLSTATES.has(code) ||
        TRANSIENT_SOCKET_CODES.has(code) ||
        /^08[0-9A-Z]{3}$/.test(code)
      ) {
        return true;
      }
    }
    if (name === 'KnexTimeoutError') {
      // No pooled connection became free in time.
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
