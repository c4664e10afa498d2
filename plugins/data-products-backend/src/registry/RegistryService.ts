import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  dataProductDecommissionPermission,
  dataProductUpdatePermission,
  getDataProductInputPortRefs,
  isSameEntityRef,
  type DataProductRegistration,
  type DataProductRegistrationResult,
  type DataProductRegistryChangePage,
  type RegisteredDataProduct,
  type RegisteredDataProductList,
} from '@dataproducts/plugin-data-products-common';
import type {
  DataProductAuthorizer,
  WarehouseService,
} from '@dataproducts/plugin-data-products-node';
import type { HistoryRecorder } from '../history';
import { checkRegistration } from './checkRegistration';
import { assertRegistrationFits } from './registrationConflicts';
import type { RegistryStore } from './RegistryStore';

/** What the registry needs besides its table. */
export interface RegistryServiceOptions {
  store: RegistryStore;
  /** Where provisioned-ness is read from, and products are decommissioned in. */
  warehouse: Pick<WarehouseService, 'inspect' | 'decommission'>;
  /** Where owners, domains and other products' entities are looked up. */
  catalog: CatalogService;
  /** The registry's own credentials, to read the catalog with. */
  auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  /** Decides the callers' data-product permissions. */
  authorizer: Pick<DataProductAuthorizer, 'authorize' | 'authorizeCreate'>;
  /** Where decommissioning is recorded, in the product's History. */
  history?: Pick<HistoryRecorder, 'record'>;
}

function principalOf(credentials: BackstageCredentials): string | undefined {
  const { principal } = credentials as BackstageCredentials<any>;
  return principal.userEntityRef ?? principal.subject;
}

/**
 * The self-service registry: checks, authorizes, stores and removes data
 * products that templates create; the catalog module's entity provider
 * publishes what it holds. Nothing a client claims is stored unchecked:
 * provisioned-ness is read from the warehouse, owners and domains from the
 * catalog, and schemas and entity names must not be another product's.
 */
export class RegistryService {
  constructor(private readonly options: RegistryServiceOptions) {}

  /** All registered products. */
  async list(): Promise<RegisteredDataProduct[]> {
    return this.options.store.list();
  }

  /** All registered products with the change-feed cursor they reflect. */
  async snapshot(): Promise<RegisteredDataProductList> {
    return this.options.store.snapshot();
  }

  /** The registry's changes after a cursor (see `DataProductRegistryChangePage`). */
  async changes(
    after: number,
    limit: number,
  ): Promise<DataProductRegistryChangePage> {
    return this.options.store.changesAfter(after, limit);
  }

  /** One product; throws NotFoundError when it is not registered. */
  async get(name: string): Promise<RegisteredDataProduct> {
    const item = await this.options.store.get(name);
    if (!item) {
      throw new NotFoundError(
        `No data product named ${JSON.stringify(name)} is registered`,
      );
    }
    return item;
  }

  /**
   * Registers a product or replaces its registered version, for the caller:
   * `InputError` for an invalid body, `NotAllowedError` when the caller may
   * not create or update it, `ConflictError` when its schema or entity names
   * are another product's.
   */
  async put(
    name: string,
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<DataProductRegistrationResult> {
    const registration = await this.#admit(name, body, credentials);
    const { product, ports } = registration;
    const status = await this.options.warehouse.inspect(product, ports);
    return this.options.store.upsert({
      ...registration,
      ...(status.provisioned
        ? { status: 'provisioned' }
        : {
            status: 'not-provisioned',
            error: `The warehouse has no schema ${product.spec.schema} made by the portal for ${name}; provision it with dataproduct:provision`,
          }),
      registeredBy: principalOf(credentials),
    });
  }

  /** Runs every check of `put` without storing anything. */
  async validate(
    name: string,
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<void> {
    await this.#admit(name, body, credentials);
  }

  async #admit(
    name: string,
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<DataProductRegistration> {
    const registration = checkRegistration(name, body);
    const existing = await this.options.store.get(name);
    if (existing) {
      await this.options.authorizer.authorize({
        credentials,
        permission: dataProductUpdatePermission,
        product: existing.product,
      });
    } else {
      await this.options.authorizer.authorizeCreate({
        credentials,
        product: registration.product,
      });
    }
    await assertRegistrationFits(registration, {
      registry: this.options.store,
      catalog: this.options.catalog,
      credentials: await this.options.auth.getOwnServiceCredentials(),
    });
    return registration;
  }

  /**
   * Decommissions a product in the warehouse and removes it from the registry
   * (and so from the catalog), for a caller allowed `dataproduct.decommission`
   * on it. Refused with ConflictError while another registered product reads
   * one of its ports.
   */
  async remove(name: string, credentials: BackstageCredentials): Promise<void> {
    const item = await this.get(name);
    await this.options.authorizer.authorize({
      credentials,
      permission: dataProductDecommissionPermission,
      product: item.product,
    });
    const portRefs = item.ports.map(port => getCompoundEntityRef(port));
    const consumers = (
      await this.options.store.findPossibleConsumers(
        item.ports.map(port => port.metadata.name),
        name,
      )
    )
      .filter(other =>
        getDataProductInputPortRefs(other.product).some(({ ref }) =>
          portRefs.some(portRef => isSameEntityRef(ref, portRef)),
        ),
      )
      .map(other => other.product.metadata.name);
    if (consumers.length > 0) {
      throw new ConflictError(
        `Data product ${name} still has consumers (${consumers.join(
          ', ',
        )}); remove them first`,
      );
    }
    const event = {
      actor: principalOf(credentials) ?? 'unknown',
      action: 'decommission' as const,
      product: stringifyEntityRef(item.product).toLocaleLowerCase('en-US'),
    };
    let result;
    try {
      result = await this.options.warehouse.decommission(name);
    } catch (error) {
      await this.options.history?.record(
        { ...event, outcome: 'failed' },
        error as Error,
      );
      throw error;
    }
    await this.options.store.delete(name);
    await this.options.history?.record({
      ...event,
      outcome: 'succeeded',
      detail: result.removed
        ? `Schema ${result.schema} with its ports and roles dropped; removed from the registry`
        : 'Nothing was provisioned; removed from the registry',
    });
  }
}
