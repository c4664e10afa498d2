import type { HttpAuthService } from '@backstage/backend-plugin-api';
import type { DataProductConsumerList } from '@dataproducts/plugin-data-products-common';
import express from 'express';
import Router from 'express-promise-router';
import type { LifecycleService } from './LifecycleService';

/** The largest deprecation body read, in bytes: a date, a ref and a reason. */
const LIFECYCLE_BODY_LIMIT = 16 * 1024;

/**
 * The lifecycle routes of a data product, `dataproduct:<namespace>/<name>`:
 * `GET /products/:namespace/:name/consumers` (`DataProductConsumerList`),
 * `POST /products/:namespace/:name/deprecate` (a `DeprecateDataProductRequest`;
 * answers the `RegisteredDataProduct`), `POST
 * /products/:namespace/:name/undeprecate` and `DELETE
 * /products/:namespace/:name` (204; 409 naming the consumers while any
 * remains). Writes use the caller's credentials.
 */
export function createLifecycleRouter(options: {
  lifecycle: LifecycleService;
  httpAuth: HttpAuthService;
}): express.Router {
  const { lifecycle, httpAuth } = options;
  const router = Router();
  const json = express.json({ limit: LIFECYCLE_BODY_LIMIT });
  const refOf = (params: { namespace: string; name: string }) => ({
    kind: 'DataProduct',
    namespace: params.namespace,
    name: params.name,
  });

  router.get('/products/:namespace/:name/consumers', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const body: DataProductConsumerList = {
      items: await lifecycle.consumers(refOf(req.params), credentials),
    };
    res.json(body);
  });

  router.post(
    '/products/:namespace/:name/deprecate',
    json,
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      res.json(
        await lifecycle.deprecate(refOf(req.params), req.body, credentials),
      );
    },
  );

  router.post('/products/:namespace/:name/undeprecate', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(await lifecycle.undeprecate(refOf(req.params), credentials));
  });

  router.delete('/products/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await lifecycle.remove(refOf(req.params), credentials);
    res.status(204).end();
  });

  return router;
}
