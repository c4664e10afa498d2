/* Loads the scenario's source tables: `./portal seed [--customers N] [--reset]`. */
import knexFactory from 'knex';
import { parseArgs } from 'node:util';
import { DEFAULT_CUSTOMERS, seedSourceData, type SeedOptions } from './seed';
import seedCommand from './seedCommand.json';

/** Reads the options that seedCommand.json declares (the table `./portal help` prints). */
function readOptions(args: string[]): SeedOptions {
  const { values } = parseArgs({
    args,
    options: seedCommand.options as {
      customers: { type: 'string' };
      reset: { type: 'boolean' };
    },
    strict: true,
  });
  const customers =
    values.customers === undefined
      ? DEFAULT_CUSTOMERS
      : Number(values.customers);
  if (!Number.isInteger(customers) || customers < 1) {
    throw new Error(
      `--customers takes a whole number of customers, got '${values.customers}'`,
    );
  }
  return { customers, reset: values.reset === true };
}

async function main() {
  const options = readOptions(process.argv.slice(2));
  const knex = knexFactory({
    client: 'pg',
    connection: {
      host: process.env.POSTGRES_HOST,
      port: Number(process.env.POSTGRES_PORT),
      user: process.env.POSTGRES_USER,
      password: process.env.POSTGRES_PASSWORD,
      database: process.env.WAREHOUSE_DATABASE,
    },
  });
  try {
    const started = Date.now();
    const result = await seedSourceData(knex, options);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stderr.write(
      result.loaded
        ? `portal: loaded sources: ${result.customers} customers, ${result.orders} orders, ${result.shipments} shipments in ${seconds} s\n`
        : `portal: sources already loaded (${result.customers} customers); use --reset to rebuild\n`,
    );
  } finally {
    await knex.destroy();
  }
}

main().catch(error => {
  process.stderr.write(`portal: ${error.message}\n`);
  process.exit(1);
});
