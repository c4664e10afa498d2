import { Entity, parseEntityRef } from '@backstage/catalog-model';

/** The target refs of an entity's relations of a type, optionally only those of a kind. */
export function relatedRefs(
  entity: Entity,
  type: string,
  kind?: string,
): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef)
    .filter(
      ref =>
        !kind ||
        parseEntityRef(ref).kind.toLocaleLowerCase('en-US') ===
          kind.toLocaleLowerCase('en-US'),
    );
}

/** The entity's owner ref (from its `ownedBy` relation, else `spec.owner`). */
export function ownerRef(entity: Entity): string | undefined {
  const [owner] = relatedRefs(entity, 'ownedBy');
  if (owner) return owner;
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
      relatedRefs(entity, 'dependencyOf', 'DataProduct').length > 0)
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
