/**
 * Proves that the architecture rules in .dependency-cruiser.cjs bite: temporary probe
 * files that break (or keep) each rule are cruised with the project's own config, and
 * deleted straight after, whatever happens.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const depcruise = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const CONFIG = '.dependency-cruiser.cjs';
/** What `npm run lint` cruises. */
const LINTED = ['machines', 'src', 'server', 'test', 'scripts', 'bench'];
const PROBE = '__lint_probe_';

interface Violation {
  type: string;
  from: string;
  to: string;
  rule: { name: string; severity: string };
  cycle?: Array<{ name: string }>;
}

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [depcruise, '--config', CONFIG, ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function violations(args: string[]): Promise<Violation[]> {
  const { stdout, stderr } = await run(['--output-type', 'json', ...args]);
  try {
    return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
  } catch {
    throw new Error(`dependency-cruiser printed no JSON.\n${stderr}\n${stdout.slice(0, 2000)}`);
  }
}

/** Unique per run, so parallel runs (and other engineers' files) never collide. */
const tag = `${process.pid}_${randomBytes(4).toString('hex')}`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes probes left behind by a run that was killed before its `finally` (their process is gone). */
async function sweepStaleProbes(dirs: Iterable<string>): Promise<void> {
  for (const dir of dirs) {
    const names = await readdir(join(root, dir)).catch(() => [] as string[]);
    for (const name of names) {
      const pid = new RegExp(`^${PROBE}(\\d+)_`).exec(name)?.[1];
      if (pid && !isAlive(Number(pid))) await rm(join(root, dir, name), { force: true });
    }
  }
}
const probe = (dir: string, name: string) => `${dir}/${PROBE}${tag}_${name}.ts`;

/** Probe files: path -> source. Imports use the project's `.ts` extension style. */
const files = {
  machinesReact: probe('machines', 'react'),
  machinesYjs: probe('machines', 'yjs'),
  machinesFs: probe('machines', 'fs'),
  machinesBuiltin: probe('machines', 'builtin'),
  machinesSchema: probe('machines', 'schema'),
  machinesXstate: probe('machines', 'xstate'),
  machinesMissing: probe('machines', 'missing'),
  cycleA: probe('machines', 'cycle_a'),
  cycleB: probe('machines', 'cycle_b'),
  srcYjs: probe('src', 'yjs'),
  srcSync: probe('src', 'ywebsocket'),
  syncSync: probe('src/sync', 'ywebsocket'),
  schemaYjs: probe('src/schema', 'yjs'),
  srcServer: probe('src', 'server'),
  serverTarget: probe('server', 'target'),
  serverApp: probe('server', 'app'),
  appTarget: probe('src', 'app_target'),
  serverSchema: probe('server', 'schema'),
  serverTest: probe('server', 'test'),
  testTarget: probe('test/lint', 'target'),
  contractReact: probe('src/contract', 'react'),
  contractSchema: probe('src/contract', 'schema'),
  contractAllowed: probe('src/contract', 'allowed'),
  shellTarget: probe('src/app', 'target'),
  featureShell: probe('src/home', 'shell'),
  kitShell: probe('src/kit', 'shell'),
  kitFeature: probe('src/kit', 'feature'),
  kitAllowed: probe('src/kit', 'allowed'),
  shellFeature: probe('src/app', 'feature'),
  browserBarrel: probe('src/workflow', 'barrel'),
  browserTypes: probe('src/workflow', 'types'),
};
const base = (path: string) => `./${path.split('/').pop()}`;
const sources: Record<string, string> = {
  [files.machinesReact]: `import { useState } from 'react';\nexport const probe = useState;\n`,
  [files.machinesYjs]: `import * as Y from 'yjs';\nexport const probe = Y;\n`,
  [files.machinesFs]: `import { readFileSync } from 'node:fs';\nexport const probe = readFileSync;\n`,
  [files.machinesBuiltin]: `export const probe = process.getBuiltinModule('node:fs');\n`,
  [files.machinesSchema]: `import { readModel } from '../src/schema/index.ts';\nexport const probe = readModel;\n`,
  [files.machinesXstate]: `import { setup } from 'xstate';\nimport { getShortestPaths } from 'xstate/graph';\nimport { STAGES } from './workflow.ts';\nexport const probe = [setup, getShortestPaths, STAGES];\n`,
  [files.machinesMissing]: `import { nothing } from './there-is-no-such-file.ts';\nexport const probe = nothing;\n`,
  [files.cycleA]: `import { b } from '${base(files.cycleB)}';\nexport const a = () => b;\n`,
  [files.cycleB]: `import { a } from '${base(files.cycleA)}';\nexport const b = () => a;\n`,
  [files.srcYjs]: `import type { Doc } from 'yjs';\nexport type Probe = Doc;\n`,
  [files.srcSync]: `import { WebsocketProvider } from 'y-websocket';\nexport const probe = WebsocketProvider;\n`,
  [files.syncSync]: `import { WebsocketProvider } from 'y-websocket';\nimport { Awareness } from 'y-protocols/awareness';\nexport const probe = [WebsocketProvider, Awareness];\n`,
  [files.schemaYjs]: `import * as Y from 'yjs';\nexport const probe = Y;\n`,
  [files.serverTarget]: `export const target = 1;\n`,
  [files.srcServer]: `import { target } from '../server/${base(files.serverTarget).slice(2)}';\nexport const probe = target;\n`,
  [files.appTarget]: `export const target = 1;\n`,
  [files.serverApp]: `import { target } from '../src/${base(files.appTarget).slice(2)}';\nexport const probe = target;\n`,
  [files.serverSchema]: `import { readModel } from '../src/schema/index.ts';
import { can } from '../src/contract/index.ts';
import * as Y from 'yjs';
export const probe = [readModel, can, Y];
`,
  [files.testTarget]: `export const target = 1;\n`,
  [files.serverTest]: `import { target } from '../test/lint/${base(files.testTarget).slice(2)}';\nexport const probe = target;\n`,
  [files.contractReact]: `import { useState } from 'react';\nexport const probe = useState;\n`,
  [files.contractSchema]: `import { readModel } from '../schema/index.ts';\nexport const probe = readModel;\n`,
  [files.contractAllowed]: `import { z } from 'zod';\nimport { STAGES } from '../../machines/workflow.ts';\nimport { can } from './index.ts';\nexport const probe = [z, STAGES, can];\n`,
  [files.shellTarget]: `export const target = 1;\n`,
  [files.featureShell]: `import { target } from '../app/${base(files.shellTarget).slice(2)}';\nexport const probe = target;\n`,
  [files.kitShell]: `import { target } from '../app/${base(files.shellTarget).slice(2)}';\nexport const probe = target;\n`,
  [files.kitFeature]: `import { cellStatus } from '../workflow/status.ts';\nexport const probe = cellStatus;\n`,
  [files.kitAllowed]: `import { can } from '../contract/permissions.ts';\nimport { readModel } from '../schema/index.ts';\nimport { api } from './api.ts';\nexport const probe = [can, readModel, api];\n`,
  [files.browserBarrel]: `import { can } from '../contract/index.ts';\nimport { COMMAND_SCHEMAS } from '../contract/commands.ts';\nexport const probe = [can, COMMAND_SCHEMAS];\n`,
  [files.browserTypes]: `import type { WorkflowView } from '../contract/index.ts';\nimport { can } from '../contract/permissions.ts';\nexport type Probe = WorkflowView;\nexport const probe = can;\n`,
  [files.shellFeature]: `import { Link } from '../kit/Link.tsx';\nimport { SignOut } from '../home/SignOut.tsx';\nexport const probe = [Link, SignOut];\n`,
};

/**
 * The config leaves probes out, so that `npm run lint` (and a concurrent run of this test)
 * never trips over a probe that lives for a moment; a CLI --exclude replaces the config's.
 */
function probeRunExclude(): string {
  const config = require(join(root, CONFIG)) as { options: { exclude: { path: string } } };
  const exclude = config.options.exclude.path;
  if (!exclude.endsWith(`|${PROBE}`)) throw new Error(`${CONFIG} should exclude ${PROBE} files last`);
  return exclude.slice(0, -`|${PROBE}`.length);
}

function rulesFrom(found: Violation[], from: string): string[] {
  return [...new Set(found.filter((v) => v.from === from).map((v) => v.rule.name))].sort();
}

describe('architecture boundaries (dependency-cruiser)', () => {
  let found: Violation[] = [];
  let errExitCode: number | null = null;
  let errOutput = '';

  beforeAll(async () => {
    await sweepStaleProbes(new Set(Object.keys(sources).map((path) => dirname(path))));
    try {
      for (const [path, source] of Object.entries(sources)) {
        await mkdir(join(root, dirname(path)), { recursive: true });
        await writeFile(join(root, path), source, { flag: 'wx' });
      }
      const probes = Object.keys(sources);
      const [json, err] = await Promise.all([
        violations(['--exclude', probeRunExclude(), ...probes]),
        run(['--exclude', probeRunExclude(), files.machinesReact]),
      ]);
      found = json;
      errExitCode = err.code;
      errOutput = err.stdout;
    } finally {
      await Promise.all(Object.keys(sources).map((path) => rm(join(root, path), { force: true })));
    }
    // Two cruises of the probes and what they import: slow on a busy machine.
  }, 90_000);

  it('passes on the current tree, as `npm run lint` cruises it', async () => {
    expect(await violations(LINTED)).toEqual([]);
  }, 90_000);

  it('fails the lint command (non-zero exit) on a violation', () => {
    expect(errExitCode).toBeGreaterThan(0);
    expect(errOutput).toContain('machines-only-xstate');
  });

  it('keeps machines/ away from react', () => {
    expect(rulesFrom(found, files.machinesReact)).toEqual(['machines-only-xstate']);
  });

  it('keeps machines/ away from yjs', () => {
    expect(rulesFrom(found, files.machinesYjs)).toEqual(['machines-only-xstate', 'yjs-only-in-schema-and-server']);
  });

  it('keeps machines/ away from Node core modules, imported or fetched with getBuiltinModule', () => {
    expect(rulesFrom(found, files.machinesFs)).toEqual(['machines-no-node-core']);
    expect(rulesFrom(found, files.machinesBuiltin)).toEqual(['machines-no-node-core']);
  });

  it('keeps machines/ away from src/', () => {
    expect(rulesFrom(found, files.machinesSchema)).toEqual(['machines-no-app-code']);
  });

  it('lets machines/ import xstate, its subpaths and each other', () => {
    expect(rulesFrom(found, files.machinesXstate)).toEqual([]);
  });

  it('reports an import that does not resolve', () => {
    expect(rulesFrom(found, files.machinesMissing)).toEqual(['not-to-unresolvable']);
  });

  it('reports a circular dependency', () => {
    const circular = found.filter((v) => v.rule.name === 'no-circular');
    expect(circular).toHaveLength(1);
    expect([files.cycleA, files.cycleB]).toContain(circular[0].from);
    expect(circular[0].cycle?.map((step) => step.name).sort()).toEqual([files.cycleA, files.cycleB].sort());
  });

  it('keeps yjs (even a type-only import) in src/schema and server/', () => {
    expect(rulesFrom(found, files.srcYjs)).toEqual(['yjs-only-in-schema-and-server']);
    expect(rulesFrom(found, files.schemaYjs)).toEqual([]);
  });

  it('keeps y-websocket and y-protocols in src/sync and server/', () => {
    expect(rulesFrom(found, files.srcSync)).toEqual(['sync-protocol-only-in-sync-and-server']);
    expect(rulesFrom(found, files.syncSync)).toEqual([]);
  });

  it('keeps src/ from importing server/', () => {
    expect(rulesFrom(found, files.srcServer)).toEqual(['src-not-server']);
  });

  it('lets server/ take only src/schema and src/contract from src/', () => {
    expect(rulesFrom(found, files.serverApp)).toEqual(['server-only-schema-and-contract-from-src']);
    expect(rulesFrom(found, files.serverSchema)).toEqual([]);
  });

  it('keeps src/contract to machines/, zod and itself', () => {
    expect(rulesFrom(found, files.contractReact)).toEqual(['contract-only-machines-and-zod']);
    expect(rulesFrom(found, files.contractSchema)).toEqual(['contract-only-machines-and-zod']);
    expect(rulesFrom(found, files.contractAllowed)).toEqual([]);
  });

  it('keeps features and the kit from importing the shell (src/app)', () => {
    expect(rulesFrom(found, files.featureShell)).toEqual(['features-not-shell']);
    expect(rulesFrom(found, files.kitShell)).toEqual(['features-not-shell', 'kit-not-features']);
    expect(rulesFrom(found, files.shellFeature)).toEqual([]);
  });

  it('keeps zod out of the browser: values from the zod-free contract modules, types from anywhere', () => {
    expect(rulesFrom(found, files.browserBarrel)).toEqual(['browser-contract-without-zod']);
    expect(found.filter((v) => v.from === files.browserBarrel)).toHaveLength(2);
    expect(rulesFrom(found, files.browserTypes)).toEqual([]);
  });

  it('keeps src/kit below the features: it takes only src/kit, src/contract and src/schema from src/', () => {
    expect(rulesFrom(found, files.kitFeature)).toEqual(['kit-not-features']);
    expect(rulesFrom(found, files.kitAllowed)).toEqual([]);
  });

  it('keeps production code from importing test/', () => {
    expect(rulesFrom(found, files.serverTest)).toEqual(['production-not-test']);
  });

  it('found nothing it was not asked to find', () => {
    const probes = new Set(Object.keys(sources));
    expect(found.filter((v) => !probes.has(v.from))).toEqual([]);
  });
});
