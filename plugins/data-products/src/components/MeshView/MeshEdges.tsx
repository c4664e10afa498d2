import { BaseEdge, Edge, EdgeProps, getBezierPath } from '@xyflow/react';
import type { OverviewPoint } from './layoutOverview';

/** What a drawn flow carries: the points it passes between its ends, when it passes columns by. */
export type MeshFlowEdgeData = { route?: OverviewPoint[] };
/** A flow of the drawn mesh. */
export type MeshFlowEdge = Edge<MeshFlowEdgeData, 'meshFlow'>;

/**
 * The path from `from` to `to` through `route`: a horizontal S-curve
 * between each two points in turn, so that a flow leaves and enters each
 * column level and never cuts through a node beside its lane.
 */
export function routedPath(
  from: OverviewPoint,
  route: readonly OverviewPoint[],
  to: OverviewPoint,
): string {
  const points = [from, ...route, to];
  let path = `M ${from.x},${from.y}`;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    const bend = (b.x - a.x) / 2;
    path += ` C ${a.x + bend},${a.y} ${b.x - bend},${b.y} ${b.x},${b.y}`;
  }
  return path;
}

/** A flow between two mesh nodes: through its lanes when it has a route, else one curve. */
export function MeshFlowEdgeView(props: EdgeProps<MeshFlowEdge>) {
  const { sourceX, sourceY, targetX, targetY, data } = props;
  const route = data?.route ?? [];
  let path: string;
  let labelX: number;
  let labelY: number;
  if (route.length > 0) {
    path = routedPath({ x: sourceX, y: sourceY }, route, {
      x: targetX,
      y: targetY,
    });
    // The label rides on the first lane, clear of the nodes.
    labelX = route[0].x;
    labelY = route[0].y;
  } else {
    [path, labelX, labelY] = getBezierPath({
      sourceX,
      sourceY,
      sourcePosition: props.sourcePosition,
      targetX,
      targetY,
      targetPosition: props.targetPosition,
    });
  }
  return (
    <BaseEdge
      id={props.id}
      path={path}
      markerEnd={props.markerEnd}
      style={props.style}
      label={props.label}
      labelX={labelX}
      labelY={labelY}
      labelStyle={props.labelStyle}
      labelShowBg={props.labelShowBg}
      labelBgStyle={props.labelBgStyle}
      labelBgPadding={props.labelBgPadding}
      labelBgBorderRadius={props.labelBgBorderRadius}
      interactionWidth={props.interactionWidth}
    />
  );
}

/** The edge types of the drawn mesh, for React Flow. */
export const meshEdgeTypes = { meshFlow: MeshFlowEdgeView };
