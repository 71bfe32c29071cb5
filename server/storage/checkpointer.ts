/**
 * Takes WAL checkpoints off the event loop. SQLite's automatic checkpoint runs
 * inside whichever commit crosses the threshold and fsyncs the database there,
 * which stalls that one update (and the relay behind it) by tens of
 * milliseconds. Instead, the main connection stops checkpointing and a worker
 * thread with its own connection runs passive checkpoints every second; those
 * never block writers.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type { Db } from '../db.ts';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage(String(error)); }
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); process.exit(0); });
`;

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
