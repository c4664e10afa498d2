import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import {
  EXPLORE_FILTER_KEYS,
  type ExploreFacetValue,
  type ExploreFilterKey,
  type ExploreSortKey,
  type ExploreSortOrder,
} from '@dataproducts/plugin-data-products-common';
import FormControl from '@material-ui/core/FormControl';
import Grid from '@material-ui/core/Grid';
import InputLabel from '@material-ui/core/InputLabel';
import NativeSelect from '@material-ui/core/NativeSelect';
import Paper from '@material-ui/core/Paper';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useMemo, useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { useEntityTitles } from '../../lib/entityTitles';
import { DataProductsTable } from './DataProductsTable';
import { INITIAL_EXPLORER_QUERY } from './explorerPrefetch';
import { NoDataProducts } from './NoDataProducts';
import { useExplorerPages } from './useExplorerPages';

/** How long the search waits after the last key before asking the backend. */
export const SEARCH_DEBOUNCE_MS = 300;

const FILTERS: Array<{
  key: ExploreFilterKey;
  label: string;
  /** Values are entity refs, shown by their titles. */
  refs?: boolean;
}> = [
  { key: 'domain', label: 'Domain', refs: true },
  { key: 'type', label: 'Type' },
  { key: 'owner', label: 'Owner', refs: true },
  { key: 'lifecycle', label: 'Lifecycle' },
];

type Filters = Record<ExploreFilterKey, string>;

const NO_FILTERS: Filters = { domain: '', owner: '', lifecycle: '', type: '' };

/** "1 data product", "1,234 data products". */
export function countLabel(count: number, upperBound: boolean): string {
  const noun = count === 1 ? 'data product' : 'data products';
  return `${upperBound ? 'up to ' : ''}${count.toLocaleString(
    'en-US',
  )} ${noun}`;
}

/**
 * The explorer's list: a search box and a picker per filter, fed by the
 * backend's facets, over a virtualised table whose pages the backend
 * searches, filters and sorts. Shows "No data products yet" when the mesh
 * holds none, and says so when a search or filter matches none.
 */
export function ProductExplorer() {
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  useDebounce(() => setQ(text.trim()), SEARCH_DEBOUNCE_MS, [text]);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [sort, setSort] = useState<{
    sort: ExploreSortKey;
    order: ExploreSortOrder;
  }>(INITIAL_EXPLORER_QUERY);

  const query = useMemo(
    () => ({
      ...(q ? { q } : {}),
      ...Object.fromEntries(
        EXPLORE_FILTER_KEYS.filter(key => filters[key]).map(key => [
          key,
          [filters[key]],
        ]),
      ),
      sort: sort.sort,
      order: sort.order,
    }),
    [q, filters, sort],
  );
  const pages = useExplorerPages(query);
  const narrowed = Boolean(q) || EXPLORE_FILTER_KEYS.some(key => filters[key]);

  // The values each picker offers: the facets of the last answer, and the
  // picked value even when no product of the other filters has it.
  const facets = pages.facets;
  const options = (key: ExploreFilterKey): ExploreFacetValue[] => {
    const values = facets?.[key] ?? [];
    return filters[key] && !values.some(v => v.value === filters[key])
      ? [...values, { value: filters[key], count: 0 }]
      : values;
  };
  const titles = useEntityTitles(
    FILTERS.filter(f => f.refs).flatMap(f =>
      (facets?.[f.key] ?? []).map(v => v.value),
    ),
  );

  const rows = useMemo(
    () =>
      pages.items.map(item => ({
        ...item,
        freshness: pages.freshness.get(item.ref.toLocaleLowerCase('en-US')),
        quality: pages.quality.get(item.name),
      })),
    [pages.items, pages.freshness, pages.quality],
  );

  if (!pages.loading && !pages.error && !narrowed && pages.totalCount === 0) {
    return <NoDataProducts />;
  }

  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={4}>
        <TextField
          id="data-products-search"
          label="Search"
          placeholder="Name, description, tag, port or column"
          value={text}
          onChange={e => setText(e.target.value)}
          fullWidth
        />
      </Grid>
      {FILTERS.map(f => (
        <Grid item xs={6} md={2} key={f.key}>
          <FormControl fullWidth>
            <InputLabel shrink htmlFor={`data-products-filter-${f.key}`}>
              {f.label}
            </InputLabel>
            <NativeSelect
              id={`data-products-filter-${f.key}`}
              value={filters[f.key]}
              onChange={e =>
                setFilters(current => ({ ...current, [f.key]: e.target.value }))
              }
            >
              <option value="">All</option>
              {options(f.key).map(option => (
                <option key={option.value} value={option.value}>
                  {`${(f.refs && titles.get(option.value)) || option.value} (${
                    option.count
                  })`}
                </option>
              ))}
            </NativeSelect>
          </FormControl>
        </Grid>
      ))}
      <Grid item xs={12}>
        <Paper>
          <Typography variant="h5" component="h2" style={{ padding: 16 }}>
            Data products
            <Typography
              component="span"
              variant="body1"
              color="textSecondary"
              style={{ marginLeft: 16 }}
            >
              {pages.loading && pages.items.length === 0
                ? ''
                : countLabel(pages.totalCount, pages.countsAreUpperBounds)}
            </Typography>
          </Typography>
          {pages.loading && <Progress />}
          {pages.error && pages.items.length === 0 ? (
            <ResponseErrorPanel error={pages.error} />
          ) : (
            !(pages.loading && pages.items.length === 0) && (
              <DataProductsTable
                rows={rows}
                sort={sort.sort}
                order={sort.order}
                onSort={(key, order) => setSort({ sort: key, order })}
                hasMore={pages.hasMore}
                loadingMore={pages.loadingMore}
                onLoadMore={pages.loadMore}
                loadError={pages.error}
                emptyContent="No data product matches the search and filters."
              />
            )
          )}
        </Paper>
      </Grid>
    </Grid>
  );
}
