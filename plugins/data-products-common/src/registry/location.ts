/**
 * The catalog location of a registered product's entities
 * (`backstage.io/managed-by-location`): `data-products-registry:<name>`.
 * Entities of a product with another location come from elsewhere (a YAML
 * file, say), and the registry's copy could never replace them.
 */
export function dataProductRegistryLocation(name: string): string {
  return `data-products-registry:${name}`;
}

/**
 * The annotation the catalog module's entity provider puts on every entity
 * of a registered product, with the registry's status of the product: only
 * the registry's products carry it. The portal's permission policy reads it
 * to keep the catalog from unregistering them (Delete decommissions them).
 */
export const DATA_PRODUCT_REGISTRY_STATUS_ANNOTATION =
  'dataproducts.io/registry-status';
