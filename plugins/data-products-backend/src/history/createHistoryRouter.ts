import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  DATA_PRODUCT_KIND,
  type ProductHistory,
} from '@dataproducts/plugin-data-products-common';
import express from 'express';
import Router from 'express-promise-router';
import type { HistoryRecorder } from './HistoryRecorder';

/**
 * `GET /products/:namespace/:name/history`: every recorded change to a
 * product and its access (`ProductHistory`, newest first), for signed-in users.
 */
export function createHistoryRouter(options: {
  history: HistoryRecorder;
  httpAuth: HttpAuthService;
}): express.Router {
  const { history, httpAuth } = options;
  const router = Router();

  router.get('/products/:namespace/:name/history', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user'] });
    const product = stringifyEntityRef({
      kind: DATA_PRODUCT_KIND,
      namespace: req.params.namespace,
      name: req.params.name,
    }).toLocaleLowerCase('en-US');
    const body: ProductHistory = { events: await history.list(product) };
    res.json(body);
  });

  return router;
}
