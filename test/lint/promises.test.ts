/**
 * Proves the two type-aware ESLint rules of server/ bite (#14: every store
 * answers a promise): a store call tested as a condition, and one neither
 * awaited nor marked `void`, are errors; awaiting them is not.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const eslint = new ESLint({ cwd: root });

/** The promise rules' findings for `code` as if it were server/lock.ts (a file of the project; nothing is written). */
async function promiseChecks(code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, 'server/lock.ts') });
  return result.messages.filter((m) => m.ruleId?.includes('promises') || m.fatal).map((m) => `${m.line}: ${m.ruleId ?? 'fatal'}`);
}

const header = `import type { PeopleStore } from './people/types.ts';\n`;

// Type information for a file takes a TypeScript program: seconds on a busy machine.
describe('store promises on the server (eslint, with types)', { timeout: 120_000 }, () => {
  it('refuses a store call tested as a condition and one left floating', async () => {
    const code = `${header}export async function leave(people: PeopleStore): Promise<boolean> {\n  if (people.member('a', 'm')) return true;\n  people.seen('m');\n  return false;\n}\n`;
    expect(await promiseChecks(code)).toEqual(['3: @typescript-eslint/no-misused-promises', '4: @typescript-eslint/no-floating-promises']);
  });

  it('lets the server await them, or say it does not wait with void', async () => {
    const code = `${header}export async function leave(people: PeopleStore): Promise<boolean> {\n  if (await people.member('a', 'm')) return true;\n  void people.seen('m');\n  return false;\n}\n`;
    expect(await promiseChecks(code)).toEqual([]);
  });
});
