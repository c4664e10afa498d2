import type { Entity } from '@backstage/catalog-model';
import {
  DATA_PRODUCT_REGISTRY_STATUS_ANNOTATION,
  type DataProductDeprecation,
} from '@dataproducts/plugin-data-products-common';

/** The query parameter that opens a lifecycle dialog on a product page. */
export const LIFECYCLE_ACTION_PARAM = 'lifecycle';

/** The dialogs a product page opens from its context menu. */
export type LifecycleAction = 'deprecate' | 'delete';

/** True for the products the portal's registry provides: only those can be deprecated or deleted here. */
export function isRegistryProvided(entity: Entity): boolean {
  return (
    entity.metadata.annotations?.[DATA_PRODUCT_REGISTRY_STATUS_ANNOTATION] !==
    undefined
  );
}

/** A product's deprecation, when it is deprecated. */
export function deprecationOf(
  entity: Entity | undefined,
): DataProductDeprecation | undefined {
  if (!entity || entity.spec?.lifecycle !== 'deprecated') return undefined;
  const deprecation = entity.spec?.deprecation as
    | DataProductDeprecation
    | undefined;
  return typeof deprecation?.sunset === 'string' ? deprecation : undefined;
}

/** Today as YYYY-MM-DD in the reader's time zone. */
export function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(
    now.getDate(),
  )}`;
}
