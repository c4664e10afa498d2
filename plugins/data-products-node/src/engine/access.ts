import { Knex } from 'knex';
import { InputError, NotFoundError } from '@backstage/errors';
import { isDirectMember } from './catalog';
import { Metadata } from './metadata';
import { RunnableStep } from './runner';
import { checkEntityName } from './spec';
import { checkIdentifier, escapeIdentifier } from './sql';

/** A consumer product's read access to one port of another product. */
export interface AccessRequest {
  product: string;
  port: string;
  consumer: string;
}

/** Validates an access request before any SQL runs, naming the bad value. */
export function checkAccessRequest(request: AccessRequest): AccessRequest {
  const product = checkEntityName(request.product, 'data product name');
  const port = checkIdentifier(request.port, 'output port name');
  const consumer = checkEntityName(
    request.consumer,
    'consumer data product name',
  );
  if (product === consumer) {
    throw new InputError(
      `Data product '${product}' cannot be its own consumer`,
    );
  }
  return { product, port, consumer };
}

/**
 * The step that grants (or revokes) the consumer's product role the port's
 * reader role, or none when the consumer already holds (or lacks) it.
 */
export async function planAccessChange(
  trx: Knex.Transaction,
  request: AccessRequest,
  change: 'grant' | 'revoke',
): Promise<RunnableStep[]> {
  const { product, port, consumer } = request;
  const meta = new Metadata(trx);
  const row = await meta.port(product, port);
  if (!row) {
    throw new NotFoundError(
      `Output port '${port}' of data product '${product}' is not provisioned`,
    );
  }
  const consumerRow = await meta.product(consumer);
  if (!consumerRow) {
    throw new NotFoundError(
      `Consumer data product '${consumer}' is not provisioned; provision it first`,
    );
  }
  const held = await isDirectMember(
    trx,
    row.reader_role,
    consumerRow.role_name,
  );
  const reader = escapeIdentifier(row.reader_role);
  const consumerRole = escapeIdentifier(consumerRow.role_name);
  if (change === 'grant' && !held) {
    return [
      {
        id: `grant:${product}/${port}:${consumer}`,
        description: `Grant ${consumer} read access to ${product}/${port}`,
        statements: [{ sql: `GRANT ${reader} TO ${consumerRole}` }],
        record: () => meta.insertGrant(product, port, consumer),
      },
    ];
  }
  if (change === 'revoke' && held) {
    return [
      {
        id: `revoke:${product}/${port}:${consumer}`,
        description: `Revoke ${consumer}'s read access to ${product}/${port}`,
        statements: [{ sql: `REVOKE ${reader} FROM ${consumerRole}` }],
        record: () => meta.deleteGrant(product, port, consumer),
      },
    ];
  }
  return [];
}
