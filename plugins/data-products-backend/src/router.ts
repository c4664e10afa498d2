import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import {
  DATA_PRODUCT_KIND,
  OUTPUT_PORT_KIND,
} from '@dataproducts/plugin-data-products-common';
import {
  MAX_LINEAGE_DEPTH,
  type LineageService,
} from './services/LineageService';
import type { StatusService } from './services/StatusService';

const DEFAULT_DEPTH = 10;

// Kind, namespace and name are at most 63 characters each.
const MAX_ENTITY_REF_LENGTH = 200;

// A value as an error message quotes it: cut when long.
function quoted(value: unknown): string {
  const text = Array.isArray(value) ? value.join("', '") : String(value);
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}

function depth(value: unknown, name: string): number {
  if (value === undefined) return DEFAULT_DEPTH;
  if (typeof value !== 'string' || !/^\d{1,3}$/.test(value)) {
    throw new InputError(
      `Invalid ${name} '${quoted(
        value,
      )}': give a whole number of hops from 0 to ${MAX_LINEAGE_DEPTH}, once`,
    );
  }
  return Number(value);
}

/** The HTTP routes for live status and lineage. */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  statusService: StatusService;
  lineageService: LineageService;
}): Promise<express.Router> {
  const { httpAuth, statusService, lineageService } = options;
  // Only GET routes: no body parser here, so that each router that reads
  // bodies parses them within its own documented limit.
  const router = Router();

  router.get('/products/:namespace/:name/status', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { namespace, name } = req.params;
    res.json(
      await statusService.getProductStatus(
        { kind: DATA_PRODUCT_KIND, namespace, name },
        credentials,
      ),
    );
  });

  router.get('/ports/:namespace/:name/status', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { namespace, name } = req.params;
    res.json(
      await statusService.getPortStatus(
        { kind: OUTPUT_PORT_KIND, namespace, name },
        credentials,
      ),
    );
  });

  router.get('/lineage', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { entityRef } = req.query;
    if (
      entityRef !== undefined &&
      (typeof entityRef !== 'string' ||
        entityRef.length > MAX_ENTITY_REF_LENGTH)
    ) {
      throw new InputError(
        `Invalid entityRef '${quoted(
          entityRef,
        )}': give one entity ref, once, as kind:namespace/name`,
      );
    }
    res.json(
      await lineageService.getLineage({
        entityRef,
        upstream: depth(req.query.upstream, 'upstream'),
        downstream: depth(req.query.downstream, 'downstream'),
        credentials,
      }),
    );
  });

  return router;
}
