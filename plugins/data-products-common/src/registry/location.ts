/**
 * The catalog location of a registered product's entities
 * (`backstage.io/managed-by-location`): `data-products-registry:<name>`.
 * Entities of a product with another location come from elsewhere (a YAML
 * file, say), and the registry's copy could never replace them.
 */
export function dataProductRegistryLocation(name: string): string {
  return `data-products-registry:${name}`;
}
