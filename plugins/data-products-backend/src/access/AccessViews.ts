import { parseEntityRef } from '@backstage/catalog-model';
import { isError } from '@backstage/errors';
import {
  type AccessRequest,
  type AccessRequestQuery,
  type MyAccess,
  outputPortEntityName,
  outputPortEntityRef,
  type PortAccess,
  type PortReader,
} from '@dataproducts/plugin-data-products-common';
import type {
  AccessConsumer,
  PortReaderRole,
} from '@dataproducts/plugin-data-products-node';
import type { AccessCatalog } from './AccessCatalog';
import { normalizeRef } from './AccessCatalog';
import { type AccessRequestStore, toAccessRequest } from './AccessRequestStore';
import type { UserCredentials } from './AccessService';
import type { AccessWarehouse } from './warehouseGrant';

/**
 * What the portal shows about access: requests, who can read a port (from
 * the warehouse itself, joined with the requests) and what a user can read.
 */
export class AccessViews {
  constructor(
    private readonly options: {
      store: AccessRequestStore;
      catalog: AccessCatalog;
      warehouse: AccessWarehouse;
    },
  ) {}

  /** The requests matching every given filter, newest first. */
  async list(query: AccessRequestQuery): Promise<AccessRequest[]> {
    const normalized = Object.fromEntries(
      Object.entries(query).map(([key, value]) => [
        key,
        key === 'status' ? value : normalizeRef(value),
      ]),
    );
    return (await this.options.store.list(normalized)).map(toAccessRequest);
  }

  /**
   * Who can read a port: every role holding its reader role in
   * `pg_auth_members`, with the consumer it belongs to and the granted
   * request behind it; a role the portal did not grant is `managed: false`.
   * Also the requests waiting for a decision.
   */
  async port(ref: string, credentials: UserCredentials): Promise<PortAccess> {
    const { catalog, store } = this.options;
    const port = await catalog.port(ref, credentials);
    const roles = await this.readers(port.productName, port.portName);
    const products = await catalog.productRefs(
      roles.flatMap(role => (role.product ? [role.product] : [])),
      credentials,
    );
    const granted = await store.granted({ port: port.ref });
    const readers = roles.map((role): PortReader => {
      const consumer =
        role.group ??
        (role.product
          ? products.get(role.product) ??
            normalizeRef(`dataproduct:default/${role.product}`)
          : undefined);
      const request = granted.find(r => r.consumer === consumer);
      return {
        role: role.role,
        ...(consumer ? { consumer } : {}),
        managed: role.recorded || request !== undefined,
        ...(request ? { request: toAccessRequest(request) } : {}),
      };
    });
    const pending = await store.list({ port: port.ref, status: 'requested' });
    return { readers, pending: pending.map(toAccessRequest) };
  }

  /**
   * The caller's requests, and the ports their groups' roles and the roles of
   * the products they own can read, each with the consumer it is read through.
   */
  async mine(credentials: UserCredentials): Promise<MyAccess> {
    const { catalog, store, warehouse } = this.options;
    const user = normalizeRef(credentials.principal.userEntityRef);
    const requests = await store.list({ requester: user });
    const groups = await catalog.groupsOf(user, credentials);
    const products = await catalog.productsOwnedBy(
      [user, ...groups],
      credentials,
    );
    const consumers: AccessConsumer[] = [
      ...groups.map(ref => {
        const { name, namespace } = parseEntityRef(ref);
        return { kind: 'group' as const, name, namespace };
      }),
      ...products.map(product => product.name),
    ];
    const readable = await warehouse.readable(consumers);
    const ports = await catalog.portRefs(readable, credentials);
    return {
      requests: requests.map(toAccessRequest),
      readable: readable.map(r => ({
        port:
          ports.get(`${r.product}/${r.port}`) ??
          normalizeRef(
            outputPortEntityRef(outputPortEntityName(r.product, r.port)),
          ),
        via: r.consumer.startsWith('group:')
          ? r.consumer
          : products.find(p => p.name === r.consumer)!.ref,
      })),
    };
  }

  /** The port's readers; none when it is not provisioned. */
  private async readers(
    product: string,
    port: string,
  ): Promise<PortReaderRole[]> {
    try {
      return await this.options.warehouse.readers(product, port);
    } catch (error) {
      if (isError(error) && error.name === 'NotFoundError') {
        return [];
      }
      throw error;
    }
  }
}
