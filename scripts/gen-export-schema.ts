/**
 * Writes docs/export.schema.json, the JSON Schema of the export format, from the
 * zod schema in src/schema/exportSchema.ts. Run after changing FIELDS or the format:
 *
 *   node --import tsx scripts/gen-export-schema.ts
 *
 * The text is formatted with the project's Prettier settings, so `npm run format`
 * leaves it alone; test/schema/exchange.test.ts fails when the committed file
 * differs from this output.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { z } from 'zod';
import { ExportSchema } from '../src/schema/exportSchema.ts';

export const EXPORT_SCHEMA_PATH = fileURLToPath(new URL('../docs/export.schema.json', import.meta.url));

/** The JSON Schema text, exactly as committed. */
export async function exportJsonSchema(): Promise<string> {
  const schema = z.toJSONSchema(ExportSchema, { target: 'draft-2020-12', io: 'input' });
  const options = (await prettier.resolveConfig(EXPORT_SCHEMA_PATH)) ?? {};
  return prettier.format(JSON.stringify(schema, null, 2), { ...options, parser: 'json' });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(EXPORT_SCHEMA_PATH, await exportJsonSchema());
  console.log(`wrote ${EXPORT_SCHEMA_PATH}`);
}
