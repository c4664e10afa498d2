import type { LoggerService } from '@backstage/backend-plugin-api';

/** The most names indexed in one step (one transaction of the index). */
export const REGISTRY_INDEX_BATCH = 100;

/**
 * The registry products waiting to be indexed, worked off in the
 * background, up to {@link REGISTRY_INDEX_BATCH} names a step: a
 * registration returns as soon as its name is queued, not when the index
 * has it. A name queued again before its turn is indexed once (the index
 * reads the registry as it is then). A failure is logged and left to the
 * next reconcile, which heals whatever was missed.
 */
export class RegistryIndexQueue {
  readonly #pending = new Set<string>();
  readonly #index: (names: string[]) => Promise<void>;
  readonly #logger: Pick<LoggerService, 'warn'>;
  #draining?: Promise<void>;

  constructor(options: {
    /** Indexes these products as the registry holds them now. */
    index: (names: string[]) => Promise<void>;
    logger: Pick<LoggerService, 'warn'>;
  }) {
    this.#index = options.index;
    this.#logger = options.logger;
  }

  /** Queues a product name; returns at once. */
  enqueue(name: string): void {
    this.#pending.add(name);
    if (!this.#draining) {
      this.#draining = this.#drain();
    }
  }

  /** How many names wait now (those being indexed not counted). */
  get size(): number {
    return this.#pending.size;
  }

  /** Resolves once every name queued so far (and after) has been indexed. */
  async idle(): Promise<void> {
    while (this.#draining) {
      await this.#draining;
    }
  }

  async #drain(): Promise<void> {
    // After `enqueue` has stored this run, so the run can clear it.
    await Promise.resolve();
    for (;;) {
      const names = [...this.#pending].slice(0, REGISTRY_INDEX_BATCH);
      if (names.length === 0) {
        // Cleared in the same turn as the check, so a name queued from now
        // on starts a new drain.
        this.#draining = undefined;
        return;
      }
      for (const name of names) this.#pending.delete(name);
      try {
        await this.#index(names);
      } catch (error) {
        this.#logger.warn(
          `Could not update the mesh index for registry product${
            names.length > 1 ? 's' : ''
          } ${names.join(', ')}; the next reconcile does: ${error}`,
        );
      }
    }
  }
}
