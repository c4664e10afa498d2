// The one way the portal's scripts (and its browser test) wait for something.
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Calls `probe` every `intervalMs` until it returns a value other than
 * `undefined` or `false`, and resolves with that value. An error thrown by the
 * probe ends the wait at once. When `timeoutMs` has passed, it rejects with
 * the error `onTimeout` returns (it may be async): the caller's own, saying
 * what did not happen and what to do about it.
 */
export async function waitFor(probe, { timeoutMs, intervalMs = 500, onTimeout }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() >= deadline) throw await onTimeout();
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
}
