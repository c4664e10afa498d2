import type { HttpAuthService } from '@backstage/backend-plugin-api';
import type { RegisteredDataProductList } from '@dataproducts/plugin-data-products-common';
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
    error.message = `The request body has ${error.length} bytes; the registry reads at most ${REGISTRY_BODY_LIMIT} bytes (1 MiB) per product. Register fewer or smaller ports, or shorter descriptions.`;
  } else if (error?.type === 'entity.parse.failed') {
    error.message = `The request body is not JSON (${error.message}); send a JSON object { product, ports }`;
  }
  next(error);
};

/**
 * The registry's HTTP API, whose bodies are the types `DataProductsRegistryClient`
 * of the common package sends and reads: `GET /registry/products`
 * (`RegisteredDataProductList`), `GET /registry/products/:name`
 * (`RegisteredDataProduct`), `PUT /registry/products/:name` (a
 * `DataProductRegistration`; answers 201 or 200 with the `RegisteredDataProduct`,
 * or 204 with `?dryRun=true`, which runs every check and stores nothing) and
 * `DELETE /registry/products/:name` (204). Writes are authorized with the
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
    const body: RegisteredDataProductList = { items: await registry.list() };
    res.json(body);
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
