import { useApiHolder } from '@backstage/core-plugin-api';
import {
  defaultEntityPresentation,
  entityPresentationApiRef,
} from '@backstage/plugin-catalog-react';
import { useEffect, useMemo, useState } from 'react';

/** Refs presented by default, for an app without the presentation API (as `EntityRefLink` does). */
const defaultPresentation = {
  forEntity: (ref: string) => {
    const snapshot = defaultEntityPresentation(ref);
    return { snapshot, promise: Promise.resolve(snapshot) };
  },
};

/**
 * The display names of entity refs (a group's "Sales" for
 * `group:default/sales`), from the app's entity presentation API: what is
 * known at once, then what the catalog answers.
 */
export function useEntityTitles(refs: string[]): Map<string, string> {
  const presentation =
    useApiHolder().get(entityPresentationApiRef) ?? defaultPresentation;
  const key = [...new Set(refs)].sort().join('\n');
  const initial = useMemo(
    () =>
      new Map(
        (key ? key.split('\n') : []).map(ref => [
          ref,
          presentation.forEntity(ref).snapshot.primaryTitle,
        ]),
      ),
    [presentation, key],
  );
  const [titles, setTitles] = useState(initial);
  useEffect(() => {
    setTitles(initial);
    let cancelled = false;
    const all = key ? key.split('\n') : [];
    Promise.all(
      all.map(async ref => {
        const snapshot = await presentation.forEntity(ref).promise;
        return [ref, snapshot.primaryTitle] as const;
      }),
    )
      .then(entries => {
        if (!cancelled) setTitles(new Map(entries));
      })
      .catch(() => {
        // The snapshot titles stay: a name is better than nothing.
      });
    return () => {
      cancelled = true;
    };
  }, [presentation, key, initial]);
  return titles;
}
