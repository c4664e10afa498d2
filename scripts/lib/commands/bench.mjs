// `./portal bench <name>`: a benchmark from bench/ on the portal's database server.
import fs from 'node:fs';
import path from 'node:path';
import { acquireDatabase, databaseEnv } from '../database.mjs';
import { PortalError, ROOT, run } from '../process.mjs';

const SCRIPT = /\.(mjs|js|ts)$/;

/**
 * Runs the benchmark named by the first positional (the others are its
 * arguments); resolves with its exit code. `scale` starts portals of its own
 * (bench/scale/run.mjs) rather than running on the portal's database server.
 */
export default async function bench({ positionals, values = {} }) {
  const [name, ...rest] = positionals;
  if (name === 'scale') {
    const { runScaleBench } = await import('../../../bench/scale/run.mjs');
    const argv = Object.entries(values).flatMap(([option, value]) =>
      value === true
        ? [`--${option}`]
        : value === false
        ? []
        : [`--${option}`, value],
    );
    try {
      return await runScaleBench([...argv, ...rest]);
    } catch (error) {
      if (error instanceof PortalError) throw error;
      throw new PortalError(`bench scale: ${error.message}`);
    }
  }
  const scripts = fs
    .readdirSync(path.join(ROOT, 'bench'))
    .filter(f => SCRIPT.test(f));
  const file = scripts.find(f => f.replace(SCRIPT, '') === name);
  if (!file) {
    throw new PortalError(
      `bench takes the name of a benchmark in bench/ (got ${
        name === undefined ? 'none' : `'${name}'`
      }): ${[...scripts.map(f => f.replace(SCRIPT, '')), 'scale'].join(', ')}`,
    );
  }
  const db = await acquireDatabase({ reuseRunning: true });
  try {
    const { host, port, user, password } = db.connection;
    const loader = file.endsWith('.ts') ? ['-r', 'sucrase/register'] : [];
    return await run(
      process.execPath,
      [...loader, path.join(ROOT, 'bench', file), ...rest],
      {
        env: {
          ...process.env,
          ...databaseEnv(db.connection),
          BENCH_DATABASE_URL: `postgresql://${encodeURIComponent(
            user,
          )}:${encodeURIComponent(password)}@${host}:${port}`,
        },
      },
    );
  } finally {
    await db.stop();
  }
}
