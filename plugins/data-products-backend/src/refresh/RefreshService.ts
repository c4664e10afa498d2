import type {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  dataProductRefreshPermission,
  DATA_PRODUCT_KIND,
  OUTPUT_PORT_KIND,
  type PortFreshness,
  type ProductFreshness,
  type RefreshRun,
  type RefreshTrigger,
  worseFreshness,
} from '@dataproducts/plugin-data-products-common';
import {
  isTransientError,
  type WarehouseService,
} from '@dataproducts/plugin-data-products-node';
import { authorizeOnProduct } from '../access/authorizeOnProduct';
import type { HistoryRecorder } from '../history';
import { buildKey, computeFreshness } from './computeFreshness';
import type { RefreshCatalog, RefreshTarget } from './RefreshCatalog';
import type { RefreshNotifier } from './RefreshNotifier';
import type { RefreshRunStore } from './RefreshRunStore';

/** The actor of scheduled refreshes in run records and the History: the plugin itself. */
export const REFRESH_ACTOR = 'plugin:data-products';

/** How many recent attempts a port's freshness lists. */
const RECENT_RUNS = 10;

/** Refreshes failing one after the other that make the owners be told. */
const FAILURES_TO_NOTIFY = 2;

/** How transient failures are tried again. */
export interface RetrySettings {
  /** Attempts in all, the first included (at least 1). */
  attempts: number;
  /** The wait before the first retry, in milliseconds; it doubles for each next one. */
  backoffMs: number;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function parseRef(ref: string, kind: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, { defaultKind: kind }),
    ).toLocaleLowerCase('en-US');
  } catch (error) {
    throw new InputError(
      `Invalid entity ref ${JSON.stringify(ref)}: ${
        (error as Error).message
      }; give kind:namespace/name`,
    );
  }
}

/**
 * Refreshes table ports and says how fresh ports are. A refresh runs the
 * engine's `refresh` as the portal (the engine rebuilds the port from what it
 * recorded when the port was provisioned) and records each attempt; transient
 * failures (see `isTransientError`) are tried again with a growing wait, up
 * to the configured number of attempts; other failures (a model error, a
 * contract violation) are not. Owners are told when a refresh failed twice in
 * a row and when a port turns stale.
 */
export class RefreshService {
  constructor(
    private readonly options: {
      store: RefreshRunStore;
      catalog: RefreshCatalog;
      warehouse: Pick<WarehouseService, 'refresh' | 'builds'>;
      notifier: RefreshNotifier;
      history: HistoryRecorder;
      permissions: PermissionsService;
      logger: LoggerService;
      retry: RetrySettings;
    },
  ) {}

  /**
   * Refreshes one table port, trying transient failures again. Resolves with
   * the last attempt, succeeded or failed; a failed refresh's error is in
   * it, and told to the owners when it is the second in a row.
   */
  async run(
    target: RefreshTarget,
    request: { trigger: RefreshTrigger; actor: string; signal?: AbortSignal },
  ): Promise<RefreshRun> {
    const { store, warehouse, retry, logger } = this.options;
    for (let attempt = 1; ; attempt++) {
      const id = await store.start(target, {
        trigger: request.trigger,
        actor: request.actor,
        attempt,
      });
      try {
        const result = await warehouse.refresh(
          target.productName,
          target.portName,
          { signal: request.signal },
        );
        return await store.finish(id, {
          outcome: 'succeeded',
          rows: result.rowCount,
        });
      } catch (error) {
        const message = (error as Error).message;
        const again =
          attempt < retry.attempts &&
          !request.signal?.aborted &&
          isTransientError(error);
        const run = await store.finish(id, {
          outcome: again ? 'retrying' : 'failed',
          error: message,
        });
        if (!again) {
          await this.failed(target, run, request.actor);
          return run;
        }
        const wait = retry.backoffMs * 2 ** (attempt - 1);
        logger.info(
          `Refreshing ${target.port} failed (attempt ${attempt} of ${retry.attempts}); trying again in ${wait} ms: ${message}`,
        );
        await sleep(wait, request.signal);
      }
    }
  }

  private async failed(target: RefreshTarget, run: RefreshRun, actor: string) {
    const { store, notifier, history, logger } = this.options;
    logger.warn(
      `Refreshing ${target.port} failed after ${run.attempt} attempt(s): ${run.error}`,
    );
    if (run.trigger === 'schedule') {
      // A manual refresh is recorded by the route, with its user.
      await history.record({
        actor,
        action: 'refresh',
        product: target.product,
        port: target.port,
        outcome: 'failed',
        detail: `Scheduled refresh of ${target.portName} failed: ${run.error}`,
      });
    }
    const failures =
      (await store.consecutiveFailures([target.port])).get(target.port) ?? 0;
    if (failures === FAILURES_TO_NOTIFY) {
      await notifier.failing(target, failures, run.error ?? '');
    }
  }

  /**
   * "Refresh now": refreshes a table port for a user allowed
   * `dataproduct.refresh` on its product. A refused user changes nothing;
   * the refresh, succeeded or failed, is in the product's History.
   */
  async refreshNow(
    portRef: string,
    credentials: BackstageCredentials<{ userEntityRef: string }>,
  ): Promise<{ run: RefreshRun; freshness: PortFreshness }> {
    const target = await this.target(portRef, credentials);
    const actor = credentials.principal.userEntityRef;
    try {
      await authorizeOnProduct(
        this.options.permissions,
        {
          permission: dataProductRefreshPermission,
          product: target.product,
          doing: 'refresh data product',
        },
        credentials,
      );
    } catch (error) {
      await this.options.history.refused(
        {
          actor,
          action: 'refresh',
          product: target.product,
          port: target.port,
        },
        error as Error,
      );
      throw error;
    }
    if (target.type !== 'postgres-table') {
      throw new InputError(
        `Output port ${target.port} is a view: it is live and has nothing to refresh. Refresh the ports it reads instead.`,
      );
    }
    const run = await this.run(target, { trigger: 'manual', actor });
    await this.options.history.record({
      actor,
      action: 'refresh',
      product: target.product,
      port: target.port,
      outcome: run.outcome === 'succeeded' ? 'succeeded' : 'failed',
      detail:
        run.outcome === 'succeeded'
          ? `Refreshed ${target.portName}: ${run.rows} rows`
          : `Refreshing ${target.portName} failed: ${run.error}`,
    });
    return { run, freshness: await this.portFreshness(portRef, credentials) };
  }

  /** A port as the caller's catalog shows it; `NotFoundError` otherwise. */
  private async target(
    portRef: string,
    credentials: BackstageCredentials,
  ): Promise<RefreshTarget> {
    const ref = parseRef(portRef, OUTPUT_PORT_KIND);
    const target = (
      await this.options.catalog.targetsFor([ref], credentials)
    ).get(ref);
    if (!target) {
      throw new NotFoundError(
        `There is no output port ${ref} of a data product in the catalog`,
      );
    }
    return target;
  }

  /** How fresh many ports are, computed from one read of each source. */
  private async compute(
    targets: Map<string, RefreshTarget>,
    wanted: RefreshTarget[],
  ): Promise<PortFreshness[]> {
    const { warehouse, store } = this.options;
    const [builds, failures] = await Promise.all([
      warehouse.builds(),
      store.consecutiveFailures(),
    ]);
    const inputs = {
      targets,
      builds: new Map(builds.map(b => [buildKey(b.product, b.port), b])),
      failures,
      now: Date.now(),
    };
    return wanted.map(target => computeFreshness(target, inputs));
  }

  /** One port's freshness, with its recent refresh attempts. */
  async portFreshness(
    portRef: string,
    credentials: BackstageCredentials,
  ): Promise<PortFreshness> {
    const ref = parseRef(portRef, OUTPUT_PORT_KIND);
    const targets = await this.options.catalog.targetsFor([ref], credentials);
    const target = targets.get(ref);
    if (!target) {
      throw new NotFoundError(
        `There is no output port ${ref} of a data product in the catalog`,
      );
    }
    const [freshness] = await this.compute(targets, [target]);
    return {
      ...freshness,
      runs: await this.options.store.recent(ref, RECENT_RUNS),
    };
  }

  /** One product's freshness: the worst known state of its ports. */
  async productFreshness(
    productRef: string,
    credentials: BackstageCredentials,
  ): Promise<ProductFreshness> {
    const ref = parseRef(productRef, DATA_PRODUCT_KIND);
    const { products } = await this.freshness([ref], credentials);
    if (!products.length) {
      throw new NotFoundError(
        `There is no data product ${ref} with output ports in the catalog`,
      );
    }
    return products[0];
  }

  /**
   * The freshness of the given products and ports (all the caller can see
   * when none are given), for lists that show many at once.
   */
  async freshness(
    refs: string[] | undefined,
    credentials: BackstageCredentials,
  ): Promise<{ products: ProductFreshness[]; ports: PortFreshness[] }> {
    const asked = refs?.map(ref => parseRef(ref, OUTPUT_PORT_KIND));
    const targets = asked
      ? await this.options.catalog.targetsFor(asked, credentials)
      : await this.options.catalog.targets(credentials);
    const wanted = [...targets.values()].filter(
      target =>
        !asked || asked.includes(target.port) || asked.includes(target.product),
    );
    const ports = await this.compute(targets, wanted);
    const products = new Map<string, ProductFreshness>();
    for (const port of ports) {
      const product = products.get(port.product) ?? {
        product: port.product,
        state: 'unknown' as const,
        ports: [],
      };
      product.ports.push(port);
      product.state = worseFreshness(product.state, port.state);
      products.set(port.product, product);
    }
    return { products: [...products.values()], ports };
  }

  /**
   * The scheduler's run of one port's refresh: the port as the catalog
   * showed it at the last reconcile; nothing when it has left the catalog
   * or is no longer a table port.
   */
  async runScheduled(
    target: RefreshTarget,
    signal?: AbortSignal,
  ): Promise<RefreshRun | undefined> {
    if (target.type !== 'postgres-table') {
      return undefined;
    }
    return this.run(target, {
      trigger: 'schedule',
      actor: REFRESH_ACTOR,
      signal,
    });
  }

  /**
   * Computes every port's freshness and stores it; tells the owners of each
   * port that turned stale since the last check (once per change, not on
   * every check). Returns the ports that turned stale.
   */
  async checkFreshness(): Promise<PortFreshness[]> {
    const { catalog, store, notifier } = this.options;
    const targets = await catalog.targets();
    const ports = await this.compute(targets, [...targets.values()]);
    // One transaction for every port: an idle portal with thousands of
    // ports would otherwise spend four statements a port each check.
    const changed = await store.swapStates(
      ports.map(({ port, state }) => ({ port, state })),
    );
    const turnedStale = ports.filter(
      port => port.state === 'stale' && changed.get(port.port) !== undefined,
    );
    for (const port of turnedStale) {
      await notifier.stale(targets.get(port.port)!, port);
    }
    return turnedStale;
  }
}
