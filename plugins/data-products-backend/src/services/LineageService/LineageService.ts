import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Lineage } from '@dataproducts/plugin-data-products-common';
import {
  meshRef,
  MeshIndex,
  type MeshLineageNode,
  type MeshStep,
} from '../../meshIndex';
import { CatalogLineageWalk } from './CatalogLineageWalk';
import {
  lineageNodeId,
  type LineageStepReader,
  recordingReader,
  toLineageNode,
  walkLineage,
} from './indexLineageWalk';
import { MAX_LINEAGE_DEPTH, MAX_LINEAGE_NODES } from './lineageLimits';

/** What to compute: the graph around one entity, or the whole mesh when `entityRef` is absent. */
export interface LineageRequest {
  entityRef?: string;
  upstream: number;
  downstream: number;
  credentials: BackstageCredentials;
}

/**
 * The most (node, hops) pairs one recursive read of the index reaches by
 * default; a larger graph is walked level by level, up to the node limit.
 */
export const MAX_REACHED_ROWS = 2 * MAX_LINEAGE_NODES;

// The fewest fields that tell whether the caller sees an entity.
const VISIBILITY_FIELDS = ['kind', 'metadata.namespace', 'metadata.name'];

/**
 * Lineage from the mesh index: upstream to the source Resources, downstream
 * to every consumer, with a product and its output ports kept together. The
 * graph is walked over the index's edges, never over the catalog, and shows
 * what the caller may read in the catalog: a caller the catalog's read
 * permission allows everything gets the index's answer as it is; any other
 * caller gets it without the entities one batched catalog read (with their
 * credentials) does not return, walked again over what remains.
 *
 * Until the index was first built (a fresh database), and for an entity the
 * index does not hold yet, the graph is walked over the catalog instead.
 */
export class LineageService {
  readonly #index: MeshIndex;
  readonly #catalog: CatalogService;
  readonly #permissions: PermissionsService;
  readonly #catalogWalk: CatalogLineageWalk;
  readonly #maxReachedRows: number;

  constructor(options: {
    index: MeshIndex;
    catalog: CatalogService;
    permissions: PermissionsService;
    /** See {@link MAX_REACHED_ROWS}. */
    maxReachedRows?: number;
  }) {
    this.#maxReachedRows = options.maxReachedRows ?? MAX_REACHED_ROWS;
    this.#index = options.index;
    this.#catalog = options.catalog;
    this.#permissions = options.permissions;
    this.#catalogWalk = new CatalogLineageWalk({ catalog: options.catalog });
  }

  async getLineage(request: LineageRequest): Promise<Lineage> {
    for (const [name, value] of [
      ['upstream', request.upstream],
      ['downstream', request.downstream],
    ] as const) {
      if (!Number.isInteger(value) || value < 0 || value > MAX_LINEAGE_DEPTH) {
        throw new InputError(
          `Invalid ${name} depth '${value}': give a whole number from 0 to ${MAX_LINEAGE_DEPTH}`,
        );
      }
    }
    const { credentials } = request;
    if (request.entityRef === undefined) {
      return (await this.#index.isBuilt())
        ? this.#meshLineage(credentials)
        : this.#catalogWalk.mesh(credentials);
    }
    let rootRef: string;
    try {
      rootRef = stringifyEntityRef(parseEntityRef(request.entityRef));
    } catch (error) {
      throw new InputError(
        `Invalid entityRef '${request.entityRef}': expected kind:namespace/name, e.g. dataproduct:default/marketing-customer-360`,
      );
    }
    const [root] = (await this.#index.isBuilt())
      ? await this.#index.nodes([meshRef(rootRef)])
      : [];
    if (!root) {
      return this.#catalogWalk.lineage({
        rootRef,
        upstream: request.upstream,
        downstream: request.downstream,
        credentials,
      });
    }
    const walk = {
      root,
      upstream: request.upstream,
      downstream: request.downstream,
    };
    const [read, seesEverything] = await Promise.all([
      this.#indexReader(root, request.upstream, request.downstream),
      this.#seesEverything(credentials),
    ]);
    if (seesEverything) {
      return walkLineage({ ...walk, read });
    }
    const recorder = recordingReader(read);
    await walkLineage({ ...walk, read: recorder.read });
    const visible = await this.#visibleRefs(
      [root.ref, ...recorder.refs()],
      credentials,
    );
    if (!visible.has(root.ref)) {
      throw new NotFoundError(`No entity '${rootRef}' in the catalog`);
    }
    return walkLineage({
      ...walk,
      read: recorder.replay(ref => visible.has(ref)),
    });
  }

  // Reads the steps of each direction's walk in one recursive query, then
  // serves the walk's levels from them; level by level when the graph is
  // too large for one read.
  async #indexReader(
    root: MeshLineageNode,
    upstream: number,
    downstream: number,
  ): Promise<LineageStepReader> {
    const [up, down] = await Promise.all(
      (
        [
          ['upstream', upstream],
          ['downstream', downstream],
        ] as const
      ).map(async ([direction, hops]) => {
        const steps = await this.#index.reachableSteps(
          root.ref,
          direction,
          hops,
          this.#maxReachedRows,
        );
        if (!steps) return undefined;
        const from = new Map<string, MeshStep[]>();
        for (const step of steps) {
          if (!from.has(step.from)) from.set(step.from, []);
          from.get(step.from)!.push(step);
        }
        return from;
      }),
    );
    return async (refs, direction) => {
      const read = direction === 'upstream' ? up : down;
      return read
        ? refs.flatMap(ref => read.get(ref) ?? [])
        : this.#index.neighbours(refs, direction);
    };
  }

  /** The whole mesh from the index, up to the node limit. */
  async #meshLineage(credentials: BackstageCredentials): Promise<Lineage> {
    const mesh = await this.#index.mesh(MAX_LINEAGE_NODES + 1);
    let nodes = mesh.nodes;
    const truncated = nodes.length > MAX_LINEAGE_NODES;
    nodes = nodes.slice(0, MAX_LINEAGE_NODES);
    if (!(await this.#seesEverything(credentials))) {
      const visible = await this.#visibleRefs(
        nodes.map(node => node.ref),
        credentials,
      );
      nodes = nodes.filter(node => visible.has(node.ref));
    }
    const ids = new Map(nodes.map(node => [node.ref, lineageNodeId(node)]));
    return {
      nodes: nodes.map(node => toLineageNode(node, 0)),
      edges: mesh.edges.flatMap(edge => {
        const source = ids.get(edge.source);
        const target = ids.get(edge.target);
        return source && target ? [{ source, target, type: edge.type }] : [];
      }),
      truncated,
    };
  }

  // Whether the catalog's read permission allows the caller every entity.
  async #seesEverything(credentials: BackstageCredentials): Promise<boolean> {
    const [decision] = await this.#permissions.authorizeConditional(
      [{ permission: catalogEntityReadPermission }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  // The refs (lowercased) among these that the catalog shows the caller: one
  // batched read with the caller's credentials.
  async #visibleRefs(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Set<string>> {
    const { items } = await this.#catalog.getEntitiesByRefs(
      { entityRefs: refs, fields: VISIBILITY_FIELDS },
      { credentials },
    );
    return new Set(
      refs.filter(
        (_, index) => items[index] !== undefined && items[index] !== null,
      ),
    );
  }
}
