import type { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import type { RegistryService } from './RegistryService';

/**
 * The registry's HTTP API: `GET /registry/products`,
 * `GET /registry/products/:name`, `PUT /registry/products/:name`
 * (body `{ product, ports, status?, error? }`; with `?dryRun=true` it only
 * validates) and `DELETE /registry/products/:name`.
 */
export function createRegistryRouter(options: {
  registry: RegistryService;
  httpAuth: HttpAuthService;
}): express.Router {
  const { registry, httpAuth } = options;
  const router = Router();
  router.use(express.json({ limit: '5mb' }));

  router.get('/registry/products', async (_req, res) => {
    res.json({ items: await registry.list() });
  });

  router.get('/registry/products/:name', async (req, res) => {
    res.json(await registry.get(req.params.name));
  });

  router.put('/registry/products/:name', async (req, res) => {
    if (req.query.dryRun === 'true') {
      registry.validate(req.params.name, req.body ?? {});
      res.status(204).end();
      return;
    }
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const registeredBy =
      credentials.principal.type === 'user'
        ? credentials.principal.userEntityRef
        : credentials.principal.subject;
    const { created, item } = await registry.put(
      req.params.name,
      req.body ?? {},
      registeredBy,
    );
    res.status(created ? 201 : 200).json(item);
  });

  router.delete('/registry/products/:name', async (req, res) => {
    await registry.remove(req.params.name);
    res.status(204).end();
  });

  return router;
}
