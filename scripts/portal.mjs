// The portal's commands: one table that `./portal help` prints and that
// node:util's parseArgs reads each command's arguments with. ./portal runs
// this file with any Node 20+ to answer help (before the toolchain and the
// dependencies exist), and with Node 22 and the dependencies for the rest, so
// a command's implementation is imported only when that command runs.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PortalError, ROOT, say } from './lib/process.mjs';

/** The seed command is the demo-data CLI's: its summary and options live beside it. */
const seedCommand = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'packages/demo-data/src/seedCommand.json'), 'utf8'),
);

/**
 * Every command. `options` are parseArgs options (with a `description`, and a
 * `valueName` for those that take a value); `positionals` names the arguments
 * a command takes; `passThrough` names what a command hands on unread.
 * Each one but help is implemented by lib/commands/<name>.mjs.
 */
const COMMANDS = {
  install: { summary: 'fetch the toolchain when the machine lacks it and install the dependencies, then stop' },
  start: {
    summary: 'start the portal on http://localhost:7007 (embedded PostgreSQL unless POSTGRES_HOST is set)',
  },
  test: {
    summary:
      'lint and type check, every test against PostgreSQL 18, then the engine tests and the demo scenario again on PostgreSQL 15 (--part checks, postgres18 or postgres15: only those parts)',
    passThrough: '[--part NAME] [jest options and test paths]',
  },
  seed: seedCommand,
  demo: { summary: "run the e-commerce scenario through the running portal's REST API" },
  e2e: { summary: 'browser test in headless Chromium against a fresh portal (optionally only the given spec files, e.g. lifecycle.e2e.ts)', positionals: '[spec...]' },
  bench: {
    summary: 'run a benchmark from bench/ (e.g. "materialize"); "scale" takes the options below',
    positionals: '<name>',
    options: {
      products: { type: 'string', valueName: 'N', description: 'scale: the mesh size (required)' },
      write: { type: 'boolean', description: "scale: replace N's table in docs/performance.md" },
      screenshots: { type: 'string', valueName: 'DIR', description: 'scale: save a screenshot of the mesh view to DIR' },
      seed: { type: 'string', valueName: 'S', description: 'scale: the mesh generator seed (default 42)' },
      'idle-seconds': { type: 'string', valueName: 'S', description: 'scale: how long idle CPU is measured (default 60)' },
      concurrency: { type: 'string', valueName: 'C', description: 'scale: registrations in flight (default 8)' },
      'template-runs': { type: 'string', valueName: 'R', description: 'scale: sequential template runs timed (default 10)' },
      'ingest-minutes': { type: 'string', valueName: 'M', description: 'scale: the bound of each ingest (default 5 + N/1000)' },
    },
  },
  help: { summary: 'this text, or the help of one command', positionals: '[command]' },
};

const ENVIRONMENT = [
  ['POSTGRES_HOST, POSTGRES_PORT, POSTGRES_USER, POSTGRES_PASSWORD', 'use this PostgreSQL server instead of the embedded one'],
  ['PORTAL_PG_PORT', 'port of the embedded PostgreSQL (default 54320)'],
  ['BACKSTAGE_TEST_DATABASE_POSTGRES18_CONNECTION_STRING', 'test: use this PostgreSQL 18 server instead of a throwaway embedded one'],
  ['BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING', 'test: the same for the PostgreSQL 15 run'],
];

const COLUMN = 25;

/** `term` and its description in two columns; a long term gets a line of its own. */
function row(term, description, indent = '  ') {
  const head = `${indent}${term}`;
  return head.length < COLUMN
    ? `${head.padEnd(COLUMN)}${description}`
    : `${head}\n${' '.repeat(COLUMN)}${description}`;
}

/** How a command is called, e.g. `seed [--customers N] [--reset]`. */
function synopsis(name) {
  const { options = {}, positionals, passThrough } = COMMANDS[name];
  const flags = Object.entries(options).map(([option, { type, valueName }]) =>
    type === 'string' ? `[--${option} ${valueName ?? 'VALUE'}]` : `[--${option}]`,
  );
  return [name, ...flags, positionals, passThrough].filter(Boolean).join(' ');
}

function commandHelp(name) {
  const { summary, options = {} } = COMMANDS[name];
  return [
    row(synopsis(name), summary),
    ...Object.entries(options).map(([option, { type, valueName, description }]) =>
      row(`--${option}${type === 'string' ? ` ${valueName ?? 'VALUE'}` : ''}`, description, '      '),
    ),
  ].join('\n');
}

function usage() {
  return [
    'Usage: ./portal <command> [options]',
    '',
    ...Object.keys(COMMANDS).map(commandHelp),
    '',
    'Environment:',
    ...ENVIRONMENT.map(([names, description]) => row(names, description)),
  ].join('\n');
}

/** Reads the command line: the command, its raw arguments and what parseArgs made of them. */
function readCommandLine(argv) {
  const [given = 'help', ...args] = argv;
  const name = given === '-h' || given === '--help' ? 'help' : given;
  const command = COMMANDS[name];
  if (!command) {
    throw new PortalError(`unknown command '${given}': ./portal help lists the commands`);
  }
  if (command.passThrough) return { name, args, values: {}, positionals: [] };
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: Boolean(command.positionals),
      strict: true,
    });
    return { name, args, values, positionals };
  } catch (error) {
    if (!error.code?.startsWith('ERR_PARSE_ARGS')) throw error;
    throw new PortalError(`${name}: ${error.message.split('. ')[0]}; ./portal help ${name} shows how to call it`);
  }
}

function help([name]) {
  if (name === undefined) {
    console.log(usage());
  } else if (COMMANDS[name]) {
    console.log(commandHelp(name));
  } else {
    throw new PortalError(`unknown command '${name}': ./portal help lists the commands`);
  }
  return 0;
}

async function main() {
  const commandLine = readCommandLine(process.argv.slice(2));
  if (commandLine.name === 'help') return help(commandLine.positionals);
  if (commandLine.values.help) return help([commandLine.name]);
  const { default: runCommand } = await import(`./lib/commands/${commandLine.name}.mjs`);
  return runCommand(commandLine);
}

main().then(
  code => process.exit(code),
  error => {
    say(error instanceof PortalError ? error.message : error.stack || String(error));
    process.exit(1);
  },
);
