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
import { NODE_HEIGHT, NODE_WIDTH, layoutLineage } from './layoutLineage';

type EntityNodeData = { lineageNode: LineageNode; isRoot: boolean };
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
  const { lineageNode, isRoot } = props.data;
  const title = lineageNode.title ?? lineageNode.name;
  return (
    <div
      className={`${classes.node} ${isRoot ? classes.root : ''}`}
      style={{ borderLeftColor: color(lineageNode.kind) }}
      title={lineageNode.id}
      data-testid="lineage-node"
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className={classes.title}>{title}</div>
      <div className={classes.kind}>{kindLabel(lineageNode)}</div>
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
  const color = useKindColor();
  const navigate = useNavigate();
  const entityRoute = useRouteRef(entityRouteRef);
  const layout = useAsync(() => layoutLineage(lineage), [lineage]);

  const { nodes, edges } = useMemo(() => {
    const flowNodes: EntityFlowNode[] = (layout.value ?? []).map(p => ({
      id: p.node.id,
      type: 'entity',
      position: { x: p.x, y: p.y },
      data: { lineageNode: p.node, isRoot: p.node.id === lineage.root },
      draggable: false,
      connectable: false,
    }));
    const flowEdges: Edge[] = lineage.edges.map(e => ({
      id: `${e.source}->${e.target}`,
      source: e.source,
      target: e.target,
      markerEnd: { type: MarkerType.ArrowClosed },
      style:
        e.type === 'exposes'
          ? { strokeDasharray: '4 3', stroke: theme.palette.text.secondary }
          : { stroke: theme.palette.text.secondary },
    }));
    return { nodes: flowNodes, edges: flowEdges };
  }, [layout.value, lineage, theme]);

  if (layout.error) return <ResponseErrorPanel error={layout.error} />;
  if (layout.loading) return <Progress />;
  if (lineage.nodes.length === 0) {
    return <Typography>No lineage to show.</Typography>;
  }

  return (
    <div style={{ height, width: '100%' }} data-testid="lineage-graph">
      <ReactFlow
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
            nodeColor={n => color((n as EntityFlowNode).data.lineageNode.kind)}
          />
        )}
      </ReactFlow>
    </div>
  );
}
