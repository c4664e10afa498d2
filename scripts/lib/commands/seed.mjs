// `./portal seed`: the demo's source tables in the warehouse database.
import { acquireDatabase, seed } from '../database.mjs';

/** Loads the source tables on the portal's database server (`args` are the demo-data CLI's options). */
export default async function seedCommand({ args }) {
  const db = await acquireDatabase({ reuseRunning: true });
  try {
    await seed(db.connection, args);
  } finally {
    await db.stop();
  }
  return 0;
}
