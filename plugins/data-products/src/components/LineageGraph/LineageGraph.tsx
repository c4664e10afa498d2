import { useRouteRef } from '@backstage/core-plugin-api';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type {
  Lineage,
  LineageNode,
} from '@dataproducts/plugin-data-products-common';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import {
  Background,
  Controls,
  Edge,
  Handle,
  MarkerType,
  MiniMap,
  Node,
  NodeProps,
  Position,
  ReactFlow,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import { useNavigate } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { portTypeLabel } from '../../lib/relations';
import { COLUMN_ROW_HEIGHT, ColumnRow, ColumnRows } from './ColumnRows';
import { NODE_HEIGHT, NODE_WIDTH, layoutLineage } from './layoutLineage';
import { useColumnLineage } from './useColumnLineage';

/** A node's height with `rows` columns shown. */
function nodeHeight(rows = 0): number {
  return NODE_HEIGHT + (rows ? rows * COLUMN_ROW_HEIGHT + 4 : 0);
}

type EntityNodeData = {
  lineageNode: LineageNode;
  isRoot: boolean;
  /** The columns shown in the node, when it is expanded or holds highlighted columns. */
  columns?: ColumnRow[];
  /** Output ports: whether the node is expanded into its columns, and how to toggle it. */
  expanded?: boolean;
  onToggleColumns?: (portRef: string) => void;
  /** True when a column is selected somewhere in the graph. */
  selecting?: boolean;
  onSelectColumn?: (fieldId: string) => void;
};
type EntityFlowNode = Node<EntityNodeData, 'entity'>;

const useStyles = makeStyles(theme => ({
  node: {
    width: NODE_WIDTH,
    height: NODE_HEIGHT,
    boxSizing: 'border-box',
    padding: theme.spacing(0.5, 1),
    borderRadius: 6,
    border: `1px solid ${theme.palette.divider}`,
    borderLeftWidth: 6,
    background: theme.palette.background.paper,
    color: theme.palette.text.primary,
    cursor: 'pointer',
    overflow: 'hidden',
  },
  root: { boxShadow: `0 0 0 3px ${theme.palette.primary.light}` },
  title: {
    fontWeight: 600,
    fontSize: 13,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  },
  kind: { fontSize: 11, color: theme.palette.text.secondary },
  header: { display: 'flex', justifyContent: 'space-between', gap: 4 },
  toggle: {
    fontSize: 11,
    padding: '0 4px',
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: 3,
    background: 'transparent',
    color: theme.palette.text.secondary,
    cursor: 'pointer',
    whiteSpace: 'nowrap',
  },
  hint: { fontSize: 12, color: theme.palette.text.secondary },
}));

function kindLabel(node: LineageNode): string {
  switch (node.kind.toLocaleLowerCase('en-US')) {
    case 'dataproduct':
      return `data product${node.type ? ` · ${node.type}` : ''}`;
    case 'outputport':
      return `output port · ${portTypeLabel(node.type)}`;
    case 'resource':
      return `source${node.type ? ` · ${node.type}` : ''}`;
    default:
      return node.kind.toLocaleLowerCase('en-US');
  }
}

function useKindColor() {
  const theme = useTheme();
  return (kind: string) => {
    switch (kind.toLocaleLowerCase('en-US')) {
      case 'dataproduct':
        return theme.palette.primary.main;
      case 'outputport':
        return theme.palette.secondary.main;
      case 'resource':
        return theme.palette.text.secondary;
      default:
        return theme.palette.info.main;
    }
  };
}

function EntityNode(props: NodeProps<EntityFlowNode>) {
  const classes = useStyles();
  const color = useKindColor();
  const { lineageNode, isRoot, columns, onToggleColumns } = props.data;
  const title = lineageNode.title ?? lineageNode.name;
  return (
    <div
      className={`${classes.node} ${isRoot ? classes.root : ''}`}
      style={{
        borderLeftColor: color(lineageNode.kind),
        height: nodeHeight(columns?.length),
      }}
      title={lineageNode.id}
      data-testid="lineage-node"
      data-entity-ref={lineageNode.id}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className={classes.header}>
        <div className={classes.title}>{title}</div>
        {onToggleColumns && (
          <button
            type="button"
            className={classes.toggle}
            data-testid="lineage-columns-toggle"
            aria-expanded={Boolean(props.data.expanded)}
            title={
              props.data.expanded
                ? 'Hide the columns'
                : 'Show the columns and where each comes from'
            }
            onClick={event => {
              event.stopPropagation();
              onToggleColumns(lineageNode.id);
            }}
          >
            {props.data.expanded ? 'columns ▴' : 'columns ▾'}
          </button>
        )}
      </div>
      <div className={classes.kind}>{kindLabel(lineageNode)}</div>
      {columns && columns.length > 0 && (
        <ColumnRows
          columns={columns}
          selecting={Boolean(props.data.selecting)}
          onSelect={id => props.data.onSelectColumn?.(id)}
        />
      )}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

const nodeTypes = { entity: EntityNode };

/** Draws a lineage graph; clicking a node opens its catalog page. */
export function LineageGraph(props: {
  lineage: Lineage;
  height: number | string;
}) {
  const { lineage, height } = props;
  const theme = useTheme();
  const hintClasses = useStyles();
  const color = useKindColor();
  const navigate = useNavigate();
  const entityRoute = useRouteRef(entityRouteRef);
  const columnLineage = useColumnLineage();
  const { merged, marks, expanded, toggle, select } = columnLineage;
  // The columns each node shows: an expanded port's own, and the columns
  // of other nodes its lineage reaches.
  const columnsOf = useMemo(() => {
    const shown = new Map<string, ColumnRow[]>();
    for (const node of lineage.nodes) {
      const ids = merged.byEntity.get(node.id);
      if (!ids?.length) continue;
      shown.set(
        node.id,
        ids.map(id => ({
          id,
          name: merged.fields.get(id)!.column,
          mark: marks?.get(id),
        })),
      );
    }
    return shown;
  }, [lineage, merged, marks]);
  const heights = useMemo(
    () =>
      Object.fromEntries(
        [...columnsOf].map(([id, rows]) => [id, nodeHeight(rows.length)]),
      ),
    [columnsOf],
  );
  const heightsKey = JSON.stringify(heights);
  const layout = useAsync(
    () => layoutLineage(lineage, heights),
    // Laid out again only when a node's height changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [lineage, heightsKey],
  );

  const { nodes, edges } = useMemo(() => {
    const flowNodes: EntityFlowNode[] = (layout.value ?? []).map(p => ({
      id: p.node.id,
      type: 'entity',
      position: { x: p.x, y: p.y },
      // Known sizes: drawn at once, not hidden until xyflow has measured
      // them (a measurement lost under load left expanded nodes hidden).
      initialWidth: NODE_WIDTH,
      initialHeight: nodeHeight(columnsOf.get(p.node.id)?.length),
      data: {
        lineageNode: p.node,
        isRoot: p.node.id === lineage.root,
        columns: columnsOf.get(p.node.id),
        ...(p.node.kind.toLocaleLowerCase('en-US') === 'outputport'
          ? {
              expanded: expanded.includes(p.node.id),
              onToggleColumns: toggle,
            }
          : {}),
        selecting: Boolean(marks),
        onSelectColumn: select,
      },
      draggable: false,
      connectable: false,
    }));
    const flowEdges: Edge[] = lineage.edges.map(e => ({
      id: `${e.source}->${e.target}`,
      source: e.source,
      target: e.target,
      markerEnd: { type: MarkerType.ArrowClosed },
      style: {
        stroke: theme.palette.text.secondary,
        ...(e.type === 'exposes' ? { strokeDasharray: '4 3' } : {}),
        // Faint while a column's lineage is highlighted.
        ...(marks ? { opacity: 0.25 } : {}),
      },
    }));
    // A selected column's lineage: an edge per link between highlighted
    // columns, solid where a value flows, dashed where it shapes the rows.
    const shownIds = new Set([...columnsOf.values()].flat().map(c => c.id));
    for (const link of marks ? merged.links : []) {
      if (!marks!.has(link.source) || !marks!.has(link.target)) continue;
      if (!shownIds.has(link.source) || !shownIds.has(link.target)) continue;
      const direct = link.transformations.some(t => t.type === 'DIRECT');
      flowEdges.push({
        id: `column:${link.source}->${link.target}`,
        source: merged.fields.get(link.source)!.entityRef!,
        sourceHandle: `${link.source}:out`,
        target: merged.fields.get(link.target)!.entityRef!,
        targetHandle: `${link.target}:in`,
        markerEnd: { type: MarkerType.ArrowClosed },
        zIndex: 1,
        style: {
          stroke: theme.palette.primary.main,
          strokeWidth: direct ? 2 : 1,
          ...(direct ? {} : { strokeDasharray: '5 4' }),
        },
      });
    }
    return { nodes: flowNodes, edges: flowEdges };
  }, [
    layout.value,
    lineage,
    theme,
    columnsOf,
    expanded,
    toggle,
    marks,
    select,
    merged,
  ]);

  if (layout.error) return <ResponseErrorPanel error={layout.error} />;
  if (layout.loading && !layout.value) return <Progress />;
  if (lineage.nodes.length === 0) {
    return <Typography>No lineage to show.</Typography>;
  }

  return (
    <>
      {columnLineage.error && (
        <ResponseErrorPanel error={columnLineage.error} />
      )}
      {expanded.length > 0 && (
        <Typography className={hintClasses.hint}>
          Click a column to highlight the columns it derives from, back to the
          source tables, and the consumers' columns derived from it. Solid: the
          value flows (identity, transformation, aggregation); dashed: it only
          shapes the rows (join, filter, group by, sort, window, conditional).
        </Typography>
      )}
      <div style={{ height, width: '100%' }} data-testid="lineage-graph">
        <ReactFlow
          // Fitted to the view again when nodes grow or shrink with their columns.
          key={heightsKey}
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          fitView
          fitViewOptions={{ padding: 0.05 }}
          minZoom={0.02}
          nodesConnectable={false}
          onlyRenderVisibleElements={nodes.length > 300}
          proOptions={{ hideAttribution: true }}
          onNodeClick={(_event, node) => {
            const { kind, namespace, name } = (node as EntityFlowNode).data
              .lineageNode;
            navigate(
              entityRoute({
                kind: kind.toLocaleLowerCase('en-US'),
                namespace,
                name,
              }),
            );
          }}
        >
          <Background />
          <Controls showInteractive={false} />
          {nodes.length > 20 && (
            <MiniMap
              pannable
              zoomable
              nodeColor={n =>
                color((n as EntityFlowNode).data.lineageNode.kind)
              }
            />
          )}
        </ReactFlow>
      </div>
    </>
  );
}
