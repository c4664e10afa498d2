import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  dataProductCreatePermission,
  dataProductDecommissionPermission,
  dataProductUpdatePermission,
  getDataProductInputPortRefs,
  isSameEntityRef,
  type DataProductRegistration,
  type DataProductRegistrationBatchResult,
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
import { checkRegistration, checkRegistrationBatch } from './checkRegistration';
import {
  assertRegistrationFits,
  assertRegistrationsFit,
} from './registrationConflicts';
import type { RegistryStore } from './RegistryStore';

/** What the registry needs besides its table. */
export interface RegistryServiceOptions {
  store: RegistryStore;
  /** Where provisioned-ness is read from, and products are decommissioned in. */
  warehouse: Pick<WarehouseService, 'inspect' | 'provisioned' | 'decommission'>;
  /** Where owners, domains and other products' entities are looked up. */
  catalog: CatalogService;
  /** The registry's own credentials, to read the catalog with. */
  auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  /** Decides the callers' data-product permissions. */
  authorizer: Pick<
    DataProductAuthorizer,
    'authorize' | 'authorizeCreate' | 'areAllowed'
  >;
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
    const { registration, existing } = await this.#admit(
      name,
      body,
      credentials,
    );
    const { product, ports } = registration;
    const status = await this.options.warehouse.inspect(product, ports);
    return this.options.store.upsert(
      {
        ...registration,
        ...(status.provisioned
          ? { status: 'provisioned' }
          : {
              status: 'not-provisioned',
              error: `The warehouse has no schema ${product.spec.schema} made by the portal for ${name}; provision it with dataproduct:provision`,
            }),
        registeredBy: principalOf(credentials),
      },
      // Written only if it is still as it was authorized.
      new Map([[name, existing ? existing.product.spec.owner : null]]),
    );
  }

  /**
   * Registers many products in one go (the body of `POST /registry/products`):
   * each is checked and authorized as `put` checks it, with a few queries
   * and two permission questions for the whole batch, and all are stored in
   * one transaction, or none. Refusals name every product refused.
   */
  async putMany(
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<DataProductRegistrationBatchResult> {
    const registrations = checkRegistrationBatch(body);
    const names = registrations.map(r => r.product.metadata.name);
    const existing = new Map(
      (await this.options.store.getMany(names)).map(item => [
        item.product.metadata.name,
        item,
      ]),
    );
    const requests = registrations.flatMap(({ product }) => {
      const registered = existing.get(product.metadata.name);
      return registered
        ? [
            {
              name: product.metadata.name,
              permission: dataProductUpdatePermission,
              product: registered.product,
            },
          ]
        : [
            {
              name: product.metadata.name,
              permission: dataProductCreatePermission,
              product,
            },
            // As authorizeCreate: nobody creates products in another team's name.
            {
              name: product.metadata.name,
              permission: dataProductUpdatePermission,
              product,
            },
          ];
    });
    const allowed = await this.options.authorizer.areAllowed(
      credentials,
      requests,
    );
    const denied = [
      ...new Set(requests.filter((_, i) => !allowed[i]).map(r => r.name)),
    ];
    if (denied.length > 0) {
      // The owner decided on: the registered product's for an update.
      const owners = [
        ...new Set(
          requests.filter((_, i) => !allowed[i]).map(r => r.product.spec.owner),
        ),
      ];
      throw new NotAllowedError(
        `You are not allowed to register data products ${denied
          .slice(0, 20)
          .join(', ')}${
          denied.length > 20 ? ` and ${denied.length - 20} more` : ''
        } (owned by ${owners.slice(0, 5).join(', ')}${
          owners.length > 5 ? ', ...' : ''
        }): permission ${dataProductCreatePermission.name} or ${
          dataProductUpdatePermission.name
        } was denied; nothing was registered. Name one of your groups in spec.owner, or ask a data product administrator.`,
      );
    }
    await assertRegistrationsFit(registrations, {
      registry: this.options.store,
      catalog: this.options.catalog,
      credentials: await this.options.auth.getOwnServiceCredentials(),
    });
    const provisioned = await this.options.warehouse.provisioned(
      registrations.map(({ product }) => ({
        name: product.metadata.name,
        schema: product.spec.schema,
      })),
    );
    const registeredBy = principalOf(credentials);
    const items = await this.options.store.upsertMany(
      registrations.map(registration => {
        const { product } = registration;
        return {
          ...registration,
          ...(provisioned.has(product.metadata.name)
            ? { status: 'provisioned' as const }
            : {
                status: 'not-provisioned' as const,
                error: `The warehouse has no schema ${product.spec.schema} made by the portal for ${product.metadata.name}; provision it with dataproduct:provision`,
              }),
          registeredBy,
        };
      }),
      // Written only if each is still as it was authorized.
      new Map(
        names.map(name => [
          name,
          existing.get(name)?.product.spec.owner ?? null,
        ]),
      ),
    );
    return { items };
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
  ): Promise<{
    registration: DataProductRegistration;
    existing?: RegisteredDataProduct;
  }> {
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
    return { registration, existing };
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
