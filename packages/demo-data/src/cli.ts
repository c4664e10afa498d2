/* Loads the scenario's source tables: `./portal seed [--customers N] [--reset]`. */
import knexFactory from 'knex';
import { DEFAULT_CUSTOMERS, seedSourceData } from './seed';

function parseArgs(argv: string[]) {
  let customers = DEFAULT_CUSTOMERS;
  let reset = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--reset') {
      reset = true;
    } else if (arg === '--customers' || arg.startsWith('--customers=')) {
      const value = arg.includes('=') ? arg.split('=')[1] : argv[++i];
      customers = Number(value);
      if (!Number.isInteger(customers) || customers < 1) {
        throw new Error(`--customers takes a whole number of customers, got '${value ?? ''}'`);
      }
    } else {
      throw new Error(`unknown option '${arg}' (seed takes --customers N and --reset)`);
    }
  }
  return { customers, reset };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
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
