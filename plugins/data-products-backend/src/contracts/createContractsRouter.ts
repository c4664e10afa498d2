import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { DEFAULT_NAMESPACE } from '@backstage/catalog-model';
import { OUTPUT_PORT_KIND } from '@dataproducts/plugin-data-products-common';
import { stringifyOdcsContract } from '@dataproducts/plugin-data-products-node';
import express from 'express';
import Router from 'express-promise-router';
import type { ContractService } from './ContractService';

/**
 * The contract download: `GET /contracts/<namespace>/<port>.yaml`, and
 * `GET /contracts/<port>.yaml` for the default namespace. Answers the port's
 * ODCS v3.1.0 contract as a YAML attachment.
 */
export function createContractsRouter(options: {
  httpAuth: HttpAuthService;
  contracts: ContractService;
}): express.Router {
  const { httpAuth, contracts } = options;
  const router = Router();

  async function send(
    req: express.Request,
    res: express.Response,
    namespace: string,
    name: string,
  ) {
    const credentials = await httpAuth.credentials(req);
    const contract = await contracts.getContract(
      { kind: OUTPUT_PORT_KIND, namespace, name },
      credentials,
    );
    // Entity names hold only letters, digits, '-', '_' and '.': safe in a header.
    res
      .status(200)
      .attachment(`${name}.odcs.yaml`)
      .type('application/yaml')
      .send(stringifyOdcsContract(contract));
  }

  router.get('/contracts/:namespace/:name.yaml', (req, res) =>
    send(req, res, req.params.namespace, req.params.name),
  );
  router.get('/contracts/:name.yaml', (req, res) =>
    send(req, res, DEFAULT_NAMESPACE, req.params.name),
  );
  return router;
}
