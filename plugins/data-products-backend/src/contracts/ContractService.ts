import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  getOutputPortProductRef,
  isDataProductEntity,
  isOutputPortEntity,
  OdcsDataContract,
  OdcsExportContext,
  toOdcsContract,
} from '@dataproducts/plugin-data-products-common';
import {
  readWarehouseConfig,
  WarehouseService,
} from '@dataproducts/plugin-data-products-node';

/** The server a contract names, as consumers reach it. */
export type ContractServer = NonNullable<OdcsExportContext['server']>;

/**
 * The warehouse server for contracts: `dataProducts.contracts.server`, each
 * field falling back to the warehouse connection (host, port) and database.
 * Never the user or the password.
 */
export function readContractServer(config: Config): ContractServer {
  const warehouse = readWarehouseConfig(config);
  const override = config.getOptionalConfig('dataProducts.contracts.server');
  const { connection } = warehouse;
  let host = connection.host;
  let port = connection.port;
  if (connection.connectionString) {
    const url = new URL(connection.connectionString);
    host = host ?? (url.hostname || undefined);
    port = port ?? (url.port ? Number(url.port) : undefined);
  }
  const environment = override?.getOptionalString('environment');
  return {
    name: override?.getOptionalString('name') ?? 'warehouse',
    host: override?.getOptionalString('host') ?? host ?? 'localhost',
    port: override?.getOptionalNumber('port') ?? port ?? 5432,
    database: override?.getOptionalString('database') ?? warehouse.database,
    ...(environment ? { environment } : {}),
  };
}

/**
 * Makes the ODCS v3.1.0 contract of an output port: the port and its product
 * as the caller may see them in the catalog, the roles that read the port
 * from the warehouse, and the configured server.
 */
export class ContractService {
  readonly #catalog: CatalogService;
  readonly #warehouse: Pick<WarehouseService, 'readers'>;
  readonly #server: ContractServer;

  constructor(options: {
    catalog: CatalogService;
    warehouse: Pick<WarehouseService, 'readers'>;
    server: ContractServer;
  }) {
    this.#catalog = options.catalog;
    this.#warehouse = options.warehouse;
    this.#server = options.server;
  }

  /**
   * The port's contract. Throws a `NotFoundError` when the caller cannot see
   * the port or its product (the catalog answers as if they did not exist).
   */
  async getContract(
    portRef: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<OdcsDataContract> {
    const ref = stringifyEntityRef(portRef);
    const port = await this.#catalog.getEntityByRef(ref, { credentials });
    if (!isOutputPortEntity(port)) {
      throw new NotFoundError(
        `No output port ${ref} in the catalog: check the namespace and name (the entity name, e.g. sales-crm-customers-customers)`,
      );
    }
    const productRef = stringifyEntityRef(getOutputPortProductRef(port));
    const product = await this.#catalog.getEntityByRef(productRef, {
      credentials,
    });
    if (!isDataProductEntity(product)) {
      throw new NotFoundError(
        `No data product ${productRef}, which output port ${ref} belongs to, in the catalog`,
      );
    }
    let readers: Awaited<ReturnType<WarehouseService['readers']>> = [];
    try {
      readers = await this.#warehouse.readers(
        product.metadata.name,
        port.spec.name,
      );
    } catch (error) {
      // A port that is not provisioned yet has a contract but no readers.
      if (!(error instanceof NotFoundError)) throw error;
    }
    return toOdcsContract(port, product, { server: this.#server, readers });
  }
}
