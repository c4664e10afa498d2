// `./portal install`: the toolchain and the dependencies, then nothing more.
// ./portal itself fetches and installs them before any command runs, so this
// command only says so; CI runs it first, so that a failed installation is
// reported as that and not as failed tests.
import { say } from '../process.mjs';

/** Resolves with 0: the installation is done by the time it runs. */
export default async function install() {
  say('the toolchain and the dependencies are installed');
  return 0;
}
