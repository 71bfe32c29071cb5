/**
 * Starts Convene from the environment:
 * HOST (127.0.0.1), PORT (8080), DATA_DIR (./data), ADMIN_TOKEN, PUBLIC_URL,
 * CONVENE_DEMO (1; 0 skips the demo initiative), LOG_LEVEL (info).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { startConvene } from './app.ts';
import type { Level } from './log.ts';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const env = process.env;
const port = env.PORT === undefined ? 8080 : Number(env.PORT);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a number from 0 to 65535, not "${env.PORT}".`);
  process.exit(1);
}
const staticDir = resolve(root, 'dist');
if (!existsSync(resolve(staticDir, 'index.html'))) {
  console.warn('No built client in dist/: the API and sync endpoint run, but no pages are served. Run `npm run build`.');
}

const convene = await startConvene({
  dataDir: resolve(env.DATA_DIR ?? 'data'),
  host: env.HOST ?? '127.0.0.1',
  port,
  adminToken: env.ADMIN_TOKEN || undefined,
  publicUrl: env.PUBLIC_URL || undefined,
  staticDir,
  demo: env.CONVENE_DEMO !== '0',
  log: (env.LOG_LEVEL as Level | 'silent' | undefined) ?? 'info',
});

console.log(`Convene is listening on ${convene.url}`);
if (convene.generatedAdminToken) {
  console.log(`Admin token (shown once, stored hashed in ${resolve(env.DATA_DIR ?? 'data')}): ${convene.generatedAdminToken}`);
}
if (convene.demo) {
  console.log(`Demo initiative created. Sign in as its lead, Dana Whitfield: ${convene.demo.leadUrl}`);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void convene.close().then(() => process.exit(0));
  });
}
