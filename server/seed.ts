/**
 * The demo initiative created on first start: a rural county coalition on teen
 * substance use (docs/domain.md, "The example used throughout"), with stakeholders across
 * sectors, boundaries, a first framework and governance (./demoContent.ts),
 * and a readiness assessment under way.
 */
import { importInitiative } from '../src/schema/exchange.ts';
import { createInitiativeDoc, encodeInitiative } from '../src/schema/index.ts';
import { DEMO_ISSUE, DEMO_NAME, demoExport } from './demoContent.ts';
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

export async function seedDemo(store: Store, people: PeopleStore, docs: DocStorage, workflows: WorkflowRunner): Promise<DemoSeed> {
  const initiative = store.createInitiative(DEMO_NAME, DEMO_ISSUE);
  const member = people.addMember(initiative.id, 'lead', 'Dana Whitfield', 'Backbone lead');
  const { token } = people.createInvite(
    initiative.id,
    { role: member.role, label: member.label, memberId: member.id, expiresInDays: ACCESS.inviteDays },
    { id: null, name: 'Convene' },
  );

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
