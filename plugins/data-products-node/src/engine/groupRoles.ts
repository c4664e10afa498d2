import { Knex } from 'knex';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { AccessPlan } from './access';
import { isDirectMember } from './catalog';
import { Metadata } from './metadata';
import { RunnableStep } from './runner';
import { checkEntityName } from './spec';
import { boundedName, escapeIdentifier, escapeLiteral } from './sql';

/** A catalog Group that consumes ports through a NOLOGIN role of its own. */
export interface GroupConsumer {
  kind: 'group';
  /** The Group entity's name. */
  name: string;
  /** The Group entity's namespace; `default` when absent. */
  namespace?: string;
}

/** A group, validated, with its ref and role. */
export interface CheckedGroup {
  /** `group:<namespace>/<name>`, lower case as the catalog compares refs. */
  ref: string;
  role: string;
}

/**
 * What the comment on a group's role says. The portal only grants to a role
 * that carries the comment for the same group: two groups whose names map to
 * one role name, or a role made for something else, are refused.
 */
const COMMENT_PREFIX = 'Data product portal role of ';

/** The comment the portal puts on the role of the group with this ref. */
export function groupRoleComment(ref: string): string {
  return `${COMMENT_PREFIX}${ref}`;
}

/** The group ref a role's comment names, when it is one of the portal's group roles. */
export function groupOfComment(comment: string | null): string | undefined {
  return comment?.startsWith(COMMENT_PREFIX)
    ? comment.slice(COMMENT_PREFIX.length)
    : undefined;
}

/**
 * Validates a group consumer and names its role: `<prefix>grp_<name>` with
 * the name in lower case and `-` and `.` written as `_`
 * (`<prefix>grp_<namespace>__<name>` outside the default namespace), cut to
 * 63 bytes with a hash like the other role names.
 */
export function checkGroup(group: GroupConsumer, prefix: string): CheckedGroup {
  const name = checkEntityName(group.name, 'group name').toLocaleLowerCase(
    'en-US',
  );
  const namespace = checkEntityName(
    group.namespace ?? 'default',
    'group namespace',
  ).toLocaleLowerCase('en-US');
  const slug = (value: string) => value.replace(/[-.]/g, '_');
  const role =
    namespace === 'default'
      ? `${prefix}grp_${slug(name)}`
      : `${prefix}grp_${slug(namespace)}__${slug(name)}`;
  return { ref: `group:${namespace}/${name}`, role: boundedName(role) };
}

/** The comment on a role and whether it can log in, or undefined when there is no such role. */
async function readRole(
  db: Knex | Knex.Transaction,
  role: string,
): Promise<{ comment: string | null; canLogin: boolean } | undefined> {
  const result = await db.raw(
    `SELECT pg_catalog.shobj_description(oid, 'pg_authid') AS comment, rolcanlogin AS "canLogin"
       FROM pg_catalog.pg_roles WHERE rolname = ?`,
    [role],
  );
  return result.rows[0];
}

/**
 * The steps that make a group's role when it is missing: a NOLOGIN role
 * (administrators grant it to the group's logins) marked with the group's
 * ref. An existing role is used only when it is this group's. Serialised per
 * role by an advisory lock, so two grants to one new group create it once.
 */
export async function planGroupRole(
  trx: Knex.Transaction,
  group: CheckedGroup,
): Promise<RunnableStep[]> {
  await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [
    `dataproducts:group-role:${group.role}`,
  ]);
  const existing = await readRole(trx, group.role);
  if (!existing) {
    const role = escapeIdentifier(group.role);
    return [
      {
        id: `group-role:${group.ref}`,
        description: `Create role ${group.role} for ${group.ref}`,
        statements: [
          { sql: `CREATE ROLE ${role} NOLOGIN` },
          {
            sql: `COMMENT ON ROLE ${role} IS ${escapeLiteral(
              groupRoleComment(group.ref),
            )}`,
          },
        ],
      },
    ];
  }
  const owner = groupOfComment(existing.comment);
  if (owner === group.ref && !existing.canLogin) {
    return [];
  }
  if (owner && owner !== group.ref) {
    throw new ConflictError(
      `The role '${group.role}' of ${group.ref} is already the role of ${owner}: their names map to the same role. Rename one of the groups in the catalog.`,
    );
  }
  throw new ConflictError(
    `Role '${group.role}' exists but is not the portal's NOLOGIN role of ${group.ref}. ` +
      `Drop it, or, if it is meant for that group, make it NOLOGIN and run COMMENT ON ROLE ${escapeIdentifier(
        group.role,
      )} IS ${escapeLiteral(groupRoleComment(group.ref))}.`,
  );
}

/**
 * The step that grants (or revokes) the group's role the port's reader role,
 * or none when it already holds (or lacks) it. Group grants live in the
 * warehouse alone: `pg_auth_members` is their record.
 */
export async function planGroupAccessChange(
  trx: Knex.Transaction,
  request: { product: string; port: string; group: CheckedGroup },
  change: 'grant' | 'revoke',
): Promise<AccessPlan> {
  const { product, port, group } = request;
  const row = await new Metadata(trx).port(product, port);
  if (!row) {
    throw new NotFoundError(
      `Output port '${port}' of data product '${product}' is not provisioned`,
    );
  }
  const roles = { reader: row.reader_role, member: group.role };
  const reader = escapeIdentifier(row.reader_role);
  const role = escapeIdentifier(group.role);
  if (change === 'grant') {
    const steps = await planGroupRole(trx, group);
    if (
      steps.length === 0 &&
      (await isDirectMember(trx, row.reader_role, group.role))
    ) {
      return { ...roles, steps: [] };
    }
    steps.push({
      id: `grant:${product}/${port}:${group.ref}`,
      description: `Grant ${group.ref} read access to ${product}/${port}`,
      statements: [{ sql: `GRANT ${reader} TO ${role}` }],
    });
    return { ...roles, steps };
  }
  if (!(await isDirectMember(trx, row.reader_role, group.role))) {
    return { ...roles, steps: [] };
  }
  return {
    ...roles,
    steps: [
      {
        id: `revoke:${product}/${port}:${group.ref}`,
        description: `Revoke ${group.ref}'s read access to ${product}/${port}`,
        statements: [{ sql: `REVOKE ${reader} FROM ${role}` }],
      },
    ],
  };
}
