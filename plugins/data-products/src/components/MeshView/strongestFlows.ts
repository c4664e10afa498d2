import type { MeshEdge } from '@dataproducts/plugin-data-products-common';

/**
 * The domain overview draws each domain's strongest flows only once it has
 * more connections than this: beyond it, every flow drawn makes a band no
 * one can read at a glance.
 */
export const STRONGEST_FLOWS_ABOVE = 24;

/** How many of a domain's heaviest flows in, and out, the overview keeps. */
export const STRONGEST_FLOWS_PER_DOMAIN = 2;

/**
 * Beyond this many domains, the overview keeps each domain's heaviest flow
 * in and its heaviest flow out only: two each draw over a hundred
 * connections for the 30-odd domains of a 10,000-product mesh.
 */
export const ONE_FLOW_ABOVE_DOMAINS = 16;

/** How many of each domain's heaviest flows in, and out, an overview of `groups` groups keeps. */
export function flowsPerDomain(groups: number): number {
  return groups > ONE_FLOW_ABOVE_DOMAINS ? 1 : STRONGEST_FLOWS_PER_DOMAIN;
}

/**
 * The edges that are among the `perNode` heaviest leaving their source or
 * among the `perNode` heaviest reaching their target, in their given order.
 * Ties go to the edge whose other end sorts first, so the choice is stable.
 */
export function strongestFlows(
  edges: readonly MeshEdge[],
  perNode = STRONGEST_FLOWS_PER_DOMAIN,
): MeshEdge[] {
  const kept = new Set<MeshEdge>();
  const keepHeaviest = (end: 'source' | 'target') => {
    const other = end === 'source' ? 'target' : 'source';
    const byNode = new Map<string, MeshEdge[]>();
    for (const edge of edges) {
      const list = byNode.get(edge[end]);
      if (list) list.push(edge);
      else byNode.set(edge[end], [edge]);
    }
    for (const list of byNode.values()) {
      list
        .sort(
          (a, b) =>
            b.flows - a.flows || a[other].localeCompare(b[other], 'en-US'),
        )
        .slice(0, perNode)
        .forEach(edge => kept.add(edge));
    }
  };
  keepHeaviest('source');
  keepHeaviest('target');
  return edges.filter(edge => kept.has(edge));
}
