/**
 * Starts Convene from the environment:
 * HOST (127.0.0.1), PORT (8080), DATA_DIR (./data), ADMIN_TOKEN, PUBLIC_URL,
 * CONVENE_DEMO (1; 0 skips the demo initiative), LOG_LEVEL (info), and the sync
 * limits of docs/sync.md: ROOM_UNLOAD_DELAY_MS, SYNC_MAX_FRAME_BYTES,
 * SYNC_MESSAGES_PER_SECOND, SYNC_MESSAGE_BURST, SYNC_BYTES_PER_SECOND, SYNC_BYTE_BURST;
 * STATIC_DIR (the built client, dist/ of the checkout by default); DATABASE_URL
 * (postgres://…: every store in PostgreSQL) and REDIS_URL (redis://…: several
 * processes serve the same rooms), docs/deploy.md.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { ACCESS } from '../src/contract/index.ts';
import { startConvene, type Convene } from './app.ts';
import { createLogger, type Level } from './log.ts';
import { scaleOutFrom, type ScaleOut } from './scaleOut.ts';

// The checkout: the nearest directory above this file with a package.json, whether
// tsx runs server/main.ts or Node the compiled dist-server/server/main.js.
let root = resolve(fileURLToPath(import.meta.url), '..');
while (!existsSync(resolve(root, 'package.json')) && dirname(root) !== root) root = dirname(root);
const env = process.env;
const port = env.PORT === undefined ? 8080 : Number(env.PORT);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a number from 0 to 65535, not "${env.PORT}".`);
  process.exit(1);
}
/** A non-negative number from the environment, or undefined when unset. */
function envNumber(name: string): number | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`${name} must be a non-negative number, not "${value}".`);
    process.exit(1);
  }
  return n;
}
const limits = Object.fromEntries(
  Object.entries({
    maxFrameBytes: envNumber('SYNC_MAX_FRAME_BYTES'),
    messagesPerSecond: envNumber('SYNC_MESSAGES_PER_SECOND'),
    messageBurst: envNumber('SYNC_MESSAGE_BURST'),
    bytesPerSecond: envNumber('SYNC_BYTES_PER_SECOND'),
    byteBurst: envNumber('SYNC_BYTE_BURST'),
  }).filter(([, v]) => v !== undefined),
);

/** How long a stop waits for websockets to close after 1012 (2 s by default); the process exits at the latest 8 s after it. */
const drainMs = envNumber('SHUTDOWN_DRAIN_MS');

const staticDir = env.STATIC_DIR ? resolve(env.STATIC_DIR) : resolve(root, 'dist');
if (!existsSync(resolve(staticDir, 'index.html'))) {
  console.warn(
    `No built client in ${staticDir}: the API and sync endpoint run, but no pages are served. Run \`npm run build\`.`,
  );
}

const log = createLogger((env.LOG_LEVEL as Level | 'silent' | undefined) ?? 'info');
let scaleOut: ScaleOut;
try {
  scaleOut = await scaleOutFrom(env, log);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

let convene: Convene;
try {
  convene = await startConvene({
    dataDir: resolve(env.DATA_DIR ?? 'data'),
    host: env.HOST ?? '127.0.0.1',
    port,
    adminToken: env.ADMIN_TOKEN || undefined,
    publicUrl: env.PUBLIC_URL || undefined,
    staticDir,
    demo: env.CONVENE_DEMO !== '0',
    log,
    unloadDelayMs: envNumber('ROOM_UNLOAD_DELAY_MS'),
    drainMs,
    limits,
    stores: scaleOut.stores,
    lock: scaleOut.stores?.lock,
    fanout: scaleOut.fanout,
    readyChecks: scaleOut.readyChecks,
  });
} catch (error) {
  // Another process holds the SQLite data directory, or its lock file is unusable (server/dataDirLock.ts): say so in its sentence, not a stack.
  // By name: importing the class would load SQLite's driver into a process on PostgreSQL too.
  if (!(error instanceof Error && (error.name === 'DataDirInUseError' || error.name === 'DataDirLockError'))) throw error;
  console.error(error.message);
  process.exit(1);
}

// Before anything is printed: a supervisor that stops the process as soon as it says it listens gets a clean stop.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    // Close sockets with 1012 and flush storage; never hang on the way out.
    setTimeout(() => process.exit(1), Math.max(10_000, (drainMs ?? 0) + 8_000)).unref();
    void convene.close().then(() => process.exit(0));
  });
}

console.log(`Convene is listening on ${convene.url}`);
const valid = `single use, valid ${ACCESS.inviteDays} days`;
console.log(`Admin sign-in link (${valid}; a new one at every start): ${convene.adminSignInUrl}`);
if (convene.generatedAdminToken) {
  console.log(
    `Admin token (shown once, stored hashed in ${env.DATABASE_URL ? 'the database' : resolve(env.DATA_DIR ?? 'data')}): ${convene.generatedAdminToken}`,
  );
}
if (convene.demo) {
  const demo = convene.demo;
  console.log(
    [
      `Demo initiatives created: a city partnership and its two sub-initiatives, all three led by Dana Whitfield.`,
      `Sign in as her by opening these links in the same browser (each ${valid}; one holds one membership):`,
      `  the partnership (its portfolio shows the tree): ${demo.parentLeadUrl}`,
      `  the county coalition: ${demo.leadUrl}`,
      `  the mental health network: ${demo.siblingLeadUrl}`,
    ].join('\n'),
  );
}

