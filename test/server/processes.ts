/**
 * Server child processes for one test file: `start` runs one, and after each
 * test every one still running is killed and only then is its data directory
 * removed (removing it under a live server races the files it is writing).
 */
import { afterEach } from 'vitest';
import { rmSync } from 'node:fs';
import { startServerProcess, type ServerProcess } from '../../scripts/serverProcess.ts';

export function serverProcesses(): (...args: Parameters<typeof startServerProcess>) => Promise<ServerProcess> {
  const servers: ServerProcess[] = [];
  afterEach(async () => {
    const ended = servers.splice(0);
    for (const server of ended) {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
      await server.exited;
    }
    for (const dir of new Set(ended.map((server) => server.dataDir))) rmSync(dir, { recursive: true, force: true });
  });
  return async (...args) => {
    const server = await startServerProcess(...args);
    servers.push(server);
    return server;
  };
}
