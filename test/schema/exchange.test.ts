import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import { isEmptyDoc, readModel, updateEntity } from '../../src/schema/model.ts';
import { richDoc } from './rich-doc.ts';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  ExportSchema,
  exportInitiative,
  ImportError,
  importInitiative,
  parseExport,
  type InitiativeExport,
} from '../../src/schema/exchange.ts';
import { checkValue, FIELDS, type FieldSpec } from '../../src/schema/fields.ts';
import { ENTITY_KINDS, type EntityKind } from '../../machines/entities.ts';
import { EXPORT_SCHEMA_PATH, exportJsonSchema } from '../../scripts/gen-export-schema.ts';

const meta = { id: 'init-1', name: 'Meadow County Coalition for Healthy Youth', issue: 'Teen substance use' };
const NOW = new Date('2026-05-12T09:30:00.000Z');

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const richExport = () => exportInitiative(richDoc(), meta, NOW);

describe('exportInitiative', () => {
  it('writes the versioned format: every entity in kind order then id, every board', () => {
    const data = richExport();
    expect(data).toMatchObject({
      format: 'convene.initiative',
      version: 1,
      exportedAt: '2026-05-12T09:30:00.000Z',
      initiative: meta,
    });
    const kinds = data.entities.map((e) => ENTITY_KINDS.indexOf(e.kind));
    expect(kinds).toEqual([...kinds].sort((a, b) => a - b));
    for (const kind of ENTITY_KINDS) {
      const ids = data.entities.filter((e) => e.kind === kind).map((e) => e.id);
      expect(ids).toEqual([...ids].sort());
      expect(ids.length).toBeGreaterThan(0);
    }
    expect(Object.keys(data.placements)).toEqual(['stakeholders', 'boundaries', 'framework', 'governance']);
    for (const board of Object.values(data.placements)) expect(Object.keys(board).length).toBeGreaterThan(0);
    // Fields in FIELDS order after kind and id, so files diff well.
    const stakeholder = data.entities.find((e) => e.kind === 'stakeholder')!;
    expect(Object.keys(stakeholder)).toEqual(['kind', 'id', ...Object.keys(FIELDS.stakeholder)]);
    expect(parseExport(data)).toEqual({ ok: true, data });
  });

  it('round trips: import into an empty document, export again, identical', () => {
    const data = richExport();
    const target = new Y.Doc();
    importInitiative(target, clone(data));
    expect(exportInitiative(target, meta, NOW)).toEqual(data);
  });

  it('imports in one transaction, and the text fields merge like any other', () => {
    const target = new Y.Doc();
    let updates = 0;
    target.on('update', () => updates++);
    importInitiative(target, clone(richExport()));
    expect(updates).toBe(1);
    const strategy = readModel(target).entities.strategy[0];
    updateEntity(target, strategy.id, { name: 'Parent education and support' });
    expect(readModel(target).entities.strategy[0].name).toBe('Parent education and support');
  });

  it('an empty document exports its three empty singletons and empty boards', () => {
    const data = exportInitiative(new Y.Doc(), meta, NOW);
    expect(data.entities).toEqual([
      { kind: 'problem', id: 'problem', description: '' },
      { kind: 'goal', id: 'goal', statement: '' },
      { kind: 'evaluation', id: 'evaluation', approach: '' },
    ]);
    expect(data.placements).toEqual({ stakeholders: {}, boundaries: {}, framework: {}, governance: {} });
    expect(parseExport(JSON.stringify(data)).ok).toBe(true);
  });
});

describe('parseExport', () => {
  const issuesOf = (json: unknown) => {
    const result = parseExport(json);
    if (result.ok) throw new Error('expected issues');
    return result.issues;
  };
  const indexOf = (data: InitiativeExport, kind: EntityKind) => data.entities.findIndex((e) => e.kind === kind);

  it('names each failing field by its JSON path', () => {
    const data = clone(richExport()) as unknown as { entities: Record<string, unknown>[] };
    const s = indexOf(data as unknown as InitiativeExport, 'stakeholder');
    const b = indexOf(data as unknown as InitiativeExport, 'baseline');
    const i = indexOf(data as unknown as InitiativeExport, 'indicator');
    data.entities[s].influence = 7;
    data.entities[s].sector = 'aliens';
    data.entities[s].colour = 'red';
    data.entities[b].date = '2024-02-30';
    (data.entities[i].measurements as { value: unknown }[])[1].value = 'high';
    const issues = issuesOf(data);
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: `entities.${s}.influence`, message: 'Stakeholder influence must be a whole number from 1 to 5.' },
        {
          path: `entities.${s}.sector`,
          message: expect.stringMatching(/^Stakeholder sector must be one of: government, /),
        },
        { path: `entities.${s}.colour`, message: 'Unknown field "colour".' },
        { path: `entities.${b}.date`, message: 'Baseline data date must be a date (YYYY-MM-DD).' },
        { path: `entities.${i}.measurements.1.value`, message: expect.stringMatching(/measurements/) },
      ]),
    );
    expect(issues).toHaveLength(5);
  });

  it('refuses unknown kinds, missing fields and a singleton under another id', () => {
    const data = clone(richExport()) as unknown as { entities: Record<string, unknown>[] };
    data.entities.push({ kind: 'alien', id: 'x' });
    data.entities.push({ kind: 'principle', id: 'p-new' });
    data.entities.push({ kind: 'goal', id: 'goal-2', statement: '' });
    data.entities.push({ kind: 'principle', id: 'goal', statement: 'squats' });
    const n = data.entities.length;
    const paths = issuesOf(data).map((issue) => issue.path);
    expect(paths).toEqual([
      `entities.${n - 4}.kind`,
      `entities.${n - 3}.statement`,
      `entities.${n - 2}.id`,
      `entities.${n - 1}.id`,
    ]);
  });

  it('checks references: missing ids, wrong kinds, self-links, duplicate ids, placements', () => {
    const data = clone(richExport());
    const rel = indexOf(data, 'relationship');
    const effort = indexOf(data, 'effort');
    const activity = indexOf(data, 'activity');
    const backbone = indexOf(data, 'backbone');
    const group = indexOf(data, 'group');
    const strategyId = data.entities[indexOf(data, 'strategy')].id;
    const relationship = data.entities[rel] as { source: string; target: string };
    relationship.target = relationship.source;
    (data.entities[effort] as { stakeholderIds: string[] }).stakeholderIds.push('ghost');
    (data.entities[activity] as { strategyId: string | null }).strategyId = data.entities[effort].id;
    (data.entities[backbone] as { functions: Record<string, string[]> }).functions.communications = [strategyId];
    (data.entities[group] as { parentId: string | null }).parentId = data.entities[group].id;
    data.entities.push(clone(data.entities[indexOf(data, 'principle')]));
    data.placements.boundaries[strategyId] = { x: 0, y: 0 };
    data.placements.governance.nowhere = { x: 0, y: 0 };
    const issues = issuesOf(data);
    const ghostAt = (data.entities[effort] as { stakeholderIds: string[] }).stakeholderIds.length - 1;
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: `entities.${rel}.target`, message: 'A relationship joins two different parties.' },
        { path: `entities.${effort}.stakeholderIds.${ghostAt}`, message: 'No entity with id "ghost" in this file.' },
        {
          path: `entities.${activity}.strategyId`,
          message: expect.stringMatching(/is a effort; this field takes a strategy/),
        },
        {
          path: `entities.${backbone}.functions.communications.0`,
          message: expect.stringMatching(/takes a stakeholder/),
        },
        { path: `entities.${group}.parentId`, message: 'A group cannot be its own parent.' },
        { path: `entities.${data.entities.length - 1}.id`, message: expect.stringMatching(/^Duplicate id/) },
        { path: `placements.boundaries.${strategyId}`, message: 'The boundaries board does not show a strategy.' },
        { path: 'placements.governance.nowhere', message: 'No entity with id "nowhere" in this file.' },
      ]),
    );
    expect(issues).toHaveLength(8);
  });

  it('says plainly when the file is another format, a newer version, or not JSON', () => {
    expect(issuesOf('{"format":')).toEqual([{ path: '(file)', message: 'The file is not valid JSON.' }]);
    expect(issuesOf([])).toEqual([{ path: '(file)', message: 'An export is a JSON object.' }]);
    expect(issuesOf({ hello: 'world' })).toEqual([
      { path: 'format', message: expect.stringMatching(/not a Convene initiative export/) },
    ]);
    expect(issuesOf({ ...richExport(), version: 2 })).toEqual([
      {
        path: 'version',
        message: expect.stringMatching(/format version 2, from a newer Convene; this one reads version 1/),
      },
    ]);
    expect(issuesOf({ ...richExport(), version: 0 })).toEqual([{ path: 'version', message: 'version must be 1.' }]);
    expect(issuesOf({ ...richExport(), exportedAt: 'yesterday' })).toEqual([
      { path: 'exportedAt', message: 'exportedAt must be an ISO 8601 date and time.' },
    ]);
    const { placements: _placements, ...noPlacements } = richExport();
    expect(issuesOf(noPlacements).map((i) => i.path)).toEqual(['placements']);
  });

  it('accepts what a document can hold: an empty name (emptied by concurrent deletes)', () => {
    const data = clone(richExport());
    (data.entities[indexOf(data, 'stakeholder')] as { name: string }).name = '';
    expect(parseExport(data).ok).toBe(true);
  });
});

describe('importInitiative', () => {
  it('refuses a document that is not empty, and writes nothing', () => {
    const target = new Y.Doc();
    updateEntity(target, 'goal', { statement: 'Already here' });
    const before = Y.encodeStateAsUpdate(target);
    let caught: unknown;
    try {
      importInitiative(target, clone(richExport()));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ImportError);
    expect((caught as ImportError).reason).toBe('not-empty');
    expect(Y.encodeStateAsUpdate(target)).toEqual(before);
  });

  it('refuses an invalid file with its issues, and writes nothing', () => {
    const data = clone(richExport()) as unknown as { entities: Record<string, unknown>[] };
    data.entities[0].sector = 'aliens';
    const target = new Y.Doc();
    let caught: unknown;
    try {
      importInitiative(target, data);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ImportError);
    expect((caught as ImportError).reason).toBe('invalid');
    expect((caught as ImportError).issues).toEqual([{ path: 'entities.0.sector', message: expect.any(String) }]);
    expect(isEmptyDoc(target)).toBe(true);
  });

  it('keeps texts exactly (no trimming) and positions as they were', () => {
    const data = clone(richExport());
    const s = data.entities.find((e) => e.kind === 'stakeholder')!;
    (s as { name: string }).name = '  Spaced  ';
    data.placements.stakeholders[s.id] = { x: 10.5, y: -0.25 };
    const target = new Y.Doc();
    importInitiative(target, data);
    const model = readModel(target);
    expect(model.entities.stakeholder.find((x) => x.id === s.id)?.name).toBe('  Spaced  ');
    expect(model.placements.stakeholders[s.id]).toEqual({ x: 10.5, y: -0.25 });
  });
});

describe('the JSON Schema', () => {
  it('docs/export.schema.json is the generated one (run `node --import tsx scripts/gen-export-schema.ts`)', async () => {
    expect(readFileSync(EXPORT_SCHEMA_PATH, 'utf8')).toBe(await exportJsonSchema());
  });

  it('names the format and version, and lists every entity kind', async () => {
    const schema = JSON.parse(await exportJsonSchema());
    expect(schema.properties.format.const).toBe(EXPORT_FORMAT);
    expect(schema.properties.version.const).toBe(EXPORT_VERSION);
    const kinds = schema.properties.entities.items.oneOf.map(
      (s: { properties: { kind: { const: string } } }) => s.properties.kind.const,
    );
    expect(kinds).toEqual([...ENTITY_KINDS]);
  });
});

describe('one rule per field: the zod schema agrees with checkValue', () => {
  const samples: unknown[] = [
    '',
    '   ',
    'text',
    'x'.repeat(201),
    'x'.repeat(2001),
    '2024-02-29',
    '2023-02-29',
    '2024-13-01',
    0,
    1,
    3,
    5,
    6,
    2.5,
    -4,
    null,
    true,
    [],
    ['a', 'b'],
    ['a', 1],
    [''],
    [{ date: '2024-01-01', value: 3 }],
    [{ date: '2024-01-01', value: '3' }],
    {},
    'government',
    'funds',
    'long-term',
    'decrease',
    'working-group',
    'intermediary',
    'outside',
    'geography',
  ];
  const entries = Object.entries(FIELDS).flatMap(([kind, fields]) =>
    Object.entries(fields).map(([field, spec]) => [`${kind}.${field}`, spec] as [string, FieldSpec]),
  );

  it.each(entries)('%s', (label, spec) => {
    const [kind, field] = label.split('.');
    const schema = ExportSchema.shape.entities.element.options.find((o) => o.shape.kind.value === kind)!
      .shape as Record<string, { safeParse(value: unknown): { success: boolean } }>;
    for (const value of spec.type === 'functions' ? [{}, { data: ['a'] }, { catering: [] }] : samples) {
      const zodOk = schema[field].safeParse(value).success;
      const ruleOk = checkValue(spec, value, label, { stored: true }) === null;
      // The file requires every function to be listed; checkValue takes a partial map.
      if (spec.type === 'functions' && ruleOk && !zodOk) continue;
      expect([label, value, zodOk]).toEqual([label, value, ruleOk]);
    }
  });
});
