/**
 * Changes to people take effect at once (issue #10, point 4): a role change
 * reaches a member's open sockets and event streams without a reconnect, and
 * removal or signing out closes their sockets with 4401 and ends their streams.
 * Real server, real y-websocket clients, the real server-sent event stream.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as Y from 'yjs';
import type { AccessEvent } from '../../src/contract/index.ts';
import { createEntity, readModel } from '../../src/schema/index.ts';
import { rawClient, serverDocVia, startHarness, syncClient, type Harness, type SyncClient } from './harness.ts';
import { openEventStream, type EventStreamReader } from './eventStream.ts';
import { AsyncDocStorage } from './sync-helpers.ts';

const REMOVED = 'Your access to this initiative was removed.';

let h: Harness;
const clients: SyncClient[] = [];
const streams: EventStreamReader[] = [];

beforeAll(async () => {
  h = await startHarness();
});
afterEach(() => {
  for (const stream of streams.splice(0)) stream.close();
  for (const client of clients.splice(0)) client.destroy();
});
afterAll(async () => {
  await h.stop();
});

/** A y-websocket client of `token`, with the first close the server sent it (code and reason). */
function open(id: string, token: string) {
  const client = syncClient(h.url, id, token);
  clients.push(client);
  const closedBy = new Promise<{ code: number; reason: string }>((resolve) =>
    client.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event) resolve({ code: event.code, reason: event.reason });
    }),
  );
  let closes = 0;
  client.provider.on('connection-close', () => closes++);
  return Object.assign(client, { closedBy, closes: () => closes });
}

/**
 * Resolves with `promise`, or fails naming `what` when it has not settled `ms`
 * after `since` (a `performance.now()` reading, now by default); answers how
 * long after `since` it settled. A bound, not a sleep: it fails as soon as it is late.
 */
async function within<T>(ms: number, what: string, promise: Promise<T>, since = performance.now()): Promise<{ value: T; took: number }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), Math.max(0, since + ms - performance.now()));
  });
  try {
    const value = await Promise.race([promise, late]);
    return { value, took: performance.now() - since };
  } finally {
    clearTimeout(timer);
  }
}

/** An initiative's event stream as a member's page reads it (closed after each test). */
async function openStream(id: string, token: string) {
  const stream = await openEventStream(h.url, id, token);
  streams.push(stream);
  return {
    /** The next `access` event, skipping workflow views; null when the stream ended first. */
    access: () => stream.next<AccessEvent>('access'),
    end: () => stream.end(),
  };
}

/** A member's id, as the initiative tells them. */
async function memberId(id: string, token: string): Promise<string> {
  const res = await h.api('GET', `/api/initiatives/${id}`, undefined, token);
  expect(res.status).toBe(200);
  return res.body.me.id as string;
}

async function setRole(id: string, member: string, role: string): Promise<void> {
  const res = await h.api('PATCH', `/api/initiatives/${id}/members/${member}`, { role });
  expect(res.status).toBe(200);
}

const names = (doc: Y.Doc) => readModel(doc).entities.stakeholder.map((s) => s.name).sort();
const add = (doc: Y.Doc, name: string) =>
  createEntity(doc, 'stakeholder', { name, sector: 'nonprofit', role: 'partner' }, [
    { board: 'stakeholders', position: { x: 0, y: 0 } },
  ]);

/**
 * Waits until `watcher` sees `marker` in `from`'s presence. A socket's messages
 * are handled in order and relayed in order, so everything `from` sent before
 * it has been handled: an edit of theirs the server accepted has reached
 * `watcher` by then.
 */
async function barrier(from: SyncClient, watcher: SyncClient, marker: string): Promise<void> {
  from.provider.awareness.setLocalStateField('marker', marker);
  const id = from.doc.clientID;
  await vi.waitFor(() => expect((watcher.provider.awareness.getStates().get(id) as { marker?: string })?.marker).toBe(marker));
}

/** The server's document now, read through a fresh lead connection. */
async function serverNames(id: string, lead: string): Promise<string[]> {
  const raw = rawClient(h.url, id, lead);
  await raw.opened;
  const doc = await serverDocVia(raw);
  raw.ws.close();
  const list = names(doc);
  doc.destroy();
  return list;
}

describe('role changes reach open sockets and streams at once', () => {
  it('a participant made observer: their next edit is dropped by the server; their stream says observer', async () => {
    const id = await h.createInitiative();
    const lead = await h.invite(id, 'lead');
    const ana = await h.invite(id, 'participant');
    const leadClient = open(id, lead);
    const anaClient = open(id, ana);
    await Promise.all([leadClient.synced, anaClient.synced]);
    const anaStream = await openStream(id, ana);
    add(anaClient.doc, 'County Health Department');
    await vi.waitFor(() => expect(names(leadClient.doc)).toEqual(['County Health Department']));

    // Her presence, as her page sets it; the server writes her name and role into it.
    anaClient.provider.awareness.setLocalStateField('user', { color: '#0a7' });
    const anaRole = () =>
      (leadClient.provider.awareness.getStates().get(anaClient.doc.clientID) as { user?: { role?: string } } | undefined)?.user?.role;
    await vi.waitFor(() => expect(anaRole()).toBe('participant'));

    await setRole(id, await memberId(id, ana), 'observer');
    expect(await anaStream.access()).toEqual({ role: 'observer' });
    // Her presence says observer to everyone, her own page included.
    await vi.waitFor(() => expect(anaRole()).toBe('observer'));
    await vi.waitFor(() => expect((anaClient.provider.awareness.getLocalState() as { user?: { role?: string } }).user?.role).toBe('observer'));

    add(anaClient.doc, 'Edit after the change');
    await barrier(anaClient, leadClient, 'after the edit');
    expect(names(leadClient.doc)).toEqual(['County Health Department']);
    expect(await serverNames(id, lead)).toEqual(['County Health Department']);
    // Same socket all along: nothing closed it.
    expect(anaClient.closes()).toBe(0);
    expect(anaClient.provider.wsconnected).toBe(true);

    // Made participant again, on the same socket: her next edit lands, and so does the
    // one the server dropped, which it builds on (as a reconnect would bring it).
    await setRole(id, await memberId(id, ana), 'participant');
    expect(await anaStream.access()).toEqual({ role: 'participant' });
    add(anaClient.doc, 'Edit as participant again');
    const expected = ['County Health Department', 'Edit after the change', 'Edit as participant again'];
    await vi.waitFor(() => expect(names(leadClient.doc)).toEqual(expected));
    expect(await serverNames(id, lead)).toEqual(expected);
    expect(anaClient.closes()).toBe(0);
  });

  it('an observer made participant edits at once, on the same socket', async () => {
    const id = await h.createInitiative();
    const lead = await h.invite(id, 'lead');
    const ben = await h.invite(id, 'observer');
    const leadClient = open(id, lead);
    const benClient = open(id, ben);
    await Promise.all([leadClient.synced, benClient.synced]);
    const benStream = await openStream(id, ben);
    const socket = benClient.provider.ws;

    await setRole(id, await memberId(id, ben), 'participant');
    expect(await benStream.access()).toEqual({ role: 'participant' });
    add(benClient.doc, 'Riverside Food Bank');
    await vi.waitFor(() => expect(names(leadClient.doc)).toEqual(['Riverside Food Bank']));
    expect(await serverNames(id, lead)).toEqual(['Riverside Food Bank']);
    expect(benClient.provider.ws).toBe(socket);
    expect(benClient.closes()).toBe(0);
  });
});

describe('who is online', () => {
  it('a member is online in the members list while a board or stream of theirs is open, and not after', async () => {
    const id = await h.createInitiative();
    const ana = await h.invite(id, 'participant');
    const anaId = await memberId(id, ana);
    const onlineNow = async () => {
      const res = await h.api('GET', `/api/initiatives/${id}/members`);
      expect(res.status).toBe(200);
      return (res.body as { id: string; online: boolean; lastSeenAt: string | null }[]).find((m) => m.id === anaId)!;
    };
    expect((await onlineNow()).online).toBe(false);

    const tab = open(id, ana);
    await tab.synced;
    await vi.waitFor(async () => expect((await onlineNow()).online).toBe(true));
    tab.provider.destroy();
    await vi.waitFor(async () => expect((await onlineNow()).online).toBe(false));
    expect((await onlineNow()).lastSeenAt).not.toBeNull();

    await openStream(id, ana);
    await vi.waitFor(async () => expect((await onlineNow()).online).toBe(true));
  });
});

describe('lost access closes sockets with 4401 and ends streams', () => {
  it("removing a member closes every socket of theirs within 2 seconds; another member's stay", async () => {
    const id = await h.createInitiative();
    const lead = await h.invite(id, 'lead');
    const ana = await h.invite(id, 'participant');
    const ben = await h.invite(id, 'participant');
    const leadClient = open(id, lead);
    const anaTabs = [open(id, ana), open(id, ana)];
    const benClient = open(id, ben);
    await Promise.all([leadClient, ...anaTabs, benClient].map((c) => c.synced));
    const anaStream = await openStream(id, ana);
    const benStream = await openStream(id, ben);

    const anaId = await memberId(id, ana);
    const asked = performance.now();
    const removed = await h.api('DELETE', `/api/initiatives/${id}/members/${anaId}`);
    expect(removed.status).toBe(204);
    for (const tab of anaTabs) {
      // Within 2 seconds of the lead asking, whatever the machine's load.
      const { value, took } = await within(2000, 'the removed member’s socket closes', tab.closedBy, asked);
      expect(value).toEqual({ code: 4401, reason: REMOVED });
      expect(took).toBeLessThan(2000);
    }
    const told = await within(2000, 'the removed member’s stream says so', anaStream.access(), asked);
    expect(told.value).toEqual({ removed: true, reason: REMOVED });
    await within(2000, 'the removed member’s stream ends', anaStream.end(), asked);
    // Her presence is gone for the others.
    await vi.waitFor(() => {
      const present = [...leadClient.provider.awareness.getStates().keys()];
      for (const tab of anaTabs) expect(present).not.toContain(tab.doc.clientID);
    });

    // Ben's socket and stream are untouched: his edits still land.
    add(benClient.doc, 'Valley Transit Authority');
    await vi.waitFor(() => expect(names(leadClient.doc)).toEqual(['Valley Transit Authority']));
    expect(benClient.closes()).toBe(0);
    await setRole(id, await memberId(id, ben), 'observer');
    expect(await benStream.access()).toEqual({ role: 'observer' });

    // Her session ended with her membership: a new connection with it is refused at once.
    const again = open(id, ana);
    const refused = await within(2000, 'a new socket of the removed member is refused', again.closedBy);
    expect(refused.value.code).toBe(4401);
  });

  it('a removal repeated after the first never reached the connections (404) still closes them', async () => {
    const id = await h.createInitiative();
    await h.invite(id, 'lead');
    const ana = await h.invite(id, 'participant');
    const tab = open(id, ana);
    await tab.synced;
    const stream = await openStream(id, ana);
    const anaId = await memberId(id, ana);
    // The fault: the first removal is made, but its recheck never runs (the answer was lost with the
    // process, say). A stand-in for that one call: the server's own watch is left alone otherwise.
    const watch = h.convene.watch;
    const recheck = watch.recheck.bind(watch);
    watch.recheck = () => Promise.resolve();
    try {
      expect((await h.api('DELETE', `/api/initiatives/${id}/members/${anaId}`)).status).toBe(204);
    } finally {
      watch.recheck = recheck;
    }
    expect(tab.closes()).toBe(0);
    // The lead tries again: no such member any more, and her connections end all the same.
    const asked = performance.now();
    expect((await h.api('DELETE', `/api/initiatives/${id}/members/${anaId}`)).status).toBe(404);
    const { value } = await within(2000, 'the removed member’s socket closes', tab.closedBy, asked);
    expect(value).toEqual({ code: 4401, reason: REMOVED });
    expect((await within(2000, 'the removed member’s stream says so', stream.access(), asked)).value).toEqual({ removed: true, reason: REMOVED });
  });

  it('signing out everywhere closes the member’s sockets in every tab and on every device', async () => {
    const id = await h.createInitiative();
    const lead = await h.invite(id, 'lead');
    const ana = await h.invite(id, 'participant');
    const anaId = await memberId(id, ana);
    // A second device: a sign-in link for Ana, redeemed into a session of its own.
    const link = await h.api('POST', `/api/initiatives/${id}/members/${anaId}/sign-in-link`);
    expect(link.status).toBe(201);
    const laptop = await h.api('POST', '/api/session', { token: link.body.token }, '');
    expect(laptop.status).toBe(200);
    const anaLaptop = laptop.body.token as string;

    const leadClient = open(id, lead);
    const tabs = [open(id, ana), open(id, ana), open(id, anaLaptop)];
    await Promise.all([leadClient, ...tabs].map((c) => c.synced));
    const laptopStream = await openStream(id, anaLaptop);

    const out = await h.api('DELETE', '/api/session?everywhere=1', undefined, ana);
    expect(out.status).toBe(204);
    for (const tab of tabs) {
      const { value } = await within(2000, 'every socket of the member closes', tab.closedBy);
      expect(value).toEqual({ code: 4401, reason: REMOVED });
    }
    expect((await within(2000, 'the laptop’s stream says so', laptopStream.access())).value).toEqual({ removed: true, reason: REMOVED });
    await within(2000, 'the laptop’s stream ends', laptopStream.end());
    // The lead is untouched.
    expect(leadClient.closes()).toBe(0);
    expect((await h.api('GET', `/api/initiatives/${id}`, undefined, lead)).status).toBe(200);
    expect((await h.api('GET', `/api/initiatives/${id}`, undefined, ana)).status).toBe(401);
  });

  it("a lead ending a member's sessions (a lost laptop) closes their sockets with 4401", async () => {
    const id = await h.createInitiative();
    const lead = await h.invite(id, 'lead');
    const ana = await h.invite(id, 'facilitator');
    const ben = await h.invite(id, 'participant');
    const leadClient = open(id, lead);
    const anaClient = open(id, ana);
    const benClient = open(id, ben);
    await Promise.all([leadClient.synced, anaClient.synced, benClient.synced]);

    const ended = await h.api('DELETE', `/api/initiatives/${id}/members/${await memberId(id, ana)}/sessions`, undefined, lead);
    expect(ended.status).toBe(204);
    expect((await within(2000, 'the member’s socket closes', anaClient.closedBy)).value).toEqual({ code: 4401, reason: REMOVED });
    // Ben, another member, is untouched: his edits still land.
    add(benClient.doc, 'Valley Transit Authority');
    await vi.waitFor(() => expect(names(leadClient.doc)).toEqual(['Valley Transit Authority']));
    expect(benClient.closes()).toBe(0);
  });

  it('a session holding two initiatives: removal from one closes only that one’s socket', async () => {
    const a = await h.createInitiative('Valley Youth Futures');
    const b = await h.createInitiative('Clean River Alliance');
    const leadB = await h.invite(b, 'lead');
    const ana = await h.invite(a, 'participant');
    // Her browser opens an invite to the second initiative: the membership joins her session.
    const link = await h.api('POST', `/api/initiatives/${b}/invites`, { role: 'participant' });
    const joined = await h.api('POST', '/api/session', { token: link.body.token, name: 'Ana Ruiz' }, `cookie:convene_session=${ana}`);
    expect(joined.status).toBe(200);
    expect(joined.body.token).toBe(ana);

    const inA = open(a, ana);
    const inB = open(b, ana);
    const watcherB = open(b, leadB);
    await Promise.all([inA.synced, inB.synced, watcherB.synced]);
    expect((await h.api('DELETE', `/api/initiatives/${a}/members/${await memberId(a, ana)}`)).status).toBe(204);
    expect((await within(2000, 'her socket in the first initiative closes', inA.closedBy)).value).toEqual({ code: 4401, reason: REMOVED });

    add(inB.doc, 'Riverkeepers');
    await vi.waitFor(() => expect(names(watcherB.doc)).toEqual(['Riverkeepers']));
    expect(inB.closes()).toBe(0);
  });

  it('the admin signing out everywhere closes the admin’s session sockets, not the admin token’s', async () => {
    const id = await h.createInitiative();
    const session = await h.api('POST', '/api/session', { token: h.adminToken }, '');
    expect(session.status).toBe(200);
    expect(session.body.admin).toBe(true);
    const bySession = open(id, session.body.token as string);
    const byToken = open(id, h.adminToken);
    const watcher = open(id, h.adminToken);
    await Promise.all([bySession.synced, byToken.synced, watcher.synced]);

    expect((await h.api('DELETE', '/api/session?everywhere=1', undefined, session.body.token)).status).toBe(204);
    expect((await within(2000, 'the admin session’s socket closes', bySession.closedBy)).value).toEqual({ code: 4401, reason: REMOVED });
    add(byToken.doc, 'Meadow County Board of Health');
    await vi.waitFor(() => expect(names(watcher.doc)).toEqual(['Meadow County Board of Health']));
    expect(byToken.closes()).toBe(0);
  });
});

describe('a change while the room is still loading', () => {
  const storage = new AsyncDocStorage();
  let slow: Harness;
  beforeAll(async () => {
    slow = await startHarness({ storage });
  });
  afterAll(async () => {
    await slow.stop();
  });

  it('applies to the connection waiting for its room: an observer made participant then edits', async () => {
    const id = await slow.createInitiative();
    const lead = await slow.join(id, 'lead');
    const ben = await slow.join(id, 'observer');
    storage.loadGate.close();
    const benClient = syncClient(slow.url, id, ben.token);
    clients.push(benClient);
    // His socket is open, his room not loaded yet: nothing has answered him.
    await vi.waitFor(() => expect(benClient.provider.wsconnected).toBe(true));
    expect(slow.convene.rooms.isLoaded(id)).toBe(false);
    const changed = await slow.api('PATCH', `/api/initiatives/${id}/members/${ben.memberId}`, { role: 'participant' });
    expect(changed.status).toBe(200);
    storage.loadGate.open();
    await benClient.synced;

    const leadClient = syncClient(slow.url, id, lead.token);
    clients.push(leadClient);
    await leadClient.synced;
    add(benClient.doc, 'Riverside Food Bank');
    await vi.waitFor(() => expect(names(leadClient.doc)).toEqual(['Riverside Food Bank']));
  });
});
