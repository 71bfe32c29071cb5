/**
 * Takes WAL checkpoints off the event loop. SQLite's automatic checkpoint runs
 * inside whichever commit crosses the threshold and fsyncs the database there,
 * which stalls that one update (and the relay behind it) by tens of
 * milliseconds. Instead, the main connection stops checkpointing and a worker
 * thread with its own connection runs passive checkpoints every second; those
 * never block writers.
 *
 * The WAL starts again from its beginning only at a commit that finds every
 * frame copied. Under steady writes one pass never gets there (the main
 * connection commits while it copies), so the file grew by every commit, for as
 * long as the writes went on: a pass that leaves frames is followed at once by
 * another, which copies only the few written meanwhile and usually completes
 * (docs/performance.md, session 22).
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type { Db } from '../db.ts';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename);
db.pragma('busy_timeout = 5000');
const checkpoint = ${checkpoint.toString()};
const timer = setInterval(() => {
  try { checkpoint(db); } catch (error) { parentPort.postMessage(String(error)); }
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); process.exit(0); });
`;

/** What `checkpoint` needs of a connection (better-sqlite3's Database). */
export interface Checkpointing {
  pragma(source: string): unknown;
}

/**
 * Passive checkpoints, one after the other, until one finds no frame the one
 * before it did not (at most 5). A pass copies the frames there were when it
 * began; when the next finds no more, none came meanwhile: everything is
 * copied, and the next commit starts the WAL again from its beginning. The
 * worker runs this function's source, so it uses nothing from outside itself.
 */
export function checkpoint(db: Checkpointing): void {
  let frames = -1;
  for (let pass = 0; pass < 5; pass++) {
    const [done] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
    if (done.log === frames) return;
    frames = done.log;
  }
}

export class BackgroundCheckpointer {
  private readonly worker: Worker;

  constructor(db: Db, intervalMs = 1000, onError: (message: string) => void = () => {}) {
    db.pragma('wal_autocheckpoint = 0');
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER, { eval: true, workerData: { driver, filename: db.name, intervalMs } });
    this.worker.on('message', onError);
    this.worker.on('error', (error) => onError(String(error)));
    this.worker.unref();
  }

  /** Stops the worker; the main connection checkpoints the rest when it closes. */
  async stop(): Promise<void> {
    this.worker.ref();
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.postMessage('stop');
    await exited;
  }
}
