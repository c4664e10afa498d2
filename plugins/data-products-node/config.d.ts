/** A duration as an object of units, e.g. `{ minutes: 15 }`. */
interface HumanDurationConfig {
  years?: number;
  months?: number;
  weeks?: number;
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
  milliseconds?: number;
}

export interface Config {
  /** Configuration for the data product portal. */
  dataProducts?: {
    /** The PostgreSQL warehouse that data products are provisioned into. */
    warehouse?: {
      /**
       * Connection to the warehouse server. Defaults to `backend.database.connection`
       * (the server the portal itself uses).
       */
      connection?: {
        host?: string;
        port?: number | string;
        user?: string;
        /** @visibility secret */
        password?: string;
        /** A full connection string; overrides the fields above. */
        connectionString?: string;
      };
      /** The warehouse database name. Defaults to `dataproducts_warehouse`; created when missing. */
      database?: string;
      /** Prefix of every role the portal creates (products' roles and port reader roles). Defaults to `dp_`. */
      rolePrefix?: string;
      /** Schema holding the operational source tables. Defaults to `sources`. */
      sourceSchema?: string;
      /**
       * How long one statement of a build (apply, refresh, plan, model check)
       * may run before PostgreSQL cancels it (`statement_timeout`) and the
       * whole build rolls back. A product may ask for another value with the
       * annotation `dataproducts.io/build-timeout`, up to `maxBuildTimeout`.
       * An ISO 8601 duration (`PT15M`), a string such as `15m`, or an object
       * such as `{ minutes: 15 }`. Defaults to 15 minutes.
       */
      buildTimeout?: string | HumanDurationConfig;
      /**
       * The longest build timeout a product's `dataproducts.io/build-timeout`
       * annotation may ask for; a longer one is refused. Same forms as
       * `buildTimeout`. Defaults to 1 hour.
       */
      maxBuildTimeout?: string | HumanDurationConfig;
      /**
       * How long any run waits for one lock (`lock_timeout`): a product's
       * lock held by another run, or a table lock held by a reader. Same
       * forms as `buildTimeout`. Defaults to 30 seconds.
       */
      lockTimeout?: string | HumanDurationConfig;
      /**
       * How long the status (`inspect`) may spend counting the rows of one
       * view port; a slower count is left out. Same forms as `buildTimeout`.
       * Defaults to 10 seconds.
       */
      statusTimeout?: string | HumanDurationConfig;
      /**
       * Builds that run at once in one backend instance, each on a
       * connection of its own; more wait their turn. Defaults to 4.
       */
      maxConcurrentBuilds?: number;
    };
    /** ODCS v3.1.0 data contracts (`/api/data-products/contracts`). */
    contracts?: {
      /**
       * The warehouse server as consumers reach it, written in the `servers`
       * entry of every exported contract (type `postgres`). Each field
       * defaults to the warehouse connection's (`dataProducts.warehouse`);
       * the user and password are never written.
       */
      server?: {
        /** The server's identifier in the contract. Defaults to `warehouse`. */
        name?: string;
        /** The host consumers connect to, e.g. `warehouse.example.com`. */
        host?: string;
        /** The port consumers connect to. Defaults to the connection's, else 5432. */
        port?: number;
        /** The database. Defaults to `dataProducts.warehouse.database`. */
        database?: string;
        /** The environment, e.g. `prod`; left out when not set. */
        environment?: string;
      };
    };
    /**
     * The self-service registry's change feed and how the catalog follows
     * it. See docs/architecture.md.
     */
    registry?: {
      /** How the catalog module's entity provider follows the change feed. */
      catalogSync?: {
        /**
         * When each replica reads the change feed without an event (always
         * local to the replica): a Backstage task schedule, e.g.
         * `{ frequency: { seconds: 15 }, timeout: { minutes: 2 } }` (the
         * default).
         */
        schedule?: {
          frequency: string | HumanDurationConfig | { cron: string };
          timeout: string | HumanDurationConfig;
          initialDelay?: string | HumanDurationConfig;
        };
      };
      changes?: {
        /**
         * How long the change feed keeps a change: an ISO 8601 duration, a
         * string such as `1d`, or an object such as `{ days: 1 }` (the
         * default); at least 1 minute.
         */
        retention?: string | HumanDurationConfig;
      };
    };
    /**
     * The mesh index (products, ports, sources and their edges in the
     * data-products plugin's database). See docs/architecture.md.
     */
    meshIndex?: {
      /**
       * When the whole index is reconciled with the registry and the
       * catalog: a Backstage task schedule, e.g.
       * `{ frequency: { minutes: 5 }, timeout: { minutes: 10 } }` (the
       * default). One replica runs it at a time, and each runs it once at
       * start-up.
       */
      schedule?: {
        frequency: string | HumanDurationConfig | { cron: string };
        timeout: string | HumanDurationConfig;
        initialDelay?: string | HumanDurationConfig;
      };
    };
    /** Access requests (the data-products backend plugin). */
    access?: {
      /** The task that ends access at its end date and sends reminders. */
      expiry?: {
        /**
         * When it runs: a Backstage task schedule, e.g.
         * `{ frequency: { minutes: 1 }, timeout: { minutes: 5 } }` (the
         * default). It runs on one backend replica at a time.
         */
        schedule?: {
          frequency: string | HumanDurationConfig | { cron: string };
          timeout: string | HumanDurationConfig;
          initialDelay?: string | HumanDurationConfig;
        };
      };
    };
    /**
     * Scheduled refresh of table ports (`spec.refresh`) and their freshness
     * (the data-products backend plugin). See docs/refresh.md.
     */
    refresh?: {
      /**
       * Whether this backend runs ports' refresh schedules and the freshness
       * check. The freshness routes and Refresh now work either way.
       * Defaults to true.
       */
      enabled?: boolean;
      /**
       * How often each replica reads the catalog to add, change and stop
       * refresh tasks as ports come, change and go. An ISO 8601 duration, a
       * string such as `1m`, or an object such as `{ minutes: 1 }` (the
       * default); at least 1 second.
       */
      reconcileFrequency?: string | HumanDurationConfig;
      /**
       * How often every port's freshness is computed and stored, telling
       * owners about ports that turned stale (one replica at a time). Same
       * forms; defaults to 1 minute; at least 1 second.
       */
      freshnessCheckFrequency?: string | HumanDurationConfig;
      /**
       * How long one scheduled refresh may run, its retries included, before
       * the scheduler gives up on it. Same forms; defaults to 30 minutes.
       */
      timeout?: string | HumanDurationConfig;
      /** How refreshes that failed for a transient reason are tried again. */
      retry?: {
        /** Attempts in all, the first included: 1 (no retry) to 10. Defaults to 3. */
        attempts?: number;
        /**
         * The wait before the first retry; it doubles for each next one.
         * Same forms; defaults to 5 seconds.
         */
        backoff?: string | HumanDurationConfig;
      };
    };
  };
}
