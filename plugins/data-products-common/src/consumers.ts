/**
 * What a data consumer needs on an output port's page: how to connect, a
 * sample of the rows, and how large the port is. Served by the data-products
 * backend under `/api/data-products/ports/:namespace/:name/...`.
 */

/** A warehouse role through which the signed-in user can read a port. */
export interface PortReadingRole {
  /** The PostgreSQL role, e.g. `dp_grp_marketing`. */
  role: string;
  /** The catalog group it belongs to, e.g. `group:default/marketing`. */
  group: string;
}

/** How to reach an output port in the warehouse (`GET .../connection`). */
export interface PortConnection {
  /** The OutputPort's entity ref. */
  port: string;
  /** The server consumers connect to (`dataProducts.contracts.server`, else the warehouse connection). */
  host: string;
  /** The server's TCP port. */
  serverPort: number;
  database: string;
  /** The product's schema. */
  schema: string;
  /** The table or view (`spec.name`). */
  relation: string;
  /** `spec.access`: `public`, `restricted` or `private`. */
  access: string;
  /** The roles of the user's groups that hold the port's reader role, from `pg_auth_members`. */
  roles: PortReadingRole[];
  /** A psql command line; the user name is a placeholder for the reader's own login. */
  psql: string;
  /** A JDBC URL. */
  jdbcUrl: string;
  /** A SQL snippet: `SET ROLE` to the first of `roles` (when there is one) and a SELECT of the contract's columns. */
  sql: string;
  /** How a consumer product's model reads the port: `{{ source('<product>', '<port>') }}`. */
  source: string;
}

/** Why a preview column has no values. */
export type PreviewMaskReason = 'pii' | 'undeclared';

/** One column of a preview. */
export interface PortPreviewColumn {
  name: string;
  /** The warehouse type, as `format_type()` spells it. */
  type: string;
  /**
   * Set when the column was not read: `pii` for a column the contract
   * classifies `pii`, `undeclared` for a column the contract does not
   * declare. Its values are all null.
   */
  masked?: PreviewMaskReason;
}

/** The first rows of an output port (`GET .../preview`). */
export interface PortPreview {
  /** The OutputPort's entity ref. */
  port: string;
  /** `schema.port`. */
  object: string;
  columns: PortPreviewColumn[];
  /** Each row's values in column order, as PostgreSQL's text; null for SQL NULL and masked columns. */
  rows: Array<Array<string | null>>;
  /** The most rows a preview shows (20). */
  limit: number;
  /** How many values were cut (they end in `…`). */
  cut: number;
  /** How the caller was allowed: `permission` (dataproduct.preview) or `reader` (a group's role reads the port). */
  allowedAs: 'permission' | 'reader';
}

/** How many rows an output port holds and its size (`GET .../size`). */
export interface PortSizeInfo {
  /** The OutputPort's entity ref. */
  port: string;
  object: string;
  type: 'postgres-table' | 'postgres-view';
  /** Rows: counted, or PostgreSQL's estimate for a large table; absent when a view was too slow to count. */
  rows?: number;
  /** True when `rows` was counted; false for an estimate. */
  rowsExact: boolean;
  /** Bytes on disk of a table with its indexes (`pg_total_relation_size`); absent for views. */
  bytes?: number;
}
