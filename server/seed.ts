/**
 * The demo initiative created on first start: a rural county coalition on teen
 * substance use (docs/domain.md, "The example used throughout"), with stakeholders across
 * sectors, boundaries, a first framework and governance (./demoContent.ts),
 * seven years of its shared measures in the measure store (one public and
 * broken down by school district, one restricted with its data steward), and a
 * readiness assessment under way.
 */
import { periodOf } from '../machines/measures/periods.ts';
import { importInitiative } from '../src/schema/exchange.ts';
import { createInitiativeDoc, encodeInitiative } from '../src/schema/index.ts';
import { DEMO_ISSUE, DEMO_NAME, demoExport, demoMeasures } from './demoContent.ts';
import type { Author, CarriedMeasurement, MeasureStore } from './measures/types.ts';
import { ACCESS } from '../src/contract/index.ts';
import type { PeopleStore } from './people/types.ts';
import type { DocStorage } from './storage/types.ts';
import type { Store } from './store.ts';
import type { WorkflowRunner } from './workflow/runner.ts';

export interface DemoSeed {
  initiativeId: string;
  /** A sign-in link's token for the lead, Dana Whitfield (single use, ACCESS.inviteDays days). */
  leadToken: string;
}

/** When the demo's values were entered: the start of the year after the last survey. */
const ENTERED_AT = '2026-01-12T09:00:00.000Z';

/** The demo's measures into the store: settings, then every value, reviewed by the lead (the steward's latest awaits review). */
async function seedMeasures(measures: MeasureStore, initiativeId: string, lead: Author, steward: Author): Promise<void> {
  for (const [indicator, m] of Object.entries(demoMeasures())) {
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

export async function seedDemo(
  store: Store,
  people: PeopleStore,
  docs: DocStorage,
  workflows: WorkflowRunner,
  measures: MeasureStore,
): Promise<DemoSeed> {
  const initiative = store.createInitiative(DEMO_NAME, DEMO_ISSUE);
  const member = people.addMember(initiative.id, 'lead', 'Dana Whitfield', 'Backbone lead');
  const { token } = people.createInvite(
    initiative.id,
    { role: member.role, label: member.label, memberId: member.id, expiresInDays: ACCESS.inviteDays },
    { id: null, name: 'Convene' },
  );

  // The sheriff's office reports the restricted compliance checks.
  const steward = people.addMember(initiative.id, 'participant', 'Sam Ortiz', 'Sheriff’s office, data steward');
  await seedMeasures(measures, initiative.id, { id: member.id, name: 'Dana Whitfield' }, { id: steward.id, name: 'Sam Ortiz' });

  const doc = createInitiativeDoc();
  importInitiative(doc, demoExport());
  await docs.append(initiative.id, encodeInitiative(doc));
  doc.destroy();

  workflows.ensure(initiative.id);
  const lead = { id: member.id, name: 'Dana Whitfield', role: 'lead' };
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
  return { initiativeId: initiative.id, leadToken: token };
}
