/**
 * Starts one Convene server for the whole e2e run: a free port, a fresh data
 * directory, a random admin token and no demo data (scripts/serverProcess.ts).
 * Exposes BASE_URL, ADMIN_TOKEN and ADMIN_SIGN_IN_URL to the tests through process.env (workers
 * inherit it) and answers the teardown that stops the server and removes the data.
 * E2E_SERVER_LOG=1 copies the server's log to ours.
 */
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServerProcess } from '../../scripts/serverProcess.ts';

const root = resolve(fileURLToPath(import.meta.url), '../../..');

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(join(root, 'dist', 'index.html'))) {
    throw new Error('dist/index.html is missing: run npm run build first, then the e2e tests.');
  }
  const server = await startServerProcess({
    logLevel: process.env.LOG_LEVEL ?? 'warn',
    echoErrors: !!process.env.E2E_SERVER_LOG,
  });
  process.env.BASE_URL = server.url;
  process.env.ADMIN_TOKEN = server.adminToken;
  // The admin sign-in link printed at start works once: test/e2e/people.spec.ts signs in with it.
  process.env.ADMIN_SIGN_IN_URL = (await server.adminSignInUrl) ?? '';

  return async () => {
    await server.stop(5_000);
    rmSync(server.dataDir, { recursive: true, force: true });
  };
}
