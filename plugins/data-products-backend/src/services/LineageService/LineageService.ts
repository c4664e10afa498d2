import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Lineage } from '@dataproducts/plugin-data-products-common';
import {
  catalogEntityReadPermission,
  meshRef,
  MeshIndex,
} from '../../meshIndex';
import { CatalogLineageWalk } from './CatalogLineageWalk';
import {
  lineageNodeId,
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

  constructor(options: {
    index: MeshIndex;
    catalog: CatalogService;
    permissions: PermissionsService;
  }) {
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
    if (await this.#seesEverything(credentials)) {
      return walkLineage({
        ...walk,
        read: (refs, direction) => this.#index.neighbours(refs, direction),
      });
    }
    const recorder = recordingReader((refs, direction) =>
      this.#index.neighbours(refs, direction),
    );
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
