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
    expect(problems(noRecord)).toEqual([
      'The file is version 5 but has no workflow record; export it again, or set version to 1.',
    ]);
    expect(problems({ ...noRecord, version: 4 })).toEqual([
      'The file is version 4 but has no workflow record; export it again, or set version to 1.',
    ]);
    expect(problems({ ...noRecord, version: 3 })).toEqual([
      'The file is version 3 but has no workflow record; export it again, or set version to 1.',
    ]);
    expect(problems({ ...noRecord, version: 2 })).toEqual([
      'The file is version 2 but has no workflow record; export it again, or set version to 1.',
    ]);
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
