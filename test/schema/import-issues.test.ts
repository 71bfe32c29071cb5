/**
 * Every kind of problem an import file can have, in words people can act on:
 * the card by kind and name, the field by the word its panel shows, every
 * problem at once (src/schema/importIssues.ts).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createEntity, placeEntity } from '../../src/schema/model.ts';
import { exportInitiative, parseExport, type InitiativeExport } from '../../src/schema/exchange.ts';
import { richDoc, richRecord } from './rich-doc.ts';

const meta = { id: 'init-1', name: 'Meadow County Coalition for Healthy Youth', issue: 'Teen substance use' };
const NOW = new Date('2026-05-12T09:30:00.000Z');
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

type Raw = { entities: Record<string, unknown>[]; placements: Record<string, Record<string, unknown>> } & Record<
  string,
  unknown
>;

/** A small file: three stakeholders, three relationships, placed on the stakeholder map. */
function smallFile(): Raw {
  const doc = new Y.Doc();
  const at = (x: number) => [{ board: 'stakeholders' as const, position: { x, y: 0 } }];
  createEntity(doc, 'stakeholder', { name: 'Meadow Valley Hospital', sector: 'health' }, at(0), 's1');
  createEntity(doc, 'stakeholder', { name: 'Youth council', sector: 'residents' }, at(200), 's2');
  createEntity(doc, 'stakeholder', { name: 'County health department', sector: 'government' }, at(400), 's3');
  createEntity(doc, 'relationship', { source: 's1', target: 's2', relation: 'partners' }, [], 'r1');
  createEntity(doc, 'relationship', { source: 's2', target: 's3', relation: 'partners' }, [], 'r2');
  createEntity(doc, 'relationship', { source: 's3', target: 's1', relation: 'funds' }, [], 'r3');
  createEntity(doc, 'strategy', { name: 'Parent education' }, [], 'st1');
  createEntity(doc, 'activity', { name: 'Parent evenings', strategyId: 'st1' }, [], 'a1');
  createEntity(doc, 'group', { name: 'Coordinating council' }, [], 'g1');
  placeEntity(doc, 'governance', 'g1', { x: 0, y: 0 });
  return clone(exportInitiative(doc, meta, richRecord(), NOW)) as unknown as Raw;
}

const at = (file: Raw, id: string) => file.entities.findIndex((e) => e.id === id);

function problems(input: unknown): string[] {
  const result = parseExport(input);
  if (result.ok) throw new Error('expected problems');
  return result.issues.map((issue) => issue.message);
}

function issues(input: unknown) {
  const result = parseExport(input);
  if (result.ok) throw new Error('expected problems');
  return result.issues;
}

describe('problems with a field name the card and the field in words', () => {
  it('a value out of range, an unknown value, a wrong date, bad subgroups, an unknown field, a missing field', () => {
    const file = clone(exportInitiative(richDoc(), meta, richRecord(), NOW)) as unknown as Raw;
    const find = (kind: string) => file.entities.findIndex((e) => e.kind === kind);
    const council = file.entities.findIndex((e) => e.name === 'County council');
    file.entities[council].influence = 7;
    file.entities[council].sector = 'aliens';
    file.entities[council].colour = 'red';
    file.entities[find('baseline')].date = '2024-02-30';
    file.entities[find('indicator')].subgroups = ['North district', 'North district'];
    delete file.entities[find('principle')].statement;
    file.entities[find('strategy')].servesId = 7;
    expect(issues(file)).toEqual([
      {
        path: `entities.${council}.sector`,
        message: expect.stringMatching(/^Stakeholder 'County council': sector must be one of: government, /),
      },
      {
        path: `entities.${council}.influence`,
        message: "Stakeholder 'County council': influence must be a whole number from 1 to 5.",
      },
      {
        path: `entities.${council}.colour`,
        message: `Stakeholder 'County council': "colour" is not a field of a stakeholder.`,
      },
      {
        path: `entities.${find('baseline')}.date`,
        message: "Baseline data 'Binge drinking': date must be a date (YYYY-MM-DD).",
      },
      {
        path: `entities.${find('strategy')}.servesId`,
        message: "Strategy 'Parent education': serves must be text.",
      },
      { path: `entities.${find('principle')}.statement`, message: 'Principle 1: statement is missing.' },
      {
        path: `entities.${find('indicator')}.subgroups`,
        message: "Indicator 'Binge drinking rate': subgroups: “North district” is given twice.",
      },
    ]);
  });

  it('the example of the issue, word for word', () => {
    const file = smallFile();
    file.entities[at(file, 's1')].influence = 9;
    expect(problems(file)).toEqual([
      "Stakeholder 'Meadow Valley Hospital': influence must be a whole number from 1 to 5.",
    ]);
  });

  it('a card without a name is named by its kind and its rank among its kind; an unknown kind by its place', () => {
    const file = smallFile();
    file.entities[at(file, 'r2')].relation = 'likes';
    file.entities.push({ kind: 'spaceship', id: 'x1' });
    file.entities.push({ kind: 'goal', id: 'goal-2', statement: '' });
    file.entities.push({ kind: 'principle', id: 'goal', statement: 'Squatting' });
    const n = file.entities.length;
    expect(issues(file)).toEqual([
      {
        path: `entities.${at(file, 'r2')}.relation`,
        message: expect.stringMatching(/^Relationship 2: relationship must be one of: funds, /),
      },
      {
        path: `entities.${n - 3}.kind`,
        message: expect.stringMatching(new RegExp(`^Card ${n - 2}: kind must be one of: stakeholder, `)),
      },
      { path: `entities.${n - 2}.id`, message: 'Goal: id must be "goal".' },
      {
        path: `entities.${n - 1}.id`,
        message: `Principle 'Squatting': id "goal" is reserved for the one goal of an initiative.`,
      },
    ]);
  });
});

describe('references, ids and positions', () => {
  it('the example of the issue: a relationship from a card that is not in the file', () => {
    const file = smallFile();
    file.entities[at(file, 'r3')].source = 'gone';
    expect(issues(file)).toEqual([
      {
        path: `entities.${at(file, 'r3')}.source`,
        message: 'Relationship 3: \'from\' names a card that is not in the file (id "gone").',
      },
    ]);
  });

  it('wrong kinds, a card joined to itself, its own parent, ids used twice, positions of missing or misplaced cards', () => {
    const file = smallFile();
    file.entities[at(file, 'r1')].target = 's1';
    file.entities[at(file, 'a1')].strategyId = 's2';
    file.entities[at(file, 'g1')].parentId = 'g1';
    file.entities.push({ ...file.entities[at(file, 's2')], name: 'Youth council (copy)' });
    file.placements.governance.s3 = { x: 0, y: 0 };
    file.placements.stakeholders.nobody = { x: 0, y: 0 };
    expect(problems(file)).toEqual([
      "Stakeholder 'Youth council (copy)': its id \"s2\" is also the id of Stakeholder 'Youth council'; every card needs its own id.",
      "Relationship 1: 'from' and 'to' name the same card; a relationship joins two different cards.",
      "Activity 'Parent evenings': 'strategy' names Stakeholder 'Youth council', which is not a strategy.",
      "Group 'Coordinating council': 'part of' names the group itself.",
      'Stakeholder map: a position is given for a card that is not in the file (id "nobody").',
      "Governance: Stakeholder 'County health department' is placed here, but this board does not show stakeholder cards.",
    ]);
  });

  it('a position that is not two numbers, and a board Convene does not have', () => {
    const file = smallFile();
    file.placements.stakeholders.s1 = { x: 'left', y: 0 };
    file.placements.kitchen = {};
    expect(problems(file)).toEqual([
      "Stakeholder map: the position of Stakeholder 'Meadow Valley Hospital' must be { x, y }, two numbers.",
      'The file places cards on "kitchen", which is not a board; the boards are: stakeholders, boundaries, framework, governance.',
    ]);
  });
});

describe('every problem at once', () => {
  it('problems of fields and references to missing cards come together, in one list', () => {
    const file = smallFile();
    file.entities[at(file, 's1')].influence = 0;
    file.entities[at(file, 's2')].interest = 'high';
    file.entities[at(file, 'r3')].source = 'gone';
    file.entities[at(file, 'a1')].strategyId = 'also-gone';
    expect(problems(file)).toEqual([
      "Stakeholder 'Meadow Valley Hospital': influence must be a whole number from 1 to 5.",
      "Stakeholder 'Youth council': interest must be a whole number from 1 to 5.",
      'Relationship 3: \'from\' names a card that is not in the file (id "gone").',
      "Activity 'Parent evenings': 'strategy' names a card that is not in the file (id \"also-gone\").",
    ]);
  });
});

describe('the file as a whole', () => {
  it('says in words when the file is not JSON, and where it stops making sense', () => {
    expect(issues('{"format": "convene.initiative",, }')).toEqual([
      {
        path: '(file)',
        message:
          'This file is not JSON (it stops making sense at character 33), so it is not a Convene export. Choose the .convene.json file that Export saved.',
      },
    ]);
    expect(problems('Name,Sector\nHospital,health')[0]).toMatch(/^This file is not JSON/);
  });

  it('JSON that is not an export, another format, a newer version', () => {
    expect(problems([])).toEqual([
      'This file is JSON, but not a Convene export: an export is one object with format, version, entities and placements.',
    ]);
    expect(problems({ hello: 'world' })).toEqual([
      'This is not a Convene initiative export: its format must be "convene.initiative". Choose the .convene.json file that Export saved.',
    ]);
    expect(problems({ ...smallFile(), version: 6 })).toEqual([
      'This file has format version 6, from a newer Convene; this one reads versions 1 to 5.',
    ]);
    expect(problems({ ...smallFile(), version: 0 })).toEqual(["The file's version: version must be one of: 1, 2, 3, 4, 5."]);
  });

  it('missing parts and unknown parts of the file', () => {
    const { placements: _p, entities: _e, ...rest } = smallFile();
    expect(problems({ ...rest, exportedAt: 'yesterday', colour: 'red' })).toEqual([
      "The file's exportedAt (when it was exported): exportedAt must be an ISO 8601 date and time.",
      "The file's entities (its cards): entities must be the list of cards.",
      "The file's placements (where the cards sit): placements must give each board (stakeholders, boundaries, framework, governance) its positions.",
      'The file has a part "colour" that a Convene export does not have.',
    ]);
  });
});

describe('the workflow record', () => {
  it('values that do not fit, named by where they sit in the record', () => {
    const file = smallFile() as Raw & { workflow: InitiativeExport['workflow'] & Record<string, unknown> };
    const workflow = file.workflow as unknown as Record<string, Record<string, unknown> & unknown[]>;
    (workflow.readiness.champion as Record<string, unknown>).status = 'maybe';
    (workflow.thresholds as Record<string, unknown>).minSectors = 40;
    (workflow.history[2] as Record<string, unknown>).by = 'Dana';
    expect(issues(file)).toEqual([
      {
        path: 'workflow.readiness.champion.status',
        message: 'Workflow record, readiness, influential champion: status must be one of: met, partial, unmet.',
      },
      {
        path: 'workflow.thresholds.minSectors',
        message: 'Workflow record, thresholds: Minimum sectors on the map must be a whole number from 1 to 9.',
      },
      {
        path: 'workflow.history.2.by',
        message: 'Workflow record, history entry 3: by must name a person: { id, name, role }.',
      },
    ]);
  });

  it('a record the statechart could not have produced', () => {
    const file = smallFile();
    const workflow = file.workflow as {
      stage: string;
      confirmations: Record<string, unknown>;
      history: { type: string }[];
    };
    workflow.stage = 'organize';
    workflow.confirmations['organize.community.engage'] = {
      ...(workflow.confirmations['initiate.community.outreach'] as object),
    };
    workflow.confirmations['initiate.planning.landscape'] = {
      ...(workflow.confirmations['initiate.community.outreach'] as object),
    };
    expect(problems(file)).toEqual([
      'Workflow record, stage: The record is in Phase II: Organize for Impact, but its history has no move into Phase II: Organize for Impact.',
      'Workflow record, confirmation of "Map the landscape": "Map the landscape" completes by itself once the canvas shows it; it cannot be confirmed by hand.',
    ]);
    workflow.stage = 'readiness';
    delete workflow.confirmations['initiate.planning.landscape'];
    expect(problems(file)).toEqual([
      expect.stringMatching(
        /^Workflow record, history entry \d+: The history moves into Phase I: Initiate Action, but the record is in Readiness assessment\.$/,
      ),
      'Workflow record, confirmation of "Facilitate community outreach": "Facilitate community outreach" is a step of Phase I: Initiate Action, which the record has not reached.',
      expect.stringMatching(
        /^Workflow record, confirmation of ".+": ".+" is a step of Phase II: Organize for Impact, which the record has not reached\.$/,
      ),
    ]);
  });

  it('a version 2 to 5 file without a record, a version 1 file with one', () => {
    const { workflow, ...noRecord } = smallFile();
    // Never "set version to 1": a version 1 file carries none of what later versions added.
    const missing = (version: number) =>
      `The file is version ${version} but has no workflow record, which every file from version 2 on carries: export the initiative again, or put its workflow record back. ` +
      "A version 1 file carries no workflow record, nor any of what later versions added: sticky notes, and an indicator's reporting frequency, data stewards, access, dated baseline and target, and its values' subgroups, notes and review.";
    for (const version of [5, 4, 3, 2]) {
      const said = problems({ ...noRecord, version });
      expect(said).toEqual([missing(version)]);
      expect(said[0]).not.toMatch(/set (its )?version to 1/i);
    }
    expect(problems({ ...noRecord, version: 1, workflow })).toEqual([
      'The file is version 1, which has no workflow record; a file with one is version 2.',
    ]);
  });

  it('a sticky note in a version 1 or 2 file, which have none', () => {
    const file = smallFile();
    file.entities.push({ kind: 'note', id: 'n1', text: 'Ask the\nyouth council', colour: 'yellow', author: '', group: '' });
    expect(parseExport(file).ok).toBe(true);
    const { workflow: _workflow, ...v1 } = file;
    expect(problems({ ...file, version: 2 })).toEqual([
      "Sticky note 'Ask the youth council': the file is version 2, which has no sticky notes; a file with them is version 3.",
    ]);
    expect(problems({ ...v1, version: 1 })).toEqual([
      "Sticky note 'Ask the youth council': the file is version 1, which has no sticky notes; a file with them is version 3.",
    ]);
  });
});

/** The shared measurement of the rich document's indicator, as a version 4 export writes it. */
const measured = {
  stewards: ['m-3'],
  access: 'restricted' as const,
  baseline: { value: 27, date: '2019-05-01' },
  target: { value: 16, date: null },
  measurements: [
    { date: '2024-05-01', value: 22.5, note: 'Workshops in all districts.', status: 'approved' as const, enteredBy: 'Dana Whitfield', enteredAt: '2025-06-02T08:00:00.000Z' },
    { date: '2024-05-01', value: 26, subgroup: 'North district', status: 'rejected' as const, enteredBy: 'Sam Ortiz', enteredAt: '2025-06-03T08:00:00.000Z' },
  ],
};

/**
 * The rich file as version `version` writes its indicator: numbers for its
 * baseline and target, { date, value } measurements, no stewards, access nor
 * frequency (a version 1 file without its workflow record).
 */
function olderFile(version: 1 | 2 | 3): { file: Raw; indicator: Record<string, unknown>; index: number } {
  const file = clone(exportInitiative(richDoc(), meta, richRecord(), NOW)) as unknown as Raw;
  file.version = version;
  if (version === 1) delete file.workflow;
  const index = file.entities.findIndex((e) => e.kind === 'indicator');
  const indicator = file.entities[index];
  for (const field of ['stewards', 'access', 'frequency']) delete indicator[field];
  Object.assign(indicator, { baseline: 24, target: 16, measurements: [{ date: '2024-03-01', value: 21.5 }, { date: '2025-03-01', value: 19 }] });
  return { file, indicator, index };
}

const INDICATOR = "Indicator 'Binge drinking rate'";
const setTo4 = 'Set its version to 4 or later, or export the initiative again.';
const setTo4WithRecord = 'Set its version to 4 or later and give it its workflow record, or export the initiative again.';

describe('a field of a later version in an older file is refused, never left out', () => {
  it('an older file as that version writes it imports', () => {
    for (const version of [1, 2, 3] as const) expect(parseExport(olderFile(version).file).ok).toBe(true);
  });

  it('a version 3 file whose indicator says who sees its values and whose measurement has a note: both named', () => {
    const { file, indicator, index } = olderFile(3);
    indicator.access = 'restricted';
    (indicator.measurements as Record<string, unknown>[])[1].note = 'Survey moved to spring';
    expect(issues(file)).toEqual([
      {
        path: `entities.${index}.access`,
        message: `${INDICATOR}: who sees its values (“restricted”) is new in version 4: this file says version 3, whose import would leave it out. ${setTo4}`,
      },
      {
        path: `entities.${index}.measurements.1.note`,
        message: `${INDICATOR}, measurement 2 (2025-03-01): a note is new in version 4: this file says version 3, whose import would leave it out. ${setTo4}`,
      },
    ]);
  });

  it('a version 1 file with data stewards, which also needs its workflow record to be version 4', () => {
    const { file, index } = olderFile(1);
    file.entities[index].stewards = ['m-3'];
    expect(issues(file)).toEqual([
      {
        path: `entities.${index}.stewards`,
        message: `${INDICATOR}: data stewards are new in version 4: this file says version 1, whose import would leave them out. ${setTo4WithRecord}`,
      },
    ]);
  });

  it('a baseline or target given as { value, date }, and a reporting frequency other than yearly, in a version 2 file', () => {
    const { file, indicator, index } = olderFile(2);
    Object.assign(indicator, { baseline: { value: 27, date: '2019-05-01' }, target: { value: 16, date: null }, frequency: 'monthly' });
    expect(issues(file)).toEqual([
      {
        path: `entities.${index}.frequency`,
        message: `${INDICATOR}: a reporting frequency (“monthly”) is new in version 4: this file says version 2, whose import chooses the frequency from the indicator's values instead. ${setTo4}`,
      },
      {
        path: `entities.${index}.baseline`,
        message: `${INDICATOR}: a baseline given as { value, date } is new in version 4: this file says version 2, which gives a baseline as a number, and would import the indicator without this one. ${setTo4}`,
      },
      {
        path: `entities.${index}.target`,
        message: `${INDICATOR}: a target given as { value, date } is new in version 4: this file says version 2, which gives a target as a number, and would import the indicator without this one. ${setTo4}`,
      },
    ]);
  });

  it('every later field of a measurement, once per indicator and field, naming the measurements that carry it', () => {
    const { file, indicator, index } = olderFile(3);
    indicator.measurements = ['2020', '2021', '2022', '2023', '2024'].map((year, i) => ({
      date: `${year}-03-01`,
      value: 20 - i,
      status: 'approved',
      ...(i === 0 ? { subgroup: 'North district', enteredBy: 'Dana Whitfield', enteredAt: '2025-06-02T08:00:00.000Z' } : {}),
      ...(i === 2 || i === 4 ? { note: 'Survey moved to spring' } : {}),
    }));
    const tail = `this file says version 3, whose import would leave`;
    expect(issues(file)).toEqual([
      { path: `entities.${index}.measurements.0.subgroup`, message: `${INDICATOR}, measurement 1 (2020-03-01): a subgroup is new in version 4: ${tail} it out. ${setTo4}` },
      { path: `entities.${index}.measurements.2.note`, message: `${INDICATOR}, measurements 3 and 5: notes are new in version 4: ${tail} them out. ${setTo4}` },
      { path: `entities.${index}.measurements.0.status`, message: `${INDICATOR}, measurements 1, 2, 3 and 2 more: review statuses are new in version 4: ${tail} them out. ${setTo4}` },
      { path: `entities.${index}.measurements.0.enteredBy`, message: `${INDICATOR}, measurement 1 (2020-03-01): who entered it is new in version 4: ${tail} it out. ${setTo4}` },
      { path: `entities.${index}.measurements.0.enteredAt`, message: `${INDICATOR}, measurement 1 (2020-03-01): when it was entered is new in version 4: ${tail} it out. ${setTo4}` },
    ]);
  });

  it('a version 4 export relabelled as an older version (what "set version to 1" led to): every field it would lose, each named', () => {
    const v4 = clone(exportInitiative(richDoc(), meta, richRecord(), NOW, () => measured)) as unknown as Raw;
    expect(parseExport(v4).ok).toBe(true);
    const { workflow: _workflow, ...rest } = v4;
    const index = v4.entities.findIndex((e) => e.kind === 'indicator');
    const fields = (version: number) => issues({ ...(version === 1 ? rest : v4), version }).map((issue) => issue.path);
    for (const version of [1, 2, 3]) {
      expect(fields(version)).toEqual([
        `entities.${index}.stewards`,
        `entities.${index}.access`,
        `entities.${index}.baseline`,
        `entities.${index}.target`,
        `entities.${index}.measurements.1.subgroup`,
        `entities.${index}.measurements.0.note`,
        `entities.${index}.measurements.0.status`,
        `entities.${index}.measurements.0.enteredBy`,
        `entities.${index}.measurements.0.enteredAt`,
      ]);
    }
    expect(problems({ ...rest, version: 1 })[0]).toBe(
      `${INDICATOR}: data stewards are new in version 4: this file says version 1, whose import would leave them out. ${setTo4WithRecord}`,
    );
  });

  it('what an older file means without the field, or what its import keeps as given, is read: nothing is lost', () => {
    // No stewards, access for members, yearly, a number or nothing for baseline and target: what versions 1–3 mean.
    // Subgroups, a group's linked sub-initiative and the strategy it serves are board fields: the import writes them.
    const { file, indicator } = olderFile(1);
    Object.assign(indicator, { stewards: [], access: 'members', frequency: 'yearly', baseline: null, target: 3.5, subgroups: ['North district'] });
    expect(file.entities.some((e) => e.kind === 'group' && e.initiativeId === 'initiative-north')).toBe(true);
    expect(file.entities.some((e) => e.kind === 'strategy' && e.servesId === 'parent-st-families')).toBe(true);
    expect(parseExport(file).ok).toBe(true);
  });
});
