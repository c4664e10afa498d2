import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  type BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  dataProductRegistryDeletePermission,
  dataProductRegistryUpdatePermission,
  type RegisteredDataProductList,
} from '@dataproducts/plugin-data-products-common';
import express from 'express';
import Router from 'express-promise-router';
import type { RegistryService } from './RegistryService';

/**
 * The registry's HTTP API, whose bodies are the types `DataProductsRegistryClient`
 * of the common package sends and reads: `GET /registry/products`
 * (`RegisteredDataProductList`), `GET /registry/products/:name`
 * (`RegisteredDataProduct`), `PUT /registry/products/:name` (a
 * `DataProductRegistration`; answers 201 or 200 with the `RegisteredDataProduct`,
 * or 204 with `?dryRun=true`, which only validates) and
 * `DELETE /registry/products/:name` (204). Writes are checked against the
 * `dataproduct.registry.update` and `dataproduct.registry.delete` permissions.
 */
export function createRegistryRouter(options: {
  registry: RegistryService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}): express.Router {
  const { registry, httpAuth, permissions } = options;
  const router = Router();

  async function authorize(
    permission: BasicPermission,
    credentials: BackstageCredentials,
    name: string,
  ) {
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You are not allowed to ${
          permission.attributes.action
        } the data product ${JSON.stringify(name)} (permission ${
          permission.name
        })`,
      );
    }
  }

  router.use(express.json({ limit: '5mb' }));

  router.get('/registry/products', async (_req, res) => {
    const body: RegisteredDataProductList = { items: await registry.list() };
    res.json(body);
  });

  router.get('/registry/products/:name', async (req, res) => {
    res.json(await registry.get(req.params.name));
  });

  router.put('/registry/products/:name', async (req, res) => {
    if (req.query.dryRun === 'true') {
      registry.validate(req.params.name, req.body);
      res.status(204).end();
      return;
    }
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await authorize(
      dataProductRegistryUpdatePermission,
      credentials,
      req.params.name,
    );
    const registeredBy =
      credentials.principal.type === 'user'
        ? credentials.principal.userEntityRef
        : credentials.principal.subject;
    const { created, item } = await registry.put(
      req.params.name,
      req.body,
      registeredBy,
    );
    res.status(created ? 201 : 200).json(item);
  });

  router.delete('/registry/products/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await authorize(
      dataProductRegistryDeletePermission,
      credentials,
      req.params.name,
    );
    await registry.remove(req.params.name);
    res.status(204).end();
  });

  return router;
}
