import { Entity } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';

/** Loads entities by ref in one catalog request; unknown refs are skipped. */
export function useEntitiesByRefs(refs: string[]): {
  entities?: Entity[];
  loading: boolean;
  error?: Error;
} {
  const catalogApi = useApi(catalogApiRef);
  const key = refs.join(',');
  const { value, loading, error } = useAsync(async () => {
    if (refs.length === 0) return [];
    const { items } = await catalogApi.getEntitiesByRefs({ entityRefs: refs });
    return items.filter((e): e is Entity => Boolean(e));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalogApi, key]);
  return { entities: value, loading, error };
}
