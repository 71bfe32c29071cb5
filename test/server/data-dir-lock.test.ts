/**
 * One process per SQLite data directory (server/dataDirLock.ts, docs/deploy.md):
 * a second server process on the same directory is refused with a sentence and a
 * non-zero exit while the first serves on; the lock dies with its holder, kill -9
 * included; within one process the directory opens again after a close.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../../scripts/serverProcess.ts';
import { DataDirInUseError, DataDirLockError } from '../../server/dataDirLock.ts';
import { openSqliteStores } from '../../server/sqliteStores.ts';
import { call } from './sync-helpers.ts';

const started: ServerProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await s.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'convene-lock-'));
  dirs.push(dir);
  return dir;
}

async function start(dataDir: string): Promise<ServerProcess> {
  const s = await startServerProcess({ dataDir });
  started.push(s);
  return s;
}

/** Creates an initiative through the API; its id. */
async function createInitiative(s: ServerProcess, name: string): Promise<string> {
  const res = await call(s.url, 'POST', '/api/initiatives', s.adminToken, { name, issue: 'Youth homelessness' });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function initiativeNames(s: ServerProcess): Promise<string[]> {
  const res = await call(s.url, 'GET', '/api/initiatives', s.adminToken);
  expect(res.status).toBe(200);
  return (res.body as unknown as { name: string }[]).map((i) => i.name).sort();
}

describe('one server process per SQLite data directory', () => {
  it('a second process on the same directory is refused with a sentence naming the holder, and the first serves on', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    await createInitiative(first, 'Eastside Youth Partnership');

    const refused = await startServerProcess({ dataDir }).then(
      (s) => {
        started.push(s);
        return null;
      },
      (error: Error) => error.message,
    );
    expect(refused).not.toBeNull();
    // The exit code, then the one sentence on stderr.
    expect(refused).toContain('the server exited (1) before it was ready');
    expect(refused).toContain(
      `The data directory ${dataDir} is held by another Convene process (pid ${first.child.pid} on `,
    );
    expect(refused).toContain('set DATABASE_URL and REDIS_URL (docs/deploy.md)');
    expect(refused).not.toMatch(/\n\s+at /); // no stack trace

    // The first is untouched: it answers, takes a write, and still has what it had.
    await createInitiative(first, 'Northside Food Network');
    expect(await initiativeNames(first)).toEqual(['Eastside Youth Partnership', 'Northside Food Network']);
  });

  it('after kill -9 of the holder, a new process starts on the same directory with everything that was committed', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    await createInitiative(first, 'Eastside Youth Partnership');
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    // The lock file stays behind, with the dead holder's pid in it: it must not block.
    expect(existsSync(join(dataDir, 'convene.lock'))).toBe(true);

    const next = await start(dataDir);
    expect(await initiativeNames(next)).toEqual(['Eastside Youth Partnership']);
    // And it holds the directory in turn.
    await expect(startServerProcess({ dataDir })).rejects.toThrow(`(pid ${next.child.pid} on `);
  });

  it('the stores in this process are refused while another process holds the directory, and open once it stopped', async () => {
    const dataDir = tempDir();
    const holder = await start(dataDir);
    let caught: unknown;
    try {
      openSqliteStores(dataDir);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DataDirInUseError);
    expect((caught as DataDirInUseError).holder).toMatchObject({ pid: holder.child.pid });

    expect(await holder.stop()).toBe(0);
    const stores = openSqliteStores(dataDir);
    try {
      expect(await stores.ping()).toBe(true);
    } finally {
      await stores.close();
    }
  });

  it('within one process the directory opens again after a close, and a second opening shares the hold until both closed', async () => {
    const dataDir = tempDir();
    const a = openSqliteStores(dataDir);
    const b = openSqliteStores(dataDir);
    await a.close();
    // b still holds the directory for this process: another process is refused.
    await expect(startServerProcess({ dataDir })).rejects.toThrow('is held by another Convene process');
    await b.close();
    const again = openSqliteStores(dataDir);
    await again.close();
    // Closed for good: a process takes it.
    const s = await start(dataDir);
    expect(await initiativeNames(s)).toEqual([]);
  });

  it('a lock file that is no database stops the start with a sentence naming it, not a stack trace', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'convene.lock'), 'not a database, just some text someone left here '.repeat(100));
    expect(() => openSqliteStores(dataDir)).toThrow(DataDirLockError);
    const refused = await startServerProcess({ dataDir }).then(() => null, (error: Error) => error.message);
    expect(refused).toContain(`The lock file ${join(dataDir, 'convene.lock')} could not be used`);
    expect(refused).not.toMatch(/^\s+at /m);
  });
});
