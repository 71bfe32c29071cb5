/**
 * A rich initiative for tests: every entity kind, placements on all four
 * boards, measurements and backbone functions (docs/domain.md's rural county
 * coalition on teen substance use), and a workflow record to go with it.
 */
import * as Y from 'yjs';
import { createActor } from 'xstate';
import { stageOf, workflowMachine, type WorkflowCommand, type WorkflowEvent } from '../../machines/workflow.ts';
import type { WorkflowRecord } from '../../src/schema/workflowRecord.ts';
import {
  createEntity,
  placeEntity,
  toggleBackboneFunction,
  updateEntity,
} from '../../src/schema/model.ts';

/** A document with every kind, placements on all four boards, measurements and backbone functions. */
export function richDoc(doc = new Y.Doc()): Y.Doc {
  const s1 = createEntity(
    doc,
    'stakeholder',
    { name: 'County council', sector: 'government', role: 'champion', influence: 5, interest: 4 },
    [{ board: 'stakeholders', position: { x: 0, y: 0 } }],
  );
  const s2 = createEntity(
    doc,
    'stakeholder',
    { name: 'Community foundation', sector: 'philanthropy', role: 'anchor-funder' },
    [{ board: 'stakeholders', position: { x: 240, y: 0 } }],
  );
  const effort = createEntity(doc, 'effort', { name: 'Drug-free coalition', stakeholderIds: [s1, s2] }, [
    { board: 'stakeholders', position: { x: 120, y: 200 } },
  ]);
  createEntity(doc, 'relationship', { source: s2, target: s1, relation: 'funds' }, [
    { board: 'stakeholders', position: { x: 1, y: 1 } },
  ]);
  createEntity(doc, 'relationship', { source: s1, target: effort, relation: 'member-of' });
  createEntity(doc, 'boundary', { label: 'Retail sale of alcohol to minors', dimension: 'issue', side: 'inside' }, [
    { board: 'boundaries', position: { x: 10, y: 10 } },
  ]);
  createEntity(doc, 'boundary', {
    label: 'Neighbouring county',
    dimension: 'geography',
    side: 'outside',
    rationale: 'Later',
  });
  updateEntity(doc, 'problem', { description: 'Binge drinking among teens is twice the state average.' });
  updateEntity(doc, 'goal', { statement: 'Cut binge drinking by a third.' });
  updateEntity(doc, 'evaluation', { approach: 'Yearly youth survey.' });
  placeEntity(doc, 'framework', 'problem', { x: 0, y: -100 });
  placeEntity(doc, 'framework', 'goal', { x: 300, y: -100 });
  createEntity(doc, 'source', { title: 'Youth survey 2024', reference: 'County health department' }, [
    { board: 'framework', position: { x: 0, y: 400 } },
  ]);
  createEntity(doc, 'baseline', {
    statement: 'Binge drinking',
    value: '24%',
    source: 'Youth survey',
    date: '2024-03-01',
  });
  const indicator = createEntity(doc, 'indicator', {
    name: 'Binge drinking rate',
    unit: 'percent',
    direction: 'decrease',
    frequency: 'yearly',
    subgroups: ['North district', 'South district'],
  });
  const strategy = createEntity(
    doc,
    'strategy',
    // It serves a strategy of the parent initiative: an id in the parent's document.
    { name: 'Parent education', horizon: 'short-term', indicatorIds: [indicator], servesId: 'parent-st-families' },
    [
      { board: 'framework', position: { x: 0, y: 100 } },
      { board: 'governance', position: { x: 200, y: 100 } },
    ],
  );
  createEntity(doc, 'activity', { name: 'Parent evenings', strategyId: strategy, ownerIds: [s2] });
  createEntity(doc, 'principle', { statement: 'Youth voice in every decision' });
  const council = createEntity(doc, 'group', { name: 'Coordinating council', memberIds: [s1, s2], leadIds: [s1] }, [
    { board: 'governance', position: { x: 0, y: 0 } },
  ]);
  createEntity(doc, 'group', {
    name: 'Parent education group',
    groupKind: 'working-group',
    parentId: council,
    strategyIds: [strategy],
    indicatorIds: [indicator],
  });
  // A group standing for a real sub-initiative (an initiative id of the server).
  createEntity(doc, 'group', { name: 'North district coalition', groupKind: 'sub-initiative', parentId: council, initiativeId: 'initiative-north' });
  const backbone = createEntity(
    doc,
    'backbone',
    { name: 'Prevention council staff', structure: 'existing-nonprofit' },
    [{ board: 'governance', position: { x: -200, y: 0 } }],
  );
  toggleBackboneFunction(doc, backbone, 'data', s1, true);
  toggleBackboneFunction(doc, backbone, 'funding', s2, true);
  return doc;
}

/**
 * The rich document with a sticky note too: every kind of export format version 3.
 * (richDoc itself holds what version 1 and 2 files can, as the server's tests use it.)
 */
export function richDocWithNote(doc: Y.Doc = new Y.Doc()): Y.Doc {
  richDoc(doc);
  createEntity(
    doc,
    'note',
    { text: 'Ask the youth council\nwhat they think', colour: 'pink', author: 'Sam Ortega', group: 'Residents' },
    [{ board: 'framework', position: { x: 420, y: -180 } }],
  );
  return doc;
}

const lead = { id: 'member-lead', name: 'Dana Whitfield', role: 'lead' };
const facilitator = { id: 'member-facilitator', name: 'Sam Ortega', role: 'facilitator' };

/**
 * A workflow record as the real statechart writes it: every precondition
 * assessed, the scope answered, a threshold changed, the launch with an
 * override, a judgement step of Phase I confirmed. Timestamps are fixed.
 */
export function richRecord(): WorkflowRecord {
  const actor = createActor(workflowMachine).start();
  let minute = 0;
  const stamp = (by = lead) => ({ by, at: new Date(Date.UTC(2026, 3, 1, 9, minute++)).toISOString() });
  const send = (event: WorkflowCommand, by = lead) => actor.send({ ...event, ...stamp(by) } as WorkflowEvent);
  send({
    type: 'readiness.assess',
    precondition: 'champion',
    status: 'met',
    evidence: 'The District Attorney chairs it.',
  });
  send({ type: 'readiness.assess', precondition: 'resources', status: 'partial', evidence: 'Two years pledged.' });
  send({ type: 'readiness.assess', precondition: 'urgency', status: 'met', evidence: 'Survey: twice the state rate.' });
  send({
    type: 'readiness.scope',
    problem: 'moderate',
    collaboration: 'some',
    engagement: 'broad',
    note: 'County-wide',
  });
  send({ type: 'settings.thresholds', thresholds: { minStakeholders: 6 } }, facilitator);
  send({ type: 'readiness.confirm', override: { reason: 'The third year is being raised now.' } });
  send({ type: 'step.confirm', step: 'initiate.community.outreach', note: 'Two town halls held.' }, facilitator);
  const { value, context } = actor.getSnapshot();
  actor.stop();
  const { readiness, scope, confirmations, thresholds, history } = context;
  return structuredClone({ stage: stageOf(value), readiness, scope, confirmations, thresholds, history });
}
