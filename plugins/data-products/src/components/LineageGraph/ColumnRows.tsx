import { makeStyles } from '@material-ui/core/styles';
import { Handle, Position } from '@xyflow/react';
import { type ColumnMark, describeTransformations } from './columnHighlight';

/** The height of one column row in an expanded node, in pixels. */
export const COLUMN_ROW_HEIGHT = 20;

/** A column shown in a node: its field id, its name and how it is highlighted. */
export interface ColumnRow {
  id: string;
  name: string;
  mark?: ColumnMark;
}

const useStyles = makeStyles(theme => ({
  list: { borderTop: `1px solid ${theme.palette.divider}`, marginTop: 2 },
  row: {
    position: 'relative',
    height: COLUMN_ROW_HEIGHT,
    lineHeight: `${COLUMN_ROW_HEIGHT - 2}px`,
    fontSize: 12,
    fontFamily: 'monospace',
    display: 'flex',
    justifyContent: 'space-between',
    gap: 4,
    padding: '0 4px',
    boxSizing: 'border-box',
    border: '1px solid transparent',
    borderRadius: 3,
    cursor: 'pointer',
    whiteSpace: 'nowrap',
    '&:hover': { background: theme.palette.action.hover },
  },
  name: { overflow: 'hidden', textOverflow: 'ellipsis' },
  how: {
    fontFamily: theme.typography.fontFamily,
    fontSize: 10,
    color: theme.palette.text.secondary,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  },
  selected: {
    background: theme.palette.primary.main,
    color: theme.palette.primary.contrastText,
    '&:hover': { background: theme.palette.primary.dark },
  },
  direct: {
    background: theme.palette.type === 'dark' ? '#0d47a1' : '#e3f2fd',
    borderColor: theme.palette.primary.main,
  },
  indirect: {
    borderColor: theme.palette.text.secondary,
    borderStyle: 'dashed',
  },
  dimmed: { opacity: 0.35 },
  handle: { opacity: 0, pointerEvents: 'none' },
}));

/**
 * The columns of a lineage node: each a row with a handle on either side
 * for the column edges; clicking one selects it. A highlighted row says how
 * it relates to the selected column (solid: its value flows; dashed: it
 * only shapes the rows).
 */
export function ColumnRows(props: {
  columns: ColumnRow[];
  /** True when some column is selected: rows that are not highlighted are dimmed. */
  selecting: boolean;
  onSelect: (id: string) => void;
}) {
  const classes = useStyles();
  return (
    <div className={classes.list} data-testid="lineage-columns">
      {props.columns.map(column => {
        const mark = column.mark;
        const state = mark?.role ?? (props.selecting ? 'dimmed' : 'none');
        const classNames = [classes.row];
        if (mark?.role === 'selected') classNames.push(classes.selected);
        else if (mark) {
          classNames.push(mark.direct ? classes.direct : classes.indirect);
        } else if (props.selecting) classNames.push(classes.dimmed);
        const how =
          mark && mark.role !== 'selected'
            ? describeTransformations(mark.transformations)
            : undefined;
        return (
          <div
            key={column.id}
            role="button"
            tabIndex={0}
            className={classNames.join(' ')}
            data-testid="lineage-column"
            data-column={column.name}
            data-highlight={state}
            data-direct={mark ? String(mark.direct) : undefined}
            title={
              how
                ? `${column.name}: ${
                    mark!.role === 'upstream'
                      ? `the selected column derives from it (${how})`
                      : `derives from the selected column (${how})`
                  }`
                : column.name
            }
            onClick={event => {
              event.stopPropagation();
              props.onSelect(column.id);
            }}
            onKeyDown={event => {
              if (event.key === 'Enter' || event.key === ' ') {
                event.preventDefault();
                event.stopPropagation();
                props.onSelect(column.id);
              }
            }}
          >
            <Handle
              type="target"
              id={`${column.id}:in`}
              position={Position.Left}
              isConnectable={false}
              className={classes.handle}
            />
            <span className={classes.name}>{column.name}</span>
            {how && <span className={classes.how}>{how}</span>}
            <Handle
              type="source"
              id={`${column.id}:out`}
              position={Position.Right}
              isConnectable={false}
              className={classes.handle}
            />
          </div>
        );
      })}
    </div>
  );
}
