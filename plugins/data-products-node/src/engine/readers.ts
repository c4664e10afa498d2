import { Knex } from 'knex';
import { NotFoundError } from '@backstage/errors';
import { AccessConsumer, checkConsumer } from './access';
import { groupOfComment } from './groupRoles';
import { METADATA_SCHEMA, Metadata } from './metadata';

/** A role that holds a port's reader role, as `pg_auth_members` reports it. */
export interface PortReaderRole {
  /** The PostgreSQL role. */
  role: string;
  /** The data product whose role it is. */
  product?: string;
  /** The group whose role it is (`group:<namespace>/<name>`). */
  group?: string;
  /** True when the portal recorded the grant (a product's declared input or a grant it ran). */
  recorded: boolean;
}

/** A port a consumer's role can read. */
export interface ReadablePort {
  /** The consumer as the caller named it (a product name or a group ref). */
  consumer: string;
  product: string;
  port: string;
}

type Db = Knex | Knex.Transaction;

/**
 * The condition on `pg_auth_members m` that the membership lets the member
 * read. From PostgreSQL 16 a membership can carry neither INHERIT nor SET
 * (as the one a CREATEROLE user gets on each role it creates): such a member
 * cannot use the role's privileges.
 */
async function readingMembership(db: Db): Promise<string> {
  const result = await db.raw(
    "SELECT current_setting('server_version_num')::int AS num",
  );
  return result.rows[0].num >= 160000
    ? '(m.inherit_option OR m.set_option)'
    : 'true';
}

/**
 * Who can read a port: every role that holds its reader role, read from
 * `pg_auth_members`, with the product or group each belongs to and whether
 * the portal recorded the grant. Throws a `NotFoundError` when the port is not
 * provisioned.
 */
export async function readPortReaders(
  db: Db,
  product: string,
  port: string,
): Promise<PortReaderRole[]> {
  const row = await new Metadata(db).port(product, port);
  if (!row) {
    throw new NotFoundError(
      `Output port '${port}' of data product '${product}' is not provisioned`,
    );
  }
  const result = await db.raw(
    `SELECT u.rolname AS role, p.product,
            pg_catalog.shobj_description(u.oid, 'pg_authid') AS comment,
            g.consumer IS NOT NULL AS recorded
       FROM pg_catalog.pg_auth_members m
       JOIN pg_catalog.pg_roles r ON r.oid = m.roleid
       JOIN pg_catalog.pg_roles u ON u.oid = m.member
       LEFT JOIN ${METADATA_SCHEMA}.products p ON p.role_name = u.rolname
       LEFT JOIN ${METADATA_SCHEMA}.grants g
         ON g.product = ? AND g.port = ? AND g.consumer = p.product
      WHERE r.rolname = ? AND ${await readingMembership(db)}
      ORDER BY u.rolname`,
    [product, port, row.reader_role],
  );
  return result.rows.map(
    (r: {
      role: string;
      product: string | null;
      comment: string | null;
      recorded: boolean;
    }) => {
      const group = r.product ? undefined : groupOfComment(r.comment);
      return {
        role: r.role,
        ...(r.product ? { product: r.product } : {}),
        ...(group ? { group } : {}),
        recorded: r.recorded,
      };
    },
  );
}

/**
 * The ports the consumers' roles can read directly, each with the consumer
 * as given. A consumer without a role (a product not provisioned, a group
 * that was never granted anything) reads nothing.
 */
export async function readReadablePorts(
  db: Db,
  prefix: string,
  consumers: AccessConsumer[],
): Promise<ReadablePort[]> {
  const meta = new Metadata(db);
  const byRole = new Map<string, string>();
  for (const consumer of consumers) {
    const checked = checkConsumer(consumer, prefix);
    if (checked.kind === 'group') {
      byRole.set(checked.group.role, checked.group.ref);
    } else {
      const row = await meta.product(checked.name);
      if (row) {
        byRole.set(row.role_name, checked.name);
      }
    }
  }
  if (byRole.size === 0) {
    return [];
  }
  const result = await db.raw(
    `SELECT u.rolname AS role, p.product, p.port
       FROM pg_catalog.pg_auth_members m
       JOIN pg_catalog.pg_roles r ON r.oid = m.roleid
       JOIN pg_catalog.pg_roles u ON u.oid = m.member
       JOIN ${METADATA_SCHEMA}.ports p ON p.reader_role = r.rolname
      WHERE u.rolname = ANY(?) AND ${await readingMembership(db)}
      ORDER BY p.product, p.port, u.rolname`,
    [[...byRole.keys()]],
  );
  return result.rows.map(
    (r: { role: string; product: string; port: string }) => ({
      consumer: byRole.get(r.role)!,
      product: r.product,
      port: r.port,
    }),
  );
}
