/**
 * Who still reads a data product: a product whose inputs name one of its
 * ports, or a product or group whose role holds a port's reader role in the
 * warehouse. Deleting a product is refused while any remains.
 */
export interface DataProductConsumer {
  /** `dataproduct:<namespace>/<name>` or `group:<namespace>/<name>`. */
  ref: string;
  kind: 'dataproduct' | 'group';
  /** The consumer's title in the catalog, when it has one. */
  title?: string;
  /** The consumer's owner (for products), whom deprecation notices reach. */
  owner?: string;
  /** The port entity refs it reads. */
  ports: string[];
  /** How it reads them: declared inputs, warehouse grants, or both. */
  via: Array<'input' | 'grant'>;
}

/** The body of `GET /products/:namespace/:name/consumers`. */
export interface DataProductConsumerList {
  items: DataProductConsumer[];
}

/** The body of `POST /products/:namespace/:name/deprecate`. */
export interface DeprecateDataProductRequest {
  /** YYYY-MM-DD, today or later. */
  sunset: string;
  /** Ref to the DataProduct (default kind) or OutputPort consumers should move to. */
  replacement?: string;
  reason?: string;
}
