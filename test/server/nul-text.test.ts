/**
 * A NUL character (U+0000) in a JSON body (server/http/nul.ts): SQLite would
 * store it, PostgreSQL's text cannot, so every JSON body route refuses it with a
 * 400 naming the field, before anything is stored, on either database. Checked
 * on the checker itself (nested objects and arrays, keys, deep nesting), on
 * readJson, and through the real API of a server on SQLite and one on PostgreSQL;
 * so are the other ways text comes in: a CSV of values (the row and column
 * named), an import file (said like any other problem of the file) and an
 * address (an id or a file name in the query).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { HttpError, NulInBody, readJson } from '../../server/http/http.ts';
import { mayHoldNul, NUL_IN_TEXT, nulIssues } from '../../server/http/nul.ts';
import { openPostgresStores } from '../../server/pg/stores.ts';
import { filePostgres, PG_START_TIMEOUT } from './contract-databases.ts';
import { startHarness, type Harness } from './harness.ts';
import { addIndicators, rawCall } from './measures-helpers.ts';

const N = '\u0000';

describe('nulIssues', () => {
  it('names every string and key holding a NUL, through nested objects and arrays, in document order', () => {
    const body = {
      name: `Nul${N}Name`,
      issue: 'clean',
      rows: [{ note: 'fine' }, { note: `a${N}b`, tags: ['x', `${N}`] }],
      deep: { deeper: { [`ke${N}y`]: 'value', text: `${N}` } },
    };
    expect(nulIssues(body)).toEqual([
      { path: 'name', message: NUL_IN_TEXT },
      { path: 'rows.1.note', message: NUL_IN_TEXT },
      { path: 'rows.1.tags.1', message: NUL_IN_TEXT },
      { path: 'deep.deeper', message: expect.stringContaining('The key "ke\\u0000y" holds a NUL character (U+0000)') },
      { path: 'deep.deeper.text', message: NUL_IN_TEXT },
    ]);
  });

  it('a top-level string or array names the body or the position', () => {
    expect(nulIssues(`x${N}`)).toEqual([{ path: '(body)', message: NUL_IN_TEXT }]);
    expect(nulIssues(['ok', `x${N}`]).map((i) => i.path)).toEqual(['1']);
  });

  it('finds nothing in text without a NUL, whatever else it holds (numbers, nulls, a written "\\u0000")', () => {
    const clean = { a: 1, b: null, c: true, d: ['\\u0000', 'Ünïcødé ✓', '\u0001\t'], e: {} };
    expect(nulIssues(clean)).toEqual([]);
    expect(mayHoldNul(JSON.stringify(clean))).toBe(true); // the prefilter may say yes; the walk decides
    expect(mayHoldNul(JSON.stringify({ a: 'plain' }))).toBe(false);
  });

  it('stops at the limit, and answers on nesting deeper than the stack', () => {
    expect(nulIssues(Array.from({ length: 100 }, () => N), 5)).toHaveLength(5);
    let deep: unknown = N;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const issues = nulIssues(deep);
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe(Array.from({ length: 200_000 }, () => '0').join('.'));
  });
});

/** A request as node:http hands it to a route: a stream of the body with its headers. */
const request = (text: string) =>
  Object.assign(Readable.from([Buffer.from(text, 'utf8')]), {
    headers: { 'content-type': 'application/json' },
  }) as unknown as IncomingMessage;

describe('readJson', () => {
  it('refuses a body with a NUL in any text: a 400 naming the first field, every place listed', async () => {
    const refused = await readJson(request(JSON.stringify({ name: `Nul${N}Name`, rows: [{ note: `x${N}` }] }))).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(NulInBody);
    expect(refused).toBeInstanceOf(HttpError);
    const error = refused as HttpError;
    expect(error.status).toBe(400);
    expect(error.message).toBe(`Invalid name: ${NUL_IN_TEXT}`);
    expect(error.body).toEqual({
      field: 'name',
      issues: [
        { path: 'name', message: NUL_IN_TEXT },
        { path: 'rows.0.note', message: NUL_IN_TEXT },
      ],
    });
  });

  it('reads a body without one as before', async () => {
    expect(await readJson(request(JSON.stringify({ name: 'A \\u0000 written out', n: 1 })))).toEqual({
      name: 'A \\u0000 written out',
      n: 1,
    });
  });
});

describe('a NUL in a name through the API', () => {
  const pg = filePostgres();
  const servers: Harness[] = [];
  beforeAll(() => pg.database(), PG_START_TIMEOUT);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  /** A server on a fresh PostgreSQL database (every table emptied). */
  const pgServer = async () => {
    await (await pg.fresh(1)).end();
    const stores = await openPostgresStores(await pg.database());
    const h = await startHarness({ stores, lock: stores.lock });
    servers.push(h);
    return h;
  };

  const refusesAndStoresNothing = async (h: Harness) => {
    const res = await h.api('POST', '/api/initiatives', { name: `Nul${N}Name`, issue: 'Pollution of the river' });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('name');
    expect(res.body.error).toBe(`Invalid name: ${NUL_IN_TEXT}`);
    expect(res.body.issues).toEqual([{ path: 'name', message: NUL_IN_TEXT }]);
    const list = await h.api('GET', '/api/initiatives');
    expect(list.status).toBe(200);
    expect(list.body).toEqual([]);
    // The same name without the NUL is taken.
    expect((await h.api('POST', '/api/initiatives', { name: 'NulName', issue: 'Pollution of the river' })).status).toBe(
      201,
    );
  };

  it('a server on SQLite answers 400 naming the field and stores nothing', async () => {
    const h = await startHarness();
    servers.push(h);
    await refusesAndStoresNothing(h);
  });

  it('a server on PostgreSQL answers the same 400, not a 500', async () => {
    const h = await pgServer();
    await refusesAndStoresNothing(h);
  });

  it('on PostgreSQL, nor through a CSV of values, an import file or an address: each a 400 in words, nothing stored', async () => {
    const h = await pgServer();
    const id = await h.createInitiative('Riverbend Clean Water Partnership');
    const lead = await h.invite(id, 'lead', 'Lena Lead');
    await addIndicators(h, id, [{ name: 'Nitrate level', unit: 'mg/L' }]);

    // A CSV whose second value's note holds one: that row and column named, no value written.
    const csv = ['indicator,date,value,subgroup,note', 'Nitrate level,2025-06-30,4.2,,', `Nitrate level,2025-09-30,3.9,,after${N}rain`].join('\n');
    const refused = await rawCall(h, 'POST', `/api/initiatives/${id}/measurements`, lead, csv, 'text/csv');
    expect(refused.status, refused.text).toBe(400);
    expect(JSON.parse(refused.text).issues).toEqual([{ row: 3, field: 'note', message: expect.stringContaining('holds a NUL character (U+0000)') }]);
    expect((await h.api('GET', `/api/initiatives/${id}/measurements`, undefined, lead)).body).toEqual([]);

    // An import file holding one: said as a problem of the file, where it is, not "this file is not JSON".
    const empty = await h.createInitiative('Harbor Literacy Alliance');
    const file = { format: 'convene.initiative', version: 1, initiative: { name: `Har${N}bor`, issue: 'Literacy' }, entities: [], placements: {} };
    const imported = await h.api('POST', `/api/initiatives/${empty}/import`, file);
    expect(imported.status).toBe(400);
    expect(imported.body.issues).toEqual([{ path: 'initiative.name', message: NUL_IN_TEXT }]);

    // An address holding one: an id, or a file name in the query (kept in the workflow's history).
    for (const path of [`/api/initiatives/${id}%00`, `/api/initiatives/${empty}/import?file=notes%00.json`]) {
      const res = await h.api(path.includes('import') ? 'POST' : 'GET', path, path.includes('import') ? { ...file, initiative: { name: 'Harbor', issue: 'Literacy' } } : undefined);
      expect(res.status, path).toBe(400);
      expect(res.body.error).toBe('A NUL character (%00) is not allowed in an address.');
    }
  });
});
