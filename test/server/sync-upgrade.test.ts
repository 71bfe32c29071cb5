/**
 * The sync endpoint looks the caller up before it upgrades the socket (the
 * stores answer later, as a remote database does): a socket that closes
 * meanwhile is dropped without a connection, and the endpoint keeps serving.
 */
import { connect } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../server/log.ts';
import { openSqliteStores } from '../../server/sqliteStores.ts';
import { startHarness, syncClient, type Harness } from './harness.ts';
import { remote } from './remote-stores.ts';

describe('the upgrade, after the lookup', () => {
  let h: Harness;
  const lines: { msg: string }[] = [];

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'convene-upgrade-'));
    h = await startHarness({ dataDir, stores: remote(openSqliteStores(dataDir)), log: createLogger('debug', (line) => lines.push(JSON.parse(line))) });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('drops a socket that closed while its session was looked up, and answers the next one', async () => {
    const id = await h.createInitiative();
    const token = await h.invite(id, 'participant');
    const { port } = new URL(h.url);
    const upgrades = () => lines.filter((l) => l.msg === 'connection opened').length;
    const before = upgrades();

    // The request is sent whole, then the socket closes before any answer.
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.end(
      [
        `GET /collab/${id}?token=${token} HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        'Connection: Upgrade',
        'Upgrade: websocket',
        'Sec-WebSocket-Version: 13',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        '',
        '',
      ].join('\r\n'),
    );
    await closed;

    // A real client after it joins and syncs; the dropped socket never became a connection.
    const client = syncClient(h.url, id, token);
    await client.synced;
    await vi.waitFor(() => expect(h.convene.watch.connections(id)).toBe(1));
    expect(upgrades()).toBe(before + 1);
    client.destroy();
  });
});
