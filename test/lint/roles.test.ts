/**
 * Proves the ESLint rule that keeps who-may-do-what in one table bites: code
 * in src/ or server/ that compares or lists roles is an error; asking the table
 * is not; the contract itself may name roles.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
// The probes are not files of the TypeScript project: linted without types, and so without the two promise rules that need them.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
  },
});

/** The messages of `no-restricted-syntax` for `code` as if it lived at `path` (nothing is written). */
async function roleChecks(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

const ASK_THE_TABLE = /can\(role, action\)/;

// Loading the ESLint config (typescript-eslint) takes seconds on a busy machine.
describe('no role checks outside the contract (eslint)', { timeout: 60_000 }, () => {
  it('refuses comparing a role in a feature, in the shell and on the server', async () => {
    expect(await roleChecks('src/workflow/probe.ts', `export const steer = (role: string) => role === 'facilitator';\n`)).toEqual([
      expect.stringMatching(ASK_THE_TABLE),
    ]);
    expect(await roleChecks('src/app/probe.ts', `export const admin = (v: { role: string }) => v.role !== 'admin';\n`)).toEqual([
      expect.stringMatching(ASK_THE_TABLE),
    ]);
    expect(await roleChecks('server/probe.ts', `export const edit = (role: string) => 'observer' != role;\n`)).toEqual([
      expect.stringMatching(ASK_THE_TABLE),
    ]);
  });

  it('refuses lists and switches of roles', async () => {
    expect(await roleChecks('src/canvas/probe.ts', `export const IMPORTERS = new Set(['lead', 'facilitator', 'admin']);\n`)).toHaveLength(2);
    const switched = `export function label(role: string) {\n  switch (role) {\n    case 'participant':\n      return 1;\n    default:\n      return 0;\n  }\n}\n`;
    expect(await roleChecks('server/api/probe.ts', switched)).toEqual([expect.stringMatching(ASK_THE_TABLE)]);
  });

  it('lets code ask the table, and the contract name roles', async () => {
    const asking = `import { can } from '../contract/permissions.ts';\nexport const steer = (role: string) => can(role, 'steerWorkflow');\n`;
    expect(await roleChecks('src/workflow/probe.ts', asking)).toEqual([]);
    // Other comparisons with 'admin' are not about roles.
    expect(await roleChecks('server/probe.ts', `export const isAdmin = (p: { kind: string }) => p.kind === 'admin';\n`)).toEqual([]);
    expect(await roleChecks('src/contract/probe.ts', `export const STEERS = ['lead', 'facilitator'];\n`)).toEqual([]);
  });
});
