/**
 * Helpers for the sync engine tests: a seeded PRNG, a storage whose calls are
 * asynchronous and can be held back, HTTP calls and metric reading. The server
 * child process is started by scripts/serverProcess.ts (shared with bench/).
 */
import { request } from 'node:http';
import { MemoryDocStorage } from '../../server/storage/memory.ts';
import type { DocStorage, StoredDoc } from '../../server/storage/types.ts';
import * as lib0Prng from 'lib0/prng';
import * as Y from 'yjs';
import { createPool } from '../../server/pg/pool.ts';
import { PostgresDocStorage } from '../../server/storage/postgres.ts';

/** A seeded source of floats in [0, 1): the same sequence everywhere for a seed (lib0's xoroshiro128+). */
export function prng(seed: number): () => number {
  const generator = lib0Prng.create(seed);
  return () => lib0Prng.real53(generator);
}

export const int = (random: () => number, below: number) => Math.floor(random() * below);

/** A gate: calls wait on it until it is opened. */
export class Gate {
  private opened = true;
  private waiters: (() => void)[] = [];
  close(): void {
    this.opened = false;
  }
  open(): void {
    this.opened = true;
    for (const w of this.waiters.splice(0)) w();
  }
  wait(): Promise<void> {
    return this.opened ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** Wraps a storage so every call answers a promise, held back while its gate is closed. */
export class AsyncDocStorage implements DocStorage {
  readonly loadGate = new Gate();
  readonly appendGate = new Gate();
  readonly compactGate = new Gate();
  failAppends = false;
  appends = 0;
  /** Compactions begun (held at `compactGate` or done). */
  compactions = 0;

  constructor(readonly inner: DocStorage = new MemoryDocStorage()) {}

  async load(room: string): Promise<StoredDoc | null> {
    await this.loadGate.wait();
    return this.inner.load(room);
  }
  async loadSince(room: string, seq: number): Promise<StoredDoc | null> {
    await this.loadGate.wait();
    return this.inner.loadSince(room, seq);
  }
  async append(room: string, update: Uint8Array): Promise<number> {
    await this.appendGate.wait();
    await Promise.resolve();
    if (this.failAppends) throw new Error('disk on fire');
    this.appends++;
    return this.inner.append(room, update);
  }
  async compact(room: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
    this.compactions++;
    await this.compactGate.wait();
    await Promise.resolve();
    return this.inner.compact(room, snapshot, uptoSeq);
  }
  async flush(): Promise<void> {
    await this.inner.flush();
  }
}

/** An HTTP call against a server; answers the status and parsed body. */
export async function call(
  url: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any; text: string }> {
  return new Promise((resolvePromise, reject) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const req = request(url + path, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        resolvePromise({ status: res.statusCode ?? 0, body: parsed, text });
      });
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Creates an initiative and `roles.length` members on a running server; answers their session tokens. */
export async function seedInitiative(url: string, adminToken: string, roles: string[]): Promise<{ id: string; tokens: string[] }> {
  const created = await call(url, 'POST', '/api/initiatives', adminToken, { name: 'Valley Food Security Network', issue: 'Food deserts' });
  if (created.status !== 201) throw new Error(`create initiative: ${created.status} ${created.text}`);
  const tokens: string[] = [];
  for (const role of roles) {
    const invite = await call(url, 'POST', `/api/initiatives/${created.body.id}/invites`, adminToken, { role });
    if (invite.status !== 201) throw new Error(`invite: ${invite.status} ${invite.text}`);
    const session = await call(url, 'POST', '/api/session', '', { token: invite.body.token, name: `Member ${tokens.length + 1}` });
    if (session.status !== 200) throw new Error(`redeem: ${session.status} ${session.text}`);
    tokens.push(session.body.token);
  }
  return { id: created.body.id, tokens };
}

/** A Prometheus text exposition read back: each sample by `name{labels}`, each metric's type, and the metrics with help. */
export function parseMetrics(text: string): { samples: Map<string, number>; types: Map<string, string>; helps: Set<string> } {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  const helps = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1], type[2]);
    const help = /^# HELP (\S+) \S/.exec(line);
    if (help) helps.add(help[1]);
    if (line.startsWith('#')) continue;
    const sample = /^(\w+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (!sample) throw new Error(`not a sample line: ${line}`);
    samples.set(sample[1], Number(sample[2]));
  }
  return { samples, types, helps };
}

/** Reads one sample (`name` or `name{labels}`) of a Prometheus text exposition. */
export function metricValue(text: string, name: string): number {
  const value = parseMetrics(text).samples.get(name);
  if (value === undefined) throw new Error(`no metric ${name}`);
  return value;
}

/** Room `room`'s document as PostgreSQL holds it (an empty one when it holds none), read on a pool of its own. */
export async function storedInPostgres(databaseUrl: string, room: string): Promise<Y.Doc> {
  const pool = createPool(databaseUrl);
  try {
    const doc = new Y.Doc();
    const loaded = await new PostgresDocStorage(pool).load(room);
    if (loaded) Y.applyUpdate(doc, loaded.update);
    return doc;
  } finally {
    await pool.end();
  }
}
