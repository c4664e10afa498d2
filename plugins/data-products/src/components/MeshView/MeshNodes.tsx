import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { MeshNode } from '@dataproducts/plugin-data-products-common';
import { makeStyles } from '@material-ui/core/styles';
import { Handle, Node, NodeProps, Position } from '@xyflow/react';
import {
  GROUP_HEIGHT,
  GROUP_WIDTH,
  MEMBER_HEIGHT,
  MEMBER_WIDTH,
} from './layoutMesh';
import { groupColor } from './meshColors';

/** What a drawn mesh node carries. */
export type MeshFlowNodeData = {
  meshNode: MeshNode;
  focused: boolean;
};
/** A group node (domain or sources) of the drawn mesh. */
export type MeshGroupFlowNode = Node<MeshFlowNodeData, 'meshGroup'>;
/** A product or source node of the drawn mesh. */
export type MeshMemberFlowNode = Node<MeshFlowNodeData, 'meshMember'>;

const useStyles = makeStyles(theme => ({
  box: {
    boxSizing: 'border-box',
    borderRadius: 8,
    border: `1px solid ${theme.palette.divider}`,
    borderLeftWidth: 8,
    background: theme.palette.background.paper,
    color: theme.palette.text.primary,
    cursor: 'pointer',
    overflow: 'hidden',
    padding: theme.spacing(0.75, 1.25),
  },
  focused: { boxShadow: `0 0 0 3px ${theme.palette.primary.main}` },
  title: {
    fontWeight: 600,
    fontSize: 14,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  },
  groupTitle: { fontSize: 16, textTransform: 'capitalize' },
  line: {
    fontSize: 12,
    color: theme.palette.text.secondary,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    display: 'flex',
    justifyContent: 'space-between',
    gap: 4,
  },
}));

function plural(count: number, one: string, many: string) {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

/** A domain, the products without one, or the sources: click to open into its members. */
export function MeshGroupNode(props: NodeProps<MeshGroupFlowNode>) {
  const classes = useStyles();
  const { meshNode } = props.data;
  const count = meshNode.count ?? 0;
  const what =
    meshNode.kind === 'sources'
      ? plural(count, 'source table', 'source tables')
      : plural(count, 'product', 'products');
  return (
    <div
      className={classes.box}
      style={{
        width: GROUP_WIDTH,
        height: GROUP_HEIGHT,
        borderLeftColor: groupColor(meshNode.group),
        background: `${groupColor(meshNode.group)}14`,
      }}
      title={
        meshNode.partial
          ? `${meshNode.title}: ${what} more. Click to close the domain again.`
          : `${meshNode.title}: click to show its ${
              meshNode.kind === 'sources' ? 'source tables' : 'products'
            }`
      }
      data-testid="mesh-node"
      data-kind={meshNode.kind}
      data-id={meshNode.id}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className={`${classes.title} ${classes.groupTitle}`}>
        {meshNode.title}
      </div>
      <div className={classes.line}>
        <span>{meshNode.partial ? `+ ${what} more` : what}</span>
        {meshNode.internalFlows ? (
          <span>{plural(meshNode.internalFlows, 'flow', 'flows')} inside</span>
        ) : null}
      </div>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

/** A product or a source table: click to focus on its neighbourhood. */
export function MeshMemberNode(props: NodeProps<MeshMemberFlowNode>) {
  const classes = useStyles();
  const entityRoute = useRouteRef(entityRouteRef);
  const { meshNode, focused } = props.data;
  const kindLabel =
    meshNode.kind === 'source'
      ? 'source table'
      : meshNode.type ?? 'data product';
  return (
    <div
      className={`${classes.box} ${focused ? classes.focused : ''}`}
      style={{
        width: MEMBER_WIDTH,
        height: MEMBER_HEIGHT,
        borderLeftColor: groupColor(meshNode.group),
      }}
      title={`${meshNode.title} (${meshNode.id}): click to focus on what it reads and what reads it`}
      data-testid="mesh-node"
      data-kind={meshNode.kind}
      data-id={meshNode.id}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className={classes.title}>{meshNode.title}</div>
      <div className={classes.line}>
        <span>{kindLabel}</span>
        {meshNode.namespace && meshNode.name && (
          <Link
            to={entityRoute({
              kind: meshNode.kind === 'source' ? 'resource' : 'dataproduct',
              namespace: meshNode.namespace,
              name: meshNode.name,
            })}
            onClick={event => event.stopPropagation()}
            data-testid="mesh-node-page"
          >
            page ↗
          </Link>
        )}
      </div>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

/** The node types of the drawn mesh, for React Flow. */
export const meshNodeTypes = {
  meshGroup: MeshGroupNode,
  meshMember: MeshMemberNode,
};
