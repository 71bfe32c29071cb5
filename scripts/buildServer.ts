/**
 * `npm run build:server`: the server bundled into JavaScript by Vite
 * (scripts/vite.server.config.ts), so production runs it with plain Node
 * (`npm run start:prod`) and no TypeScript loader. Into dist-server/ of the
 * checkout, or `--out-dir <dir>`. It does not type-check: `npm run typecheck` does.
 *
 * The output is emptied first, so a source file removed since the last build
 * leaves nothing behind. An output outside the checkout (a test's temporary
 * directory) gets a package.json saying it is ES modules and a link to the
 * checkout's node_modules, so Node finds the packages left out of the bundle
 * (better-sqlite3) from there too.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');

/** Builds the server into `outDir` (dist-server/ by default); throws with the compiler's output when it fails. */
export function buildServer(outDir = join(root, 'dist-server')): string {
  const out = resolve(outDir);
  rmSync(out, { recursive: true, force: true });
  // Vite in a child process: the caller may itself be Vite (a Vitest test), and the build stays synchronous.
  const vite = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      join(root, 'scripts', 'vite.server.config.ts'),
      '--outDir',
      join(out, 'server'),
      '--emptyOutDir',
    ],
    { cwd: root, encoding: 'utf8' },
  );
  if (vite.status !== 0)
    throw new Error(`The server did not build (vite build --config scripts/vite.server.config.ts):\n${vite.stdout}${vite.stderr}`);
  if (!existsSync(join(out, 'server', 'main.js'))) throw new Error(`vite wrote no server/main.js into ${out}.`);
  const inside = !relative(root, out).startsWith('..');
  if (!inside) {
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'package.json'), '{ "type": "module", "private": true }\n');
    symlinkSync(join(root, 'node_modules'), join(out, 'node_modules'), 'dir');
  }
  return join(out, 'server', 'main.js');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--out-dir');
  try {
    const main = buildServer(at > 0 ? process.argv[at + 1] : undefined);
    console.log(`Built the server: ${relative(process.cwd(), main) || main} (run it with \`npm run start:prod\`).`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
