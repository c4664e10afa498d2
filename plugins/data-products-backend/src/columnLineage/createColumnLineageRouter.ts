import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { OUTPUT_PORT_KIND } from '@dataproducts/plugin-data-products-common';
import { MAX_COLUMN_LINEAGE_DEPTH } from '@dataproducts/plugin-data-products-node';
import type { ColumnLineageService } from './ColumnLineageService';

/** Hops each way when a request names none. */
export const DEFAULT_COLUMN_LINEAGE_DEPTH = 10;

function depth(value: unknown, name: string): number {
  if (value === undefined) return DEFAULT_COLUMN_LINEAGE_DEPTH;
  if (typeof value !== 'string' || !/^\d{1,3}$/.test(value)) {
    throw new InputError(
      `Invalid ${name} '${String(
        value,
      )}': give a whole number of hops from 0 to ${MAX_COLUMN_LINEAGE_DEPTH}`,
    );
  }
  return Number(value);
}

/**
 * Column lineage: `GET /ports/:namespace/:name/columns` (a port's columns
 * with their upstream and downstream columns) and
 * `GET /ports/:namespace/:name/columns/:column/impact` (the consumer columns
 * derived from one column). Any signed-in user; answers only what the
 * caller can see in the catalog.
 */
export function createColumnLineageRouter(options: {
  httpAuth: HttpAuthService;
  columnLineage: ColumnLineageService;
}): express.Router {
  const { httpAuth, columnLineage } = options;
  const router = Router();

  router.get('/ports/:namespace/:name/columns', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { namespace, name } = req.params;
    res.json(
      await columnLineage.getPortColumns(
        { kind: OUTPUT_PORT_KIND, namespace, name },
        {
          upstream: depth(req.query.upstream, 'upstream'),
          downstream: depth(req.query.downstream, 'downstream'),
        },
        credentials,
      ),
    );
  });

  router.get(
    '/ports/:namespace/:name/columns/:column/impact',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      const { namespace, name, column } = req.params;
      res.json(
        await columnLineage.getColumnImpact(
          { kind: OUTPUT_PORT_KIND, namespace, name },
          column,
          credentials,
        ),
      );
    },
  );

  return router;
}
