/**
 * A test process that starts a throwaway Redis, prints `{ port, dir }` as one
 * JSON line and waits to be killed: test/server/redis-harness.test.ts kills it
 * with SIGKILL to leave an orphan behind and checks that the next start ends it.
 */
import { startRedis } from './redis.ts';

const redis = await startRedis();
process.stdout.write(`${JSON.stringify({ port: redis.port, dir: redis.dir })}\n`);
setInterval(() => {}, 60_000);
