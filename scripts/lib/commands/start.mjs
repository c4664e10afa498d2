// `./portal start`: the portal on http://localhost:7007 until interrupted.
import { launchPortal } from '../server.mjs';

/** Starts the portal and stops it (with its embedded database) on SIGINT or SIGTERM; resolves with its exit code. */
export default async function start() {
  const portal = await launchPortal();
  process.on('SIGINT', () => portal.stop('SIGINT'));
  process.on('SIGTERM', () => portal.stop('SIGTERM'));
  return portal.exited;
}
