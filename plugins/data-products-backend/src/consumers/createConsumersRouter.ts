import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { makeValidator, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { OUTPUT_PORT_KIND } from '@dataproducts/plugin-data-products-common';
import express from 'express';
import Router from 'express-promise-router';
import type { ConsumerService } from './ConsumerService';

const validator = makeValidator();

/** The port's entity ref from the path; a 400 naming the value when it is not an entity name. */
function portRef(params: { namespace: string; name: string }): string {
  const { namespace, name } = params;
  if (!validator.isValidNamespace(namespace)) {
    throw new InputError(
      `Invalid namespace ${JSON.stringify(
        namespace,
      )}: give the output port's catalog namespace, e.g. default`,
    );
  }
  if (!validator.isValidEntityName(name)) {
    throw new InputError(
      `Invalid output port name ${JSON.stringify(
        name,
      )}: give the OutputPort entity's metadata.name, e.g. sales-crm-customers-customers`,
    );
  }
  return stringifyEntityRef({ kind: OUTPUT_PORT_KIND, namespace, name });
}

/**
 * The consumer routes of an output port, for signed-in users:
 * `GET /ports/:namespace/:name/connection` (`PortConnection`),
 * `GET /ports/:namespace/:name/preview` (`PortPreview`; 403 naming
 * `dataproduct.preview` when refused) and `GET /ports/:namespace/:name/size`
 * (`PortSizeInfo`).
 */
export function createConsumersRouter(options: {
  httpAuth: HttpAuthService;
  consumers: ConsumerService;
}): express.Router {
  const { httpAuth, consumers } = options;
  const router = Router();

  router.get('/ports/:namespace/:name/connection', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(await consumers.connection(portRef(req.params), credentials));
  });

  router.get('/ports/:namespace/:name/preview', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    // Sample rows are data: never kept by a browser or a proxy.
    res.setHeader('Cache-Control', 'no-store');
    res.json(await consumers.preview(portRef(req.params), credentials));
  });

  router.get('/ports/:namespace/:name/size', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(await consumers.size(portRef(req.params), credentials));
  });

  return router;
}
