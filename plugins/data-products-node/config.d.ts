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
    };
  };
}
