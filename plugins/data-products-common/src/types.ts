import type { Entity } from '@backstage/catalog-model';

/** The apiVersion of both data product kinds. */
export const DATA_PRODUCTS_API_VERSION = 'dataproducts.io/v1alpha1' as const;

/** The DataProduct kind. */
export const DATA_PRODUCT_KIND = 'DataProduct' as const;

/** The OutputPort kind. */
export const OUTPUT_PORT_KIND = 'OutputPort' as const;

/** How a data product relates to its sources and consumers. */
export type DataProductType =
  | 'source-aligned'
  | 'aggregate'
  | 'consumer-aligned';

/** How an output port is materialized in PostgreSQL. */
export type OutputPortType = 'postgres-table' | 'postgres-view';

/** Whether consumers need an approved grant to read an output port. */
export type OutputPortAccess = 'restricted' | 'unrestricted';

/** A DataProduct entity. */
export interface DataProductEntityV1alpha1 extends Entity {
  apiVersion: typeof DATA_PRODUCTS_API_VERSION;
  kind: typeof DATA_PRODUCT_KIND;
  spec: {
    type: DataProductType;
    lifecycle: string;
    owner: string;
    domain?: string;
    /** The product's dedicated PostgreSQL schema. */
    schema: string;
    /** Refs to the OutputPorts (or source Resources) the product reads. */
    inputs?: string[];
  };
}

/** One column of an output port's contract. */
export type OutputPortColumn = {
  name: string;
  /** A SQL type from the documented set, e.g. `INTEGER`, `VARCHAR(100)`, `DECIMAL(10,2)`. */
  type: string;
  description?: string;
  required?: boolean;
  unique?: boolean;
  primaryKey?: boolean;
};

/** An OutputPort entity. */
export interface OutputPortEntityV1alpha1 extends Entity {
  apiVersion: typeof DATA_PRODUCTS_API_VERSION;
  kind: typeof OUTPUT_PORT_KIND;
  spec: {
    /** Ref to the DataProduct this port belongs to. */
    dataProduct: string;
    /** The port name: the table or view name in the product's schema, and the name `source()` uses. */
    name: string;
    type: OutputPortType;
    access?: OutputPortAccess;
    owner?: string;
    /** The operational table (`schema.table`) a 1:1 source-aligned port exposes. */
    source?: string;
    /** Model SQL with `{{ source('<product>', '<port>') }}` references. */
    model?: string;
    columns: OutputPortColumn[];
  };
}
