import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  DATA_PRODUCT_KIND,
  OUTPUT_PORT_KIND,
} from '@dataproducts/plugin-data-products-common';
import express from 'express';
import Router from 'express-promise-router';
import type { RefreshService } from './RefreshService';

/** The most entity refs one freshness request may ask about. */
export const MAX_FRESHNESS_REFS = 500;

function refsOf(query: unknown): string[] | undefined {
  if (query === undefined) {
    return undefined;
  }
  const refs = Array.isArray(query) ? query : [query];
  if (!refs.every(ref => typeof ref === 'string')) {
    throw new InputError(
      'Give each entityRef as kind:namespace/name, e.g. ?entityRef=outputport:default/sales-crm-customers-customers',
    );
  }
  if (refs.length > MAX_FRESHNESS_REFS) {
    throw new InputError(
      `Too many entityRef values (${refs.length}): ask for at most ${MAX_FRESHNESS_REFS} at once, or for none to get every port`,
    );
  }
  return refs as string[];
}

/**
 * The freshness routes: `GET /freshness` (many products and ports at once),
 * `GET /ports/:namespace/:name/freshness` (with recent refresh attempts),
 * `GET /products/:namespace/:name/freshness`, and "Refresh now",
 * `POST /ports/:namespace/:name/refresh` (needs `dataproduct.refresh` on the
 * port's product).
 */
export function createRefreshRouter(options: {
  httpAuth: HttpAuthService;
  refresh: RefreshService;
}): express.Router {
  const { httpAuth, refresh } = options;
  // No body is read: Refresh now names its port in the path.
  const router = Router();

  router.get('/freshness', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(await refresh.freshness(refsOf(req.query.entityRef), credentials));
  });

  router.get('/ports/:namespace/:name/freshness', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { namespace, name } = req.params;
    res.json(
      await refresh.portFreshness(
        `${OUTPUT_PORT_KIND}:${namespace}/${name}`,
        credentials,
      ),
    );
  });

  router.get('/products/:namespace/:name/freshness', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { namespace, name } = req.params;
    res.json(
      await refresh.productFreshness(
        `${DATA_PRODUCT_KIND}:${namespace}/${name}`,
        credentials,
      ),
    );
  });

  router.post('/ports/:namespace/:name/refresh', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const { namespace, name } = req.params;
    res.json(
      await refresh.refreshNow(
        `${OUTPUT_PORT_KIND}:${namespace}/${name}`,
        credentials,
      ),
    );
  });

  return router;
}
