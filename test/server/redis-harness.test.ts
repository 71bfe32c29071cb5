/**
 * The throwaway Redis of the multi-process tests (test/support/redis.ts): it
 * answers on 127.0.0.1 without persistence, comes back empty after a crash,
 * leaves nothing behind when stopped, and says how to install redis-server when
 * it is missing. (The throwaway PostgreSQL's own checks are in pg-migrate.test.ts,
 * which starts one anyway.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { listening } from '../support/ports.ts';
import { INSTALL_REDIS, startRedis, type TestRedis } from '../support/redis.ts';

describe('throwaway Redis', () => {
  let redis: TestRedis | undefined;
  const clients: Redis[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.disconnect();
    await redis?.stop();
  });

  it('relays a message between two clients, comes back empty on the same port after a crash, and is gone once stopped', async () => {
    redis = await startRedis();
    const port = redis.port;
    expect(redis.url).toBe(`redis://127.0.0.1:${port}`);
    expect(existsSync(redis.dir)).toBe(true);
    const [publisher, subscriber] = [new Redis(redis.url, { maxRetriesPerRequest: 1 }), new Redis(redis.url)];
    clients.push(publisher, subscriber);
    // While the server is down the clients report refused connections; they retry by themselves.
    for (const c of clients) c.on('error', () => {});
    expect(await publisher.config('GET', 'bind')).toEqual(['bind', '127.0.0.1']);
    expect(await publisher.config('GET', 'save')).toEqual(['save', '']);
    const received: string[] = [];
    subscriber.on('message', (_channel: string, message: string) => received.push(message));
    await subscriber.subscribe('room:a');
    await publisher.set('kept', 'no');
    await publisher.publish('room:a', 'hello');
    await expect.poll(() => received, { timeout: 10_000 }).toEqual(['hello']);

    await redis.restart({ crash: true });
    expect(redis.port).toBe(port);
    // Nothing persisted: the key is gone; the clients reconnect by themselves.
    await expect.poll(() => publisher.get('kept').catch(() => 'unreachable'), { timeout: 10_000 }).toBeNull();

    await redis.stop();
    expect(await listening(port)).toBe(false);
    expect(existsSync(redis.dir)).toBe(false);
  });

  it('ends the Redis of a test process that was killed before it could stop it, at the next start', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/redis-child.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      child.once('exit', (code) => reject(new Error(`the child exited (${code}) before starting Redis`)));
    });
    const orphan = JSON.parse(line) as { port: number; dir: string };
    const killed = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await killed;
    expect(await listening(orphan.port)).toBe(true);
    redis = await startRedis();
    expect(await listening(orphan.port)).toBe(false);
    expect(existsSync(orphan.dir)).toBe(false);
  });

  it("never ends another test's live Redis whose pid a dead process's directory names (pids wrap)", async () => {
    const sibling = await startRedis();
    try {
      // A directory left by a process that is gone, whose pid file names a pid now reused by the sibling.
      const gone = spawn(process.execPath, ['-e', '']);
      const deadPid = await new Promise<number>((resolve) => gone.once('exit', () => resolve(gone.pid!)));
      const stale = mkdtempSync(join(tmpdir(), `convene-redis-${deadPid}-`));
      writeFileSync(join(stale, 'redis.pid'), `${readFileSync(join(sibling.dir, 'redis.pid'), 'utf8').trim()}\n`);
      redis = await startRedis();
      expect(existsSync(stale)).toBe(false);
      expect(await listening(sibling.port)).toBe(true);
    } finally {
      await sibling.stop();
    }
  });

  it('says how to install redis-server when it is missing', async () => {
    const saved = process.env.REDIS_SERVER;
    process.env.REDIS_SERVER = '/nonexistent/redis-server';
    try {
      await expect(startRedis()).rejects.toThrow(INSTALL_REDIS);
      expect(INSTALL_REDIS).toContain('apt-get install redis-server');
    } finally {
      if (saved === undefined) delete process.env.REDIS_SERVER;
      else process.env.REDIS_SERVER = saved;
    }
  });
});
