/**
 * One load process of `npm run bench:workshop` (started by ./workshopCrowd.ts,
 * several at once): a share of the room's people as BenchClients, moving their
 * pointers and editing as told, and timing the edits of everyone else.
 *
 * Why processes: 200 clients in one event loop queue behind each other (the
 * presence of 200 people arrives ten times a second at each of them), and the
 * wait in that queue was counted as the server's latency. Spread over several
 * processes, each loop has a share to handle.
 *
 * How edits are timed: an edit's value carries the moment it was sent (the
 * system's monotonic clock, `process.hrtime`, the same in every process),
 * taken just before the change that sends it; each receiving process notes the
 * moment its document applies it. No clock is compared across machines, and no
 * process's lag in *sending* is counted.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type * as Y from 'yjs';
import * as lib0Prng from 'lib0/prng';
import { BenchClient } from './workshopClients.ts';

/** The monotonic clock shared by every process of the machine, in ms. */
export const clockMs = () => Number(process.hrtime.bigint()) / 1e6;

export interface LoadPerson {
  index: number;
  token: string;
  name: string;
}

export type ToLoad =
  | { type: 'connect'; base: string; room: string; people: LoadPerson[]; watcher: number | null; editors: number[]; cursorHz: number; editHz: number; seed: number }
  | { type: 'start'; mode: 'presence on' | 'presence off'; rep: number }
  | { type: 'window'; on: boolean }
  | { type: 'progress' }
  | { type: 'collect' }
  | { type: 'seen' }
  | { type: 'close' };

/** What a load process counted in a measured window. */
export interface WindowCounts {
  moves: number;
  edits: string[];
  /** Per person of this process: presence messages and bytes received in the window. */
  presence: { messages: number; bytes: number }[];
  loopDelayP99Ms: number;
}

/** Per edit measured: its send time, how many people of this process got it, and when the last did. */
export type Arrivals = Record<string, { sent: number; count: number; last: number }>;

export type FromLoad =
  | { type: 'connected' }
  | { type: 'started' }
  | { type: 'window'; counts: WindowCounts | null }
  | { type: 'progress'; deliveries: number }
  | { type: 'collect'; latencies: number[]; arrivals: Arrivals }
  | { type: 'seen'; seen: number | null }
  | { type: 'closed' };

const round = (n: number) => Math.round(n * 10) / 10;

let clients: BenchClient[] = [];
let people: LoadPerson[] = [];
let watcher: BenchClient | null = null;
let editors: number[] = [];
let cursorHz = 10;
let editHz = 2;
let random: () => number = Math.random;
let tick: NodeJS.Timeout | null = null;
let measuring = false;
let moves = 0;
let sentInWindow: string[] = [];
let receivedAtStart: { messages: number; bytes: number }[] = [];
let loop: IntervalHistogram | null = null;
let latencies: number[] = [];
let arrivals: Arrivals = {};

const send = (message: FromLoad) => process.send!(message);

/** Notes every measured edit of someone else as each of our documents applies it. */
function observe(client: BenchClient): void {
  const map = client.doc.getMap<string>('edits');
  map.observe((event: Y.YMapEvent<string>) => {
    if (event.transaction.local) return;
    const now = clockMs();
    for (const key of event.keysChanged) {
      // "<id>|<sent at>|<measured>", the id being "<rep>|<mode>|<person>|<seq>".
      const parts = (map.get(key) ?? '').split('|');
      if (parts.length !== 6 || parts[5] !== '1') continue;
      const id = parts.slice(0, 4).join('|');
      const sent = Number(parts[4]);
      latencies.push(now - sent);
      const entry = (arrivals[id] ??= { sent, count: 0, last: 0 });
      entry.count++;
      entry.last = Math.max(entry.last, now);
    }
  });
}

function start(mode: 'presence on' | 'presence off', rep: number): void {
  const now0 = performance.now();
  const cursors = clients.map(() => ({ x: random() * 1200, y: random() * 700, next: now0 + random() * (1000 / cursorHz) }));
  const editsAt = editors.map(() => now0 + random() * (1000 / editHz));
  const editorClients = editors.map((index) => clients[people.findIndex((p) => p.index === index)]);
  let seq = 0;
  tick = setInterval(() => {
    const now = performance.now();
    if (mode === 'presence on') {
      clients.forEach((client, i) => {
        const c = cursors[i];
        if (now < c.next) return;
        // A late tick sends one move, as a throttled browser would, not a burst to catch up.
        c.next = Math.max(c.next + 1000 / cursorHz, now);
        if (measuring) moves++;
        c.x += (random() - 0.5) * 40;
        c.y += (random() - 0.5) * 40;
        client.setPresence({ board: 'stakeholders', cursor: { x: round(c.x), y: round(c.y) }, selection: [], dragging: null });
      });
    }
    editorClients.forEach((client, i) => {
      if (now < editsAt[i]) return;
      editsAt[i] = Math.max(editsAt[i] + 1000 / editHz, now);
      const id = `${rep}|${mode}|${editors[i]}|${seq++}`;
      if (measuring) sentInWindow.push(id);
      // The send time is taken last, just before the change that sends it.
      client.doc.getMap<string>('edits').set(`editor ${editors[i]}`, `${id}|${clockMs()}|${measuring ? 1 : 0}`);
    });
  }, 5);
}

// The benchmark gone (interrupted, killed): so is this process, its sockets with it.
process.once('disconnect', () => process.exit(0));

process.on('message', (message: ToLoad) => {
  void (async () => {
    switch (message.type) {
      case 'connect': {
        people = message.people;
        editors = message.editors;
        cursorHz = message.cursorHz;
        editHz = message.editHz;
        const generator = lib0Prng.create(message.seed);
        random = () => lib0Prng.real53(generator);
        clients = people.map((p) => new BenchClient(message.base, message.room, p.token, p.name, p.index === message.watcher));
        watcher = clients.find((c) => c.awareness !== null) ?? null;
        await Promise.all(clients.map((c) => c.synced));
        for (const client of clients) observe(client);
        return send({ type: 'connected' });
      }
      case 'start':
        start(message.mode, message.rep);
        return send({ type: 'started' });
      case 'window':
        if (message.on) {
          receivedAtStart = clients.map((c) => ({ messages: c.received.presenceMessages, bytes: c.received.presenceBytes }));
          moves = 0;
          sentInWindow = [];
          loop = monitorEventLoopDelay({ resolution: 5 });
          loop.enable();
          measuring = true;
          return send({ type: 'window', counts: null });
        }
        measuring = false;
        if (tick) clearInterval(tick);
        tick = null;
        loop?.disable();
        return send({
          type: 'window',
          counts: {
            moves,
            edits: sentInWindow,
            presence: clients.map((c, i) => ({
              messages: c.received.presenceMessages - receivedAtStart[i].messages,
              bytes: c.received.presenceBytes - receivedAtStart[i].bytes,
            })),
            loopDelayP99Ms: loop ? loop.percentile(99) / 1e6 : NaN,
          },
        });
      case 'progress':
        return send({ type: 'progress', deliveries: latencies.length });
      case 'collect': {
        const answer: FromLoad = { type: 'collect', latencies, arrivals };
        latencies = [];
        arrivals = {};
        return send(answer);
      }
      case 'seen': {
        if (!watcher?.awareness) return send({ type: 'seen', seen: null });
        const mine = watcher.awareness.clientID;
        // The watcher's own Awareness holds an empty state of its own id, and the server's copy of its presence.
        const seen = [...watcher.awareness.getStates().keys()].filter((k) => k !== mine && k !== watcher!.clientID).length;
        return send({ type: 'seen', seen });
      }
      case 'close':
        await Promise.all(clients.map((c) => c.close()));
        send({ type: 'closed' });
        return process.exit(0);
    }
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});
