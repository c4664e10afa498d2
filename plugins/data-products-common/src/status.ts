/** One difference between an output port's declared columns and what the warehouse has. */
export interface ColumnDrift {
  column: string;
  /** `missing`: declared but absent; `extra`: present but not declared; `type`: present with another type. */
  kind: 'missing' | 'extra' | 'type';
  /** The declared type, normalized (absent for `extra`). */
  expected?: string;
  /** The actual type as PostgreSQL reports it (absent for `missing`). */
  actual?: string;
}

/** A column as it really exists in the warehouse. */
export interface WarehouseColumn {
  name: string;
  /** The type as `format_type()` reports it, e.g. `numeric(10,2)`. */
  type: string;
  nullable: boolean;
  description?: string;
}

/** What the warehouse really holds for one output port. */
export interface OutputPortStatus {
  /** The port name (the table or view name). */
  name: string;
  /** `schema.table` */
  object: string;
  type: 'postgres-table' | 'postgres-view';
  exists: boolean;
  rowCount?: number;
  /** ISO timestamp of the last successful build (tables) or definition (views). */
  lastBuiltAt?: string;
  columns: WarehouseColumn[];
  drift: ColumnDrift[];
  /** The contract version last applied (MAJOR.MINOR.PATCH), when recorded. */
  version?: string;
  /**
   * Earlier major versions kept readable beside the port (a breaking change
   * published as a new major version), until no other product's view reads them.
   */
  keptVersions?: Array<{
    major: number;
    version: string;
    /** `schema.<port>_v<major>` */
    object: string;
    exists: boolean;
  }>;
}

/** What the warehouse really holds for one data product. */
export interface DataProductStatus {
  /** The product's entity name. */
  product: string;
  schema: string;
  /** True when the schema exists and was made by the portal for this product. */
  provisioned: boolean;
  ports: OutputPortStatus[];
  /** Products (entity names) holding a reader grant on one of this product's ports. */
  consumers: string[];
}
