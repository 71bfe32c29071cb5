/**
 * One Convene server: HTTP API, static client, sync endpoint, auth, storage and
 * workflow actors in one Node process. `main.ts` starts it from the
 * environment; tests start it on port 0 with a temporary data directory.
 */
import { createServer, type Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Auth } from './auth.ts';
import { openDb } from './db.ts';
import { SqliteDocStorage } from './docStorage.ts';
import { sendError, sendJson } from './http/http.ts';
import { apiRouter } from './api/routes.ts';
import { createLogger, type Level, type Logger } from './log.ts';
import { seedDemo, type DemoSeed } from './seed.ts';
import { staticFiles } from './static.ts';
import { Store } from './store.ts';
import { SyncEndpoint } from './sync/endpoint.ts';
import { Rooms } from './sync/rooms.ts';
import { hashToken, newToken } from './tokens.ts';
import { WorkflowRunner } from './workflow/runner.ts';

export interface ConveneOptions {
  dataDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** When set, the admin token; otherwise one is generated on first start and stored hashed. */
  adminToken?: string;
  /** The built client; nothing is served for app routes when absent. */
  staticDir?: string;
  /** Create the demo initiative when the data directory is new (default true). */
  demo?: boolean;
  publicUrl?: string;
  log?: Logger | Level | 'silent';
  /** How long an empty room stays loaded (ms). */
  unloadDelayMs?: number;
}

export interface Convene {
  url: string;
  port: number;
  server: Server;
  rooms: Rooms;
  /** Set on first start: the generated admin token, shown once. */
  generatedAdminToken?: string;
  /** Set when this start created the demo initiative. */
  demo?: DemoSeed & { leadUrl: string };
  close(): Promise<void>;
}

export async function startConvene(options: ConveneOptions): Promise<Convene> {
  const log = typeof options.log === 'object' ? options.log : createLogger(options.log ?? 'info');
  mkdirSync(options.dataDir, { recursive: true });
  const db = openDb(options.dataDir);
  const store = new Store(db);
  const isNew = store.getSetting('created_at') === undefined;
  if (isNew) store.setSetting('created_at', new Date().toISOString());

  let generatedAdminToken: string | undefined;
  let adminHash = options.adminToken ? hashToken(options.adminToken) : store.getSetting('admin_token_hash');
  if (!adminHash) {
    generatedAdminToken = newToken();
    adminHash = hashToken(generatedAdminToken);
    store.setSetting('admin_token_hash', adminHash);
  }

  const auth = new Auth(store, adminHash);
  const docs = new SqliteDocStorage(db);
  const rooms = new Rooms(docs, options.unloadDelayMs);
  const workflows = new WorkflowRunner(store, log);
  const api = apiRouter({ store, auth, workflows, publicUrl: options.publicUrl });
  const serveStatic = options.staticDir ? staticFiles(options.staticDir) : null;
  const sync = new SyncEndpoint({ auth, store, rooms, log });

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/healthz') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      const route = api.match(req.method ?? 'GET', url.pathname);
      if (route) return await route.handler({ req, res, params: route.params, url });
      if (url.pathname.startsWith('/api/')) return sendJson(res, 404, { error: 'No such API route.' });
      if (serveStatic?.(req, res, url.pathname)) return;
      sendJson(res, 404, { error: 'Not found.' });
    } catch (error) {
      if (!(error instanceof Error) || !('status' in error)) log.error({ err: String(error) }, 'request failed');
      if (!res.headersSent) sendError(res, error);
      else res.end();
    }
  });
  server.on('upgrade', (req, socket, head) => {
    if (!sync.handleUpgrade(req, socket, head)) socket.destroy();
  });

  const seeded = isNew && options.demo !== false ? seedDemo(store, docs, workflows) : undefined;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log.info({ url }, 'listening');

  return {
    url,
    port,
    server,
    rooms,
    generatedAdminToken,
    demo: seeded && { ...seeded, leadUrl: `${(options.publicUrl ?? url).replace(/\/+$/, '')}/join/${seeded.leadToken}` },
    close: async () => {
      sync.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      rooms.closeAll();
      workflows.stop();
      db.close();
    },
  };
}
