import {
  Entity,
  RELATION_DEPENDENCY_OF,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { getEntityRelations } from '@backstage/plugin-catalog-react';

/** The entity's owner ref (from its `ownedBy` relation, else `spec.owner`). */
export function ownerRef(entity: Entity): string | undefined {
  const [owner] = getEntityRelations(entity, RELATION_OWNED_BY);
  if (owner) return stringifyEntityRef(owner);
  const spec = entity.spec as { owner?: unknown } | undefined;
  return typeof spec?.owner === 'string' ? spec.owner : undefined;
}

/** True for a DataProduct entity. */
export function isDataProduct(entity: Entity): boolean {
  return entity.kind.toLocaleLowerCase('en-US') === 'dataproduct';
}

/** True for an OutputPort entity. */
export function isOutputPort(entity: Entity): boolean {
  return entity.kind.toLocaleLowerCase('en-US') === 'outputport';
}

/** True for the entities with a lineage: products, ports, and source Resources that a product reads. */
export function hasLineage(entity: Entity): boolean {
  return (
    isDataProduct(entity) ||
    isOutputPort(entity) ||
    (entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
      getEntityRelations(entity, RELATION_DEPENDENCY_OF, {
        kind: 'DataProduct',
      }).length > 0)
  );
}

/** True for a product built from a model (aggregate or consumer-aligned), which has a Model tab. */
export function hasModel(entity: Entity): boolean {
  return (
    isDataProduct(entity) &&
    (entity.spec as { type?: unknown } | undefined)?.type !== 'source-aligned'
  );
}

/** `table` or `view` for a port type. */
export function portTypeLabel(type: string | undefined): string {
  if (type === 'postgres-table') return 'table';
  if (type === 'postgres-view') return 'view';
  return type ?? 'unknown';
}
