import { parseEntityRef } from '@backstage/catalog-model';
import type {
  AccessGrant,
  WarehouseService,
} from '@dataproducts/plugin-data-products-node';
import type { StoredAccessRequest } from './AccessRequestStore';

/** What access requests use of the warehouse engine. */
export type AccessWarehouse = Pick<
  WarehouseService,
  'grant' | 'revoke' | 'readers' | 'readable'
>;

/**
 * The warehouse grant a request stands for: the port's reader role, granted
 * to the consumer product's role or to the consumer group's role.
 */
export function warehouseGrant(request: StoredAccessRequest): AccessGrant {
  const consumer = parseEntityRef(request.consumer);
  return {
    product: request.productName,
    port: request.portName,
    consumer:
      consumer.kind === 'group'
        ? {
            kind: 'group',
            name: request.consumerName,
            namespace: consumer.namespace,
          }
        : request.consumerName,
  };
}

/** What the warehouse answered to a GRANT or REVOKE, in words for the request's outcome. */
export function describeChange(
  change: 'grant' | 'revoke',
  result: { changed: boolean },
): string {
  if (change === 'grant') {
    return result.changed
      ? 'GRANT ran: the consumer holds the reader role'
      : 'The consumer already held the reader role';
  }
  return result.changed
    ? 'REVOKE ran: the consumer no longer holds the reader role'
    : 'The consumer no longer held the reader role';
}
