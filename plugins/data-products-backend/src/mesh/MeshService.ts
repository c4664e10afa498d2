import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  MAX_MESH_EDGES,
  MESH_NO_DOMAIN,
  MESH_SOURCES,
  MeshEdge,
  MeshGraph,
  MeshNode,
  MeshSearchResult,
} from '@dataproducts/plugin-data-products-common';
import type { Knex } from 'knex';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { meshIndexVersion } from '../meshIndex/MeshIndex';
import { MeshQueries, ShownMemberRow, Visibility } from './meshQueries';

// Graphs kept for callers who may see the whole mesh, by request.
const CACHED_GRAPHS = 100;

/** A validated request for the mesh graph. */
export interface MeshGraphQuery {
  /** Groups to show as their members (lowercased domain refs or the group ids). */
  expand: string[];
  /** A product or source ref (lowercased) and the hops each way around it. */
  focus?: { ref: string; depth: number };
  /** The most nodes to answer. */
  limit: number;
}

function groupTitle(group: string): string {
  if (group === MESH_NO_DOMAIN) return 'No domain';
  if (group === MESH_SOURCES) return 'Sources';
  return group.slice(group.indexOf('/') + 1);
}

function groupKind(group: string): MeshNode['kind'] {
  return group === MESH_SOURCES ? 'sources' : 'domain';
}

function memberNode(row: ShownMemberRow): MeshNode {
  return {
    id: row.ref,
    kind: row.member,
    title: row.title || row.name,
    group: row.grp,
    namespace: row.namespace,
    name: row.name,
    ...(row.type ? { type: row.type } : {}),
    ...(row.owner ? { owner: row.owner } : {}),
    ...(row.lifecycle ? { lifecycle: row.lifecycle } : {}),
    ...(typeof row.distance === 'number' ? { distance: row.distance } : {}),
  };
}

/**
 * The mesh view's graph, computed in SQL over the mesh index: one node per
 * domain by default, the members of the groups asked for, the neighbourhood
 * of one product, at most `limit` nodes, with the flows between them.
 *
 * Visibility: the caller's `catalog.entity.read` decision is asked of the
 * permission framework once per request. ALLOW answers from the index as
 * it is; any other decision (DENY, or a conditional one) keeps only the
 * products and sources that one batched catalog `getEntitiesByRefs` with the
 * caller's credentials returns, so a graph never shows, counts or connects
 * through an entity the caller could not open in the catalog.
 */
export class MeshService {
  readonly #knex: Knex;
  readonly #queries: MeshQueries;
  // Graphs of the whole mesh by request, with the index version they were
  // computed at: the domain overview at 10,000 products costs two
  // statements over every flow (about half a second), and everyone opening
  // the mesh view asks for it.
  readonly #graphs = new Map<string, { version: string; graph: MeshGraph }>();
  readonly #catalog: CatalogService;
  readonly #permissions: PermissionsService;

  constructor(options: {
    knex: Knex;
    catalog: CatalogService;
    permissions: PermissionsService;
  }) {
    this.#knex = options.knex;
    this.#queries = new MeshQueries(options.knex);
    this.#catalog = options.catalog;
    this.#permissions = options.permissions;
  }

  async getGraph(
    query: MeshGraphQuery,
    credentials: BackstageCredentials,
  ): Promise<MeshGraph> {
    const visibility = await this.#visibility(credentials);
    if (!visibility.all) return this.#graph(query, visibility);
    // The version first: a graph computed while the index changes is kept
    // under the older version, and computed again on the next request.
    const version = await meshIndexVersion(this.#knex);
    const key = JSON.stringify([query.expand, query.focus, query.limit]);
    const cached = this.#graphs.get(key);
    if (cached?.version === version) {
      // Most recently used last, so that the oldest leaves first.
      this.#graphs.delete(key);
      this.#graphs.set(key, cached);
      return cached.graph;
    }
    const graph = await this.#graph(query, visibility);
    this.#graphs.delete(key);
    this.#graphs.set(key, { version, graph });
    if (this.#graphs.size > CACHED_GRAPHS) {
      this.#graphs.delete(this.#graphs.keys().next().value!);
    }
    return graph;
  }

  async #graph(
    query: MeshGraphQuery,
    visibility: Visibility,
  ): Promise<MeshGraph> {
    const { focus, limit } = query;
    // Enough candidates for any room left by the groups: at most `limit`,
    // and one more to tell whether some were left out.
    const { groups, members: candidates } =
      await this.#queries.groupsAndMembers(
        visibility,
        focus,
        query.expand,
        limit + 1,
      );
    if (focus && groups.length === 0) {
      throw new NotFoundError(
        `No data product or source '${focus.ref}' in the mesh: search for one with /mesh/search?q=`,
      );
    }
    const expanded = query.expand.filter(group =>
      groups.some(g => g.grp === group),
    );
    let collapsed = groups.filter(g => !expanded.includes(g.grp));
    let truncated = false;
    // Collapsed groups come first; the focus always shows on its own.
    const maxGroups = limit - (focus ? 1 : 0);
    if (collapsed.length > maxGroups) {
      collapsed = collapsed.slice(0, maxGroups);
      truncated = true;
    }
    const room = Math.max(limit - collapsed.length, focus ? 1 : 0);
    let members = candidates;
    if (members.length > room) {
      // Cut: each expanded group keeps a node standing for its other members.
      truncated = true;
      members = members.slice(
        0,
        Math.max(room - expanded.length, focus ? 1 : 0),
      );
    }
    const shownPerGroup = new Map<string, number>();
    for (const member of members) {
      shownPerGroup.set(member.grp, (shownPerGroup.get(member.grp) ?? 0) + 1);
    }
    const groupNodes: MeshNode[] = [];
    for (const group of groups) {
      const isExpanded = expanded.includes(group.grp);
      if (!isExpanded && !collapsed.includes(group)) continue;
      const count = group.members - (shownPerGroup.get(group.grp) ?? 0);
      if (count <= 0) continue;
      groupNodes.push({
        id: group.grp,
        kind: groupKind(group.grp),
        title: groupTitle(group.grp),
        group: group.grp,
        count,
        ...(isExpanded ? { partial: true } : {}),
      });
    }
    const nodes = [...groupNodes, ...members.map(memberNode)];
    const byId = new Map(nodes.map(node => [node.id, node]));
    const flows = await this.#queries.edges(
      visibility,
      focus,
      members.map(member => member.ref),
      MAX_MESH_EDGES,
    );
    const edges: MeshEdge[] = [];
    for (const edge of flows.edges) {
      if (!byId.has(edge.source) || !byId.has(edge.target)) continue;
      if (edge.source === edge.target) {
        byId.get(edge.source)!.internalFlows = edge.flows;
      } else {
        edges.push(edge);
      }
    }
    return {
      nodes,
      edges,
      expanded,
      ...(focus ? { focus: focus.ref, depth: focus.depth } : {}),
      limit,
      truncated,
      omittedEdges: Math.max(
        flows.total - Math.min(flows.total, MAX_MESH_EDGES),
        0,
      ),
    };
  }

  async search(
    text: string,
    limit: number,
    credentials: BackstageCredentials,
  ): Promise<MeshSearchResult> {
    const visibility = await this.#visibility(credentials);
    const rows = await this.#queries.search(text, visibility, limit);
    return {
      matches: rows.map(row =>
        row.member === 'domain'
          ? {
              id: row.ref,
              kind: 'domain',
              title: groupTitle(row.ref),
              group: row.ref,
              count: row.products ?? 0,
            }
          : {
              id: row.ref,
              kind: row.member,
              title: row.title || row.name,
              ...(row.namespace ? { namespace: row.namespace } : {}),
              ...(row.name ? { name: row.name } : {}),
              group: row.grp,
            },
      ),
    };
  }

  async #visibility(credentials: BackstageCredentials): Promise<Visibility> {
    const [decision] = await this.#permissions.authorizeConditional(
      [{ permission: catalogEntityReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return { all: true };
    const refs = await this.#queries.memberRefs();
    if (refs.length === 0) return { all: false, refs };
    const { items } = await this.#catalog.getEntitiesByRefs(
      {
        entityRefs: refs,
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials },
    );
    return { all: false, refs: refs.filter((_ref, i) => items[i]) };
  }
}
