/**
 * One Convene server: HTTP API, static client, sync endpoint, auth, storage and
 * workflow actors in one Node process. `main.ts` starts it from the
 * environment; tests start it on port 0 with a temporary data directory.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACCESS, can, refusalFor } from '../src/contract/index.ts';
import { Auth, instanceRole } from './auth.ts';
import { AccessWatch, type AccessWatchTiming } from './people/watch.ts';
import { OnlineAcross } from './people/onlineAcross.ts';
import { Metrics } from './metrics.ts';
import { HttpError, sendError, sendJson } from './http/http.ts';
import { apiRouter } from './api/routes.ts';
import { createLogger, type Level, type Logger } from './log.ts';
import type { DemoSeed } from './seed.ts';
import { staticFiles } from './static.ts';
import { serveReadiness, type ReadinessCheck } from './health.ts';
import type { Stores } from './stores.ts';
import type { DocStorage } from './storage/types.ts';
import { LocalDecisionLock, reentrant, type DecisionLock } from './lock.ts';
import { answerUpgrade, SyncEndpoint } from './sync/endpoint.ts';
import { Rooms } from './sync/rooms.ts';
import type { RoomOptions } from './sync/room.ts';
import type { SyncLimits } from './sync/limits.ts';
import type { EventChannel, Fanout } from './sync/fanout.ts';
import { relayInitiativeEvents } from './events/relay.ts';
import type { RoomLinkOptions } from './sync/roomLink.ts';
import { hashToken, newToken } from './tokens.ts';
import { WorkflowRunner } from './workflow/runner.ts';
import { FrameworkVersions } from './framework/service.ts';
import { MeasureService } from './measures/service.ts';
import { migrateOnLoad } from './measures/migrate.ts';
import { WorkshopRunner } from './workshops/runner.ts';
import { PortfolioService, type PortfolioDeps } from './portfolio/service.ts';

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
  /** Sync frame size and flood limits (docs/sync.md). */
  limits?: Partial<SyncLimits>;
  /** Compaction thresholds and presence cap. */
  room?: Omit<RoomOptions, 'hooks' | 'link'> & { link?: Omit<RoomLinkOptions, 'fanout'> };
  /**
   * Where everything is kept: by default every store in the SQLite file of
   * `dataDir` (`openSqliteStores`). The server closes them when it closes.
   */
  stores?: Stores;
  /** Other server processes serving the same rooms (a RedisFanout, docs/sync.md); closed with the server. */
  fanout?: Fanout;
  /**
   * Where the other processes hear of this one's decisions, and it of theirs,
   * for their event streams (server/events/relay.ts): the fanout's events
   * channel when it has one (a RedisFanout), unless another is given.
   */
  events?: EventChannel;
  /** Where documents live, when not in `stores.docs` (tests hold a load back with it). */
  storage?: DocStorage;
  /**
   * What serialises the decisions of one initiative (workflow events, workshop
   * commands, membership changes); one queue per initiative in this process by
   * default. Servers sharing one database pass one that spans processes.
   */
  lock?: DecisionLock;
  /** How the portfolio schedules its recomputations (tests drive it by hand), and their delay (ms). */
  portfolio?: Pick<PortfolioDeps, 'schedule' | 'delayMs' | 'jitterMs'>;
  /** The time (ms) every expiry, audit entry and rate-limit window goes by; `Date.now` by default. Tests pass one they control. */
  clock?: () => number;
  /** Readiness checks beside the database's (`/readyz`, server/health.ts): Redis's, or a test's. */
  readyChecks?: ReadinessCheck[];
  /** How long a stopping server waits for its websockets to close after 1012 before it cuts them (ms; 2,000 by default). */
  drainMs?: number;
  /** When live connections' access is looked up again without being asked (server/people/watch.ts); tests drive it by hand. */
  accessWatch?: AccessWatchTiming;
}

export interface Convene {
  url: string;
  port: number;
  server: Server;
  rooms: Rooms;
  /**
   * The document log this server writes. It alone may append to it: the SQLite
   * log numbers appends itself (group commit), so another writer's rows would
   * collide with its numbers. Tools and tests that write documents go through it.
   */
  docs: DocStorage;
  metrics: Metrics;
  /** The live connections and their access (for tests: who is online). */
  watch: AccessWatch;
  /** Set on first start: the generated admin token, shown once. */
  generatedAdminToken?: string;
  /** `<url>/admin#<token>`: a single-use admin sign-in link, made at every start (valid ACCESS.inviteDays days). */
  adminSignInUrl: string;
  /** Set when this start created the demo initiative: its lead's sign-in link. */
  demo?: DemoSeed & { leadUrl: string; parentLeadUrl: string; siblingLeadUrl: string };
  close(): Promise<void>;
}

/** How long an idle kept-alive HTTP connection stays open (ms): longer than the proxy keeps its own (docs/nginx.conf). */
export const KEEP_ALIVE_MS = 65_000;

/** The decision lock's key for what is decided once per instance (its first start). */
const INSTANCE_LOCK = 'convene:instance';

export async function startConvene(options: ConveneOptions): Promise<Convene> {
  const log = typeof options.log === 'object' ? options.log : createLogger(options.log ?? 'info');
  // The data directory is the SQLite stores' (they make it): a process on PostgreSQL writes nothing there.
  const clock = options.clock ?? Date.now;
  const stores =
    options.stores ??
    // Loaded only when used, as is the demo below: a process on PostgreSQL never holds the SQLite stores' code (docs/performance.md, memory).
    (await import('./sqliteStores.ts')).openSqliteStores(options.dataDir, clock, (err) =>
      log.error({ err }, 'WAL checkpoint failed'),
    );
  const { initiatives: store, people } = stores;
  const docs = options.storage ?? stores.docs;
  // One lock for every kind of decision, re-entered by its holder: a workshop decision confirms a workflow step under it.
  const lock = reentrant(options.lock ?? new LocalDecisionLock());
  // Under the lock, so that of several processes starting on one new database one alone seeds and makes the admin token.
  const { isNew, adminHash, generatedAdminToken } = await lock.run(INSTANCE_LOCK, async () => {
    const isNew = (await store.getSetting('created_at')) === undefined;
    if (isNew) await store.setSetting('created_at', new Date().toISOString());
    let generatedAdminToken: string | undefined;
    let adminHash = options.adminToken ? hashToken(options.adminToken) : await store.getSetting('admin_token_hash');
    if (!adminHash) {
      generatedAdminToken = newToken();
      adminHash = hashToken(generatedAdminToken);
      await store.setSetting('admin_token_hash', adminHash);
    }
    return { isNew, adminHash, generatedAdminToken };
  });

  const auth = new Auth(people, adminHash);
  // Every live socket and event stream registers here; the API tells it after each change to people.
  const watch = new AccessWatch(
    (credential, initiativeId) => auth.accessFor(credential, initiativeId),
    (memberId) =>
      void people
        .seen(memberId)
        .catch((err: unknown) => log.error({ err: String(err) }, 'could not record a member as seen')),
    // A change to people is made before connections hear of it: a failing one is logged, never undone
    // (a lookup that failed is tried again, and every connection is looked up again every minute).
    (error) => log.error({ err: String(error) }, 'a live connection could not be told of an access change'),
    options.accessWatch,
  );
  const metrics: Metrics = new Metrics({ rooms: () => rooms.size, connections: (): number => endpoint.connections });
  const measureStore = stores.measures;
  // Old documents' values move to the measure store as their room loads, before anyone reads them.
  const migrate = migrateOnLoad(measureStore, clock, (room, indicators) =>
    log.info({ room, indicators }, 'moved indicator values from the document to the measure store'),
  );
  const rooms = new Rooms(
    docs,
    options.unloadDelayMs,
    {
      ...options.room,
      link: options.fanout && {
        onError: (room, err) => log.warn({ room, err: String(err) }, 'catching up from storage failed'),
        ...options.room?.link,
        fanout: options.fanout,
      },
      hooks: {
        storageWrite: (seconds) => metrics.storageWrite(seconds),
        compacted: (room, entries) => {
          metrics.compacted();
          log.debug({ room, entries }, 'log compacted');
        },
        compactionFailed: (room, error) => log.error({ room, err: String(error) }, 'log compaction failed'),
        failed: (room, error) => log.error({ room, err: String(error) }, 'storage failed; room closed'),
      },
    },
    migrate,
  );
  const measures = new MeasureService({ store: measureStore, rooms, people, initiatives: store, clock });
  const versions = new FrameworkVersions(stores.versions, rooms);
  const workflows = new WorkflowRunner(store, log, rooms, { measured: (id) => measures.measured(id), versions }, lock);
  measures.onChange((id) => workflows.measuresChanged(id));
  const workshops = new WorkshopRunner({ store: stores.workshops, people, rooms, workflows, watch, log, clock, lock });
  const portfolio = new PortfolioService({
    initiatives: store,
    statuses: stores.statuses,
    workflows,
    measures,
    workshops,
    rooms,
    clock,
    log,
    ...options.portfolio,
  });
  const events = options.events ?? (options.fanout && 'publishEvent' in options.fanout ? (options.fanout as Fanout & EventChannel) : undefined);
  const relay = events && relayInitiativeEvents({ channel: events, workflows, workshops, watch, measures, portfolio, log });
  // Members online on any process: needs the other processes' heartbeats, so only with a fanout.
  const onlineAcross = events && options.fanout ? new OnlineAcross(watch, events, options.fanout) : undefined;
  const api = apiRouter({
    store,
    people,
    auth,
    watch,
    online: onlineAcross && ((initiativeId) => onlineAcross.online(initiativeId)),
    workflows,
    workshops,
    publicUrl: options.publicUrl,
    rooms,
    log,
    clock,
    measures,
    portfolio,
    lock,
  });
  const serveStatic = options.staticDir ? staticFiles(options.staticDir) : null;
  const endpoint: SyncEndpoint = new SyncEndpoint({ auth, store, rooms, log, metrics, watch, limits: options.limits, closeTimeoutMs: options.drainMs });

  const readyChecks: ReadinessCheck[] = [
    {
      name: 'database',
      unreachable: 'The database cannot be reached.',
      check: async () => {
        if (!(await stores.ping())) throw new Error('ping failed');
      },
    },
    ...(options.readyChecks ?? []),
  ];
  const server = createServer(async (req, res) => {
    try {
      // No address holds a NUL (an id, a file name): PostgreSQL's text could not take it (server/http/nul.ts).
      if (/%00/i.test(req.url ?? '')) throw new HttpError(400, 'A NUL character (%00) is not allowed in an address.');
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/healthz') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      if (url.pathname === '/readyz')
        return await serveReadiness(res, readyChecks, (failed) => log.warn({ failed }, 'not ready'));
      if (url.pathname === '/metrics') return await serveMetrics(req, res, auth, metrics);
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
  // A load balancer's kept-alive connection must be closed by it, never by us as it sends a request on
  // it (nginx answers 502 to a POST it may not retry): ours outlive docs/nginx.conf's upstream keepalive_timeout.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  // An upgrade not taken gets an HTTP answer, never a bare reset, which a proxy counts against the process.
  server.on('upgrade', (req, socket, head) => {
    endpoint.handleUpgrade(req, socket, head).then(
      (taken) => {
        if (!taken) answerUpgrade(socket, 404, 'No websocket here: live sync is at /collab/<initiative id>.');
      },
      (error: unknown) => {
        log.error({ err: String(error) }, 'websocket upgrade failed');
        answerUpgrade(socket, 500, 'The connection could not be opened.');
      },
    );
  });

  const seeded =
    isNew && options.demo !== false
      ? await (await import('./seed.ts')).seedDemo(store, people, docs, workflows, measureStore)
      : undefined;
  await portfolio.prime();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log.info({ url }, 'listening');
  const base = (options.publicUrl ?? url).replace(/\/+$/, '');
  // The token sits in the fragment, which browsers never send: it reaches no server log.
  const adminSignInUrl = `${base}/admin#${(await people.createAdminSignIn(ACCESS.inviteDays)).token}`;

  return {
    url,
    port,
    server,
    rooms,
    docs,
    watch,
    generatedAdminToken,
    adminSignInUrl,
    demo: seeded && {
      ...seeded,
      leadUrl: `${base}/join/${seeded.leadToken}`,
      parentLeadUrl: `${base}/join/${seeded.parentLeadToken}`,
      siblingLeadUrl: `${base}/join/${seeded.siblingLeadToken}`,
    },
    metrics,
    close: async () => {
      // Figures still waiting for their recomputation are brought up to date while the rooms are there (and announced).
      await portfolio.close();
      // Clients hear 1012 and reconnect to the next server; every pending write lands first.
      await endpoint.close();
      // After the connections closed: the other processes have been told they left.
      onlineAcross?.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      // Only once no request can come in any more: until then a change to people made here (a removal
      // during a rolling restart) must still reach the other processes' connections.
      relay?.stop();
      watch.stop();
      await rooms.closeAll();
      await options.fanout?.close();
      metrics.stop();
      workshops.stop();
      workflows.stop();
      await stores.close();
    },
  };
}

/** `GET /metrics`: Prometheus text, for the admin token only. */
async function serveMetrics(req: IncomingMessage, res: ServerResponse, auth: Auth, metrics: Metrics): Promise<void> {
  const principal = await auth.identify(req);
  if (!principal) return sendJson(res, 401, { error: 'Sign in as the admin to read metrics.' });
  if (!can(instanceRole(principal), 'readMetrics')) return sendJson(res, 403, { error: refusalFor('readMetrics') });
  const { contentType, text } = await metrics.scrape();
  res.writeHead(200, { 'content-type': contentType }).end(text);
}
