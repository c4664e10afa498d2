// What every portal command shares: the repository root, how to report, how
// to run a child process, and scratch folders.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);

/** The git-ignored folder of the portal's own state (toolchain, database). */
export const STATE = path.join(ROOT, '.portal');

/** Reports progress on stderr, prefixed with `portal:`. */
export const say = message => console.error(`portal: ${message}`);

/** A failure the user can act on: printed as its message, without a stack. */
export class PortalError extends Error {}

/** Runs a command, inheriting stdio; resolves with its exit code. */
export function run(command, args, options = {}) {
  return new Promise(resolve => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/**
 * Runs a command, echoing its output; resolves with its exit code and the
 * counts of its last `N passed, N failed` line, if it printed one.
 */
export function runCounting(command, args, options = {}) {
  return new Promise(resolve => {
    const child = spawn(command, args, {
      cwd: ROOT,
      stdio: ['inherit', 'pipe', 'inherit'],
      ...options,
    });
    let counts;
    let pending = '';
    child.stdout.on('data', chunk => {
      process.stdout.write(chunk);
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        const match = /(\d+) passed, (\d+) failed/.exec(line);
        if (match) counts = { passed: Number(match[1]), failed: Number(match[2]) };
      }
    });
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), counts }));
  });
}

/** A new temporary folder that the (unprivileged) PostgreSQL server can enter. */
export function scratchDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  return dir;
}
