import { useApi } from '@backstage/core-plugin-api';
import type { PortColumnLineage } from '@dataproducts/plugin-data-products-common';
import { useCallback, useMemo, useState } from 'react';
import { dataProductsColumnLineageApiRef } from '../../api/DataProductsColumnLineageApi';
import { highlightColumn, mergeColumnLineage } from './columnHighlight';

/**
 * The column lineage state of a lineage graph: which ports are expanded
 * into their columns (each loaded once from the backend), the selected
 * column and the columns it highlights.
 */
export function useColumnLineage() {
  const api = useApi(dataProductsColumnLineageApiRef);
  const [answers, setAnswers] = useState<Record<string, PortColumnLineage>>({});
  const [loading, setLoading] = useState<string[]>([]);
  const [error, setError] = useState<Error>();
  const [selected, setSelected] = useState<string>();

  const toggle = useCallback(
    async (portRef: string) => {
      if (answers[portRef]) {
        setAnswers(({ [portRef]: _closed, ...rest }) => rest);
        setSelected(undefined);
        return;
      }
      setLoading(l => [...l, portRef]);
      setError(undefined);
      try {
        const answer = await api.getPortColumns(portRef);
        setAnswers(a => ({ ...a, [portRef]: answer }));
      } catch (e) {
        setError(e as Error);
      } finally {
        setLoading(l => l.filter(r => r !== portRef));
      }
    },
    [api, answers],
  );

  const merged = useMemo(
    () => mergeColumnLineage(Object.values(answers)),
    [answers],
  );
  const marks = useMemo(
    () => (selected ? highlightColumn(merged.links, selected) : undefined),
    [merged, selected],
  );
  const select = useCallback(
    (id: string) => setSelected(s => (s === id ? undefined : id)),
    [],
  );

  return {
    expanded: Object.keys(answers),
    loading,
    error,
    toggle,
    merged,
    selected,
    select,
    marks,
  };
}
