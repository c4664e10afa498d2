import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  DEFAULT_MESH_DEPTH,
  MAX_MESH_DEPTH,
  MAX_MESH_EXPAND,
  MAX_MESH_NODES,
  MESH_NO_DOMAIN,
  MESH_SOURCES,
} from '@dataproducts/plugin-data-products-common';
import express from 'express';
import Router from 'express-promise-router';
import type { MeshGraphQuery, MeshService } from './MeshService';

/** The most matches one search answers. */
export const MAX_MESH_SEARCH_RESULTS = 50;
const DEFAULT_MESH_SEARCH_RESULTS = 20;
const MAX_SEARCH_TEXT = 100;

// Entity refs as the catalog writes them: kind, namespace and name made of
// letters, digits and `-_.`; anything else is refused before any query.
const ENTITY_REF = /^([a-z0-9-_.]+:)?([a-z0-9-_.]+\/)?[a-z0-9-_.]+$/i;

type Query = express.Request['query'];

function refuseUnknown(query: Query, allowed: string[]) {
  for (const key of Object.keys(query)) {
    if (!allowed.includes(key)) {
      throw new InputError(
        `Unknown query parameter '${key}': this route accepts ${allowed.join(
          ', ',
        )}`,
      );
    }
  }
}

function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new InputError(`Give ${name} once, as plain text`);
  }
  return value;
}

function wholeNumber(
  query: Query,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const value = single(query, name);
  if (value === undefined) return fallback;
  if (!/^\d{1,4}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new InputError(
      `Invalid ${name} '${value}': give a whole number from ${min} to ${max}`,
    );
  }
  return Number(value);
}

function entityRef(value: string, name: string, kinds: string[]): string {
  const hint = `give ${kinds.join(' or ')} refs as kind:namespace/name`;
  if (value.length > 255 || !ENTITY_REF.test(value)) {
    throw new InputError(`Invalid ${name} '${value.slice(0, 255)}': ${hint}`);
  }
  const ref = parseEntityRef(value.toLocaleLowerCase('en-US'), {
    defaultKind: kinds[0],
    defaultNamespace: 'default',
  });
  if (!kinds.includes(ref.kind)) {
    throw new InputError(`Invalid ${name} '${value}': ${hint}`);
  }
  return `${ref.kind}:${ref.namespace}/${ref.name}`;
}

function expandList(query: Query): string[] {
  const value = query.expand;
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  if (values.length > MAX_MESH_EXPAND) {
    throw new InputError(
      `Too many expand values (${values.length}): give at most ${MAX_MESH_EXPAND}`,
    );
  }
  const groups = values.map(item => {
    if (typeof item !== 'string') {
      throw new InputError('Give each expand value as plain text');
    }
    if (item === MESH_NO_DOMAIN || item === MESH_SOURCES) return item;
    try {
      return entityRef(item, 'expand', ['domain']);
    } catch {
      throw new InputError(
        `Invalid expand '${item.slice(
          0,
          255,
        )}': give a domain ref (domain:namespace/name), ${MESH_NO_DOMAIN} or ${MESH_SOURCES}`,
      );
    }
  });
  return [...new Set(groups)];
}

/** Reads and checks the query of `GET /mesh`. */
export function parseMeshGraphQuery(query: Query): MeshGraphQuery {
  refuseUnknown(query, ['expand', 'focus', 'depth', 'limit']);
  const expand = expandList(query);
  const focusValue = single(query, 'focus');
  const focus =
    focusValue === undefined
      ? undefined
      : entityRef(focusValue, 'focus', ['dataproduct', 'resource']);
  if (!focus && query.depth !== undefined) {
    throw new InputError(
      'depth applies to a focus: give focus=<data product ref> with it',
    );
  }
  const depth = wholeNumber(
    query,
    'depth',
    1,
    MAX_MESH_DEPTH,
    DEFAULT_MESH_DEPTH,
  );
  const limit = wholeNumber(query, 'limit', 1, MAX_MESH_NODES, MAX_MESH_NODES);
  return { expand, ...(focus ? { focus: { ref: focus, depth } } : {}), limit };
}

/**
 * The mesh view: `GET /mesh` (the aggregated graph of domains, products and
 * the flows between them) and `GET /mesh/search?q=` (products, sources and
 * domains by name or title). Any signed-in user or service; answers only
 * what the caller can see in the catalog.
 */
export function createMeshRouter(options: {
  httpAuth: HttpAuthService;
  mesh: MeshService;
}): express.Router {
  const { httpAuth, mesh } = options;
  const router = Router();

  router.get('/mesh', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const query = parseMeshGraphQuery(req.query);
    res.json(await mesh.getGraph(query, credentials));
  });

  router.get('/mesh/search', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    refuseUnknown(req.query, ['q', 'limit']);
    const text = single(req.query, 'q')?.trim();
    if (!text || text.length > MAX_SEARCH_TEXT) {
      throw new InputError(
        `Invalid q '${(text ?? '').slice(
          0,
          MAX_SEARCH_TEXT,
        )}': give 1 to ${MAX_SEARCH_TEXT} characters of a product's or domain's name or title`,
      );
    }
    const limit = wholeNumber(
      req.query,
      'limit',
      1,
      MAX_MESH_SEARCH_RESULTS,
      DEFAULT_MESH_SEARCH_RESULTS,
    );
    res.json(await mesh.search(text, limit, credentials));
  });

  return router;
}
