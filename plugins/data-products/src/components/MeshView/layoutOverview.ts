import type {
  MeshEdge,
  MeshNode,
} from '@dataproducts/plugin-data-products-common';

/** A point of the overview, in pixels. */
export interface OverviewPoint {
  x: number;
  y: number;
}

/** The overview laid out: each node's top-left corner, and the bends of the flows that pass columns by. */
export interface OverviewLayout {
  positions: Map<string, OverviewPoint>;
  /** By `source->target`: the points a flow passes between its ends. */
  routes: Map<string, OverviewPoint[]>;
}

/** The sizes the overview is laid out with. */
export interface OverviewSizes {
  nodeWidth: number;
  nodeHeight: number;
  /** Space between two columns, for the flows and their labels. */
  columnGap: number;
  /** Space between two nodes of a column. */
  rowGap: number;
  /** Height a passing flow takes in a column. */
  laneHeight: number;
  /** Width over height that the domains without a drawn flow are wrapped to. */
  aspectRatio: number;
}

/**
 * An order of the nodes with upstream first: the greedy feedback arc set
 * heuristic of Eades, Lin and Smyth, weighted by flows. Sinks go to the
 * end, sources to the front, and otherwise the node sending the most more
 * than it receives goes first, so that the flows left pointing backwards
 * are few and light.
 */
function upstreamFirst(ids: string[], edges: readonly MeshEdge[]): string[] {
  const out = new Map<string, Map<string, number>>();
  const into = new Map<string, Map<string, number>>();
  for (const id of ids) {
    out.set(id, new Map());
    into.set(id, new Map());
  }
  for (const { source, target, flows } of edges) {
    out.get(source)!.set(target, flows);
    into.get(target)!.set(source, flows);
  }
  const left: string[] = [];
  const right: string[] = [];
  const remaining = new Set(ids);
  const remove = (id: string) => {
    remaining.delete(id);
    for (const target of out.get(id)!.keys()) into.get(target)!.delete(id);
    for (const source of into.get(id)!.keys()) out.get(source)!.delete(id);
  };
  const weight = (links: Map<string, number>) =>
    [...links.values()].reduce((sum, flows) => sum + flows, 0);
  while (remaining.size > 0) {
    let changed = true;
    while (changed) {
      changed = false;
      for (const id of [...remaining]) {
        if (out.get(id)!.size === 0) {
          right.unshift(id);
          remove(id);
          changed = true;
        } else if (into.get(id)!.size === 0) {
          left.push(id);
          remove(id);
          changed = true;
        }
      }
    }
    if (remaining.size === 0) break;
    // In the given order on a tie, so that the layout is stable.
    let best: string | undefined;
    let bestDelta = -Infinity;
    for (const id of remaining) {
      const delta = weight(out.get(id)!) - weight(into.get(id)!);
      if (delta > bestDelta) {
        best = id;
        bestDelta = delta;
      }
    }
    left.push(best!);
    remove(best!);
  }
  return [...left, ...right];
}

/**
 * Lays the domain overview out in columns by where each domain sits in the
 * flow of data (a layered layout in the manner of Sugiyama): sources on the
 * left, each domain one column to the right of the furthest domain it reads
 * from; a flow that passes columns by takes a lane in each of them, so that
 * it is drawn between the domains, never across one; the rows of each
 * column are ordered by the rows of their neighbours (a few barycentre
 * sweeps) so that flows cross little. Domains with no drawn flow close the
 * overview in columns of their own. Computed in a few milliseconds for the
 * few dozen groups an overview has, where a general layered layout (ELK)
 * took seconds once a large mesh's domains were all connected.
 */
export function layoutOverview(
  nodes: readonly MeshNode[],
  edges: readonly MeshEdge[],
  sizes: OverviewSizes,
): OverviewLayout {
  const ids = nodes.map(node => node.id);
  const known = new Set(ids);
  const links = edges.filter(
    e => e.source !== e.target && known.has(e.source) && known.has(e.target),
  );
  const order = upstreamFirst(ids, links);
  const rank = new Map(order.map((id, i) => [id, i]));
  const forward = links.filter(e => rank.get(e.source)! < rank.get(e.target)!);
  const connected = new Set(links.flatMap(e => [e.source, e.target]));

  // Layers: the longest path over the flows that point forward.
  const layer = new Map<string, number>();
  for (const id of order) {
    if (!connected.has(id)) continue;
    let value = 0;
    for (const e of forward) {
      if (e.target === id) value = Math.max(value, layer.get(e.source)! + 1);
    }
    layer.set(id, value);
  }
  const layers: string[][] = [];
  for (const id of order) {
    const value = layer.get(id);
    if (value !== undefined) (layers[value] ??= []).push(id);
  }
  // A lane in each column a forward flow passes, and the segments between
  // neighbouring columns that the rows are ordered by.
  const lanes = new Map<string, string[]>();
  const segments: Array<[string, string]> = [];
  for (const e of forward) {
    const key = `${e.source}->${e.target}`;
    const from = layer.get(e.source)!;
    const to = layer.get(e.target)!;
    const passing: string[] = [];
    for (let l = from + 1; l < to; l++) {
      const lane = `${key}#${l}`;
      layer.set(lane, l);
      layers[l].push(lane);
      passing.push(lane);
    }
    lanes.set(key, passing);
    const chain = [e.source, ...passing, e.target];
    for (let i = 1; i < chain.length; i++)
      segments.push([chain[i - 1], chain[i]]);
  }

  // Rows: a few sweeps, each column ordered by the mean row of its
  // neighbours in the column before it, then in the column after it.
  const position = new Map<string, number>();
  layers.forEach(column => column.forEach((id, i) => position.set(id, i)));
  const before = new Map<string, string[]>();
  const after = new Map<string, string[]>();
  for (const [a, b] of segments) {
    (before.get(b) ?? before.set(b, []).get(b)!).push(a);
    (after.get(a) ?? after.set(a, []).get(a)!).push(b);
  }
  const sweep = (neighbours: Map<string, string[]>, down: boolean) => {
    const indices = layers.map((_, i) => i);
    for (const i of down ? indices.slice(1) : indices.reverse().slice(1)) {
      const centres = new Map(
        layers[i].map(id => {
          const rows = (neighbours.get(id) ?? []).map(n => position.get(n)!);
          return [
            id,
            rows.length === 0
              ? position.get(id)!
              : rows.reduce((sum, row) => sum + row, 0) / rows.length,
          ];
        }),
      );
      layers[i].sort(
        (a, b) =>
          centres.get(a)! - centres.get(b)! ||
          position.get(a)! - position.get(b)!,
      );
      layers[i].forEach((id, row) => position.set(id, row));
    }
  };
  for (let round = 0; round < 4; round++) {
    sweep(before, true);
    sweep(after, false);
  }

  // Places: each column centred on the same line, a lane taking less room
  // than a domain.
  const positions = new Map<string, OverviewPoint>();
  const laneCentre = new Map<string, OverviewPoint>();
  const columnWidth = sizes.nodeWidth + sizes.columnGap;
  const isLane = (id: string) => !known.has(id);
  const heightOf = (id: string) =>
    isLane(id) ? sizes.laneHeight : sizes.nodeHeight + sizes.rowGap;
  layers.forEach((column, c) => {
    const height = column.reduce((sum, id) => sum + heightOf(id), 0);
    let y = -height / 2;
    for (const id of column) {
      if (isLane(id)) {
        laneCentre.set(id, {
          x: c * columnWidth + sizes.nodeWidth / 2,
          y: y + sizes.laneHeight / 2,
        });
      } else {
        positions.set(id, { x: c * columnWidth, y });
      }
      y += heightOf(id);
    }
  });
  // The domains without a drawn flow: columns after the others, as many
  // rows each as brings the whole nearest the view's proportions.
  const loose = order.filter(id => !connected.has(id));
  if (loose.length > 0) {
    const tallest = Math.max(
      sizes.nodeHeight,
      ...layers.map(column =>
        column.reduce((sum, id) => sum + heightOf(id), 0),
      ),
    );
    const rowHeight = sizes.nodeHeight + sizes.rowGap;
    let rows = Math.max(1, Math.floor(tallest / rowHeight));
    while (
      rows < loose.length &&
      ((layers.length + Math.ceil(loose.length / rows)) * columnWidth) /
        Math.max(tallest, rows * rowHeight) >
        sizes.aspectRatio
    ) {
      rows++;
    }
    loose.forEach((id, i) => {
      const c = layers.length + Math.floor(i / rows);
      const inColumn = Math.min(
        rows,
        loose.length - Math.floor(i / rows) * rows,
      );
      positions.set(id, {
        x: c * columnWidth,
        y: ((i % rows) - inColumn / 2) * rowHeight,
      });
    });
  }
  const routes = new Map<string, OverviewPoint[]>();
  for (const [key, passing] of lanes) {
    if (passing.length > 0)
      routes.set(
        key,
        passing.map(lane => laneCentre.get(lane)!),
      );
  }
  return { positions, routes };
}
