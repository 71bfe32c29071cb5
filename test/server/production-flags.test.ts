/**
 * The production server's Node flags (PRODUCTION_NODE_FLAGS, scripts/serverProcess.ts)
 * are given the same way wherever it starts: `npm run start:prod` (package.json),
 * docs/deploy.md's systemd unit, and the compiled build's starts in tests and
 * benchmarks (scripts/serverProcess.ts; compiled-build.test.ts reads them in the
 * process's command line).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRODUCTION_NODE_FLAGS } from '../../scripts/serverProcess.ts';

const root = resolve(fileURLToPath(import.meta.url), '../../..');

/** The node flags in a command line before `script`. */
function flagsBefore(command: string, script: string): string[] {
  const words = command.trim().split(/\s+/);
  const at = words.indexOf(script);
  expect(at, `${script} in "${command}"`).toBeGreaterThan(0);
  return words.slice(1, at).filter((w) => w.startsWith('--'));
}

describe('the production node flags', () => {
  it('are a young generation and an old-generation ceiling', () => {
    expect(PRODUCTION_NODE_FLAGS).toEqual(['--max-semi-space-size=2', '--max-old-space-size=1024']);
  });

  it('are what npm run start:prod gives node', () => {
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(flagsBefore(pkg.scripts['start:prod'], 'scripts/start-prod.mjs')).toEqual(PRODUCTION_NODE_FLAGS);
  });

  it("are what docs/deploy.md's systemd unit gives node", () => {
    const deploy = readFileSync(resolve(root, 'docs', 'deploy.md'), 'utf8');
    const exec = /^ExecStart=(.*)$/m.exec(deploy);
    expect(exec, 'an ExecStart line in docs/deploy.md').not.toBeNull();
    expect(flagsBefore(exec![1], 'dist-server/server/main.js')).toEqual(PRODUCTION_NODE_FLAGS);
  });
});
