import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import {
  bindText,
  createEntity,
  deleteEntities,
  findEntity,
  isEmptyDoc,
  placeEntity,
  readModel,
  replaceText,
  SchemaError,
  toggleBackboneFunction,
  toggleRef,
  updateEntity,
} from '../../src/schema/model.ts';
import { BACKBONE_FUNCTIONS, BOARDS, type BackboneFunction, type EntityKind } from '../../machines/entities.ts';
import { tidyLabels } from '../../src/schema/fields.ts';

const newDoc = () => new Y.Doc();
const entities = (doc: Y.Doc) => doc.getMap<unknown>('entities');
const rawEntry = (doc: Y.Doc, id: string) => entities(doc).get(id) as Y.Map<unknown>;
const noFunctions = () =>
  Object.fromEntries(BACKBONE_FUNCTIONS.map((fn) => [fn, [] as string[]])) as Record<BackboneFunction, string[]>;

/** Sends each document what the other lacks. */
function exchange(a: Y.Doc, b: Y.Doc): void {
  const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, toB);
  Y.applyUpdate(a, toA);
}

/** A document with a clone that has seen everything so far. */
function pair(): [Y.Doc, Y.Doc] {
  const a = newDoc();
  const b = newDoc();
  return [a, b];
}

function entity(doc: Y.Doc, id: string) {
  return findEntity(readModel(doc), id) as unknown as Record<string, unknown> | undefined;
}

function expectSchemaError(run: () => unknown, field: string, message?: RegExp): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SchemaError);
  expect((caught as SchemaError).field).toBe(field);
  if (message) expect((caught as SchemaError).message).toMatch(message);
}

/** Mulberry32: a small seeded generator, so property tests are repeatable. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('creating entities of every kind', () => {
  /** Kind, the fields it needs, and every other field's default. */
  const defaults: [EntityKind, Record<string, unknown>, Record<string, unknown>][] = [
    [
      'stakeholder',
      { name: 'County council' },
      { organisation: '', sector: 'government', role: 'partner', influence: 3, interest: 3 },
    ],
    ['effort', { name: 'Youth sports league' }, { description: '', stakeholderIds: [] }],
    [
      'boundary',
      { label: 'Retail sale of alcohol to minors' },
      { dimension: 'issue', side: 'inside', rationale: '', rationaleNeedsReview: false },
    ],
    ['source', { title: 'County youth survey 2024' }, { reference: '' }],
    ['baseline', { statement: 'Teens who binge drink' }, { value: '', source: '', date: '' }],
    ['strategy', { name: 'Parent education' }, { description: '', horizon: 'short-term', indicatorIds: [], servesId: '' }],
    ['activity', { name: 'Parent evenings' }, { strategyId: null, ownerIds: [] }],
    ['principle', { statement: 'Data is shared openly' }, {}],
    [
      'indicator',
      { name: 'Binge drinking rate' },
      { definition: '', unit: '', direction: 'increase', frequency: 'yearly', subgroups: [] },
    ],
    [
      'group',
      { name: 'Coordinating council' },
      {
        groupKind: 'steering-committee',
        parentId: null,
        strategyIds: [],
        indicatorIds: [],
        memberIds: [],
        leadIds: [],
        initiativeId: '',
      },
    ],
    ['backbone', { name: 'Meadow County backbone' }, { scopeId: null, structure: null, functions: noFunctions() }],
  ];

  it.each(defaults)('a %s takes the defaults for the fields not given', (kind, given, rest) => {
    const doc = newDoc();
    const id = createEntity(doc, kind, given as never);
    const model = readModel(doc);
    expect(model.entities[kind]).toEqual([{ kind, id, ...given, ...rest }]);
  });

  it('a relationship takes the default relation', () => {
    const doc = newDoc();
    const a = createEntity(doc, 'stakeholder', { name: 'School district' });
    const b = createEntity(doc, 'stakeholder', { name: 'Police' });
    const id = createEntity(doc, 'relationship', { source: a, target: b });
    expect(readModel(doc).entities.relationship).toEqual([
      { kind: 'relationship', id, source: a, target: b, relation: 'funds' },
    ]);
  });

  it('every kind keeps every field it is given (and trims texts)', () => {
    const doc = newDoc();
    const s1 = createEntity(doc, 'stakeholder', {
      name: '  District attorney ',
      organisation: 'Meadow County',
      sector: 'government',
      role: 'partner',
      influence: 5,
      interest: 2,
    });
    const s2 = createEntity(doc, 'stakeholder', {
      name: 'Parents',
      sector: 'residents',
      role: 'affected',
      influence: 1,
      interest: 5,
    });
    const rel = createEntity(doc, 'relationship', { source: s1, target: s2, relation: 'partners' });
    const effort = createEntity(doc, 'effort', {
      name: 'Drug-free coalition',
      description: 'Since 2019',
      stakeholderIds: [s2, s1, s1],
    });
    const boundary = createEntity(doc, 'boundary', {
      label: 'Youth unemployment',
      dimension: 'issue',
      side: 'outside',
      rationale: 'Contributing, but another group owns it',
    });
    const source = createEntity(doc, 'source', { title: 'Youth survey', reference: 'https://example.org/survey' });
    const baseline = createEntity(doc, 'baseline', {
      statement: 'Binge drinking',
      value: '24%',
      source: 'Youth survey',
      date: '2024-03-01',
    });
    const indicator = createEntity(doc, 'indicator', {
      name: 'Binge drinking rate',
      definition: 'Share of 10th graders reporting binge drinking in the last 30 days',
      unit: 'percent',
      direction: 'decrease',
      frequency: 'quarterly',
      subgroups: ['North district', 'South district'],
    });
    const strategy = createEntity(doc, 'strategy', {
      name: 'Laws and norms',
      description: 'Retailers',
      horizon: 'long-term',
      indicatorIds: [indicator],
      servesId: 'parent-st-laws',
    });
    const activity = createEntity(doc, 'activity', { name: 'Compliance checks', strategyId: strategy, ownerIds: [s1] });
    const principle = createEntity(doc, 'principle', { statement: 'Youth voice in every decision' });
    const council = createEntity(doc, 'group', {
      name: 'Coordinating council',
      groupKind: 'steering-committee',
      memberIds: [s1, s2],
      leadIds: [s1],
    });
    const group = createEntity(doc, 'group', {
      name: 'Community laws and norms',
      groupKind: 'working-group',
      parentId: council,
      strategyIds: [strategy],
      indicatorIds: [indicator],
      memberIds: [s2],
      leadIds: [s2],
      initiativeId: 'initiative-laws',
    });
    const backbone = createEntity(doc, 'backbone', {
      name: 'Prevention council staff',
      scopeId: null,
      structure: 'existing-nonprofit',
      functions: { ...noFunctions(), data: [s1], funding: [s2, s1] },
    });
    const e = readModel(doc).entities;
    const sorted = (ids: string[]) => [...ids].sort();
    expect(e.stakeholder.find((x) => x.id === s1)).toEqual({
      kind: 'stakeholder',
      id: s1,
      name: 'District attorney',
      organisation: 'Meadow County',
      sector: 'government',
      role: 'partner',
      influence: 5,
      interest: 2,
    });
    expect(e.relationship).toEqual([{ kind: 'relationship', id: rel, source: s1, target: s2, relation: 'partners' }]);
    expect(e.effort).toEqual([
      {
        kind: 'effort',
        id: effort,
        name: 'Drug-free coalition',
        description: 'Since 2019',
        stakeholderIds: sorted([s1, s2]),
      },
    ]);
    expect(e.boundary[0]).toMatchObject({
      id: boundary,
      side: 'outside',
      rationale: 'Contributing, but another group owns it',
    });
    expect(e.source[0]).toEqual({
      kind: 'source',
      id: source,
      title: 'Youth survey',
      reference: 'https://example.org/survey',
    });
    expect(e.baseline[0]).toEqual({
      kind: 'baseline',
      id: baseline,
      statement: 'Binge drinking',
      value: '24%',
      source: 'Youth survey',
      date: '2024-03-01',
    });
    expect(e.indicator[0]).toMatchObject({
      unit: 'percent',
      direction: 'decrease',
      frequency: 'quarterly',
      subgroups: ['North district', 'South district'],
    });
    expect(e.strategy[0]).toMatchObject({ id: strategy, horizon: 'long-term', indicatorIds: [indicator], servesId: 'parent-st-laws' });
    expect(e.activity[0]).toEqual({
      kind: 'activity',
      id: activity,
      name: 'Compliance checks',
      strategyId: strategy,
      ownerIds: [s1],
    });
    expect(e.principle[0]).toEqual({ kind: 'principle', id: principle, statement: 'Youth voice in every decision' });
    expect(e.group.find((g) => g.id === group)).toEqual({
      kind: 'group',
      id: group,
      name: 'Community laws and norms',
      groupKind: 'working-group',
      parentId: council,
      strategyIds: [strategy],
      indicatorIds: [indicator],
      memberIds: [s2],
      leadIds: [s2],
      initiativeId: 'initiative-laws',
    });
    expect(e.backbone[0]).toEqual({
      kind: 'backbone',
      id: backbone,
      name: 'Prevention council staff',
      scopeId: null,
      structure: 'existing-nonprofit',
      functions: { ...noFunctions(), data: [s1], funding: sorted([s1, s2]) },
    });
  });

  it('creates with the id given, and places on the boards given (positions rounded)', () => {
    const doc = newDoc();
    const id = createEntity(
      doc,
      'strategy',
      { name: 'Youth recognition' },
      [
        { board: 'framework', position: { x: 10.4, y: -3.6 } },
        { board: 'governance', position: { x: Number.NaN, y: 7 } },
      ],
      'strategy-1',
    );
    expect(id).toBe('strategy-1');
    const model = readModel(doc);
    expect(model.placements.framework).toEqual({ 'strategy-1': { x: 10, y: -4 } });
    expect(model.placements.governance).toEqual({ 'strategy-1': { x: 0, y: 7 } });
  });

  it('refuses singletons, unknown kinds and reserved ids', () => {
    const doc = newDoc();
    expectSchemaError(() => createEntity(doc, 'problem', { description: 'x' } as never), 'kind', /one problem/);
    expectSchemaError(() => createEntity(doc, 'alien' as never, {}), 'kind', /Unknown entity kind/);
    expectSchemaError(() => createEntity(doc, 'constructor' as never, {}), 'kind');
    expectSchemaError(() => createEntity(doc, 'stakeholder', { name: 'x' }, [], 'goal'), 'id');
    expectSchemaError(() => createEntity(doc, 'stakeholder', { name: 'x' }, [], ''), 'id');
    expect(isEmptyDoc(doc)).toBe(true);
  });
});

describe('validation', () => {
  const cases: [string, EntityKind, Record<string, unknown>, string, RegExp][] = [
    ['score 7', 'stakeholder', { name: 'x', influence: 7 }, 'influence', /whole number from 1 to 5/],
    ['score 0', 'stakeholder', { name: 'x', interest: 0 }, 'interest', /1 to 5/],
    ['score 2.5', 'stakeholder', { name: 'x', interest: 2.5 }, 'interest', /whole number/],
    ['unknown enum', 'stakeholder', { name: 'x', sector: 'aliens' }, 'sector', /must be one of: government/],
    ['null for a non-nullable enum', 'strategy', { name: 'x', horizon: null }, 'horizon', /one of/],
    ['empty required name', 'stakeholder', { name: '   ' }, 'name', /^Stakeholder name is required\.$/],
    ['missing required name', 'effort', {}, 'name', /required/],
    ['text too long', 'effort', { name: 'x'.repeat(201) }, 'name', /at most 200 characters/],
    ['text not a string', 'effort', { name: 'x', description: 42 }, 'description', /must be text/],
    ['string too long', 'indicator', { name: 'x', unit: 'u'.repeat(101) }, 'unit', /at most 100/],
    ['bad date', 'baseline', { statement: 'x', date: '2024-02-30' }, 'date', /YYYY-MM-DD/],
    ['month 13', 'baseline', { statement: 'x', date: '2024-13-01' }, 'date', /date/],
    ['words for a date', 'baseline', { statement: 'x', date: 'last spring' }, 'date', /date/],
    ['values are not on the board', 'indicator', { name: 'x', target: 16 }, 'target', /has no field "target"/],
    ['unknown frequency', 'indicator', { name: 'x', frequency: 'weekly' }, 'frequency', /monthly, quarterly, yearly/],
    ['subgroups not a list', 'indicator', { name: 'x', subgroups: 'North' }, 'subgroups', /list of short labels/],
    ['a subgroup twice', 'indicator', { name: 'x', subgroups: ['North', 'North'] }, 'subgroups', /“North” is given twice/],
    ['an empty subgroup', 'indicator', { name: 'x', subgroups: ['North', ' '] }, 'subgroups', /must not be empty/],
    ['a long subgroup', 'indicator', { name: 'x', subgroups: ['n'.repeat(61)] }, 'subgroups', /longer than 60/],
    [
      'too many subgroups',
      'indicator',
      { name: 'x', subgroups: Array.from({ length: 21 }, (_, i) => `Group ${i}`) },
      'subgroups',
      /at most 20 \(21 given\)/,
    ],
    ['empty ref', 'activity', { name: 'x', strategyId: '' }, 'strategyId', /must name an entity/],
    ['refs not a list', 'effort', { name: 'x', stakeholderIds: 'abc' }, 'stakeholderIds', /list of entity ids/],
    ['refs with a number', 'group', { name: 'x', memberIds: ['a', 3] }, 'memberIds', /list of entity ids/],
    [
      'unknown backbone function',
      'backbone',
      { name: 'x', functions: { catering: [] } },
      'functions',
      /backbone function/,
    ],
    ['unknown field', 'stakeholder', { name: 'x', colour: 'red' }, 'colour', /no field "colour"/],
    ['inherited property as field', 'stakeholder', { name: 'x', toString: 'y' }, 'toString', /no field/],
    ['kind as field', 'stakeholder', { name: 'x', kind: 'group' }, 'kind', /no field/],
  ];

  it.each(cases)(
    'createEntity: %s is a SchemaError naming the field, and writes nothing',
    (_, kind, fields, field, message) => {
      const doc = newDoc();
      expectSchemaError(() => createEntity(doc, kind, fields as never), field, message);
      expect(isEmptyDoc(doc)).toBe(true);
    },
  );

  it.each(cases.filter(([name]) => !name.startsWith('missing')))(
    'updateEntity: %s is a SchemaError naming the field, and changes nothing',
    (_, kind, fields, field, message) => {
      const doc = newDoc();
      const base: Record<string, Record<string, unknown>> = {
        stakeholder: { name: 'x' },
        effort: { name: 'x' },
        strategy: { name: 'x' },
        baseline: { statement: 'x' },
        indicator: { name: 'x' },
        activity: { name: 'x' },
        group: { name: 'x' },
        backbone: { name: 'x' },
      };
      const id = createEntity(doc, kind, base[kind] as never);
      const before = readModel(doc);
      // A valid change next to the invalid one is not written either.
      const valid = Object.fromEntries(Object.keys(base[kind]).map((key) => [key, 'changed']));
      expectSchemaError(() => updateEntity(doc, id, { ...valid, ...fields }), field, message);
      expect(readModel(doc)).toEqual(before);
    },
  );
});

describe('updating each type of field', () => {
  it('text: edits the same Y.Text in place', () => {
    const doc = newDoc();
    const id = createEntity(doc, 'stakeholder', { name: 'School district' });
    const ytext = rawEntry(doc, id).get('name');
    updateEntity(doc, id, { name: 'Meadow School District' });
    expect(rawEntry(doc, id).get('name')).toBe(ytext);
    expect(entity(doc, id)?.name).toBe('Meadow School District');
  });

  it('enum, string, date, score: plain values', () => {
    const doc = newDoc();
    const s = createEntity(doc, 'stakeholder', { name: 'Police' });
    updateEntity(doc, s, { sector: 'government', role: 'partner', influence: 4, interest: 1 });
    expect(entity(doc, s)).toMatchObject({ sector: 'government', role: 'partner', influence: 4, interest: 1 });
    const b = createEntity(doc, 'baseline', { statement: 'Smoking' });
    updateEntity(doc, b, { value: '18%', source: 'Survey', date: '2024-02-29' });
    expect(entity(doc, b)).toMatchObject({ value: '18%', source: 'Survey', date: '2024-02-29' });
    updateEntity(doc, b, { date: '' });
    expect(entity(doc, b)?.date).toBe('');
    const i = createEntity(doc, 'indicator', { name: 'Smoking rate' });
    updateEntity(doc, i, { direction: 'decrease', frequency: 'quarterly', unit: 'count' });
    expect(entity(doc, i)).toMatchObject({ direction: 'decrease', frequency: 'quarterly', unit: 'count' });
    const bb = createEntity(doc, 'backbone', { name: 'Staff', structure: 'funder' });
    updateEntity(doc, bb, { structure: null });
    expect(entity(doc, bb)?.structure).toBeNull();
  });

  it('ref and refs', () => {
    const doc = newDoc();
    const s1 = createEntity(doc, 'stakeholder', { name: 'A' });
    const s2 = createEntity(doc, 'stakeholder', { name: 'B' });
    const strategy = createEntity(doc, 'strategy', { name: 'S' });
    const activity = createEntity(doc, 'activity', { name: 'Act' });
    updateEntity(doc, activity, { strategyId: strategy, ownerIds: [s1, s2] });
    expect(entity(doc, activity)).toMatchObject({ strategyId: strategy, ownerIds: [s1, s2].sort() });
    const set = rawEntry(doc, activity).get('ownerIds');
    updateEntity(doc, activity, { strategyId: null, ownerIds: [s2] });
    expect(entity(doc, activity)).toMatchObject({ strategyId: null, ownerIds: [s2] });
    expect(rawEntry(doc, activity).get('ownerIds')).toBe(set); // the id set is kept, not replaced
    toggleRef(doc, activity, 'ownerIds', s1, true);
    toggleRef(doc, activity, 'ownerIds', s2, false);
    expect(entity(doc, activity)?.ownerIds).toEqual([s1]);
  });

  it('toggleRef refuses a field that is not an id set, and ignores unknown entities', () => {
    const doc = newDoc();
    const bb = createEntity(doc, 'backbone', { name: 'Staff' });
    const s = createEntity(doc, 'stakeholder', { name: 'A' });
    expectSchemaError(() => toggleRef(doc, bb, 'functions', s, true), 'functions', /not a list of entity ids/);
    expectSchemaError(() => toggleRef(doc, s, 'name', 'x', true), 'name');
    expect(() => toggleRef(doc, 'nobody', 'memberIds', s, true)).not.toThrow();
    expect(entity(doc, bb)?.functions).toEqual(noFunctions());
  });

  it('subgroups: a plain list, written whole, last writer wins; frequency an enum', () => {
    const doc = newDoc();
    const i = createEntity(doc, 'indicator', { name: 'Marijuana use', frequency: 'monthly' });
    expect(entity(doc, i)).toMatchObject({ frequency: 'monthly', subgroups: [] });
    updateEntity(doc, i, { subgroups: ['North district', 'South district'] });
    expect(entity(doc, i)?.subgroups).toEqual(['North district', 'South district']);
    // Two people editing at once: the later write is the list, not a merge of both.
    const other = newDoc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    updateEntity(doc, i, { subgroups: ['North district'] });
    updateEntity(other, i, { subgroups: ['Under 5', 'Over 65'] });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    expect(entity(doc, i)?.subgroups).toEqual(entity(other, i)?.subgroups);
    expect([['North district'], ['Under 5', 'Over 65']]).toContainEqual(entity(doc, i)?.subgroups);
    // The model's list is a copy: changing it does not change the document.
    (entity(doc, i)?.subgroups as string[]).push('Sneaky');
    expect(entity(doc, i)?.subgroups).not.toContain('Sneaky');
  });

  it('tidyLabels makes typed labels fit: trimmed, no blanks, no repeats, cut to length and count', () => {
    const spec = { count: 3, max: 5 };
    expect(tidyLabels([' North ', '', 'North', 'Southern', 'East', 'West'], spec)).toEqual(['North', 'South', 'East']);
    expect(tidyLabels(['  ', ''], spec)).toEqual([]);
  });

  it('functions: set with updateEntity, toggle one carrier', () => {
    const doc = newDoc();
    const s1 = createEntity(doc, 'stakeholder', { name: 'United Way' });
    const s2 = createEntity(doc, 'stakeholder', { name: 'Foundation' });
    const bb = createEntity(doc, 'backbone', { name: 'Backbone' });
    updateEntity(doc, bb, { functions: { data: [s1], funding: [s2] } });
    expect(entity(doc, bb)?.functions).toEqual({ ...noFunctions(), data: [s1], funding: [s2] });
    toggleBackboneFunction(doc, bb, 'communications', s2, true);
    toggleBackboneFunction(doc, bb, 'data', s1, false);
    toggleBackboneFunction(doc, bb, 'catering', s1, true); // unknown function: ignored
    expect(entity(doc, bb)?.functions).toEqual({ ...noFunctions(), communications: [s2], funding: [s2] });
  });

  it('unknown ids are ignored', () => {
    const doc = newDoc();
    expect(() => updateEntity(doc, 'nobody', { name: 'x' })).not.toThrow();
    expect(isEmptyDoc(doc)).toBe(true);
  });
});

describe('singletons: problem, goal, evaluation', () => {
  it('are always present, empty at first', () => {
    const model = readModel(newDoc());
    expect(model.entities.problem).toEqual([{ kind: 'problem', id: 'problem', description: '' }]);
    expect(model.entities.goal).toEqual([{ kind: 'goal', id: 'goal', statement: '' }]);
    expect(model.entities.evaluation).toEqual([{ kind: 'evaluation', id: 'evaluation', approach: '' }]);
  });

  it('are updated by their kind as id, and checked', () => {
    const doc = newDoc();
    updateEntity(doc, 'problem', { description: 'Teen substance use is rising across 30 municipalities.' });
    updateEntity(doc, 'goal', { statement: 'Cut binge drinking by a third in eight years.' });
    updateEntity(doc, 'evaluation', { approach: 'Yearly youth survey, reviewed by the council.' });
    const model = readModel(doc);
    expect(model.entities.problem[0].description).toMatch(/rising/);
    expect(model.entities.goal[0].statement).toMatch(/a third/);
    expect(model.entities.evaluation[0].approach).toMatch(/Yearly/);
    expectSchemaError(() => updateEntity(doc, 'goal', { description: 'x' }), 'description', /no field/);
    expectSchemaError(() => updateEntity(doc, 'problem', { description: 42 }), 'description', /must be text/);
    expectSchemaError(() => updateEntity(doc, 'problem', { description: 'x'.repeat(8001) }), 'description', /8000/);
    expect(readModel(doc).entities.problem[0].description).toMatch(/rising/);
  });

  it('cannot be deleted, and can be placed on the framework board', () => {
    const doc = newDoc();
    updateEntity(doc, 'goal', { statement: 'Fewer teens drinking' });
    placeEntity(doc, 'framework', 'goal', { x: 5, y: 6 });
    deleteEntities(doc, ['goal', 'problem']);
    const model = readModel(doc);
    expect(model.entities.goal[0].statement).toBe('Fewer teens drinking');
    expect(model.placements.framework).toEqual({ goal: { x: 5, y: 6 } });
  });

  it('two people starting the problem description at once never make rival copies', () => {
    const [a, b] = pair();
    bindText(a, 'problem', 'description')!.write('Rising use.');
    bindText(b, 'problem', 'description')!.write('Data from schools.');
    exchange(a, b);
    const text = readModel(a).entities.problem[0].description;
    expect(readModel(b).entities.problem).toEqual(readModel(a).entities.problem);
    expect(text).toContain('Rising use.');
    expect(text).toContain('Data from schools.');
  });
});

describe('boards', () => {
  it('one entity on two boards: renaming once shows through both placements', () => {
    const doc = newDoc();
    const id = createEntity(doc, 'strategy', { name: 'Parent education' }, [
      { board: 'framework', position: { x: 0, y: 0 } },
      { board: 'governance', position: { x: 100, y: 50 } },
    ]);
    updateEntity(doc, id, { name: 'Parent education and support' });
    const model = readModel(doc);
    expect(model.entities.strategy).toHaveLength(1);
    for (const board of ['framework', 'governance'] as const) {
      const ids = Object.keys(model.placements[board]);
      expect(ids).toEqual([id]);
      expect(findEntity(model, ids[0])).toMatchObject({ kind: 'strategy', name: 'Parent education and support' });
    }
  });

  it('a board lists only the kinds it takes, and only existing entities', () => {
    const doc = newDoc();
    const s = createEntity(doc, 'stakeholder', { name: 'Police' }, [
      { board: 'stakeholders', position: { x: 1, y: 2 } },
    ]);
    const b = createEntity(doc, 'boundary', { label: 'Geography: the county' });
    placeEntity(doc, 'framework', s, { x: 3, y: 4 });
    placeEntity(doc, 'stakeholders', b, { x: 3, y: 4 });
    placeEntity(doc, 'boundaries', b, { x: 9, y: 9 });
    placeEntity(doc, 'governance', 'ghost', { x: 0, y: 0 });
    const model = readModel(doc);
    expect(model.placements).toEqual({
      stakeholders: { [s]: { x: 1, y: 2 } },
      boundaries: { [b]: { x: 9, y: 9 } },
      framework: {},
      governance: {},
    });
  });

  it('placeEntity writes once per move (no update when the position is unchanged)', () => {
    const doc = newDoc();
    const s = createEntity(doc, 'stakeholder', { name: 'Police' });
    let updates = 0;
    doc.on('update', () => updates++);
    placeEntity(doc, 'stakeholders', s, { x: 10.2, y: 20 });
    placeEntity(doc, 'stakeholders', s, { x: 9.8, y: 20.1 }); // rounds to the same spot
    expect(updates).toBe(1);
    expect(readModel(doc).placements.stakeholders).toEqual({ [s]: { x: 10, y: 20 } });
  });
});

describe('deleteEntities', () => {
  function rich() {
    const doc = newDoc();
    const s1 = createEntity(doc, 'stakeholder', { name: 'Foundation' });
    const s2 = createEntity(doc, 'stakeholder', { name: 'Schools' });
    const s3 = createEntity(doc, 'stakeholder', { name: 'Parents' });
    const effort = createEntity(doc, 'effort', { name: 'Existing coalition', stakeholderIds: [s1, s2] });
    const r12 = createEntity(doc, 'relationship', { source: s1, target: s2, relation: 'funds' });
    const r31 = createEntity(doc, 'relationship', { source: s3, target: s1, relation: 'partners' });
    const r23 = createEntity(doc, 'relationship', { source: s2, target: s3, relation: 'partners' });
    const rEffort = createEntity(doc, 'relationship', { source: s3, target: effort, relation: 'member-of' });
    const indicator = createEntity(doc, 'indicator', { name: 'Rate' });
    const strategy = createEntity(doc, 'strategy', { name: 'S', indicatorIds: [indicator] }, [
      { board: 'framework', position: { x: 0, y: 0 } },
      { board: 'governance', position: { x: 0, y: 0 } },
    ]);
    const activity = createEntity(doc, 'activity', { name: 'A', strategyId: strategy, ownerIds: [s1, s3] });
    const group = createEntity(doc, 'group', {
      name: 'G',
      strategyIds: [strategy],
      indicatorIds: [indicator],
      memberIds: [s1, s2],
      leadIds: [s1],
    });
    const sub = createEntity(doc, 'group', { name: 'Sub', groupKind: 'sub-initiative', parentId: group });
    const backbone = createEntity(doc, 'backbone', {
      name: 'B',
      scopeId: sub,
      functions: { ...noFunctions(), data: [s1, s2], funding: [s1] },
    });
    // A plain text that happens to equal an id is not a reference.
    const baseline = createEntity(doc, 'baseline', { statement: 'x', value: s1 });
    placeEntity(doc, 'stakeholders', s1, { x: 0, y: 0 });
    placeEntity(doc, 'stakeholders', r12, { x: 0, y: 0 });
    return {
      doc,
      s1,
      s2,
      s3,
      effort,
      r12,
      r31,
      r23,
      rEffort,
      indicator,
      strategy,
      activity,
      group,
      sub,
      backbone,
      baseline,
    };
  }

  it('deleting a stakeholder removes its relationships, references to it and its placements', () => {
    const x = rich();
    deleteEntities(x.doc, [x.s1]);
    for (const id of [x.s1, x.r12, x.r31]) expect(entities(x.doc).has(id)).toBe(false);
    expect(entities(x.doc).has(x.r23)).toBe(true);
    const model = readModel(x.doc);
    expect(model.entities.relationship.map((r) => r.id).sort()).toEqual([x.r23, x.rEffort].sort());
    expect(entity(x.doc, x.effort)?.stakeholderIds).toEqual([x.s2]);
    expect(entity(x.doc, x.activity)?.ownerIds).toEqual([x.s3]);
    expect(entity(x.doc, x.group)).toMatchObject({ memberIds: [x.s2], leadIds: [] });
    expect(entity(x.doc, x.backbone)?.functions).toEqual({ ...noFunctions(), data: [x.s2] });
    // Removed in the document itself, not only hidden by the reading.
    expect([...(rawEntry(x.doc, x.group).get('memberIds') as Y.Map<true>).keys()]).toEqual([x.s2]);
    expect(x.doc.getMap('placements.stakeholders').has(x.s1)).toBe(false);
    expect(x.doc.getMap('placements.stakeholders').has(x.r12)).toBe(false);
    expect(entity(x.doc, x.baseline)?.value).toBe(x.s1);
  });

  it('deleting a strategy empties activity.strategyId and group.strategyIds, and its placements on both boards', () => {
    const x = rich();
    deleteEntities(x.doc, [x.strategy]);
    expect(rawEntry(x.doc, x.activity).get('strategyId')).toBeNull();
    expect(entity(x.doc, x.activity)?.strategyId).toBeNull();
    expect(entity(x.doc, x.group)?.strategyIds).toEqual([]);
    const model = readModel(x.doc);
    expect(model.placements.framework).toEqual({});
    expect(model.placements.governance).toEqual({});
  });

  it('deleting a group empties its subgroups’ parent and backbones’ scope; deleting an effort its relationships', () => {
    const x = rich();
    deleteEntities(x.doc, [x.sub, x.effort]);
    expect(entities(x.doc).has(x.rEffort)).toBe(false);
    expect(entity(x.doc, x.backbone)?.scopeId).toBeNull();
    deleteEntities(x.doc, [x.group]);
    expect(readModel(x.doc).entities.group).toEqual([]);
  });

  it('is one transaction', () => {
    const x = rich();
    let updates = 0;
    x.doc.on('update', () => updates++);
    deleteEntities(x.doc, [x.s1, x.s2, x.strategy, 'unknown']);
    expect(updates).toBe(1);
  });
});

describe('defensive reading', () => {
  it('drops dangling references and references to the wrong kind', () => {
    const doc = newDoc();
    const s = createEntity(doc, 'stakeholder', { name: 'A' });
    const effort = createEntity(doc, 'effort', { name: 'E', stakeholderIds: ['ghost', s] });
    const strategy = createEntity(doc, 'strategy', { name: 'S', indicatorIds: [s] });
    const activity = createEntity(doc, 'activity', { name: 'Act', strategyId: 'ghost', ownerIds: [strategy] });
    const group = createEntity(doc, 'group', { name: 'G', leadIds: ['ghost'], parentId: s });
    const bb = createEntity(doc, 'backbone', {
      name: 'B',
      scopeId: strategy,
      functions: { ...noFunctions(), data: ['ghost', s, effort] },
    });
    const rel = createEntity(doc, 'relationship', { source: s, target: 'ghost' });
    const toStrategy = createEntity(doc, 'relationship', { source: s, target: strategy });
    const toEffort = createEntity(doc, 'relationship', { source: s, target: effort, relation: 'member-of' });
    placeEntity(doc, 'stakeholders', rel, { x: 0, y: 0 });
    const model = readModel(doc);
    expect(entity(doc, effort)?.stakeholderIds).toEqual([s]);
    expect(entity(doc, strategy)?.indicatorIds).toEqual([]);
    expect(entity(doc, activity)).toMatchObject({ strategyId: null, ownerIds: [] });
    expect(entity(doc, group)).toMatchObject({ leadIds: [], parentId: null });
    expect(entity(doc, bb)).toMatchObject({ scopeId: null, functions: { ...noFunctions(), data: [s] } });
    expect(model.entities.relationship.map((r) => r.id)).toEqual([toEffort]);
    expect(findEntity(model, rel)).toBeUndefined();
    expect(findEntity(model, toStrategy)).toBeUndefined();
    expect(model.placements.stakeholders).toEqual({});
  });

  it('drops self-relationships, repeats (keeping the lowest id) and loops of parent groups', () => {
    const doc = newDoc();
    const a = createEntity(doc, 'stakeholder', { name: 'A' });
    const b = createEntity(doc, 'stakeholder', { name: 'B' });
    createEntity(doc, 'relationship', { source: a, target: a });
    createEntity(doc, 'relationship', { source: a, target: b, relation: 'funds' }, [], 'r2');
    createEntity(doc, 'relationship', { source: a, target: b, relation: 'funds' }, [], 'r1');
    createEntity(doc, 'relationship', { source: a, target: b, relation: 'partners' }, [], 'r3');
    expect(readModel(doc).entities.relationship.map((r) => r.id)).toEqual(['r1', 'r3']);
    createEntity(doc, 'group', { name: 'G1', parentId: 'g2' }, [], 'g1');
    createEntity(doc, 'group', { name: 'G2', parentId: 'g3' }, [], 'g2');
    createEntity(doc, 'group', { name: 'G3', parentId: 'g1' }, [], 'g3');
    createEntity(doc, 'group', { name: 'G4', parentId: 'g4' }, [], 'g4');
    const groups = readModel(doc).entities.group.map((g) => [g.id, g.parentId]);
    expect(groups).toEqual([
      ['g1', null],
      ['g2', 'g3'],
      ['g3', 'g1'],
      ['g4', null],
    ]);
  });

  it('skips entries that are not maps, of unknown kinds, or missing a required field; defaults wrong field types', () => {
    const doc = newDoc();
    const good = createEntity(doc, 'stakeholder', { name: 'Good' });
    doc.transact(() => {
      const map = entities(doc);
      map.set('a-string', 'hello');
      map.set('an-array', new Y.Array());
      const add = (id: string, fields: Record<string, unknown>) => {
        const entry = new Y.Map<unknown>();
        for (const [k, v] of Object.entries(fields)) entry.set(k, v);
        map.set(id, entry);
      };
      add('no-kind', { name: new Y.Text('x') });
      add('alien', { kind: 'alien', name: new Y.Text('x') });
      add('proto', { kind: 'constructor', name: new Y.Text('x') });
      add('tostring', { kind: 'toString' });
      add('singleton-kind', { kind: 'problem', description: new Y.Text('rival') });
      add('goal', { kind: 'stakeholder', name: new Y.Text('squats a singleton id') });
      add('plain-name', { kind: 'stakeholder', name: 'not a Y.Text' });
      add('rel-no-target', { kind: 'relationship', source: good, relation: 'funds' });
      add('wrong-types', {
        kind: 'stakeholder',
        name: new Y.Text('Wrong types'),
        organisation: 'plain string',
        sector: 42,
        role: 'emperor',
        influence: 'high',
        interest: 9,
      });
      add('bad-indicator', {
        kind: 'indicator',
        name: new Y.Text('Rate'),
        unit: 7,
        direction: null,
        frequency: 'fortnightly',
        subgroups: ['North', 'North', 7],
      });
      const functions = new Y.Map<unknown>();
      functions.set('data', 'not a set');
      add('bad-backbone', { kind: 'backbone', name: new Y.Text('B'), functions, structure: 'mystery' });
      add('bad-effort', { kind: 'effort', name: new Y.Text('E'), stakeholderIds: Y.Array.from([good]) });
      doc.getMap('placements.stakeholders').set(good, { x: 'a', y: 1 } as never);
      doc.getMap('placements.stakeholders').set('wrong-types', null as never);
    });
    const model = readModel(doc);
    expect(model.entities.stakeholder.map((s) => s.id).sort()).toEqual([good, 'wrong-types'].sort());
    expect(findEntity(model, 'wrong-types')).toEqual({
      kind: 'stakeholder',
      id: 'wrong-types',
      name: 'Wrong types',
      organisation: '',
      sector: 'government',
      role: 'partner',
      influence: 3,
      interest: 3,
    });
    expect(findEntity(model, 'bad-indicator')).toMatchObject({
      unit: '',
      direction: 'increase',
      frequency: 'yearly',
      subgroups: [],
    });
    expect(findEntity(model, 'bad-backbone')).toMatchObject({ structure: null, functions: noFunctions() });
    expect(findEntity(model, 'bad-effort')).toMatchObject({ stakeholderIds: [] });
    expect(model.entities.relationship).toEqual([]);
    expect(model.entities.problem).toEqual([{ kind: 'problem', id: 'problem', description: '' }]);
    expect(model.entities.goal).toEqual([{ kind: 'goal', id: 'goal', statement: '' }]);
    expect(model.placements.stakeholders).toEqual({});
    // Writes to hostile entries are ignored, not thrown.
    expect(() => updateEntity(doc, 'proto', { name: 'x' })).not.toThrow();
    expect(() => toggleRef(doc, 'alien', 'memberIds', good, true)).not.toThrow();
    expect(() => deleteEntities(doc, [good])).not.toThrow();
    expect(bindText(doc, 'proto', 'name')).toBeNull();
  });

  it('an entity whose name was emptied by concurrent deletes stays listed; an overlong text shows its start', () => {
    const [a, b] = pair();
    const id = createEntity(a, 'stakeholder', { name: 'Schools' });
    exchange(a, b);
    bindText(a, id, 'name')!.write('ols');
    bindText(b, id, 'name')!.write('Sch');
    exchange(a, b);
    expect(entity(a, id)?.name).toBe('');
    expect(entity(b, id)?.name).toBe('');
    bindText(a, id, 'name')!.write('x'.repeat(150));
    exchange(a, b);
    bindText(a, id, 'name')!.write('x'.repeat(200));
    bindText(b, id, 'name')!.write('y'.repeat(50) + 'x'.repeat(150));
    exchange(a, b);
    const name = entity(a, id)?.name as string;
    expect(name).toHaveLength(200);
    expect(entity(b, id)?.name).toBe(name);
  });
});

describe('collaboration: two documents exchanging updates', () => {
  it('converge on entities, placements and deletions', () => {
    const [a, b] = pair();
    const s = createEntity(a, 'stakeholder', { name: 'Council' }, [
      { board: 'stakeholders', position: { x: 0, y: 0 } },
    ]);
    exchange(a, b);
    createEntity(b, 'stakeholder', { name: 'Foundation' });
    updateEntity(a, s, { influence: 5 });
    placeEntity(b, 'stakeholders', s, { x: 40, y: 40 });
    exchange(a, b);
    expect(readModel(a)).toEqual(readModel(b));
    expect(readModel(a).entities.stakeholder).toHaveLength(2);
    deleteEntities(b, [s]);
    exchange(a, b);
    expect(readModel(a)).toEqual(readModel(b));
    expect(readModel(a).entities.stakeholder.map((x) => x.name)).toEqual(['Foundation']);
  });

  it('concurrent typing in the same text merges character by character', () => {
    const [a, b] = pair();
    const id = createEntity(a, 'effort', { name: 'League', description: 'youth sports' });
    exchange(a, b);
    const ta = bindText(a, id, 'description')!;
    const tb = bindText(b, id, 'description')!;
    ta.write('After-school youth sports');
    tb.write('youth sports in 30 towns');
    exchange(a, b);
    expect(ta.read()).toBe('After-school youth sports in 30 towns');
    expect(tb.read()).toBe(ta.read());
    // Both edit the middle of the same word.
    ta.write('After-school youth sport leagues in 30 towns');
    tb.write('After-school youth sports in 30 small towns');
    exchange(a, b);
    expect(ta.read()).toBe('After-school youth sport leagues in 30 small towns');
    expect(tb.read()).toBe(ta.read());
  });

  it('concurrent toggles of different ids in one id set both survive, also for backbone functions', () => {
    const [a, b] = pair();
    const s1 = createEntity(a, 'stakeholder', { name: 'One' });
    const s2 = createEntity(a, 'stakeholder', { name: 'Two' });
    const g = createEntity(a, 'group', { name: 'G' });
    const bb = createEntity(a, 'backbone', { name: 'B' });
    exchange(a, b);
    toggleRef(a, g, 'memberIds', s1, true);
    toggleRef(b, g, 'memberIds', s2, true);
    toggleBackboneFunction(a, bb, 'data', s1, true);
    toggleBackboneFunction(b, bb, 'data', s2, true);
    exchange(a, b);
    expect(entity(a, g)?.memberIds).toEqual([s1, s2].sort());
    expect(entity(a, bb)?.functions).toEqual({ ...noFunctions(), data: [s1, s2].sort() });
    expect(readModel(a)).toEqual(readModel(b));
  });

  it('setting all functions keeps a concurrent toggle of another function', () => {
    const [a, b] = pair();
    const s1 = createEntity(a, 'stakeholder', { name: 'One' });
    const s2 = createEntity(a, 'stakeholder', { name: 'Two' });
    const bb = createEntity(a, 'backbone', { name: 'B' });
    exchange(a, b);
    updateEntity(a, bb, { functions: { data: [s1] } });
    toggleBackboneFunction(b, bb, 'funding', s2, true);
    exchange(a, b);
    expect(entity(b, bb)?.functions).toEqual({ ...noFunctions(), data: [s1], funding: [s2] });
  });

  it('bindText observes local and remote changes until unsubscribed', () => {
    const [a, b] = pair();
    const id = createEntity(a, 'principle', { statement: 'Trust' });
    exchange(a, b);
    const binding = bindText(b, id, 'statement')!;
    const seen: string[] = [];
    const stop = binding.observe(() => seen.push(binding.read()));
    bindText(a, id, 'statement')!.write('Trust first');
    exchange(a, b);
    binding.write('Trust first, always');
    stop();
    binding.write('Trust');
    expect(seen).toEqual(['Trust first', 'Trust first, always']);
    expectSchemaError(() => binding.write('x'.repeat(201)), 'statement', /200/);
    expect(bindText(b, id, 'kind')).toBeNull();
    expect(bindText(b, 'nobody', 'statement')).toBeNull();
    expect(bindText(b, 'problem', 'statement')).toBeNull();
    expect(bindText(b, createEntity(b, 'indicator', { name: 'x' }), 'unit')).toBeNull(); // a plain string, not a text
  });
});

describe('replaceText', () => {
  it('turns any text into any other, by one minimal edit (seeded random strings)', () => {
    const next = random(20260512);
    const alphabet = ['a', 'b', 'c', ' ', 'é', '😀', '😁', '\n'];
    const word = () =>
      Array.from({ length: Math.floor(next() * 12) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    for (let i = 0; i < 500; i++) {
      const doc = newDoc();
      const ytext = doc.getText('t');
      const from = word();
      const to =
        next() < 0.5
          ? word()
          : from.slice(0, Math.floor(next() * from.length)) + word() + from.slice(Math.floor(next() * from.length));
      ytext.insert(0, from);
      const deletes = vi.spyOn(ytext, 'delete');
      const inserts = vi.spyOn(ytext, 'insert');
      replaceText(ytext, to);
      expect(ytext.toString()).toBe(to);
      // At most one delete and one insert.
      expect(deletes.mock.calls.length).toBeLessThanOrEqual(1);
      expect(inserts.mock.calls.length).toBeLessThanOrEqual(1);
      if (from === to) {
        expect(deletes).not.toHaveBeenCalled();
        expect(inserts).not.toHaveBeenCalled();
        continue;
      }
      // Minimal: nothing of the common prefix and suffix is rewritten...
      let prefix = 0;
      while (prefix < Math.min(from.length, to.length) && from[prefix] === to[prefix]) prefix++;
      let suffix = 0;
      while (
        suffix < Math.min(from.length, to.length) - prefix &&
        from[from.length - 1 - suffix] === to[to.length - 1 - suffix]
      )
        suffix++;
      const deleted = deletes.mock.calls[0]?.[1] ?? 0;
      // ...but for one more code unit on each side, to keep a surrogate pair whole.
      expect(deleted).toBeLessThanOrEqual(from.length - prefix - suffix + 2);
      expect(deleted).toBeGreaterThanOrEqual(from.length - prefix - suffix);
    }
  });

  it('never splits an emoji', () => {
    const doc = newDoc();
    const ytext = doc.getText('t');
    ytext.insert(0, 'a😀b');
    const deletes = vi.spyOn(ytext, 'delete');
    const inserts = vi.spyOn(ytext, 'insert');
    replaceText(ytext, 'a😁b');
    expect(ytext.toString()).toBe('a😁b');
    expect(deletes.mock.calls).toEqual([[1, 2]]);
    expect(inserts.mock.calls).toEqual([[1, '😁']]);
  });

  it('does nothing when the text is unchanged', () => {
    const doc = newDoc();
    const ytext = doc.getText('t');
    ytext.insert(0, 'same');
    let updates = 0;
    doc.on('update', () => updates++);
    replaceText(ytext, 'same');
    expect(updates).toBe(0);
  });
});

describe('isEmptyDoc', () => {
  it('is true for a new document and one whose content was all deleted, false otherwise', () => {
    const doc = newDoc();
    readModel(doc); // reading defines top-level types but writes nothing
    expect(isEmptyDoc(doc)).toBe(true);
    const id = createEntity(doc, 'stakeholder', { name: 'x' });
    expect(isEmptyDoc(doc)).toBe(false);
    deleteEntities(doc, [id]);
    expect(isEmptyDoc(doc)).toBe(true);
    updateEntity(doc, 'problem', { description: 'x' });
    expect(isEmptyDoc(doc)).toBe(false);
    const other = newDoc();
    other.getMap('stakeholders').set('v1', new Y.Map()); // anything at all counts
    expect(isEmptyDoc(other)).toBe(false);
    expect(BOARDS).toHaveLength(4);
  });
});

describe('links to other initiatives: a group’s sub-initiative, the parent strategy a strategy serves', () => {
  it('a document written before the fields existed reads them as "" (no link)', () => {
    const doc = newDoc();
    doc.transact(() => {
      const group = new Y.Map<unknown>();
      group.set('kind', 'group');
      group.set('name', new Y.Text('North district coalition'));
      group.set('groupKind', 'sub-initiative');
      entities(doc).set('g-old', group);
      const strategy = new Y.Map<unknown>();
      strategy.set('kind', 'strategy');
      strategy.set('name', new Y.Text('Parent education'));
      entities(doc).set('st-old', strategy);
    });
    const model = readModel(doc);
    expect(findEntity(model, 'g-old')).toMatchObject({ groupKind: 'sub-initiative', initiativeId: '' });
    expect(findEntity(model, 'st-old')).toMatchObject({ name: 'Parent education', servesId: '' });
  });

  it('ids of another initiative are kept as they are: never dropped as dangling, last writer wins, "" unlinks', () => {
    const doc = newDoc();
    const group = createEntity(doc, 'group', { name: 'North district coalition', groupKind: 'sub-initiative' });
    const strategy = createEntity(doc, 'strategy', { name: 'Parent education' });
    updateEntity(doc, group, { initiativeId: 'initiative-north' });
    updateEntity(doc, strategy, { servesId: 'st-families-of-the-parent' });
    expect(findEntity(readModel(doc), group)).toMatchObject({ initiativeId: 'initiative-north' });
    expect(findEntity(readModel(doc), strategy)).toMatchObject({ servesId: 'st-families-of-the-parent' });
    updateEntity(doc, group, { initiativeId: 'initiative-south' });
    updateEntity(doc, strategy, { servesId: '' });
    expect(findEntity(readModel(doc), group)).toMatchObject({ initiativeId: 'initiative-south' });
    expect(findEntity(readModel(doc), strategy)).toMatchObject({ servesId: '' });
  });

  it('refuses a link that is not text, and a stored one that is not text reads as ""', () => {
    const doc = newDoc();
    const group = createEntity(doc, 'group', { name: 'North district coalition', groupKind: 'sub-initiative' });
    expect(() => updateEntity(doc, group, { initiativeId: 42 as never })).toThrow(SchemaError);
    expect(() => updateEntity(doc, group, { initiativeId: 'x'.repeat(201) })).toThrow(/at most 200/);
    (entities(doc).get(group) as Y.Map<unknown>).set('initiativeId', 42);
    expect(findEntity(readModel(doc), group)).toMatchObject({ initiativeId: '' });
  });
});
