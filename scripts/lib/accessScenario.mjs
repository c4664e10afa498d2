// The demo's access governance scene: a Marketing user asks to read a Sales
// port for the Marketing group, a Sales user approves, and the warehouse is
// asked whether the GRANT really happened. Each person signs in with the
// development sign-in (auth.providers.demoUsers), so each call carries that
// person's token and the real permission policy decides.
import pg from 'pg';

/** The development sign-in provider and the header that names the user. */
const DEMO_USERS_PROVIDER = 'demoUsers';
const DEMO_USER_HEADER = 'x-portal-user';

/** Who plays which part, and what is asked for. */
export const ACCESS_SCENE = {
  consumerUser: 'user:default/mark.marketing',
  ownerUser: 'user:default/ana.sales',
  consumer: 'group:default/marketing',
  port: 'outputport:default/sales-erp-orders-orders',
  table: 'sales_erp.orders',
  purpose: 'Campaign planning: which customers ordered in the last quarter',
};

/** `default/<name>` of an OutputPort ref, as the port routes take it. */
const portPath = ref => ref.replace(/^outputport:/, '');

/**
 * Signs in as a demo user through the development sign-in; resolves with
 * their Backstage token.
 */
async function signInAs({ request, DemoError }, userRef) {
  const { body } = await request(
    'GET',
    `/api/auth/${DEMO_USERS_PROVIDER}/refresh`,
    { headers: { [DEMO_USER_HEADER]: userRef } },
  );
  const token = body?.backstageIdentity?.token;
  if (!token) {
    throw new DemoError(
      `the development sign-in returned no token for ${userRef}: is auth.providers.${DEMO_USERS_PROVIDER} configured with auth.environment development?`,
    );
  }
  return token;
}

/** The consumer's open request for the port (requested or granted), if there is one. */
async function openRequest({ request }, token) {
  const { body } = await request(
    'GET',
    `/api/data-products/access-requests?${new URLSearchParams({
      port: ACCESS_SCENE.port,
      consumer: ACCESS_SCENE.consumer,
    })}`,
    { token },
  );
  return body.items.find(r => ['requested', 'granted'].includes(r.status));
}

/** What pg_auth_members says the consumer's role is a member of, among the roles that can read the table. */
async function readerMemberships(connection, consumerRole) {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT r.rolname AS reader
         FROM pg_auth_members m
         JOIN pg_roles r ON r.oid = m.roleid
         JOIN pg_roles c ON c.oid = m.member
        WHERE c.rolname = $1::name
          AND has_table_privilege(r.oid, $2::text, 'SELECT')`,
      [consumerRole, ACCESS_SCENE.table],
    );
    const { rows: can } = await client.query(
      `SELECT has_table_privilege($1::name, $2::text, 'SELECT') AS can_select`,
      [consumerRole, ACCESS_SCENE.table],
    );
    return { readers: rows.map(r => r.reader), canSelect: can[0].can_select };
  } finally {
    await client.end();
  }
}

/**
 * Runs the scene and prints each step; throws a DemoError when a step does
 * not turn out as it should. Run again, it first revokes the grant the last
 * run made, so the whole cycle shows each time.
 */
export async function runAccessScenario(demo) {
  const { request, say, DemoError, warehouseConnection } = demo;
  const { consumerUser, ownerUser, consumer, port, purpose } = ACCESS_SCENE;
  say('\nAccess governance: request, approve, GRANT');
  const consumerToken = await signInAs(demo, consumerUser);
  const ownerToken = await signInAs(demo, ownerUser);
  say(`  signed in as ${consumerUser} (Marketing) and ${ownerUser} (Sales)`);

  const earlier = await openRequest(demo, consumerToken);
  if (earlier?.status === 'granted') {
    await request(
      'POST',
      `/api/data-products/access-requests/${earlier.id}/revoke`,
      { token: ownerToken, body: { note: 'The demo starts over' } },
    );
    say(`  revoked the grant of an earlier run (request ${earlier.id})`);
  }
  const asked =
    earlier?.status === 'requested'
      ? earlier
      : (
          await request('POST', '/api/data-products/access-requests', {
            token: consumerToken,
            body: { port, consumer, purpose },
          })
        ).body;
  say(`  ${consumerUser} asks read access to ${port} for ${consumer}`);
  say(`    request ${asked.id}: ${asked.status}`);
  if (asked.status !== 'requested') {
    throw new DemoError(
      `the request for a restricted port should wait for an owner, but it is ${asked.status}`,
    );
  }

  const { body: access } = await request(
    'GET',
    `/api/data-products/ports/${portPath(port)}/access`,
    { token: ownerToken },
  );
  if (!access.pending.some(r => r.id === asked.id)) {
    throw new DemoError(
      `${ownerUser} does not see request ${asked.id} among the pending requests of ${port}`,
    );
  }
  say(`  ${ownerUser} sees it pending on the port's Access card`);

  const { body: approved } = await request(
    'POST',
    `/api/data-products/access-requests/${asked.id}/approve`,
    { token: ownerToken, body: { note: 'Approved for campaign planning' } },
  );
  say(
    `  ${ownerUser} approves: ${approved.status} (${approved.outcome ?? ''})`,
  );
  if (approved.status !== 'granted') {
    throw new DemoError(
      `approving request ${asked.id} ended ${approved.status}: ${approved.outcome}`,
    );
  }

  const { body: after } = await request(
    'GET',
    `/api/data-products/ports/${portPath(port)}/access`,
    { token: consumerToken },
  );
  const reader = after.readers.find(r => r.consumer === consumer);
  if (!reader) {
    throw new DemoError(
      `${consumer} is not among the readers of ${port} after the approval`,
    );
  }
  const { readers, canSelect } = await readerMemberships(
    warehouseConnection(),
    reader.role,
  );
  if (readers.length === 0 || !canSelect) {
    throw new DemoError(
      `pg_auth_members: ${reader.role} is a member of no role that reads ${ACCESS_SCENE.table}`,
    );
  }
  say(
    `  pg_auth_members: ${reader.role} is a member of ${readers.join(
      ', ',
    )}, and can SELECT from ${ACCESS_SCENE.table}`,
  );
}
