import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  defaultEntityPresentation,
} from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';

/** A consumer the signed-in user may ask access for: one of their groups, or a product one of them owns. */
export interface ConsumerOption {
  /** `dataproduct:<namespace>/<name>` or `group:<namespace>/<name>`. */
  ref: string;
  /** The name people know it by, e.g. `Marketing Customer 360`. */
  title: string;
  kind: 'DataProduct' | 'Group';
}

const byTitle = (a: ConsumerOption, b: ConsumerOption) =>
  a.title.localeCompare(b.title);

function toOption(entity: Entity, kind: ConsumerOption['kind']) {
  return {
    ref: stringifyEntityRef(entity),
    title: defaultEntityPresentation(entity).primaryTitle,
    kind,
  };
}

/**
 * The consumers the signed-in user can request access for: the data products
 * their groups own, then their groups, each sorted by title.
 */
export function useConsumerOptions() {
  const identityApi = useApi(identityApiRef);
  const catalogApi = useApi(catalogApiRef);
  return useAsync(async (): Promise<ConsumerOption[]> => {
    const { ownershipEntityRefs } = await identityApi.getBackstageIdentity();
    const groupRefs = ownershipEntityRefs.filter(
      ref => parseEntityRef(ref).kind.toLocaleLowerCase('en-US') === 'group',
    );
    if (groupRefs.length === 0) return [];
    const [groups, products] = await Promise.all([
      catalogApi.getEntitiesByRefs({ entityRefs: groupRefs }),
      catalogApi.getEntities({
        filter: { kind: 'DataProduct', 'relations.ownedBy': groupRefs },
      }),
    ]);
    return [
      ...products.items.map(p => toOption(p, 'DataProduct')).sort(byTitle),
      ...groups.items
        .filter((g): g is Entity => Boolean(g))
        .map(g => toOption(g, 'Group'))
        .sort(byTitle),
    ];
  }, [identityApi, catalogApi]);
}
