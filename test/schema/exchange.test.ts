import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import { isEmptyDoc, readModel, updateEntity } from '../../src/schema/model.ts';
import { richDoc, richDocWithNote, richRecord } from './rich-doc.ts';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  ExportSchema,
  exportInitiative,
  ImportError,
  importInitiative,
  parseExport,
} from '../../src/schema/exchange.ts';
import { checkValue, FIELDS, type FieldSpec } from '../../src/schema/fields.ts';
import { ENTITY_KINDS } from '../../machines/entities.ts';
import { EXPORT_SCHEMA_PATH, exportJsonSchema } from '../../scripts/gen-export-schema.ts';

const meta = { id: 'init-1', name: 'Meadow County Coalition for Healthy Youth', issue: 'Teen substance use' };
const NOW = new Date('2026-05-12T09:30:00.000Z');

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const richExport = () => exportInitiative(richDocWithNote(), meta, richRecord(), NOW);

describe('exportInitiative', () => {
  it('writes the versioned format: every entity in kind order then id, every board, the workflow record', () => {
    const data = richExport();
    expect(data).toMatchObject({
      format: 'convene.initiative',
      version: 5,
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
    expect(data.workflow).toEqual(richRecord());
    expect(data.workflow).toMatchObject({ stage: 'initiate', confirmations: { 'initiate.community.outreach': {} } });
    expect(parseExport(data)).toEqual({ ok: true, data });
  });

  it.each([
    [1, 'no workflow record'],
    [2, 'a workflow record, no sticky notes'],
  ] as const)('reads version %i files (%s) as before', (version, _what) => {
    const source = richDoc();
    const { workflow, ...rest } = clone(exportInitiative(source, meta, richRecord(), NOW));
    const file = version === 1 ? { ...rest, version } : { ...rest, workflow, version };
    expect(parseExport(file)).toEqual({ ok: true, data: file });
    const target = new Y.Doc();
    importInitiative(target, file);
    expect(readModel(target)).toEqual(readModel(source));
  });

  it('round-trips sticky notes: text over lines, colour, author, group and place', () => {
    const data = richExport();
    const notes = data.entities.filter((e) => e.kind === 'note');
    expect(notes).toEqual([
      {
        kind: 'note',
        id: notes[0].id,
        text: 'Ask the youth council\nwhat they think',
        colour: 'pink',
        author: 'Sam Ortega',
        group: 'Residents',
      },
    ]);
    expect(data.placements.framework[notes[0].id]).toEqual({ x: 420, y: -180 });
    const target = new Y.Doc();
    importInitiative(target, clone(data));
    expect(exportInitiative(target, meta, richRecord(), NOW)).toEqual(data);
  });

  it('round trips: import into an empty document, export again, identical', () => {
    const data = richExport();
    const target = new Y.Doc();
    importInitiative(target, clone(data));
    expect(exportInitiative(target, meta, richRecord(), NOW)).toEqual(data);
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
    const data = exportInitiative(new Y.Doc(), meta, richRecord(), NOW);
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
  it('accepts what a document can hold: an empty name (emptied by concurrent deletes)', () => {
    const data = clone(richExport());
    (data.entities.find((e) => e.kind === 'stakeholder') as { name: string }).name = '';
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
    expect((caught as ImportError).issues).toEqual([
      { path: 'entities.0.sector', message: expect.stringMatching(/^Stakeholder '[^']+': sector must be one of: /) },
    ]);
    expect((caught as ImportError).message).toBe(
      `The file was not imported. ${(caught as ImportError).issues[0].message}`,
    );
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
    expect(schema.properties.version.enum).toEqual([1, 2, 3, 4, EXPORT_VERSION]);
    expect(Object.keys(schema.properties.workflow.properties)).toEqual([
      'stage',
      'readiness',
      'scope',
      'confirmations',
      'thresholds',
      'history',
    ]);
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
    'monthly',
    'weekly',
    ['North district', 'North district'],
    [' North'],
    Array.from({ length: 21 }, (_, i) => `Group ${i}`),
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

/** An indicator's shared measurement as a version 4 file writes it (restricted, stewards, reviewed values). */
const measured = {
  stewards: ['m-3'],
  access: 'restricted' as const,
  baseline: { value: 27, date: '2019-05-01' },
  target: null,
  measurements: [
    { date: '2024-05-01', value: 22.5, note: 'Workshops in all districts.', status: 'approved' as const, enteredBy: 'Dana Whitfield', enteredAt: '2025-06-02T08:00:00.000Z' },
    { date: '2024-05-01', value: 26, subgroup: 'North district', status: 'rejected' as const, enteredBy: 'Sam Ortiz', enteredAt: '2025-06-03T08:00:00.000Z' },
  ],
};

describe('indicators and their shared measurement (version 4)', () => {

  it('writes what `measures` answers after each indicator’s board fields, and parses it back unchanged', () => {
    const data = exportInitiative(richDoc(), meta, richRecord(), NOW, () => measured);
    const indicator = data.entities.find((e) => e.kind === 'indicator')!;
    expect(Object.keys(indicator)).toEqual([
      'kind', 'id', ...Object.keys(FIELDS.indicator), 'stewards', 'access', 'baseline', 'target', 'measurements',
    ]);
    expect(indicator).toMatchObject(measured);
    expect(parseExport(clone(data))).toEqual({ ok: true, data });
  });

  it('never writes values into the document on import', () => {
    const data = exportInitiative(richDoc(), meta, richRecord(), NOW, () => measured);
    const target = new Y.Doc();
    importInitiative(target, data);
    for (const entry of target.getMap<Y.Map<unknown>>('entities').values()) {
      for (const field of ['stewards', 'access', 'baseline', 'target', 'measurements']) {
        if (entry.get('kind') === 'indicator') expect(entry.has(field)).toBe(false);
      }
    }
    expect(readModel(target).entities.indicator[0]).toMatchObject({ frequency: 'yearly', subgroups: ['North district', 'South district'] });
  });

  it('reads a version 3 indicator: numbers for baseline and target, { date, value } measurements, no frequency nor subgroups', () => {
    const data = clone(exportInitiative(richDoc(), meta, richRecord(), NOW)) as unknown as { version: number; entities: Record<string, unknown>[] };
    data.version = 3;
    const indicator = data.entities.find((e) => e.kind === 'indicator')!;
    for (const field of ['stewards', 'access', 'frequency', 'subgroups']) delete indicator[field];
    Object.assign(indicator, { baseline: 24, target: 16, measurements: [{ date: '2025-03-01', value: 21.5 }] });
    const parsed = parseExport(data);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.data.entities.find((e) => e.kind === 'indicator')).toMatchObject({
      frequency: 'yearly',
      subgroups: [],
      baseline: 24,
      target: 16,
      measurements: [{ date: '2025-03-01', value: 21.5 }],
    });
  });

  it('refuses measurements that are not dated numbers, and a status it does not know, in words', () => {
    const data = clone(exportInitiative(richDoc(), meta, richRecord(), NOW, () => measured)) as unknown as { entities: Record<string, unknown>[] };
    const index = data.entities.findIndex((e) => e.kind === 'indicator');
    const indicator = data.entities[index];
    indicator.measurements = [{ date: '2024-02-30', value: 3, status: 'approved' }, { date: '2024-01-01', value: 'high' }, { date: '2024-01-01', value: 3, status: 'maybe' }];
    indicator.baseline = { value: 3 };
    const result = parseExport(data);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const name = "Indicator 'Binge drinking rate'";
    expect(result.issues).toEqual(
      expect.arrayContaining([
        { path: `entities.${index}.measurements.0.date`, message: `${name}: A measurement’s date must be a date, YYYY-MM-DD, a real day.` },
        { path: `entities.${index}.measurements.1.value`, message: `${name}: A measurement’s value must be a number.` },
        { path: `entities.${index}.measurements.2.status`, message: `${name}: A measurement’s status must be one of: submitted, approved, rejected.` },
      ]),
    );
    expect(result.issues.some((i) => i.path.startsWith(`entities.${index}.baseline`))).toBe(true);
  });
});

describe('links to other initiatives (version 5)', () => {
  it('round-trips a group’s linked sub-initiative and the parent strategy a strategy serves', () => {
    const source = richDocWithNote();
    const data = exportInitiative(source, meta, richRecord(), NOW);
    expect(data.entities.find((e) => e.kind === 'group' && e.initiativeId)).toMatchObject({ name: 'North district coalition', initiativeId: 'initiative-north' });
    expect(data.entities.find((e) => e.kind === 'strategy')).toMatchObject({ servesId: 'parent-st-families' });
    const target = new Y.Doc();
    importInitiative(target, clone(data));
    const model = readModel(target);
    expect(model.entities.group.find((g) => g.name === 'North district coalition')?.initiativeId).toBe('initiative-north');
    expect(model.entities.strategy[0].servesId).toBe('parent-st-families');
    expect(model).toEqual(readModel(source));
  });

  it('reads a version 4 file, which has neither, as no links', () => {
    const data = clone(richExport()) as unknown as { version: number; entities: Record<string, unknown>[] };
    data.version = 4;
    for (const e of data.entities) {
      delete e.initiativeId;
      delete e.servesId;
    }
    const parsed = parseExport(data);
    expect(parsed.ok).toBe(true);
    const target = new Y.Doc();
    importInitiative(target, data);
    const model = readModel(target);
    expect(model.entities.group.map((g) => g.initiativeId)).toEqual(model.entities.group.map(() => ''));
    expect(model.entities.strategy.map((s) => s.servesId)).toEqual(['']);
  });
});

describe('files of every version (1 to 5), and a later version\'s fields in an older file', () => {
  type Raw = { version: number; workflow?: unknown; entities: Record<string, unknown>[] };

  /** The rich initiative as Convene wrote it at `version`: only the fields and kinds that version has. */
  function fileOfVersion(version: 1 | 2 | 3 | 4 | 5): Raw {
    const doc = version >= 3 ? richDocWithNote() : richDoc();
    const file = clone(exportInitiative(doc, meta, richRecord(), NOW, () => measured)) as unknown as Raw;
    file.version = version;
    if (version === 1) delete file.workflow;
    for (const e of file.entities) {
      if (version < 5) {
        delete e.initiativeId;
        delete e.servesId;
      }
      if (version < 4 && e.kind === 'indicator') {
        for (const field of ['stewards', 'access', 'frequency', 'subgroups']) delete e[field];
        Object.assign(e, { baseline: 27, target: null, measurements: [{ date: '2024-05-01', value: 22.5 }] });
      }
    }
    return file;
  }

  it.each([1, 2, 3, 4, 5] as const)('a version %i file as that version writes it parses, and imports', (version) => {
    const file = fileOfVersion(version);
    const parsed = parseExport(clone(file));
    expect(parsed.ok, JSON.stringify(parsed.ok ? null : parsed.issues)).toBe(true);
    if (!parsed.ok) return;
    // What it has is read as it is; only what it has not comes as the version means it (yearly, no subgroups, no links).
    expect(parsed.data).toMatchObject(file);
    importInitiative(new Y.Doc(), clone(file));
  });

  it('a version 3 file whose indicator has an access level and a measurement a note is refused, the document untouched', () => {
    const file = fileOfVersion(3);
    const index = file.entities.findIndex((e) => e.kind === 'indicator');
    file.entities[index].access = 'restricted';
    (file.entities[index].measurements as Record<string, unknown>[])[0].note = 'Workshops in all districts.';
    const target = new Y.Doc();
    let error: unknown;
    try {
      importInitiative(target, file);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).reason).toBe('invalid');
    expect((error as ImportError).issues.map((i) => i.path)).toEqual([
      `entities.${index}.access`,
      `entities.${index}.measurements.0.note`,
    ]);
    expect((error as ImportError).message).toBe('The file was not imported: it has 2 problems, listed below. Nothing was changed.');
    expect(isEmptyDoc(target)).toBe(true);
  });
});
