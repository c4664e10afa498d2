import {
  Entity,
  RELATION_DEPENDENCY_OF,
  RELATION_HAS_PART,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Table, TableColumn } from '@backstage/core-components';
import {
  EntityRefLink,
  getEntityRelations,
} from '@backstage/plugin-catalog-react';
import type {
  DataProductEntityV1alpha1,
  OutputPortEntityV1alpha1,
  PortQualitySummary,
  ProductFreshness,
} from '@dataproducts/plugin-data-products-common';
import FormControl from '@material-ui/core/FormControl';
import Grid from '@material-ui/core/Grid';
import InputLabel from '@material-ui/core/InputLabel';
import NativeSelect from '@material-ui/core/NativeSelect';
import TextField from '@material-ui/core/TextField';
import { useMemo, useState } from 'react';
import { useEntityTitles } from '../../lib/entityTitles';
import { ownerRef, portTypeLabel } from '../../lib/relations';
import { FreshnessChip } from '../FreshnessChip';
import { QualityChip } from '../QualityChip';

/** One data product in the explorer, with its ports and how many entities consume it. */
export interface ProductRow {
  id: string;
  product: DataProductEntityV1alpha1;
  ports: OutputPortEntityV1alpha1[];
  consumers: number;
  owner: string;
  domain: string;
  /** How fresh its ports are; absent until (or unless) the backend answered. */
  freshness?: ProductFreshness;
  /** The latest checked build of each of its ports; absent until (or unless) the backend answered. */
  quality?: PortQualitySummary[];
}

/** Joins products with their ports and counts distinct consumers of each product's ports. */
export function toProductRows(entities: Entity[]): ProductRow[] {
  const byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
  return entities
    .filter(e => e.kind === 'DataProduct')
    .map(e => {
      const product = e as DataProductEntityV1alpha1;
      const ports = getEntityRelations(product, RELATION_HAS_PART, {
        kind: 'OutputPort',
      })
        .map(ref => byRef.get(stringifyEntityRef(ref)))
        .filter((p): p is OutputPortEntityV1alpha1 => Boolean(p));
      const consumers = new Set(
        ports.flatMap(p =>
          getEntityRelations(p, RELATION_DEPENDENCY_OF).map(ref =>
            stringifyEntityRef(ref),
          ),
        ),
      );
      return {
        id: stringifyEntityRef(product),
        product,
        ports,
        consumers: consumers.size,
        owner: ownerRef(product) ?? '',
        domain: product.spec.domain ?? '',
      };
    })
    .sort((a, b) =>
      (a.product.metadata.title ?? a.product.metadata.name).localeCompare(
        b.product.metadata.title ?? b.product.metadata.name,
      ),
    );
}

type FilterKey = 'domain' | 'type' | 'owner' | 'lifecycle';

/** The entity ref of a product's domain, whose title the Domain filter shows. */
const domainRef = (domain: string) =>
  domain.includes(':') ? domain : `domain:default/${domain}`;

const FILTERS: Array<{
  key: FilterKey;
  label: string;
  value: (r: ProductRow) => string;
  /** The entity ref a value names, for filters that show titles instead of refs. */
  ref?: (value: string) => string;
}> = [
  { key: 'domain', label: 'Domain', value: r => r.domain, ref: domainRef },
  { key: 'type', label: 'Type', value: r => r.product.spec.type },
  { key: 'owner', label: 'Owner', value: r => r.owner, ref: v => v },
  {
    key: 'lifecycle',
    label: 'Lifecycle',
    value: r => r.product.spec.lifecycle,
  },
];

const columns: TableColumn<ProductRow>[] = [
  {
    title: 'Data product',
    render: row => <EntityRefLink entityRef={row.product} />,
  },
  {
    title: 'Domain',
    field: 'domain',
    render: row =>
      row.domain ? (
        <EntityRefLink entityRef={domainRef(row.domain)} defaultKind="domain" />
      ) : (
        '—'
      ),
  },
  { title: 'Type', render: row => row.product.spec.type },
  {
    title: 'Owner',
    render: row =>
      row.owner ? (
        <EntityRefLink entityRef={row.owner} defaultKind="group" />
      ) : (
        '—'
      ),
  },
  { title: 'Lifecycle', render: row => row.product.spec.lifecycle },
  {
    title: 'Output ports',
    render: row => (
      <>
        {row.ports.map((port, i) => (
          <span key={stringifyEntityRef(port)}>
            {i > 0 && ', '}
            <EntityRefLink entityRef={port} title={port.spec.name} /> (
            {portTypeLabel(port.spec.type)})
          </span>
        ))}
      </>
    ),
  },
  { title: 'Consumers', field: 'consumers', type: 'numeric' },
  {
    title: 'Freshness',
    render: row =>
      row.freshness ? (
        <FreshnessChip
          state={row.freshness.state}
          freshness={{
            reason: row.freshness.ports
              .map(port => `${port.name}: ${port.state} (${port.reason})`)
              .join('; '),
          }}
        />
      ) : (
        '—'
      ),
  },
  {
    title: 'Quality',
    render: row =>
      row.quality?.length ? <QualityChip ports={row.quality} /> : '—',
  },
];

function matchesText(row: ProductRow, text: string): boolean {
  if (!text) return true;
  const haystack = [
    row.product.metadata.name,
    row.product.metadata.title,
    row.product.metadata.description,
    ...(row.product.metadata.tags ?? []),
    ...row.ports.map(p => p.spec.name),
    ...row.ports.flatMap(p => (p.spec.columns ?? []).map(c => c.name)),
  ]
    .filter(Boolean)
    .join(' ')
    .toLocaleLowerCase('en-US');
  return text
    .toLocaleLowerCase('en-US')
    .split(/\s+/)
    .filter(Boolean)
    .every(word => haystack.includes(word));
}

/** Every data product, filterable by domain, type, owner and lifecycle, with a text search. */
export function DataProductsTable(props: { rows: ProductRow[] }) {
  const { rows } = props;
  const [text, setText] = useState('');
  const [filters, setFilters] = useState<Record<FilterKey, string>>({
    domain: '',
    type: '',
    owner: '',
    lifecycle: '',
  });

  const options = useMemo(
    () =>
      Object.fromEntries(
        FILTERS.map(f => [
          f.key,
          [...new Set(rows.map(f.value).filter(Boolean))].sort(),
        ]),
      ) as Record<FilterKey, string[]>,
    [rows],
  );

  const titles = useEntityTitles(
    FILTERS.flatMap(f =>
      f.ref ? options[f.key].map(option => f.ref!(option)) : [],
    ),
  );
  const optionLabel = (filter: (typeof FILTERS)[number], option: string) =>
    (filter.ref && titles.get(filter.ref(option))) || option;

  const visible = rows.filter(
    row =>
      FILTERS.every(f => !filters[f.key] || f.value(row) === filters[f.key]) &&
      matchesText(row, text),
  );

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
              {options[f.key].map(option => (
                <option key={option} value={option}>
                  {optionLabel(f, option)}
                </option>
              ))}
            </NativeSelect>
          </FormControl>
        </Grid>
      ))}
      <Grid item xs={12}>
        <Table<ProductRow>
          title={`Data products (${visible.length})`}
          columns={columns}
          data={visible}
          options={{ paging: false, search: false, padding: 'dense' }}
          emptyContent={
            <div style={{ padding: 16 }}>No data product matches.</div>
          }
        />
      </Grid>
    </Grid>
  );
}
