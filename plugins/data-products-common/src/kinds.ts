/** The apiVersion of both data product kinds. */
export const DATA_PRODUCTS_API_VERSION = 'dataproducts.io/v1alpha1' as const;

/** The DataProduct kind. */
export const DATA_PRODUCT_KIND = 'DataProduct' as const;

/** The OutputPort kind. */
export const OUTPUT_PORT_KIND = 'OutputPort' as const;
