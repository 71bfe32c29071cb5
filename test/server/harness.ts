/**
 * Starts a real Convene server on port 0 with a fresh data directory, and
 * gives tests an API client, y-websocket clients and raw sockets against it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { startConvene, type Convene, type ConveneOptions } from '../../server/app.ts';

export interface Harness {
  convene: Convene;
  url: string;
  dataDir: string;
  adminToken: string;
  /** Calls the API; `auth` is a bearer token, or a cookie header value prefixed with `cookie:`. */
  api(method: string, path: string, body?: unknown, auth?: string, headers?: Record<string, string>): Promise<ApiResponse>;
  /** Creates an initiative as the admin and answers its id. */
  createInitiative(name?: string): Promise<string>;
  /**
   * A new member in `role`: creates an invite as the admin, redeems it with a
   * name (`POST /api/session`) and answers the session token, which works as a
   * credential (Bearer or `?token=`). The invite token itself does not.
   */
  invite(initiativeId: string, role: string, name?: string): Promise<string>;
  /** Like `invite`, answering the session token with the new member's id and name. */
  join(initiativeId: string, role: string, name?: string): Promise<Joined>;
  /** Creates an invite (as `auth`, the admin by default) and answers it unredeemed: `{ id, token, url, expiresAt }`. */
  inviteLink(initiativeId: string, role: string, options?: { label?: string; expiresInDays?: number; auth?: string }): Promise<InviteLink>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface Joined {
  token: string;
  memberId: string;
  name: string;
}

export interface InviteLink {
  id: string;
  token: string;
  url: string;
  expiresAt: string;
}

/** A clock the test moves: pass `clock.now` as the server's clock (ConveneOptions.clock). */
export interface TestClock {
  now: () => number;
  advance(ms: number): void;
}

export function testClock(start = Date.parse('2026-03-02T09:00:00.000Z')): TestClock {
  let time = start;
  return {
    now: () => time,
    advance(ms) {
      time += ms;
    },
  };
}

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

export interface ApiResponse {
  status: number;
  // Tests read arbitrary JSON answers and assert on their shape.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Headers;
}

export async function startHarness(options: Partial<ConveneOptions> = {}): Promise<Harness> {
  // A fresh data directory and admin token, unless the test brings its own (an upgraded database, say).
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'convene-test-'));
  const adminToken = options.adminToken ?? randomBytes(24).toString('hex');
  const start = () =>
    startConvene({ dataDir, port: 0, adminToken, demo: false, log: 'silent', unloadDelayMs: 0, ...options });
  let joined = 0;
  const harness: Harness = {
    convene: await start(),
    dataDir,
    adminToken,
    get url() {
      return harness.convene.url;
    },
    async api(method, path, body, auth = adminToken, headers = {}) {
      const h: Record<string, string> = { ...headers };
      if (auth?.startsWith('cookie:')) h.cookie = auth.slice('cookie:'.length);
      else if (auth) h.authorization = `Bearer ${auth}`;
      if (body !== undefined && !h['content-type']) h['content-type'] = 'application/json';
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      // A fresh connection per call (no keep-alive pool), so a restarted server is never
      // reached through a socket the old one closed.
      const res = await new Promise<IncomingMessage>((resolve, reject) => {
        const req = request(harness.url + path, { method, headers: h, agent: false }, resolve);
        req.on('error', reject);
        req.end(payload);
      });
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        /* not JSON */
      }
      const responseHeaders = new Headers();
      for (const [key, value] of Object.entries(res.headers)) {
        if (value !== undefined) responseHeaders.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      return { status: res.statusCode ?? 0, body: parsed, headers: responseHeaders };
    },
    async createInitiative(name = 'Riverside Homelessness Partnership') {
      const res = await harness.api('POST', '/api/initiatives', { name, issue: 'Family homelessness in the river valley' });
      if (res.status !== 201) throw new Error(`create initiative: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id as string;
    },
    async invite(initiativeId, role, name) {
      return (await harness.join(initiativeId, role, name)).token;
    },
    async join(initiativeId, role, name = `${role.charAt(0).toUpperCase()}${role.slice(1)} ${++joined}`) {
      const link = await harness.inviteLink(initiativeId, role);
      const res = await harness.api('POST', '/api/session', { token: link.token, name }, '');
      if (res.status !== 200) throw new Error(`redeem: ${res.status} ${JSON.stringify(res.body)}`);
      return { token: res.body.token as string, memberId: res.body.memberId as string, name };
    },
    async inviteLink(initiativeId, role, { label, expiresInDays, auth = adminToken } = {}) {
      const res = await harness.api('POST', `/api/initiatives/${initiativeId}/invites`, { role, label, expiresInDays }, auth);
      if (res.status !== 201) throw new Error(`invite: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as InviteLink;
    },
    async restart() {
      await harness.convene.close();
      const port = harness.convene.port;
      harness.convene = await startConvene({
        dataDir,
        port,
        adminToken,
        demo: false,
        log: 'silent',
        unloadDelayMs: 0,
        ...options,
      });
    },
    async stop() {
      await harness.convene.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

export interface SyncClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Resolves with the close code when the server closes the socket. */
  closed: Promise<number>;
  synced: Promise<void>;
  destroy(): void;
}

/** A real y-websocket client (no BroadcastChannel, so everything goes through the server). */
export function syncClient(url: string, initiativeId: string, token?: string, doc = new Y.Doc()): SyncClient {
  const provider = new WebsocketProvider(url.replace(/^http/, 'ws') + '/collab', initiativeId, doc, {
    WebSocketPolyfill: WebSocket as never,
    params: token ? { token } : {},
    disableBc: true,
  });
  const closed = new Promise<number>((resolve) => {
    provider.on('connection-close', (event: CloseEvent | null) => {
      if (event) resolve(event.code);
    });
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    provider.on('sync', (isSynced: boolean) => isSynced && resolve());
  });
  return {
    doc,
    provider,
    closed,
    synced,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** A raw websocket that collects binary frames, for protocol-level tests. */
export interface RawClient {
  ws: WebSocket;
  messages: Uint8Array[];
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves with the first received message, from now on, that `accept` approves. */
  next(accept: (message: Uint8Array) => boolean): Promise<Uint8Array>;
}

/**
 * Stops reading `client`'s socket, so it never answers the server's close: a
 * stopping server waits for it through its whole drain (SHUTDOWN_DRAIN_MS).
 * ws keeps the socket in `_socket`; nothing public pauses it.
 */
export function stopReading(client: RawClient): void {
  (client.ws as unknown as { _socket: { pause(): void } })._socket.pause();
}

export function rawClient(url: string, initiativeId: string, token?: string, headers: Record<string, string> = {}): RawClient {
  const ws = new WebSocket(
    `${url.replace(/^http/, 'ws')}/collab/${initiativeId}${token ? `?token=${encodeURIComponent(token)}` : ''}`,
    { headers },
  );
  const messages: Uint8Array[] = [];
  const waiters: { accept: (m: Uint8Array) => boolean; resolve: (m: Uint8Array) => void }[] = [];
  ws.on('message', (data: Buffer) => {
    const message = new Uint8Array(data);
    messages.push(message);
    for (const waiter of [...waiters]) {
      if (waiter.accept(message)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  });
  return {
    ws,
    messages,
    opened: new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    }),
    closed: new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))),
    next: (accept) => new Promise((resolve) => waiters.push({ accept, resolve })),
  };
}

/**
 * The server's document as `raw` sees it now: sends a sync step 1 with an empty
 * state vector and reads the step 2 reply. A socket's messages are handled in
 * order, so the reply shows the document after everything `raw` sent before.
 */
export async function serverDocVia(raw: RawClient): Promise<Y.Doc> {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeSyncStep1(encoder, new Y.Doc());
  const reply = raw.next((m) => m[0] === 0 && m[1] === syncProtocol.messageYjsSyncStep2);
  raw.ws.send(encoding.toUint8Array(encoder));
  const decoder = decoding.createDecoder(await reply);
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
  return doc;
}
