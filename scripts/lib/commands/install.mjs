// `./portal install`: the toolchain and the dependencies, then nothing more.
// ./portal itself fetches and installs them before any command runs, so this
// command only says so; CI runs it once before the tests and the browser test
// run side by side on the same installation.
import { say } from '../process.mjs';

/** Resolves with 0: the installation is done by the time it runs. */
export default async function install() {
  say('the toolchain and the dependencies are installed');
  return 0;
}
