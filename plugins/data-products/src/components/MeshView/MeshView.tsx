import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  DEFAULT_MESH_DEPTH,
  MAX_MESH_DEPTH,
  MeshGraph,
  MeshNode,
  MeshSearchMatch,
} from '@dataproducts/plugin-data-products-common';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import {
  Background,
  Controls,
  Edge,
  MarkerType,
  MiniMap,
  ReactFlow,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import {
  type HTMLAttributes,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import useAsync from 'react-use/esm/useAsync';
import { dataProductsMeshApiRef } from '../../api/DataProductsMeshApi';
import {
  GROUP_HEIGHT,
  GROUP_WIDTH,
  MEMBER_HEIGHT,
  MEMBER_WIDTH,
  isGroup,
  layoutMesh,
  warmMeshLayout,
} from './layoutMesh';
import { meshEdgeTypes } from './MeshEdges';
import { MeshLegend } from './MeshLegend';
import {
  MeshFlowNodeData,
  MeshGroupFlowNode,
  MeshMemberFlowNode,
  meshNodeTypes,
} from './MeshNodes';
import { MeshSearch } from './MeshSearch';
import {
  STRONGEST_FLOWS_ABOVE,
  flowsPerDomain,
  strongestFlows,
} from './strongestFlows';

/** What the mesh view shows: the groups opened into their members, and the product focused on. */
interface MeshViewState {
  expand: string[];
  focus?: { id: string; title: string };
  depth: number;
}

const INITIAL: MeshViewState = { expand: [], depth: DEFAULT_MESH_DEPTH };

// Edge labels stay readable up to this many edges; beyond, thickness alone
// says how much flows.
const MAX_LABELLED_EDGES = 60;

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1.5),
    marginBottom: theme.spacing(1),
  },
  depth: { width: 110 },
  notice: { color: theme.palette.text.secondary, fontSize: 13 },
  canvas: {
    width: '100%',
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: 4,
  },
}));

/** What the drawn graph holds, in a line. */
function summarize(graph: MeshGraph): string {
  const groups = graph.nodes.filter(isGroup).length;
  const members = graph.nodes.length - groups;
  const flows = graph.edges.reduce((sum, e) => sum + e.flows, 0);
  const count = (n: number, one: string, many: string) =>
    `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
  return [
    count(groups, 'group', 'groups'),
    count(members, 'product or source', 'products and sources'),
    count(flows, 'data flow', 'data flows'),
  ].join(' · ');
}

function edgeWidth(flows: number): number {
  return Math.min(1.5 + Math.log2(flows) * 1.5, 10);
}

/**
 * The data mesh at a glance: one node per domain with its product count and
 * the data flowing between domains; click a domain to open it into its
 * products, a product to focus on what it reads and what reads it (up to a
 * chosen depth), or search for either. The server answers at most 300 nodes,
 * so the layout stays small whatever the size of the mesh.
 */
export function MeshView(props: { height?: number | string }) {
  const { height = '70vh' } = props;
  const classes = useStyles();
  const theme = useTheme();
  const api = useApi(dataProductsMeshApiRef);
  const [view, setView] = useState<MeshViewState>(INITIAL);
  const [ready, setReady] = useState(false);

  const request = useMemo(
    () => ({
      expand: view.expand,
      ...(view.focus ? { focus: view.focus.id, depth: view.depth } : {}),
    }),
    [view],
  );
  const graphState = useAsync(() => api.getMesh(request), [api, request]);
  // The last graph stays drawn while the next one loads.
  const shown = useRef<MeshGraph | undefined>(undefined);
  if (graphState.value) shown.current = graphState.value;
  const graph = graphState.value ?? shown.current;
  // The domain overview draws each domain's strongest flows unless asked
  // for all of them; products' flows are always drawn.
  const [allFlows, setAllFlows] = useState(false);
  const thinnable =
    graph !== undefined &&
    graph.edges.length > STRONGEST_FLOWS_ABOVE &&
    graph.nodes.every(isGroup);
  const thinned = thinnable && !allFlows;
  const perDomain = flowsPerDomain(graph?.nodes.length ?? 0);
  const drawn = useMemo(
    () =>
      graph && thinned
        ? {
            ...graph,
            edges: strongestFlows(graph.edges, perDomain),
          }
        : graph,
    [graph, thinned, perDomain],
  );
  // The positions with the graph they were laid out for, so that the nodes
  // and edges drawn always belong to one graph.
  const layout = useAsync(
    async () =>
      drawn ? { graph: drawn, positioned: await layoutMesh(drawn) } : undefined,
    [drawn],
  );
  const laidOut = layout.value?.graph;

  const { nodes, edges } = useMemo(() => {
    const positioned = layout.value?.positioned.nodes ?? [];
    const routes = layout.value?.positioned.routes;
    const flowNodes = positioned.map(p => {
      const data: MeshFlowNodeData = {
        meshNode: p.node,
        focused: p.node.id === laidOut?.focus,
      };
      return isGroup(p.node)
        ? ({
            id: p.node.id,
            type: 'meshGroup',
            position: { x: p.x, y: p.y },
            // Known sizes: drawn at once, not hidden until measured.
            initialWidth: GROUP_WIDTH,
            initialHeight: GROUP_HEIGHT,
            data,
            draggable: false,
            connectable: false,
          } as MeshGroupFlowNode)
        : ({
            id: p.node.id,
            type: 'meshMember',
            position: { x: p.x, y: p.y },
            initialWidth: MEMBER_WIDTH,
            initialHeight: MEMBER_HEIGHT,
            data,
            draggable: false,
            connectable: false,
          } as MeshMemberFlowNode);
    });
    const labelled = (laidOut?.edges.length ?? 0) <= MAX_LABELLED_EDGES;
    const flowEdges: Edge[] = positioned.length
      ? (laidOut?.edges ?? []).map(e => ({
          id: `${e.source}->${e.target}`,
          type: 'meshFlow',
          source: e.source,
          target: e.target,
          data: { route: routes?.get(`${e.source}->${e.target}`) },
          // One arrowhead size whatever the edge's width (by default it
          // grows with the stroke, and the heaviest flows end in blots).
          markerEnd: {
            type: MarkerType.ArrowClosed,
            color: theme.palette.text.secondary,
            markerUnits: 'userSpaceOnUse',
            width: 16,
            height: 16,
          },
          ...(labelled
            ? {
                label: e.flows.toLocaleString('en-US'),
                labelStyle: { fontSize: 11, fill: theme.palette.text.primary },
                labelBgStyle: { fill: theme.palette.background.paper },
                labelBgPadding: [3, 2] as [number, number],
              }
            : {}),
          style: {
            stroke: theme.palette.text.secondary,
            strokeWidth: edgeWidth(e.flows),
            opacity: 0.75,
          },
        }))
      : [];
    return { nodes: flowNodes, edges: flowEdges };
  }, [layout.value, laidOut, theme]);

  // The marker of an interactive view: set once a laid-out graph is drawn.
  useEffect(() => {
    if (layout.value && !ready) setReady(true);
  }, [layout.value, ready]);
  // Once the overview is drawn, the layout worker loads for the products a
  // click on a domain will show.
  useEffect(() => {
    if (ready) warmMeshLayout();
  }, [ready]);

  const open = (node: MeshNode) => {
    if (isGroup(node)) {
      setView(v => ({
        ...v,
        expand: node.partial
          ? v.expand.filter(group => group !== node.id)
          : [...v.expand, node.id],
      }));
    } else {
      setView(v => ({
        ...v,
        focus: { id: node.id, title: node.title },
        expand: v.expand.includes(node.group)
          ? v.expand
          : [...v.expand, node.group],
      }));
    }
  };

  const select = (match: MeshSearchMatch) => {
    if (match.kind === 'domain' || match.kind === 'sources') {
      setView(v =>
        v.expand.includes(match.id)
          ? v
          : { ...v, expand: [...v.expand, match.id] },
      );
    } else {
      setView(v => ({
        ...v,
        focus: { id: match.id, title: match.title },
        expand: v.expand.includes(match.group)
          ? v.expand
          : [...v.expand, match.group],
      }));
    }
  };

  const titleOf = (group: string) =>
    graph?.nodes.find(n => n.group === group && isGroup(n))?.title ??
    group.replace(/^.*[/:]/, '');

  const error = graphState.error ?? layout.error;
  return (
    <div data-testid="mesh-view" data-mesh-ready={ready ? 'true' : 'false'}>
      <div className={classes.toolbar}>
        <MeshSearch onSelect={select} />
        {view.focus && (
          <>
            <Chip
              color="primary"
              label={`Focus: ${view.focus.title}`}
              onDelete={() => setView(v => ({ ...v, focus: undefined }))}
              data-testid="mesh-focus"
            />
            <TextField
              select
              size="small"
              variant="outlined"
              label="Depth"
              className={classes.depth}
              value={view.depth}
              onChange={event =>
                setView(v => ({ ...v, depth: Number(event.target.value) }))
              }
              SelectProps={{
                SelectDisplayProps: {
                  'data-testid': 'mesh-depth',
                } as HTMLAttributes<HTMLDivElement>,
              }}
            >
              {Array.from({ length: MAX_MESH_DEPTH }, (_, i) => i + 1).map(
                depth => (
                  <MenuItem key={depth} value={depth}>
                    {depth === 1 ? '1 hop' : `${depth} hops`}
                  </MenuItem>
                ),
              )}
            </TextField>
          </>
        )}
        {view.expand.map(group => (
          <Chip
            key={group}
            variant="outlined"
            label={`Open: ${titleOf(group)}`}
            onDelete={() =>
              setView(v => ({
                ...v,
                expand: v.expand.filter(g => g !== group),
              }))
            }
            data-testid="mesh-expanded"
          />
        ))}
        <Button
          variant="outlined"
          size="small"
          onClick={() => setView(INITIAL)}
          disabled={view === INITIAL}
        >
          Reset
        </Button>
        {(graphState.loading || layout.loading) && graph && (
          <Typography className={classes.notice}>Updating…</Typography>
        )}
      </div>
      {graph && (graph.truncated || graph.omittedEdges > 0) && (
        <Typography className={classes.notice} data-testid="mesh-truncated">
          {graph.truncated &&
            `Showing ${graph.nodes.length} nodes, the most connected first; the other products stay in their domain's node. Search for a product to focus on it. `}
          {graph.omittedEdges > 0 &&
            `The ${
              graph.edges.length
            } heaviest connections are drawn; ${graph.omittedEdges.toLocaleString(
              'en-US',
            )} weaker connections are not drawn.`}
        </Typography>
      )}
      {graph && drawn && thinnable && (
        <Typography className={classes.notice} data-testid="mesh-flows">
          {thinned
            ? `${
                perDomain === 1
                  ? "Each domain's strongest flow in and out"
                  : `Each domain's ${perDomain} strongest flows in and out`
              }: ${drawn.edges.length} of ${
                graph.edges.length
              } connections drawn. `
            : `All ${graph.edges.length} connections drawn. `}
          <Button
            size="small"
            color="primary"
            onClick={() => setAllFlows(all => !all)}
          >
            {thinned ? 'Show all flows' : 'Strongest flows only'}
          </Button>
        </Typography>
      )}
      {error && <ResponseErrorPanel error={error} />}
      {!graph && !error && <Progress />}
      {graph && graph.nodes.length === 0 && (
        <Typography>No data products in the mesh yet.</Typography>
      )}
      {graph && graph.nodes.length > 0 && (
        <div className={classes.canvas} style={{ height }}>
          <ReactFlow
            // A new graph is fitted to the view once laid out.
            key={
              laidOut
                ? `${laidOut.nodes.map(n => n.id).join(' ')} ${
                    laidOut.edges.length
                  }`
                : ''
            }
            nodes={nodes}
            edges={edges}
            nodeTypes={meshNodeTypes}
            edgeTypes={meshEdgeTypes}
            fitView
            fitViewOptions={{ padding: 0.08, maxZoom: 1.2 }}
            minZoom={0.05}
            nodesConnectable={false}
            nodesDraggable={false}
            onlyRenderVisibleElements={nodes.length > 150}
            proOptions={{ hideAttribution: true }}
            onNodeClick={(_event, node) =>
              open((node.data as MeshFlowNodeData).meshNode)
            }
          >
            <Background />
            <Controls showInteractive={false} />
            {nodes.length > 40 && <MiniMap pannable zoomable />}
          </ReactFlow>
        </div>
      )}
      {ready && graph && (
        <Typography className={classes.notice} data-testid="mesh-view-ready">
          {summarize(graph)}
        </Typography>
      )}
      <MeshLegend />
    </div>
  );
}
