import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { createEntity, readModel } from '../../src/schema/index.ts';
import { rawClient, serverDocVia, startHarness, syncClient, type Harness, type SyncClient } from './harness.ts';

let h: Harness;
const clients: SyncClient[] = [];
const open = (...args: Parameters<typeof syncClient>) => {
  const client = syncClient(...args);
  clients.push(client);
  return client;
};

beforeAll(async () => {
  h = await startHarness();
});
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});
afterAll(async () => {
  await h.stop();
});

const names = (doc: Y.Doc) => readModel(doc).entities.stakeholder.map((s) => s.name).sort();

/** Sends a sync step 1 with an empty state vector; the step 2 reply holds the server's whole document. */
describe('sync endpoint', () => {
  it('two participants converge on the stakeholder map', async () => {
    const id = await h.createInitiative();
    const a = open(h.url, id, await h.invite(id, 'participant'));
    const b = open(h.url, id, await h.invite(id, 'participant'));
    await Promise.all([a.synced, b.synced]);
    createEntity(a.doc, 'stakeholder', { name: 'United Way of the Valley', sector: 'nonprofit', role: 'backbone' }, [{ board: 'stakeholders', position: { x: 0, y: 0 } }]);
    createEntity(b.doc, 'stakeholder', { name: 'Mayor’s Office', sector: 'government', role: 'champion' }, [{ board: 'stakeholders', position: { x: 100, y: 0 } }]);
    await vi.waitFor(() => {
      expect(names(a.doc)).toEqual(['Mayor’s Office', 'United Way of the Valley']);
      expect(names(b.doc)).toEqual(['Mayor’s Office', 'United Way of the Valley']);
    });
    expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc));
  });

  it("an observer receives the document but its edits reach no one and are not stored", async () => {
    const id = await h.createInitiative();
    const participant = open(h.url, id, await h.invite(id, 'participant'));
    const observer = open(h.url, id, await h.invite(id, 'observer'));
    await Promise.all([participant.synced, observer.synced]);
    createEntity(participant.doc, 'stakeholder', { name: 'County Health Department', sector: 'health', role: 'partner' }, [{ board: 'stakeholders', position: { x: 0, y: 0 } }]);
    await vi.waitFor(() => expect(names(observer.doc)).toEqual(['County Health Department']));

    // The observer's y-websocket client sends its edit as an update.
    createEntity(observer.doc, 'stakeholder', { name: 'Sneaky edit', sector: 'media', role: 'other' }, [{ board: 'stakeholders', position: { x: 0, y: 0 } }]);
    // A raw observer connection: an update followed by a sync step 1 on the same
    // socket; the server handles a socket's messages in order, so the reply
    // shows the document after the update was handled.
    const raw = rawClient(h.url, id, await h.invite(id, 'observer'));
    await raw.opened;
    const forged = new Y.Doc();
    createEntity(forged, 'stakeholder', { name: 'Forged by raw observer', sector: 'media', role: 'other' }, [{ board: 'stakeholders', position: { x: 0, y: 0 } }]);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(forged));
    raw.ws.send(encoding.toUint8Array(encoder));
    const serverDoc = await serverDocVia(raw);
    expect(names(serverDoc)).toEqual(['County Health Department']);
    raw.ws.close();

    // A later edit by the participant does arrive, and the observer edit never did.
    createEntity(participant.doc, 'stakeholder', { name: 'School District', sector: 'education', role: 'partner' }, [{ board: 'stakeholders', position: { x: 0, y: 0 } }]);
    await vi.waitFor(() => expect(names(observer.doc)).toContain('School District'));
    expect(names(participant.doc)).toEqual(['County Health Department', 'School District']);

    // And nothing of it was stored.
    for (const c of clients.splice(0)) c.destroy();
    await h.restart();
    const fresh = open(h.url, id, await h.invite(id, 'participant'));
    await fresh.synced;
    expect(names(fresh.doc)).toEqual(['County Health Department', 'School District']);
  });

  it('closes with 4401 without a token or with an invalid one', async () => {
    const id = await h.createInitiative();
    expect(await open(h.url, id).closed).toBe(4401);
    expect(await open(h.url, id, 'invalid-token').closed).toBe(4401);
  });

  it('closes with 4403 for a valid token of another initiative, 4404 for an unknown one', async () => {
    const mine = await h.createInitiative();
    const theirs = await h.createInitiative();
    const token = await h.invite(mine, 'participant');
    expect(await open(h.url, theirs, token).closed).toBe(4403);
    expect(await open(h.url, 'no-such-initiative', token).closed).toBe(4404);
  });

  it('the y-websocket client stops retrying after a 44xx close', async () => {
    const id = await h.createInitiative();
    const client = open(h.url, id, 'invalid-token');
    expect(await client.closed).toBe(4401);
    // The client gives up by itself rather than hammering the server.
    expect(client.provider.shouldConnect).toBe(false);
    expect(client.provider.wsconnecting || client.provider.wsconnected).toBe(false);
    expect(client.provider.ws).toBeNull();
  });

  it('accepts a browser session cookie only from the same origin', async () => {
    const id = await h.createInitiative();
    const { token } = await h.inviteLink(id, 'participant');
    const signIn = await h.api('POST', '/api/session', { token, name: 'Lee' }, '');
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
    const host = new URL(h.url).host;
    const same = rawClient(h.url, id, undefined, { cookie, origin: `http://${host}` });
    await same.opened;
    // Admitted: the server opens the sync with its step 1.
    await vi.waitFor(() => expect(same.messages.some((m) => m[0] === 0 && m[1] === 0)).toBe(true));
    same.ws.close();
    const cross = rawClient(h.url, id, undefined, { cookie, origin: 'https://evil.example' });
    expect((await cross.closed).code).toBe(4401);
  });

  it('a restart keeps everything that was synced', async () => {
    const id = await h.createInitiative();
    const a = open(h.url, id, await h.invite(id, 'participant'));
    await a.synced;
    for (let i = 0; i < 20; i++) {
      createEntity(a.doc, 'stakeholder', { name: `Partner ${i}`, sector: 'nonprofit', role: 'partner' }, [{ board: 'stakeholders', position: { x: i, y: i } }]);
    }
    const raw = rawClient(h.url, id, await h.invite(id, 'observer'));
    await raw.opened;
    await vi.waitFor(async () => expect(names(await serverDocVia(raw))).toHaveLength(20));
    raw.ws.close();
    for (const c of clients.splice(0)) c.destroy();
    await h.restart();
    const fresh = open(h.url, id, await h.invite(id, 'observer'));
    await fresh.synced;
    expect(names(fresh.doc)).toHaveLength(20);
    expect(names(fresh.doc)).toContain('Partner 19');
  });

  it('a malformed message closes only that connection', async () => {
    const id = await h.createInitiative();
    const good = open(h.url, id, await h.invite(id, 'participant'));
    await good.synced;
    const bad = rawClient(h.url, id, await h.invite(id, 'participant'));
    await bad.opened;
    bad.ws.send(new Uint8Array([0, 2, 200])); // an update whose length runs past the frame
    expect((await bad.closed).code).toBe(4400);
    const text = rawClient(h.url, id, await h.invite(id, 'participant'));
    await text.opened;
    text.ws.send('hello');
    expect((await text.closed).code).toBe(4400);
    createEntity(good.doc, 'stakeholder', { name: 'Still here', sector: 'business', role: 'partner' }, [{ board: 'stakeholders', position: { x: 0, y: 0 } }]);
    const other = open(h.url, id, await h.invite(id, 'participant'));
    await vi.waitFor(() => expect(names(other.doc)).toEqual(['Still here']));
  });
});
