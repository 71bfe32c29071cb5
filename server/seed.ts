/**
 * The demo initiatives created on first start: a rural county coalition on teen
 * substance use (docs/domain.md, "The example used throughout"), with stakeholders across
 * sectors, boundaries, a first framework and governance (./demoContent.ts),
 * seven years of its shared measures in the measure store (one public and
 * broken down by school district, one restricted with its data steward), and a
 * readiness assessment under way. It is one of two sub-initiatives of a city
 * partnership (cascading levels of linked collaboration, issue #13): the
 * partnership's governance board links both sub-initiative groups to them, the
 * coalition's strategies serve the partnership's, and Dana Whitfield leads all
 * three, so the portfolio dashboard shows a tree on first start.
 */
import { periodOf } from '../machines/measures/periods.ts';
import { importInitiative } from '../src/schema/exchange.ts';
import { createInitiativeDoc, encodeInitiative } from '../src/schema/index.ts';
import {
  DEMO_ISSUE,
  DEMO_NAME,
  DEMO_PARENT_ISSUE,
  DEMO_PARENT_NAME,
  DEMO_SERVES,
  DEMO_SIBLING_ISSUE,
  DEMO_SIBLING_NAME,
  demoExport,
  demoMeasures,
  demoParentExport,
  demoSiblingExport,
  demoSiblingMeasures,
  type DemoIndicatorMeasures,
} from './demoContent.ts';
import type { Author, CarriedMeasurement, MeasureStore } from './measures/types.ts';
import { ACCESS } from '../src/contract/index.ts';
import type { PeopleStore } from './people/types.ts';
import type { DocStorage } from './storage/types.ts';
import type { InitiativeStore } from './stores.ts';
import type { WorkflowRunner } from './workflow/runner.ts';

export interface DemoSeed {
  /** The county coalition (the demo initiative of earlier versions). */
  initiativeId: string;
  /** A sign-in link's token for its lead, Dana Whitfield (single use, ACCESS.inviteDays days). */
  leadToken: string;
  /** The city partnership above it, and its other sub-initiative. */
  parentId: string;
  siblingId: string;
  /**
   * Dana Whitfield's sign-in tokens for the partnership and for the other
   * sub-initiative: opened in the same browser as the coalition's, her one
   * session holds all three (a sign-in link carries one membership).
   */
  parentLeadToken: string;
  siblingLeadToken: string;
}

/** When the demo's values were entered: the start of the year after the last survey. */
const ENTERED_AT = '2026-01-12T09:00:00.000Z';

/** The demo's measures into the store: settings, then every value, reviewed by the lead (the steward's latest awaits review). */
async function seedMeasures(
  measures: MeasureStore,
  initiativeId: string,
  lead: Author,
  steward: Author,
  all: Record<string, DemoIndicatorMeasures> = demoMeasures(),
): Promise<void> {
  for (const [indicator, m] of Object.entries(all)) {
    await measures.setSettings(initiativeId, indicator, {
      access: m.access,
      stewards: m.steward && steward.id ? [steward.id] : [],
      baseline: m.baseline,
      target: m.target,
    });
    const rows = m.values.map(
      ([date, value, subgroup, note], n): CarriedMeasurement => ({
        id: `demo:${initiativeId}:${indicator}:${n}`,
        indicator,
        date,
        period: periodOf(date, 'yearly'),
        value,
        subgroup: subgroup ?? null,
        note: note ?? null,
        enteredBy: m.steward ? steward : lead,
        enteredAt: ENTERED_AT,
        status: m.submitted?.includes(date) ? 'submitted' : 'approved',
      }),
    );
    await measures.carry(initiativeId, rows);
  }
}

/** Writes an export file's cards into the initiative's stored document. */
async function seedDocument(docs: DocStorage, initiativeId: string, file: unknown): Promise<void> {
  const doc = createInitiativeDoc();
  importInitiative(doc, file as Parameters<typeof importInitiative>[1]);
  await docs.append(initiativeId, encodeInitiative(doc));
  doc.destroy();
}

/** Dana Whitfield as a lead of `initiativeId`, with her single-use sign-in token. */
async function addLead(people: PeopleStore, initiativeId: string) {
  const member = await people.addMember(initiativeId, 'lead', 'Dana Whitfield', 'Backbone lead');
  const { token } = await people.createInvite(
    initiativeId,
    { role: member.role, label: member.label, memberId: member.id, expiresInDays: ACCESS.inviteDays },
    { id: null, name: 'Convene' },
  );
  return { member, token };
}

export async function seedDemo(
  store: InitiativeStore,
  people: PeopleStore,
  docs: DocStorage,
  workflows: WorkflowRunner,
  measures: MeasureStore,
): Promise<DemoSeed> {
  const parent = await store.createInitiative(DEMO_PARENT_NAME, DEMO_PARENT_ISSUE);
  const initiative = await store.createInitiative(DEMO_NAME, DEMO_ISSUE, parent.id);
  const sibling = await store.createInitiative(DEMO_SIBLING_NAME, DEMO_SIBLING_ISSUE, parent.id);
  const { member, token } = await addLead(people, initiative.id);
  const parentLead = await addLead(people, parent.id);
  const siblingLead = await addLead(people, sibling.id);

  // The sheriff's office reports the restricted compliance checks.
  const steward = await people.addMember(initiative.id, 'participant', 'Sam Ortiz', 'Sheriff’s office, data steward');
  await seedMeasures(measures, initiative.id, { id: member.id, name: 'Dana Whitfield' }, { id: steward.id, name: 'Sam Ortiz' });
  const danaThere = { id: siblingLead.member.id, name: 'Dana Whitfield' };
  await seedMeasures(measures, sibling.id, danaThere, danaThere, demoSiblingMeasures());

  await seedDocument(docs, initiative.id, demoExport(DEMO_NAME, DEMO_SERVES));
  await seedDocument(docs, parent.id, demoParentExport({ substance: initiative.id, mental: sibling.id }));
  await seedDocument(docs, sibling.id, demoSiblingExport());

  for (const id of [parent.id, initiative.id, sibling.id]) await workflows.ensure(id);
  const lead = { id: member.id, name: 'Dana Whitfield', role: 'lead' };
  await workflows.send(
    parent.id,
    {
      type: 'readiness.assess',
      precondition: 'champion',
      status: 'met',
      evidence: 'The mayor convened the leadership table and chairs it; both coalitions’ leaders sit at it and meet monthly.',
    },
    { id: parentLead.member.id, name: 'Dana Whitfield', role: 'lead' },
  );
  await workflows.send(
    initiative.id,
    {
      type: 'readiness.assess',
      precondition: 'champion',
      status: 'met',
      evidence:
        'The District Attorney called the first meeting with the Department of Human Services; 60 people came, and she chairs the coordinating council.',
    },
    lead,
  );
  await workflows.send(
    initiative.id,
    {
      type: 'readiness.assess',
      precondition: 'resources',
      status: 'partial',
      evidence:
        'The Community Foundation has pledged two years of backbone funding; a second funder for year three is not yet secured.',
    },
    lead,
  );
  return {
    initiativeId: initiative.id,
    leadToken: token,
    parentId: parent.id,
    siblingId: sibling.id,
    parentLeadToken: parentLead.token,
    siblingLeadToken: siblingLead.token,
  };
}
