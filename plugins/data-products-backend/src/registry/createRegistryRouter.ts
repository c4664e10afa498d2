import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  DATA_PRODUCT_REGISTRY_CHANGES_DEFAULT_LIMIT,
  DATA_PRODUCT_REGISTRY_CHANGES_MAX_LIMIT,
} from '@dataproducts/plugin-data-products-common';
import express from 'express';
import Router from 'express-promise-router';
import type { RegistryService } from './RegistryService';

/**
 * The largest registration body the registry reads, in bytes (1 MiB): a
 * product with hundreds of ports and columns fits many times over.
 */
export const REGISTRY_BODY_LIMIT = 1024 * 1024;

/**
 * Gives the body parser's refusals (413 for a body over the limit, 400 for
 * one that is not JSON) messages that say what to send instead; their status
 * codes stay.
 */
const explainBodyErrors: express.ErrorRequestHandler = (
  error,
  _req,
  _res,
  next,
) => {
  if (error?.type === 'entity.too.large') {
    error.message = `The request body has ${error.length} bytes; the registry reads at most ${REGISTRY_BODY_LIMIT} bytes (1 MiB) per request. Register fewer or smaller ports, shorter descriptions, or fewer products per batch.`;
  } else if (error?.type === 'entity.parse.failed') {
    error.message = `The request body is not JSON (${error.message}); send a JSON object { product, ports }`;
  }
  next(error);
};

/** The largest cursor the change feed reads: ids are JavaScript-safe integers. */
const MAX_CURSOR = Number.MAX_SAFE_INTEGER;

/**
 * Reads a whole-number query parameter from `min` to `max`; refuses anything
 * else (a list, a fraction, a sign, digits beyond `max`) naming the value.
 */
function readWholeNumber(
  query: Record<string, unknown>,
  key: string,
  fallback: number | undefined,
  min: number,
  max: number,
): number {
  const value = query[key];
  if (value === undefined) {
    if (fallback !== undefined) {
      return fallback;
    }
    throw new InputError(
      `Missing ${key}: give one whole number from ${min} to ${max}`,
    );
  }
  const number =
    typeof value === 'string' && /^[0-9]{1,16}$/.test(value)
      ? Number(value)
      : NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw new InputError(
      `Invalid ${key} ${JSON.stringify(
        value,
      )}: give one whole number from ${min} to ${max}`,
    );
  }
  return number;
}

/**
 * The registry's HTTP API, whose bodies are the types `DataProductsRegistryClient`
 * of the common package sends and reads: `GET /registry/products`
 * (`RegisteredDataProductList`: every product, with the change-feed cursor
 * they reflect), `GET /registry/changes?after=<cursor>&limit=<n>`
 * (`DataProductRegistryChangePage`: the changes after the cursor, `limit`
 * from 1 to 500, 100 by default), `GET /registry/products/:name`
 * (`RegisteredDataProduct`), `PUT /registry/products/:name` (a
 * `DataProductRegistration`; answers 201 or 200 with the `RegisteredDataProduct`,
 * or 204 with `?dryRun=true`, which runs every check and stores nothing) and
 * `DELETE /registry/products/:name` (204), and `POST /registry/products`
 * (a `DataProductRegistrationBatch` of up to 100 products, all registered
 * or none; answers 200 with a `DataProductRegistrationBatchResult`). Writes are authorized with the
 * caller's credentials: `dataproduct.create` (and `dataproduct.update` on the
 * new product), `dataproduct.update` on the registered product, and
 * `dataproduct.decommission`.
 */
export function createRegistryRouter(options: {
  registry: RegistryService;
  httpAuth: HttpAuthService;
}): express.Router {
  const { registry, httpAuth } = options;
  const router = Router();
  router.use(
    '/registry',
    express.json({ limit: REGISTRY_BODY_LIMIT }),
    explainBodyErrors,
  );

  router.get('/registry/products', async (_req, res) => {
    res.json(await registry.snapshot());
  });

  router.get('/registry/changes', async (req, res) => {
    const query = req.query as Record<string, unknown>;
    // The cursor of the last page, or of `GET /registry/products`.
    const after = readWholeNumber(query, 'after', undefined, 0, MAX_CURSOR);
    const limit = readWholeNumber(
      query,
      'limit',
      DATA_PRODUCT_REGISTRY_CHANGES_DEFAULT_LIMIT,
      1,
      DATA_PRODUCT_REGISTRY_CHANGES_MAX_LIMIT,
    );
    res.json(await registry.changes(after, limit));
  });

  router.post('/registry/products', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await registry.putMany(req.body, credentials));
  });

  router.get('/registry/products/:name', async (req, res) => {
    res.json(await registry.get(req.params.name));
  });

  router.put('/registry/products/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    if (req.query.dryRun === 'true') {
      await registry.validate(req.params.name, req.body, credentials);
      res.status(204).end();
      return;
    }
    const { created, item } = await registry.put(
      req.params.name,
      req.body,
      credentials,
    );
    res.status(created ? 201 : 200).json(item);
  });

  router.delete('/registry/products/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await registry.remove(req.params.name, credentials);
    res.status(204).end();
  });

  return router;
}
