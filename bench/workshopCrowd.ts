/**
 * The room's people for `npm run bench:workshop`, spread over several load
 * processes (./workshopLoad.ts), driven from the benchmark: connect, start a
 * run, open and close its measured window, wait for its edits to reach
 * everyone, collect the timings.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { killOnExit } from '../scripts/serverProcess.ts';
import type { Arrivals, FromLoad, LoadPerson, ToLoad, WindowCounts } from './workshopLoad.ts';

type Reply<T extends FromLoad['type']> = Extract<FromLoad, { type: T }>;

class LoadProcess {
  private readonly waiting = new Map<string, (message: FromLoad) => void>();

  constructor(readonly child: ChildProcess) {
    child.on('message', (message: FromLoad) => {
      const resolve = this.waiting.get(message.type);
      this.waiting.delete(message.type);
      resolve?.(message);
    });
  }

  /** Sends `message` and resolves with the process's answer to it. */
  ask<T extends FromLoad['type']>(message: ToLoad, answer: T): Promise<Reply<T>> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`a load process exited (${code}) while asked to ${message.type}`));
      this.child.once('exit', onExit);
      this.waiting.set(answer, (reply) => {
        this.child.off('exit', onExit);
        resolve(reply as Reply<T>);
      });
      this.child.send(message);
    });
  }
}

export interface CrowdSettings {
  base: string;
  room: string;
  tokens: string[];
  editors: number;
  cursorHz: number;
  editHz: number;
  seed: number;
  processes: number;
}

export interface CrowdRun {
  counts: WindowCounts;
  latencies: number[];
  arrivals: Arrivals;
  /** Deliveries that had not arrived 10 s after the window. */
  lost: number;
}

export class Crowd {
  private constructor(
    private readonly loads: LoadProcess[],
    readonly size: number,
  ) {}

  /**
   * Everyone connected and synced: person i in process i mod `processes`, so
   * the editors (the first `editors` people) are spread too; the last person
   * decodes presence (see ./workshopClients.ts).
   */
  static async connect(settings: CrowdSettings): Promise<Crowd> {
    const script = fileURLToPath(new URL('./workshopLoad.ts', import.meta.url));
    const loads = Array.from({ length: settings.processes }, () => {
      const child = fork(script, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      killOnExit(child);
      return new LoadProcess(child);
    });
    const last = settings.tokens.length - 1;
    await Promise.all(
      loads.map((load, p) => {
        const people: LoadPerson[] = settings.tokens
          .map((token, index) => ({ index, token, name: `Person ${index}` }))
          .filter(({ index }) => index % settings.processes === p);
        const editors = people.map(({ index }) => index).filter((index) => index < settings.editors);
        return load.ask(
          { type: 'connect', base: settings.base, room: settings.room, people, watcher: last % settings.processes === p ? last : null, editors, cursorHz: settings.cursorHz, editHz: settings.editHz, seed: settings.seed + p },
          'connected',
        );
      }),
    );
    return new Crowd(loads, settings.tokens.length);
  }

  /** One run: `warmUpMs` of load, a measured window of `windowMs`, then every edit of the window awaited at everyone. */
  async run(mode: 'presence on' | 'presence off', rep: number, warmUpMs: number, windowMs: number, during: { begin(): void; end(): void }): Promise<CrowdRun> {
    await Promise.all(this.loads.map((l) => l.ask({ type: 'start', mode, rep }, 'started')));
    await sleep(warmUpMs);
    await Promise.all(this.loads.map((l) => l.ask({ type: 'window', on: true }, 'window')));
    during.begin();
    await sleep(windowMs);
    during.end();
    const windows = await Promise.all(this.loads.map((l) => l.ask({ type: 'window', on: false }, 'window')));
    const counts: WindowCounts = {
      moves: windows.reduce((sum, w) => sum + w.counts!.moves, 0),
      edits: windows.flatMap((w) => w.counts!.edits),
      presence: windows.flatMap((w) => w.counts!.presence),
      loopDelayP99Ms: Math.max(...windows.map((w) => w.counts!.loopDelayP99Ms)),
    };
    const expected = counts.edits.length * (this.size - 1);
    let delivered = 0;
    for (let waited = 0; waited <= 10_000; waited += 50) {
      const progress = await Promise.all(this.loads.map((l) => l.ask({ type: 'progress' }, 'progress')));
      delivered = progress.reduce((sum, p) => sum + p.deliveries, 0);
      if (delivered >= expected) break;
      await sleep(50);
    }
    const collected = await Promise.all(this.loads.map((l) => l.ask({ type: 'collect' }, 'collect')));
    const arrivals: Arrivals = {};
    for (const { arrivals: some } of collected)
      for (const [id, a] of Object.entries(some)) {
        const entry = (arrivals[id] ??= { sent: a.sent, count: 0, last: 0 });
        entry.count += a.count;
        entry.last = Math.max(entry.last, a.last);
      }
    return { counts, latencies: collected.flatMap((c) => c.latencies), arrivals, lost: Math.max(0, expected - delivered) };
  }

  /** How many of the others the person who decodes presence sees. */
  async seen(): Promise<number | null> {
    const answers = await Promise.all(this.loads.map((l) => l.ask({ type: 'seen' }, 'seen')));
    return answers.find((a) => a.seen !== null)?.seen ?? null;
  }

  async close(): Promise<void> {
    await Promise.all(this.loads.map((l) => l.ask({ type: 'close' }, 'closed').catch(() => undefined)));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
