/**
 * The demo initiative created on first start: a rural county coalition on teen
 * substance use (DOMAIN.md, "Realistic examples"), with stakeholders across
 * sectors, a champion, an anchor funder and the backbone, and a readiness
 * assessment under way.
 */
import type { Sector, StakeholderRole } from '../machines/domain.ts';
import { addLink, addStakeholder, createInitiativeDoc, encodeInitiative } from '../src/schema/index.ts';
import type { DocStorage } from './docStorage.ts';
import type { Store } from './store.ts';
import type { WorkflowRunner } from './workflow/runner.ts';

export interface DemoSeed {
  initiativeId: string;
  leadToken: string;
}

const STAKEHOLDERS: [string, Sector, StakeholderRole][] = [
  ['District Attorney Ruth Okafor', 'government', 'champion'],
  ['Meadow County Community Foundation', 'philanthropy', 'anchor-funder'],
  ['Meadow County Prevention Council', 'nonprofit', 'backbone'],
  ['County Department of Human Services', 'government', 'partner'],
  ['County Sheriff and municipal police', 'government', 'partner'],
  ['County Commissioners', 'government', 'partner'],
  ['Ten regional school districts', 'education', 'partner'],
  ['Meadow Valley Hospital', 'health', 'partner'],
  ['Boys & Girls Club of Meadow County', 'nonprofit', 'partner'],
  ['Interfaith Council of Meadow County', 'faith', 'partner'],
  ['Chamber of Commerce and local retailers', 'business', 'partner'],
  ['The Meadow Courier', 'media', 'partner'],
  ['Parents Who Host Lose the Most network', 'residents', 'affected'],
  ['Youth Advisory Board', 'residents', 'affected'],
];

const LINKS: [number, number][] = [
  [1, 2], // the foundation funds the backbone
  [0, 2], // the champion convenes through the backbone
  [0, 4],
  [2, 6],
  [2, 3],
  [2, 12],
  [2, 13],
  [6, 13],
  [8, 13],
  [9, 12],
  [10, 4],
  [11, 2],
  [7, 3],
  [5, 1],
];

export function seedDemo(store: Store, docs: DocStorage, workflows: WorkflowRunner): DemoSeed {
  const initiative = store.createInitiative(
    'Meadow County Coalition for Healthy Youth',
    'Teen substance use across the 30 municipalities of a rural county: binge drinking, smoking and marijuana use among students.',
  );
  const { member, token } = store.createInvite(initiative.id, 'lead', 'Backbone lead');
  store.setMemberName(member.id, 'Dana Whitfield');

  const doc = createInitiativeDoc();
  const ids = STAKEHOLDERS.map(([name, sector, role], i) =>
    addStakeholder(doc, { name, sector, role, x: (i % 5) * 260, y: Math.floor(i / 5) * 170 }),
  );
  for (const [a, b] of LINKS) addLink(doc, ids[a], ids[b]);
  docs.append(initiative.id, encodeInitiative(doc));
  doc.destroy();

  const lead = { id: member.id, name: 'Dana Whitfield', role: 'lead' };
  workflows.send(
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
  workflows.send(
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
