/**
 * The reference nginx configuration (docs/nginx.conf, docs/deploy.md) in front
 * of a real server process: health and readiness pass through; a browser's
 * cookie sign-in works from the address nginx serves (Host reaches the server
 * with its port) and links are made for that address; live sync runs over the
 * upgraded websocket; an event stream arrives as it is written (no buffering);
 * and SIGTERM's 1012 reaches the client through nginx. A websocket upgrade
 * answered 503 by a process that is stopping goes on to the next process.
 * (Database outages and a restart under three processes:
 * ./nginx-outage.test.ts.)
 *
 * One server process for now: several share one database only once
 * DATABASE_URL and REDIS_URL are wired (#14); then this file takes three.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { startNginx, type TestNginx } from '../support/nginx.ts';
import { readFileSync } from 'node:fs';
import { startHarness, syncClient, type SyncClient } from './harness.ts';
import { serverProcesses } from './processes.ts';
import { seedInitiative } from './sync-helpers.ts';

const clients: SyncClient[] = [];
const proxies: TestNginx[] = [];
const start = serverProcesses();
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const proxy of proxies.splice(0)) await proxy.stop();
});

/** One HTTP call with the headers a browser would send; answers status, headers and body. */
function browserCall(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent: false,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('docs/nginx.conf', () => {
  it('closes its kept-alive upstream connections before the server would (no 502 on a POST sent as the server closes one)', async () => {
    const conf = readFileSync(new URL('../../docs/nginx.conf', import.meta.url), 'utf8');
    const upstream = /upstream convene \{([^}]*)\}/.exec(conf)?.[1] ?? '';
    const nginxSeconds = Number(/keepalive_timeout (\d+)s;/.exec(upstream)?.[1]);
    expect(nginxSeconds).toBeGreaterThan(0);
    const h = await startHarness();
    try {
      expect(h.convene.server.keepAliveTimeout).toBeGreaterThan(nginxSeconds * 1000);
      // Node needs the whole headers of a request in less than this; it must not cut a kept-alive connection sooner.
      expect(h.convene.server.headersTimeout).toBeGreaterThan(h.convene.server.keepAliveTimeout);
    } finally {
      await h.stop();
    }
  });

  it('an upgrade the server does not take is answered, not cut: nginx sets no process aside for it', async () => {
    const server = await start();
    const nginx = await startNginx([server.port]);
    proxies.push(nginx);
    const upgrade = { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' };
    // Anyone may send these; a reset without an answer made nginx take the process for one that is away,
    // set it aside for 10 s and answer 502 to everyone meanwhile.
    for (const path of ['/healthz', '/collab/a/b', '/collab/%E0%A4%A0%']) {
      const answer = await browserCall(`${nginx.url}${path}`, 'GET', upgrade);
      // nginx answers the malformed address 400 itself; the others reach the server, which says where sync is.
      if (path.endsWith('%')) expect(answer.status, path).toBe(400);
      else {
        expect(answer.status, path).toBe(404);
        expect(answer.body, path).toContain('live sync is at /collab/<initiative id>');
      }
    }
    expect(await browserCall(`${nginx.url}/healthz`, 'GET', {})).toMatchObject({ status: 200, body: 'ok' });
    const { id, tokens } = await seedInitiative(nginx.url, server.adminToken, ['participant']);
    const client = syncClient(nginx.url, id, tokens[0]);
    clients.push(client);
    await client.synced;
  });

  it('serves health, a cookie sign-in, live sync, an unbuffered event stream and 1012 at SIGTERM', async () => {
    const server = await start();
    const nginx = await startNginx([server.port]);
    proxies.push(nginx);
    const origin = { origin: nginx.url };

    expect(await browserCall(`${nginx.url}/healthz`, 'GET', {})).toMatchObject({ status: 200, body: 'ok' });
    expect(await browserCall(`${nginx.url}/readyz`, 'GET', {})).toMatchObject({ status: 200, body: 'ready' });

    // An invite made through nginx points at nginx's address, and its sign-in gives a cookie the server takes back.
    const { id, tokens } = await seedInitiative(nginx.url, server.adminToken, ['facilitator', 'participant']);
    const invite = await browserCall(
      `${nginx.url}/api/initiatives/${id}/invites`,
      'POST',
      { authorization: `Bearer ${server.adminToken}` },
      { role: 'participant' },
    );
    expect(invite.status).toBe(201);
    const link = JSON.parse(invite.body) as { token: string; url: string };
    expect(link.url.startsWith(`${nginx.url}/`)).toBe(true);
    const signIn = await browserCall(`${nginx.url}/api/session`, 'POST', origin, {
      token: link.token,
      name: 'Rosa Alvarez',
    });
    expect(signIn.status).toBe(200);
    const cookie = String(signIn.headers['set-cookie']).split(';')[0];
    const session = await browserCall(`${nginx.url}/api/session`, 'GET', { ...origin, cookie });
    expect(session.status).toBe(200);
    expect(JSON.parse(session.body).memberships).toEqual([
      expect.objectContaining({ initiativeId: id, name: 'Rosa Alvarez', role: 'participant' }),
    ]);

    // Live sync over websockets upgraded by nginx.
    const [a, b] = tokens.map((token) => syncClient(nginx.url, id, token));
    clients.push(a, b);
    await Promise.all([a.synced, b.synced]);
    a.doc.getMap('edits').set('through-nginx', 'hello');
    await vi.waitFor(() => expect(b.doc.getMap('edits').get('through-nginx')).toBe('hello'));

    // The workflow stream's first event arrives while the stream stays open: nginx does not hold it back.
    const firstEvent = await new Promise<string>((resolve, reject) => {
      const req = request(
        `${nginx.url}/api/initiatives/${id}/workflow/stream`,
        { agent: false, headers: { authorization: `Bearer ${tokens[0]}` } },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString();
            if (text.includes('\n\n')) {
              req.destroy();
              resolve(text);
            }
          });
        },
      );
      req.on('error', reject);
      req.end();
      // Buffered by nginx, the event would come only when the stream ends: never, here.
      setTimeout(
        () => reject(new Error('The workflow stream sent nothing through nginx within 10 s: it is buffered.')),
        10_000,
      ).unref();
    });
    expect(firstEvent).toMatch(/^event: workflow\ndata: \{.*"stage":"readiness"/);

    // SIGTERM: the server's 1012 reaches the clients through nginx.
    const codes = Promise.all([a.closed, b.closed]);
    expect(await server.stop()).toBe(0);
    expect(await codes).toEqual([1012, 1012]);
  }, 60_000);

  it('sends a websocket upgrade that a stopping process answers 503 on to the next process', async () => {
    const server = await start();
    const { id, tokens } = await seedInitiative(server.url, server.adminToken, ['participant', 'participant', 'participant']);
    // A stopping process: its websocket server closed (SyncEndpoint.close), its port still open.
    // ws itself answers the upgrade, as it does there: 503.
    const closed = new WebSocketServer({ noServer: true });
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    let refused = 0;
    const stopping = createServer((_req, res) => res.writeHead(404).end());
    stopping.on('upgrade', (req, socket, head) => {
      refused++;
      closed.handleUpgrade(req, socket, head, () => socket.destroy());
    });
    await new Promise<void>((resolve) => stopping.listen(0, '127.0.0.1', () => resolve()));
    try {
      // Without room affinity, so that some of one room's upgrades go to the stopping process.
      const nginx = await startNginx([(stopping.address() as AddressInfo).port, server.port], { roomAffinity: false });
      proxies.push(nginx);
      const synced = tokens.map((token) => syncClient(nginx.url, id, token));
      clients.push(...synced);
      const failures: string[] = [];
      for (const c of synced) c.provider.on('connection-error', () => failures.push('connection error'));
      await Promise.all(synced.map((c) => c.synced));
      // nginx's round robin sent an upgrade to the stopping process, took its 503 and went on; no client saw it.
      expect(refused).toBeGreaterThan(0);
      expect(failures).toEqual([]);
      synced[0].doc.getMap('edits').set('past-the-stopping-one', 1);
      await vi.waitFor(() => {
        for (const c of synced) expect(c.doc.getMap('edits').get('past-the-stopping-one')).toBe(1);
      });
    } finally {
      stopping.closeAllConnections();
      await new Promise<void>((resolve) => stopping.close(() => resolve()));
    }
  }, 30_000);
});
