import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  type CompoundEntityRef,
  DEFAULT_NAMESPACE,
  type Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotFoundError,
  isError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DATA_PRODUCT_KIND,
  dataProductDecommissionPermission,
  dataProductUpdatePermission,
  getDataProductInputPortRefs,
  getEntityNamespace,
  isDataProductEntity,
  isSameEntityRef,
  OUTPUT_PORT_KIND,
  parseOwnerRef,
  parseReplacementRef,
  type DataProductConsumer,
  type DataProductDeprecation,
  type DataProductEntityV1alpha1,
  type RegisteredDataProduct,
} from '@dataproducts/plugin-data-products-common';
import type {
  DataProductAuthorizer,
  WarehouseService,
} from '@dataproducts/plugin-data-products-node';
import type { HistoryRecorder } from '../history';
import type { RegistryService, RegistryStore } from '../registry';
import { checkRegistration } from '../registry/checkRegistration';
import type { LifecycleNotifier } from './LifecycleNotifier';

/** What the lifecycle of registered products needs. */
export interface LifecycleServiceOptions {
  registry: Pick<RegistryService, 'remove'>;
  store: Pick<RegistryStore, 'get' | 'list' | 'upsert'>;
  catalog: CatalogService;
  auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  warehouse: Pick<WarehouseService, 'readers'>;
  authorizer: Pick<DataProductAuthorizer, 'authorize'>;
  history: Pick<HistoryRecorder, 'record'>;
  notifier: Pick<LifecycleNotifier, 'deprecated'>;
  /** Today's date (YYYY-MM-DD) in UTC; a parameter so that tests can move it. */
  today?: () => string;
}

const MAX_REASON = 2000;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

function principalOf(credentials: BackstageCredentials): string {
  const { principal } = credentials as BackstageCredentials<any>;
  return principal.userEntityRef ?? principal.subject ?? 'unknown';
}

function describe(consumer: DataProductConsumer): string {
  return consumer.title ? `${consumer.title} (${consumer.ref})` : consumer.ref;
}

/**
 * The lifecycle of the registry's data products: who consumes a product,
 * deprecating it (a sunset date and a replacement, its consumers' owners
 * notified) and withdrawing that, and deleting it, which decommissions it in
 * the warehouse and removes it from the registry and so from the catalog,
 * refused while any consumer remains. Products defined in catalog files are
 * not the portal's to change: those are refused with where to change them.
 */
export class LifecycleService {
  constructor(private readonly options: LifecycleServiceOptions) {}

  /**
   * The consumers of a product: products whose inputs name its ports (in the
   * catalog and in the registry), and products and groups whose roles hold a
   * port's reader role in the warehouse.
   */
  async consumers(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<DataProductConsumer[]> {
    const product = await this.#product(ref, credentials);
    return this.#consumersOf(product);
  }

  /**
   * Deprecates a registered product for a caller allowed
   * `dataproduct.update` on it: lifecycle `deprecated` with `spec.deprecation`
   * in the registry (the catalog follows within seconds), an event in its
   * History and the auditor, and a notification to the owners of every
   * consumer.
   */
  async deprecate(
    ref: CompoundEntityRef,
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<RegisteredDataProduct> {
    const product = await this.#product(ref, credentials);
    const item = await this.#registered(product, 'deprecate');
    await this.options.authorizer.authorize({
      credentials,
      permission: dataProductUpdatePermission,
      product: item.product,
    });
    const deprecation = await this.#checkDeprecation(
      body,
      item.product,
      credentials,
    );
    const updated = await this.#store(
      item,
      {
        ...item.product,
        spec: { ...item.product.spec, lifecycle: 'deprecated', deprecation },
      },
      credentials,
    );
    const consumers = await this.#consumersOf(product);
    const productRef = lower(stringifyEntityRef(item.product));
    await this.options.history.record({
      actor: principalOf(credentials),
      action: 'deprecate',
      product: productRef,
      outcome: 'succeeded',
      detail: `Sunset ${deprecation.sunset}${
        deprecation.replacement
          ? `; consumers move to ${deprecation.replacement}`
          : ''
      }${deprecation.reason ? `: ${deprecation.reason}` : ''}${
        consumers.length > 0
          ? `; notified the owners of ${consumers.map(c => c.ref).join(', ')}`
          : ''
      }`,
    });
    await this.options.notifier.deprecated({
      product: item.product,
      deprecation,
      consumers,
      actor: principalOf(credentials),
    });
    return updated;
  }

  /**
   * Withdraws a deprecation: lifecycle back to `production`, for a caller
   * allowed `dataproduct.update` on the product.
   */
  async undeprecate(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<RegisteredDataProduct> {
    const product = await this.#product(ref, credentials);
    const item = await this.#registered(product, 'withdraw the deprecation of');
    await this.options.authorizer.authorize({
      credentials,
      permission: dataProductUpdatePermission,
      product: item.product,
    });
    if (item.product.spec.lifecycle !== 'deprecated') {
      throw new ConflictError(
        `Data product ${stringifyEntityRef(
          item.product,
        )} is not deprecated (its lifecycle is ${
          item.product.spec.lifecycle
        }); nothing to withdraw`,
      );
    }
    const { deprecation: _withdrawn, ...spec } = item.product.spec;
    const updated = await this.#store(
      item,
      { ...item.product, spec: { ...spec, lifecycle: 'production' } },
      credentials,
    );
    await this.options.history.record({
      actor: principalOf(credentials),
      action: 'undeprecate',
      product: lower(stringifyEntityRef(item.product)),
      outcome: 'succeeded',
      detail: 'Back to production; the sunset date no longer applies',
    });
    return updated;
  }

  /**
   * Deletes a registered product for a caller allowed
   * `dataproduct.decommission` on it: refused with a `ConflictError` naming
   * every consumer while any remains (before and after the sunset date
   * alike); otherwise its schema, roles and grants are dropped and it leaves
   * the registry and the catalog.
   */
  async remove(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<void> {
    const product = await this.#product(ref, credentials);
    const item = await this.#registered(product, 'delete');
    await this.options.authorizer.authorize({
      credentials,
      permission: dataProductDecommissionPermission,
      product: item.product,
    });
    const consumers = await this.#consumersOf(product);
    if (consumers.length > 0) {
      const name = stringifyEntityRef(item.product);
      const sunset = item.product.spec.deprecation?.sunset;
      const replacement = item.product.spec.deprecation?.replacement;
      let when = `It is deprecated until ${sunset}; they must move${
        replacement ? ` to ${replacement}` : ''
      } first`;
      if (!sunset) {
        when =
          'Deprecate it with a sunset date and a replacement so that they are told to move';
      } else if (sunset < this.#today()) {
        when = `Its sunset date ${sunset} has passed, but they must stop reading it first`;
      }
      throw new ConflictError(
        `Cannot delete data product ${name}: it still has ${
          consumers.length
        } consumer(s): ${consumers
          .map(describe)
          .join(
            ', ',
          )}. ${when}; remove them from their inputs, or revoke their access, then delete it.`,
      );
    }
    await this.options.registry.remove(item.product.metadata.name, credentials);
  }

  async #product(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const wanted = { ...ref, kind: DATA_PRODUCT_KIND };
    const entity = await this.options.catalog.getEntityByRef(wanted, {
      credentials,
    });
    if (entity) return entity;
    // A registered product the catalog does not show (yet, or any more):
    // its owners can still manage it.
    const item =
      ref.namespace === DEFAULT_NAMESPACE
        ? await this.options.store.get(ref.name)
        : undefined;
    if (item) return item.product;
    throw new NotFoundError(
      `There is no data product ${stringifyEntityRef(
        wanted,
      )} in the catalog or the registry`,
    );
  }

  /** The registry's entry of a product; refused for products defined elsewhere. */
  async #registered(
    product: Entity,
    doing: string,
  ): Promise<RegisteredDataProduct> {
    const item =
      getEntityNamespace(product) === DEFAULT_NAMESPACE
        ? await this.options.store.get(product.metadata.name)
        : undefined;
    if (!item) {
      const location =
        product.metadata.annotations?.[ANNOTATION_LOCATION] ??
        'its catalog file';
      throw new ConflictError(
        `Data product ${stringifyEntityRef(
          product,
        )} is defined in ${location}, not in the portal's registry: the portal cannot ${doing} it. Edit that file (spec.lifecycle, spec.deprecation) or remove it from the catalog's locations, and run dataproduct:decommission to drop it from the warehouse.`,
      );
    }
    return item;
  }

  async #store(
    item: RegisteredDataProduct,
    product: DataProductEntityV1alpha1,
    credentials: BackstageCredentials,
  ): Promise<RegisteredDataProduct> {
    // The changed entity passes every check a registration does.
    const checked = checkRegistration(product.metadata.name, {
      product,
      ports: item.ports,
    });
    const { item: stored } = await this.options.store.upsert({
      ...checked,
      status: item.status,
      ...(item.error ? { error: item.error } : {}),
      registeredBy: principalOf(credentials),
    });
    return stored;
  }

  async #checkDeprecation(
    body: unknown,
    product: DataProductEntityV1alpha1,
    credentials: BackstageCredentials,
  ): Promise<DataProductDeprecation> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new InputError(
        'Send a JSON object { sunset: "YYYY-MM-DD", replacement?, reason? }',
      );
    }
    const { sunset, replacement, reason, ...rest } = body as Record<
      string,
      unknown
    >;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) {
      throw new InputError(
        `Unknown field(s) ${unknown
          .map(key => JSON.stringify(key))
          .join(', ')}: a deprecation has sunset, replacement and reason`,
      );
    }
    if (
      typeof sunset !== 'string' ||
      !DATE.test(sunset) ||
      new Date(`${sunset}T00:00:00Z`).toISOString().slice(0, 10) !== sunset
    ) {
      throw new InputError(
        `Invalid sunset ${JSON.stringify(
          sunset ?? null,
        )}: give a calendar date as YYYY-MM-DD`,
      );
    }
    if (sunset < this.#today()) {
      throw new InputError(
        `Invalid sunset ${sunset}: it is in the past (today is ${this.#today()}); give today or a later date`,
      );
    }
    if (reason !== undefined && typeof reason !== 'string') {
      throw new InputError('Invalid reason: give it as text');
    }
    if (typeof reason === 'string' && reason.length > MAX_REASON) {
      throw new InputError(
        `The reason has ${reason.length} characters; give at most ${MAX_REASON}`,
      );
    }
    const deprecation: DataProductDeprecation = { sunset };
    if (replacement !== undefined && replacement !== '') {
      if (typeof replacement !== 'string') {
        throw new InputError(
          'Invalid replacement: give the entity ref of a DataProduct or OutputPort',
        );
      }
      let parsed: CompoundEntityRef;
      try {
        parsed = parseReplacementRef(replacement);
      } catch (error) {
        throw new InputError(
          `Invalid replacement ${JSON.stringify(replacement)}: ${
            isError(error) ? error.message : String(error)
          }`,
        );
      }
      if (isSameEntityRef(parsed, getCompoundEntityRef(product))) {
        throw new InputError(
          `Invalid replacement ${replacement}: a product cannot replace itself; name the product or port consumers should move to`,
        );
      }
      const target = await this.options.catalog.getEntityByRef(parsed, {
        credentials,
      });
      if (!target) {
        throw new InputError(
          `Invalid replacement ${stringifyEntityRef(
            parsed,
          )}: the catalog has no such entity; pick an existing data product or output port`,
        );
      }
      deprecation.replacement = lower(stringifyEntityRef(parsed));
    }
    if (typeof reason === 'string' && reason.trim() !== '') {
      deprecation.reason = reason.trim();
    }
    return deprecation;
  }

  // With the plugin's own credentials: every consumer counts, also one the
  // caller cannot see in the catalog.
  async #consumersOf(product: Entity): Promise<DataProductConsumer[]> {
    const serviceCredentials =
      await this.options.auth.getOwnServiceCredentials();
    const productRef = lower(stringifyEntityRef(product));
    const item =
      getEntityNamespace(product) === DEFAULT_NAMESPACE
        ? await this.options.store.get(product.metadata.name)
        : undefined;
    const portEntities: Entity[] = item
      ? item.ports
      : (
          await this.options.catalog.getEntities(
            {
              filter: {
                kind: OUTPUT_PORT_KIND,
                'relations.partOf': productRef,
              },
            },
            { credentials: serviceCredentials },
          )
        ).items;
    const ports = portEntities.map(port => ({
      ref: lower(stringifyEntityRef(port)),
      compound: getCompoundEntityRef(port),
      name: String(port.spec?.name ?? ''),
    }));
    const found = new Map<string, DataProductConsumer>();
    const add = (
      ref: string,
      kind: DataProductConsumer['kind'],
      port: string,
      via: 'input' | 'grant',
    ) => {
      const key = lower(ref);
      if (key === productRef) return;
      const consumer = found.get(key) ?? { ref: key, kind, ports: [], via: [] };
      if (!consumer.ports.includes(port)) consumer.ports.push(port);
      if (!consumer.via.includes(via)) consumer.via.push(via);
      found.set(key, consumer);
    };

    // Declared inputs, in the catalog and in the registry.
    const readsPort = (other: DataProductEntityV1alpha1) =>
      getDataProductInputPortRefs(other).flatMap(({ ref }) =>
        ports.filter(port => isSameEntityRef(ref, port.compound)),
      );
    if (ports.length > 0) {
      const { items } = await this.options.catalog.getEntities(
        {
          filter: {
            kind: DATA_PRODUCT_KIND,
            'relations.dependsOn': ports.map(port => port.ref),
          },
        },
        { credentials: serviceCredentials },
      );
      for (const other of [
        ...items.filter(isDataProductEntity),
        ...(await this.options.store.list()).map(i => i.product),
      ]) {
        for (const port of readsPort(other)) {
          add(stringifyEntityRef(other), 'dataproduct', port.ref, 'input');
        }
      }
    }

    // Grants in the warehouse: who holds each port's reader role.
    for (const port of ports) {
      let readers;
      try {
        readers = await this.options.warehouse.readers(
          product.metadata.name,
          port.name,
        );
      } catch (error) {
        if (isError(error) && error.name === 'NotFoundError') continue;
        throw error;
      }
      for (const reader of readers) {
        if (reader.group) {
          add(reader.group, 'group', port.ref, 'grant');
        } else if (reader.product) {
          add(
            stringifyEntityRef({
              kind: DATA_PRODUCT_KIND,
              namespace: DEFAULT_NAMESPACE,
              name: reader.product,
            }),
            'dataproduct',
            port.ref,
            'grant',
          );
        }
      }
    }

    // Titles and owners from the catalog.
    const consumers = [...found.values()];
    if (consumers.length > 0) {
      const { items } = await this.options.catalog.getEntitiesByRefs(
        { entityRefs: consumers.map(c => c.ref) },
        { credentials: serviceCredentials },
      );
      consumers.forEach((consumer, index) => {
        const entity = items[index];
        if (entity?.metadata.title) consumer.title = entity.metadata.title;
        const owner = entity?.spec?.owner;
        if (consumer.kind === 'dataproduct' && typeof owner === 'string') {
          consumer.owner = lower(
            stringifyEntityRef(
              parseOwnerRef(owner, {
                defaultNamespace: getEntityNamespace(entity!),
              }),
            ),
          );
        }
      });
    }
    return consumers.sort((a, b) => a.ref.localeCompare(b.ref));
  }

  #today(): string {
    return this.options.today?.() ?? new Date().toISOString().slice(0, 10);
  }
}
