import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { OUTPUT_PORT_KIND } from '@dataproducts/plugin-data-products-common';
import express from 'express';
import Router from 'express-promise-router';
import type { QualityService } from './QualityService';

// Entity names: letters, digits and - _ . between them, at most 63 characters.
const ENTITY_NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const MAX_PRODUCTS = 200;

function productNames(value: unknown): string[] | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new InputError(
      'Give products once, as a comma-separated list of data product entity names',
    );
  }
  const names = value.split(',').filter(Boolean);
  const bad = names.find(n => !ENTITY_NAME.test(n));
  if (bad !== undefined) {
    throw new InputError(
      `Invalid data product name ${JSON.stringify(
        bad,
      )} in products: give entity names (letters and digits, with - _ . between them), separated by commas`,
    );
  }
  if (names.length > MAX_PRODUCTS) {
    throw new InputError(
      `products names ${names.length} data products; ask for at most ${MAX_PRODUCTS} at once`,
    );
  }
  return names;
}

/**
 * The quality routes (read access: signed-in users, like status):
 * `GET /ports/<namespace>/<name>/quality`, a port's latest results and the
 * last 30 builds of each rule; `GET /quality?products=a,b`, the latest
 * outcome of each port of the products the caller can see.
 */
export function createQualityRouter(options: {
  httpAuth: HttpAuthService;
  quality: QualityService;
}): express.Router {
  const { httpAuth, quality } = options;
  const router = Router();

  router.get('/ports/:namespace/:name/quality', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { namespace, name } = req.params;
    res.json(
      await quality.getPortQuality(
        { kind: OUTPUT_PORT_KIND, namespace, name },
        credentials,
      ),
    );
  });

  router.get('/quality', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json({
      ports: await quality.getSummaries(
        credentials,
        productNames(req.query.products),
      ),
    });
  });

  return router;
}
