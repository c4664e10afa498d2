// `./portal demo`: the e-commerce scenario against the running portal.
import path from 'node:path';
import { PG_DATA, databaseEnv, embeddedPort, externalDatabase } from '../database.mjs';
import { embeddedConnection } from '../postgres.mjs';
import { ROOT, run } from '../process.mjs';

/** Runs scripts/demo.mjs; resolves with its exit code. */
export default async function demo() {
  // The demo reads customer_activity from the warehouse of the running portal.
  const env = externalDatabase()
    ? process.env
    : { ...process.env, ...databaseEnv(embeddedConnection(PG_DATA, embeddedPort())) };
  return run(process.execPath, [path.join(ROOT, 'scripts/demo.mjs')], { env });
}
