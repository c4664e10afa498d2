import { Knex } from 'knex';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { isDirectMember } from './catalog';
import {
  CheckedGroup,
  checkGroup,
  GroupConsumer,
  planGroupAccessChange,
} from './groupRoles';
import { productLock, RunLocks } from './locks';
import { Metadata } from './metadata';
import { RunnableStep, runSteps } from './runner';
import { EngineRuns } from './runs';
import { checkEntityName } from './spec';
import { checkIdentifier, escapeIdentifier } from './sql';

/**
 * Who gets read access: a consumer data product, by name (a string, or
 * `{ kind: 'dataproduct', name }`), or a catalog Group, whose NOLOGIN role
 * administrators grant to the group's logins.
 */
export type AccessConsumer =
  | string
  | { kind: 'dataproduct'; name: string }
  | GroupConsumer;

/** A consumer's read access to one port of another product. */
export interface AccessGrant {
  product: string;
  port: string;
  consumer: AccessConsumer;
}

/** An access grant, validated, with its consumer resolved. */
export type CheckedAccessGrant = {
  product: string;
  port: string;
  /** How messages name the consumer: the product's name or the group's ref. */
  consumerName: string;
} & (
  | { consumer: { kind: 'dataproduct'; name: string } }
  | { consumer: { kind: 'group'; group: CheckedGroup } }
);

/** Validates a consumer, naming the bad value; a group's role name is made with `prefix`. */
export function checkConsumer(
  consumer: AccessConsumer,
  prefix: string,
): CheckedAccessGrant['consumer'] {
  if (typeof consumer === 'string' || consumer?.kind === 'dataproduct') {
    const name = typeof consumer === 'string' ? consumer : consumer.name;
    return {
      kind: 'dataproduct',
      name: checkEntityName(name, 'consumer data product name'),
    };
  }
  if (consumer?.kind === 'group') {
    return { kind: 'group', group: checkGroup(consumer, prefix) };
  }
  throw new InputError(
    `Invalid consumer ${JSON.stringify(
      consumer,
    )}: give a data product name, { kind: 'dataproduct', name } or { kind: 'group', name, namespace }`,
  );
}

/**
 * Validates an access grant before any SQL runs, naming the bad value; a
 * group's role name is made with the engine's role `prefix`.
 */
export function checkAccessGrant(
  request: AccessGrant,
  prefix: string,
): CheckedAccessGrant {
  const product = checkEntityName(request.product, 'data product name');
  const port = checkIdentifier(request.port, 'output port name');
  const consumer = checkConsumer(request.consumer, prefix);
  if (consumer.kind === 'group') {
    return { product, port, consumer, consumerName: consumer.group.ref };
  }
  if (product === consumer.name) {
    throw new InputError(
      `Data product '${product}' cannot be its own consumer`,
    );
  }
  return { product, port, consumer, consumerName: consumer.name };
}

/**
 * What a change of access does: the port's reader role, the consumer's role,
 * and the steps (none when the consumer already holds, or lacks, the reader
 * role).
 */
export interface AccessPlan {
  reader: string;
  member: string;
  steps: RunnableStep[];
}

/**
 * The step that grants (or revokes) the consumer product's role the port's
 * reader role, or none when the consumer already holds (or lacks) it.
 */
async function planProductAccessChange(
  trx: Knex.Transaction,
  request: { product: string; port: string; consumer: string },
  change: 'grant' | 'revoke',
): Promise<AccessPlan> {
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
  const roles = { reader: row.reader_role, member: consumerRow.role_name };
  const reader = escapeIdentifier(row.reader_role);
  const consumerRole = escapeIdentifier(consumerRow.role_name);
  if (change === 'grant' && !held) {
    return {
      ...roles,
      steps: [
        {
          id: `grant:${product}/${port}:${consumer}`,
          description: `Grant ${consumer} read access to ${product}/${port}`,
          statements: [{ sql: `GRANT ${reader} TO ${consumerRole}` }],
          record: () => meta.insertGrant(product, port, consumer),
        },
      ],
    };
  }
  if (change === 'revoke' && held) {
    return {
      ...roles,
      steps: [
        {
          id: `revoke:${product}/${port}:${consumer}`,
          description: `Revoke ${consumer}'s read access to ${product}/${port}`,
          statements: [{ sql: `REVOKE ${reader} FROM ${consumerRole}` }],
          record: () => meta.deleteGrant(product, port, consumer),
        },
      ],
    };
  }
  return { ...roles, steps: [] };
}

/** The step that grants (or revokes) the consumer the port's reader role, or none when nothing changes. */
export function planAccessChange(
  trx: Knex.Transaction,
  request: CheckedAccessGrant,
  change: 'grant' | 'revoke',
): Promise<AccessPlan> {
  const { product, port, consumer } = request;
  if (consumer.kind === 'group') {
    return planGroupAccessChange(
      trx,
      { product, port, group: consumer.group },
      change,
    );
  }
  return planProductAccessChange(
    trx,
    { product, port, consumer: consumer.name },
    change,
  );
}

/** The locks a change of access takes: the port's product, and a consumer product. */
function accessLocks(request: CheckedAccessGrant): RunLocks {
  return {
    exclusive:
      request.consumer.kind === 'group'
        ? [productLock(request.product)]
        : [productLock(request.product), productLock(request.consumer.name)],
  };
}

/**
 * Grants or revokes a consumer's read access in one transaction, serialised
 * per product. A REVOKE that leaves the membership in place (PostgreSQL only
 * revokes what the engine's user granted) fails, naming who still holds it.
 */
export async function changeAccess(
  runs: EngineRuns,
  prefix: string,
  request: AccessGrant,
  change: 'grant' | 'revoke',
): Promise<{ changed: boolean }> {
  const checked = checkAccessGrant(request, prefix);
  const { product, port, consumerName } = checked;
  return runs.change(
    `${
      change === 'grant' ? 'Granting' : 'Revoking'
    } ${consumerName}'s read access to ${product}/${port}`,
    accessLocks(checked),
    async (trx, control) => {
      const { reader, member, steps } = await planAccessChange(
        trx,
        checked,
        change,
      );
      await runSteps(trx, steps, { control });
      if (change === 'revoke' && steps.length > 0) {
        const grantors = await trx.raw(
          `SELECT g.rolname FROM pg_catalog.pg_auth_members m
             JOIN pg_catalog.pg_roles r ON r.oid = m.roleid
             JOIN pg_catalog.pg_roles u ON u.oid = m.member
             JOIN pg_catalog.pg_roles g ON g.oid = m.grantor
            WHERE r.rolname = ? AND u.rolname = ? ORDER BY 1`,
          [reader, member],
        );
        if (grantors.rows.length > 0) {
          throw new ConflictError(
            `${consumerName} still reads ${product}/${port}: role '${member}' was made a member of '${reader}' by ${grantors.rows
              .map((r: { rolname: string }) => `'${r.rolname}'`)
              .join(
                ', ',
              )}, not by the portal. Revoke it in PostgreSQL as that role.`,
          );
        }
      }
      return { changed: steps.length > 0 };
    },
  );
}
