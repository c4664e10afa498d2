import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  ExploreProduct,
  ExploreSortKey,
  ExploreSortOrder,
  PortQualitySummary,
  ProductFreshness,
} from '@dataproducts/plugin-data-products-common';
import { makeStyles } from '@material-ui/core/styles';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import Typography from '@material-ui/core/Typography';
import {
  forwardRef,
  type HTMLAttributes,
  type ReactNode,
  useEffect,
  useRef,
  useState,
} from 'react';
import { FixedSizeList, type ListChildComponentProps } from 'react-window';
import { portTypeLabel } from '../../lib/relations';
import { FreshnessChip } from '../FreshnessChip';
import { QualityChip } from '../QualityChip';

/** One data product in the explorer, with its chips once the backend answered. */
export interface ProductRow extends ExploreProduct {
  /** How fresh its ports are; absent until (or unless) the backend answered. */
  freshness?: ProductFreshness;
  /** The latest checked build of each of its ports; absent until (or unless) the backend answered. */
  quality?: PortQualitySummary[];
}

/** The height of a row: two lines of output ports fit. */
export const ROW_HEIGHT = 60;
/** Rows before the end of what is loaded at which the next page is asked for. */
const LOAD_AHEAD = 15;

interface Column {
  title: string;
  /** The key the column sorts by; columns without one do not sort. */
  sort?: ExploreSortKey;
  width: string;
  align?: 'right';
  render: (row: ProductRow) => ReactNode;
}

const dash = '—';

const COLUMNS: Column[] = [
  {
    title: 'Data product',
    sort: 'name',
    width: 'minmax(160px, 2fr)',
    render: row => (
      <EntityRefLink entityRef={row.ref} title={row.title ?? row.name} />
    ),
  },
  {
    title: 'Domain',
    sort: 'domain',
    width: 'minmax(90px, 1fr)',
    render: row =>
      row.domain ? (
        <EntityRefLink entityRef={row.domain} defaultKind="domain" />
      ) : (
        dash
      ),
  },
  {
    title: 'Type',
    sort: 'type',
    width: 'minmax(90px, 1fr)',
    render: row => row.type ?? dash,
  },
  {
    title: 'Owner',
    sort: 'owner',
    width: 'minmax(90px, 1fr)',
    render: row =>
      row.owner ? (
        <EntityRefLink entityRef={row.owner} defaultKind="group" />
      ) : (
        dash
      ),
  },
  {
    title: 'Lifecycle',
    sort: 'lifecycle',
    width: 'minmax(100px, 0.8fr)',
    render: row => row.lifecycle ?? dash,
  },
  {
    title: 'Output ports',
    width: 'minmax(140px, 2fr)',
    render: row => (
      <>
        {row.ports.map((port, i) => (
          <span key={port.ref}>
            {i > 0 && ', '}
            <EntityRefLink entityRef={port.ref} title={port.name} /> (
            {portTypeLabel(port.type)})
          </span>
        ))}
      </>
    ),
  },
  {
    title: 'Consumers',
    sort: 'consumers',
    width: 'minmax(112px, 0.7fr)',
    align: 'right',
    render: row => row.consumers,
  },
  {
    title: 'Freshness',
    width: 'minmax(80px, 0.8fr)',
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
        dash
      ),
  },
  {
    title: 'Quality',
    width: 'minmax(104px, 0.8fr)',
    render: row =>
      row.quality?.length ? <QualityChip ports={row.quality} /> : dash,
  },
];

const GRID = COLUMNS.map(column => column.width).join(' ');

const useStyles = makeStyles(theme => ({
  row: {
    display: 'grid',
    gridTemplateColumns: GRID,
    alignItems: 'center',
    boxSizing: 'border-box',
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  cell: {
    padding: theme.spacing(0.5, 1),
    overflow: 'hidden',
    // Two lines at most: a product with many ports shows the first ones.
    display: '-webkit-box',
    WebkitLineClamp: 2,
    WebkitBoxOrient: 'vertical',
    wordBreak: 'break-word',
    ...theme.typography.body2,
  },
  header: {
    fontWeight: theme.typography.fontWeightBold as number,
    color: theme.palette.text.primary,
    // Headers never break inside a word; the column widths leave them room.
    whiteSpace: 'nowrap',
    wordBreak: 'normal',
  },
  right: {
    textAlign: 'right',
  },
  message: {
    padding: theme.spacing(2),
  },
}));

/** The height the list may take: the window's, less the page above it, but never under six rows. */
function useListHeight(): number {
  const [height, setHeight] = useState(() => window.innerHeight);
  useEffect(() => {
    const onResize = () => setHeight(window.innerHeight);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return Math.max(ROW_HEIGHT * 6, height - 320);
}

/** The scrolling body of the table, a row group for assistive technology. */
const RowGroup = forwardRef<HTMLDivElement, HTMLAttributes<HTMLDivElement>>(
  (props, ref) => (
    <div
      ref={ref}
      role="rowgroup"
      data-testid="data-products-rows"
      {...props}
    />
  ),
);

interface RowData {
  rows: ProductRow[];
  classes: ReturnType<typeof useStyles>;
  loadError?: Error;
}

/** One row of the list, or the last row while (or why not) the next page loads. */
function ProductRowView({
  index,
  style,
  data,
}: ListChildComponentProps<RowData>) {
  const { rows, classes, loadError } = data;
  const row = rows[index];
  if (!row) {
    return (
      <div style={style} role="row" className={classes.row}>
        <Typography
          role="cell"
          variant="body2"
          color="textSecondary"
          className={classes.message}
        >
          {loadError
            ? `Could not load more data products: ${loadError.message}`
            : 'Loading more data products…'}
        </Typography>
      </div>
    );
  }
  return (
    <div
      style={style}
      role="row"
      aria-rowindex={index + 2}
      className={classes.row}
    >
      {COLUMNS.map(column => (
        <div
          key={column.title}
          role="cell"
          className={`${classes.cell} ${
            column.align === 'right' ? classes.right : ''
          }`}
        >
          {column.render(row)}
        </div>
      ))}
    </div>
  );
}

/**
 * The explorer's table: a header that sorts, and only the rows in view
 * rendered (react-window), so that thousands of loaded products scroll as
 * lightly as fifty. Scrolling near the end of what is loaded asks for the
 * next page.
 */
export function DataProductsTable(props: {
  rows: ProductRow[];
  sort: ExploreSortKey;
  order: ExploreSortOrder;
  onSort: (sort: ExploreSortKey, order: ExploreSortOrder) => void;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  /** Why the last page could not be loaded. */
  loadError?: Error;
  /** What the body says when there are no rows. */
  emptyContent?: ReactNode;
}) {
  const { rows, sort, order, onSort, hasMore, loadingMore, onLoadMore } = props;
  const { loadError } = props;
  const classes = useStyles();
  const maxHeight = useListHeight();
  const itemCount = rows.length + (hasMore ? 1 : 0);
  // The last row in view. A page may add no row in view (a caller who may
  // not read its products gets it empty), so the check runs again when a
  // page arrives, not only when the user scrolls.
  const lastVisible = useRef(0);
  const loadMoreIfNearEnd = () => {
    if (
      hasMore &&
      !loadingMore &&
      !loadError &&
      lastVisible.current >= rows.length - LOAD_AHEAD
    ) {
      onLoadMore();
    }
  };
  useEffect(loadMoreIfNearEnd);

  return (
    <div role="table" aria-label="Data products">
      <div role="rowgroup">
        <div role="row" aria-rowindex={1} className={classes.row}>
          {COLUMNS.map(column => (
            <div
              key={column.title}
              role="columnheader"
              aria-sort={
                column.sort === sort
                  ? `${order === 'asc' ? 'ascending' : 'descending'}`
                  : undefined
              }
              className={`${classes.cell} ${classes.header} ${
                column.align === 'right' ? classes.right : ''
              }`}
            >
              {column.sort ? (
                <TableSortLabel
                  active={column.sort === sort}
                  direction={column.sort === sort ? order : 'asc'}
                  onClick={() =>
                    onSort(
                      column.sort!,
                      column.sort === sort && order === 'asc' ? 'desc' : 'asc',
                    )
                  }
                >
                  {column.title}
                </TableSortLabel>
              ) : (
                column.title
              )}
            </div>
          ))}
        </div>
      </div>
      {itemCount === 0 ? (
        <div className={classes.message}>{props.emptyContent}</div>
      ) : (
        <FixedSizeList
          height={Math.min(maxHeight, itemCount * ROW_HEIGHT)}
          width="100%"
          itemCount={itemCount}
          itemSize={ROW_HEIGHT}
          overscanCount={5}
          outerElementType={RowGroup}
          itemData={{ rows, classes, loadError }}
          onItemsRendered={({ visibleStopIndex }) => {
            lastVisible.current = visibleStopIndex;
            loadMoreIfNearEnd();
          }}
        >
          {ProductRowView}
        </FixedSizeList>
      )}
    </div>
  );
}
