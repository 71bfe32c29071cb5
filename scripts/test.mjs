// `npm test`: every test. Unit and server integration tests (Vitest), then the
// browser tests (Playwright driving the machine's Chromium against a fresh build).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(`No Chromium found at ${chromium}. The browser tests need one.
Install Debian's:   sudo apt-get update && sudo apt-get install -y chromium
or point CHROMIUM_PATH at another Chromium or Chrome binary.`);
  process.exit(1);
}

const bin = (pkg, file) => join(root, 'node_modules', pkg, file);
const steps = [
  ['Type check', [bin('typescript', 'bin/tsc'), '--noEmit', '-p', 'tsconfig.json']],
  ['Lint and import boundaries', ['npm', 'run', '--silent', 'lint']],
  ['Unit and integration tests', [bin('vitest', 'vitest.mjs'), 'run']],
  ['Client build for the browser tests', [bin('vite', 'bin/vite.js'), 'build', '--logLevel', 'warn']],
  ['Browser tests', [bin('@playwright/test', 'cli.js'), 'test']],
];
for (const [title, args] of steps) {
  console.log(`\n== ${title}`);
  const [command, rest] = args[0] === 'npm' ? ['npm', args.slice(1)] : [process.execPath, args];
  const result = spawnSync(command, rest, { cwd: root, stdio: 'inherit', env: { ...process.env, CHROMIUM_PATH: chromium } });
  if (result.status !== 0) {
    console.error(`\n${title} failed.`);
    process.exit(result.status ?? 1);
  }
}
