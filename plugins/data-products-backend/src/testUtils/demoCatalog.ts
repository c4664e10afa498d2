import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  DEFAULT_NAMESPACE,
  Entity,
  EntityRelation,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_HAS_PART,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_PART_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { parseEntityYaml } from '@backstage/plugin-catalog-node';
import {
  getDataProductInputRefs,
  getEntityNamespace,
  getOutputPortProductRef,
  isDataProductEntity,
  isOutputPortEntity,
  parseOwnerRef,
} from '@dataproducts/plugin-data-products-common';
import fs from 'node:fs';
import path from 'node:path';

const REPO_ROOT = resolvePackagePath(
  '@dataproducts/plugin-data-products-backend',
  '../..',
);

/** Reads entity YAML documents from a file in the repository. */
export function readEntities(relativePath: string): Entity[] {
  const file = path.join(REPO_ROOT, relativePath);
  const entities: Entity[] = [];
  for (const result of parseEntityYaml(fs.readFileSync(file), {
    type: 'file',
    target: file,
  })) {
    if (result.type === 'entity') entities.push(result.entity);
  }
  return entities;
}

/**
 * Adds the relations the catalog would hold for these entities (owner,
 * product inputs, port to product) in both directions, as the data products
 * processor emits them.
 */
export function withRelations(entities: Entity[]): Entity[] {
  const byRef = new Map<string, Entity>();
  for (const entity of entities) {
    byRef.set(stringifyEntityRef(entity), {
      ...entity,
      metadata: { namespace: DEFAULT_NAMESPACE, ...entity.metadata },
      relations: [],
    });
  }
  const relate = (
    source: string,
    type: string,
    target: string,
    reverse: string,
  ) => {
    const add = (from: string, t: string, to: string) => {
      const relations = byRef.get(from)?.relations as
        | EntityRelation[]
        | undefined;
      relations?.push({ type: t, targetRef: to });
    };
    add(source, type, target);
    add(target, reverse, source);
  };
  for (const entity of byRef.values()) {
    const ref = stringifyEntityRef(entity);
    const context = { defaultNamespace: getEntityNamespace(entity) };
    const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
    if (typeof owner === 'string') {
      const ownerRef = stringifyEntityRef(parseOwnerRef(owner, context));
      relate(ref, RELATION_OWNED_BY, ownerRef, RELATION_OWNER_OF);
    }
    if (isDataProductEntity(entity)) {
      for (const input of getDataProductInputRefs(entity)) {
        const target = stringifyEntityRef(input);
        relate(ref, RELATION_DEPENDS_ON, target, RELATION_DEPENDENCY_OF);
      }
    }
    if (isOutputPortEntity(entity)) {
      const product = stringifyEntityRef(getOutputPortProductRef(entity));
      relate(ref, RELATION_PART_OF, product, RELATION_HAS_PART);
    }
  }
  return [...byRef.values()];
}

/** The demo organisation's source Resources and the four demo data products, with their relations. */
export function demoCatalog(): Entity[] {
  return withRelations([
    ...readEntities('catalog-info/resources.yaml'),
    ...readEntities('fixtures/demo-data-products.yaml'),
  ]);
}
