import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { DEFAULT_NAMESPACE } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DATA_PRODUCT_KIND,
  DATA_PRODUCTS_API_VERSION,
  dataProductCreatePermission,
  DataProductEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';
import {
  createCatalogProductResolver,
  WarehouseService,
} from '@dataproducts/plugin-data-products-node';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';

/** The largest model check body read, in bytes (256 KiB). */
export const MODEL_CHECK_BODY_LIMIT = 256 * 1024;

const modelCheckBody = z
  .object({
    product: z
      .object({
        name: z.string().min(1),
        namespace: z.string().min(1).optional(),
        schema: z.string().min(1),
        inputs: z.array(z.string().min(1)).max(100).default([]),
      })
      .strict(),
    port: z.string().min(1),
    model: z.string().min(1),
  })
  .strict();

/** A request body as read: every field named when it is missing or of the wrong type. */
function readBody(body: unknown) {
  const parsed = modelCheckBody.safeParse(body);
  if (!parsed.success) {
    throw new InputError(
      `Invalid model check: ${parsed.error.issues
        .map(issue => `${issue.path.join('.') || 'body'} ${issue.message}`)
        .join('; ')}. Send { product: { name, schema, inputs }, port, model }`,
    );
  }
  return parsed.data;
}

/**
 * `POST /models/check`: what PostgreSQL makes of model SQL being written in
 * the compose form, before any product exists. The model is checked by
 * PostgreSQL's own parser and run with LIMIT 0 as a role holding exactly the
 * declared inputs, in a transaction that is rolled back; the answer is the
 * columns and types PostgreSQL infers (`{ columns: [{ name, type }], sql }`),
 * or a 400 whose message points at the line and column of the model. Needs
 * `dataproduct.create`.
 */
export function createModelCheckRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  warehouse: Pick<WarehouseService, 'checkDraftModel'>;
}): express.Router {
  const { httpAuth, permissions, catalog, warehouse } = options;
  const resolver = createCatalogProductResolver(catalog);
  const router = Router();
  router.use('/models', express.json({ limit: MODEL_CHECK_BODY_LIMIT }));

  router.post('/models/check', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const [decision] = await permissions.authorize(
      [{ permission: dataProductCreatePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Checking model SQL needs the ${dataProductCreatePermission.name} permission`,
      );
    }
    const { product, port, model } = readBody(req.body);
    const draft: DataProductEntityV1alpha1 = {
      apiVersion: DATA_PRODUCTS_API_VERSION,
      kind: DATA_PRODUCT_KIND,
      metadata: {
        name: product.name,
        namespace: product.namespace ?? DEFAULT_NAMESPACE,
      },
      spec: {
        type: 'consumer-aligned',
        lifecycle: 'experimental',
        owner: 'unknown',
        schema: product.schema,
        inputs: product.inputs,
      },
    };
    const inputs = await resolver.resolveInputs(draft, credentials);
    const controller = new AbortController();
    // The caller went away before the answer: stop the check in PostgreSQL.
    res.on('close', () => {
      if (!res.writableEnded) {
        controller.abort();
      }
    });
    res.json(
      await warehouse.checkDraftModel(
        { product: product.name, schema: product.schema, port, model, inputs },
        { signal: controller.signal },
      ),
    );
  });

  return router;
}
