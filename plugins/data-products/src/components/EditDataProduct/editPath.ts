import { DEFAULT_NAMESPACE } from '@backstage/catalog-model';

/** The portal's Edit route of a product: where its Edit entry and About card pencil lead. */
export function editDataProductPath(entity: {
  metadata: { name: string; namespace?: string };
}): string {
  const namespace = entity.metadata.namespace ?? DEFAULT_NAMESPACE;
  return `/edit-data-product/${encodeURIComponent(
    namespace,
  )}/${encodeURIComponent(entity.metadata.name)}`;
}
