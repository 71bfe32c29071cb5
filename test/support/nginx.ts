/**
 * A throwaway nginx for tests (#14): the reference configuration itself
 * (docs/nginx.conf), with only what a test must change rewritten: its upstream
 * lists the ports of the test's server processes, it listens on a free port of
 * 127.0.0.1, and its pid file and logs live in a fresh temporary directory.
 * A stop that always ends it and removes the directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isProgram, ownPrefix, sweepOrphans } from './orphans.ts';
import { freePort, listening } from './ports.ts';

export const INSTALL_NGINX =
  'nginx is not installed: the tests of the reference deployment run docs/nginx.conf in a throwaway nginx. ' +
  'Install it with `apt-get install nginx-light` (Debian or Ubuntu), or set NGINX to its path.';

export const NGINX_CONF = resolve(fileURLToPath(import.meta.url), '../../../docs/nginx.conf');

export interface TestNginx {
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** The configuration it runs, as rewritten. */
  readonly conf: string;
  /** Ends nginx, waiting for it to exit, and removes its directory; safe to call twice. */
  stop(): Promise<void>;
}

export function nginxBin(): string | null {
  if (process.env.NGINX) return existsSync(process.env.NGINX) ? process.env.NGINX : null;
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/bin']) {
    if (dir && existsSync(join(dir, 'nginx'))) return join(dir, 'nginx');
  }
  return null;
}

/**
 * docs/nginx.conf for a test: in each of its upstreams, one `server` line per
 * port (with the reference's parameters), listening on `listenPort`, its files
 * under `dir`; without room affinity when `roomAffinity` is false (a test of a
 * room whose clients are on several processes, which affinity would put on one).
 * Throws when the reference no longer has what it rewrites, so the test never
 * runs a configuration other than the documented one by accident.
 */
export function testConfig(
  reference: string,
  upstreamPorts: readonly number[],
  listenPort: number,
  dir: string,
  { roomAffinity = true }: NginxOptions = {},
): string {
  let upstreams = 0;
  let conf = reference.replace(/^(\s*upstream \S+ \{\n)([^}]*)(\})/gm, (_block, head: string, body: string, tail: string) => {
    const upstream = /^(\s*)server 127\.0\.0\.1:\d+( [^;\n]*)?;\n/m.exec(body);
    if (!upstream) return head + body + tail;
    upstreams++;
    const lines = upstreamPorts.map((port) => `${upstream[1]}server 127.0.0.1:${port}${upstream[2] ?? ''};\n`).join('');
    return head + body.replace(/^\s*server 127\.0\.0\.1:\d+[^;\n]*;\n/gm, (_line, offset: number) => (offset === upstream.index ? lines : '')) + tail;
  });
  if (upstreams === 0)
    throw new Error(`${NGINX_CONF} has no upstream "server 127.0.0.1:<port> …;" line to point at the test's servers.`);
  if (!roomAffinity) {
    const affinity = /^\s*hash \$uri consistent;\n/m;
    if (!affinity.test(conf)) throw new Error(`${NGINX_CONF} no longer has "hash $uri consistent;": update test/support/nginx.ts with it.`);
    conf = conf.replace(affinity, '');
  }
  const swaps: [RegExp, string][] = [
    [/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${listenPort};`],
    [/^pid \S+;$/m, `pid ${join(dir, 'nginx.pid')};`],
    [/access_log \S+;/, `access_log ${join(dir, 'access.log')};`],
    [/error_log \S+;/, `error_log ${join(dir, 'error.log')};`],
  ];
  for (const [pattern, replacement] of swaps) {
    if (!pattern.test(conf))
      throw new Error(`${NGINX_CONF} no longer matches ${pattern}: update test/support/nginx.ts with it.`);
    conf = conf.replace(pattern, replacement);
  }
  return conf;
}

const PREFIX = 'convene-nginx-';
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

export interface NginxOptions {
  /** docs/nginx.conf's room affinity (`hash $uri consistent;`): on unless false. */
  roomAffinity?: boolean;
}

/** Starts nginx with docs/nginx.conf in front of the servers on `upstreamPorts`; resolves once it accepts connections. */
export async function startNginx(upstreamPorts: readonly number[], options: NginxOptions = {}): Promise<TestNginx> {
  const bin = nginxBin();
  if (!bin) throw new Error(INSTALL_NGINX);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const child of live) child.kill('SIGKILL');
    });
  }
  sweepOrphans(PREFIX, (old) => {
    const pid = Number(readFileSync(join(old, 'nginx.pid'), 'utf8').trim());
    if (isProgram(pid, 'nginx', old)) process.kill(pid, 'SIGKILL');
  });
  const dir = mkdtempSync(join(tmpdir(), ownPrefix(PREFIX)));
  // Run as root, nginx's workers are `nobody`: they must reach the temporary files it makes here.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const conf = testConfig(readFileSync(NGINX_CONF, 'utf8'), upstreamPorts, port, dir, options);
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const child = spawn(bin, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => (live.delete(child), done())));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      // QUIT: nginx's graceful stop; TERM would do too.
      child.kill('SIGQUIT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  while (!(await listening(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`nginx did not start on port ${port}: ${output.trim() || 'no output'}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, url: `http://127.0.0.1:${port}`, conf, stop };
}
