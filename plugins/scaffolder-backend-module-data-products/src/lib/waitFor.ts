import { setTimeout as sleep } from 'node:timers/promises';

/** How {@link waitFor} waits. */
export interface WaitForOptions {
  /** How long to wait in all. */
  timeoutMs: number;
  /** The pause between two calls of the probe. */
  intervalMs: number;
  /** The error to fail with when the time is up: it says what did not happen and what to do. */
  onTimeout: () => Error;
  /** Ends the wait early, rejecting with the signal's reason (a cancelled task). */
  signal?: AbortSignal;
}

/**
 * Calls `probe` every `intervalMs` until it returns a value other than
 * `undefined`, and resolves with that value. An error thrown by the probe ends
 * the wait at once; when `timeoutMs` has passed, it rejects with the error
 * `onTimeout` returns.
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  options: WaitForOptions,
): Promise<T> {
  const { timeoutMs, intervalMs, onTimeout, signal } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() >= deadline) {
      throw onTimeout();
    }
    await sleep(
      Math.min(intervalMs, Math.max(0, deadline - Date.now())),
      undefined,
      { signal },
    );
  }
}
