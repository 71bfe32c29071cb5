/**
 * What the demo coalition has built on its four boards: a rural county
 * coalition on teen substance use (DOMAIN.md, "Realistic examples"). Deliberately
 * part-way through: the landscape is mapped and governance formed, while the
 * framework and shared measures still have gaps for the workflow to point at.
 */
import type { Sector, StakeholderRole } from '../machines/domain.ts';
import type { Board } from '../machines/entities.ts';
import {
  addMeasurement,
  createEntity,
  toggleBackboneFunction,
  updateEntity,
  type InitiativeDoc,
} from '../src/schema/index.ts';

type Person = [name: string, organisation: string, sector: Sector, role: StakeholderRole, influence: number, interest: number];

const PEOPLE: Person[] = [
  ['Ruth Okafor', 'District Attorney’s Office', 'government', 'champion', 5, 5],
  ['Meadow County Community Foundation', '', 'philanthropy', 'anchor-funder', 4, 4],
  ['Meadow County Prevention Council', '', 'nonprofit', 'backbone', 3, 5],
  ['Department of Human Services', 'Meadow County', 'government', 'partner', 4, 4],
  ['Sheriff and municipal police', 'Meadow County', 'government', 'partner', 4, 3],
  ['County Commissioners', 'Meadow County', 'government', 'partner', 5, 2],
  ['Ten regional school districts', '', 'education', 'partner', 4, 4],
  ['Meadow Valley Hospital', '', 'health', 'partner', 3, 3],
  ['Boys & Girls Club', 'Meadow County', 'nonprofit', 'partner', 2, 5],
  ['Interfaith Council', 'Meadow County', 'faith', 'partner', 2, 4],
  ['Chamber of Commerce and local retailers', '', 'business', 'partner', 3, 2],
  ['The Meadow Courier', '', 'media', 'partner', 3, 2],
  ['Parents Who Host Lose the Most network', '', 'residents', 'affected', 2, 5],
  ['Youth Advisory Board', '', 'residents', 'affected', 2, 5],
];

const RELATIONS: [number, number, 'funds' | 'partners' | 'member-of' | 'reports-to'][] = [
  [1, 2, 'funds'],
  [0, 2, 'partners'],
  [0, 4, 'partners'],
  [2, 6, 'partners'],
  [2, 3, 'partners'],
  [12, 2, 'member-of'],
  [13, 2, 'member-of'],
  [8, 13, 'partners'],
  [9, 12, 'partners'],
  [10, 4, 'partners'],
  [11, 2, 'partners'],
  [7, 3, 'partners'],
  [5, 1, 'partners'],
  [2, 5, 'reports-to'],
];

const at = (board: Board, x: number, y: number) => [{ board, position: { x, y } }];

export function writeDemoContent(doc: InitiativeDoc): void {
  doc.transact(() => {
    // Stakeholder map: the landscape of key players and the work already under way.
    const people = PEOPLE.map(([name, organisation, sector, role, influence, interest], i) =>
      createEntity(doc, 'stakeholder', { name, organisation, sector, role, influence, interest }, at('stakeholders', (i % 5) * 260, Math.floor(i / 5) * 190)),
    );
    for (const [a, b, relation] of RELATIONS) createEntity(doc, 'relationship', { source: people[a], target: people[b], relation });
    createEntity(
      doc,
      'effort',
      {
        name: 'School health task force',
        description: 'Already links the ten school districts on health education; the coalition builds on it rather than starting a new one.',
        stakeholderIds: [people[6], people[7]],
      },
      at('stakeholders', 1340, 0),
    );
    createEntity(
      doc,
      'effort',
      {
        name: 'Sticker shock campaign',
        description: 'Youth volunteers label multipacks in local shops with the penalties for supplying minors.',
        stakeholderIds: [people[13], people[10]],
      },
      at('stakeholders', 1340, 190),
    );

    // Boundaries: what is inside the effort and what is left outside.
    const boundaries: [string, 'issue' | 'population' | 'geography', 'inside' | 'outside', string][] = [
      ['Parental and youth social norms', 'issue', 'inside', 'Surveys show most parents underestimate how much teens drink.'],
      ['Prevention and treatment', 'issue', 'inside', 'Both are needed to move the numbers; treatment capacity is thin in the county.'],
      ['Retailers’ sale of alcohol to minors', 'issue', 'inside', 'Compliance checks failed in a third of shops last year.'],
      ['Youth unemployment', 'issue', 'outside', 'A contributing cause, but another coalition leads on jobs; we link to it.'],
      ['Domestic violence', 'issue', 'outside', 'Contributes, but needs its own expertise and partners.'],
      ['Students aged 12 to 18 and their parents', 'population', 'inside', 'Where the survey data and the schools reach.'],
      ['All 30 municipalities of Meadow County', 'geography', 'inside', 'The county is the unit the data and the DA’s office cover.'],
      ['The rest of the state', 'geography', 'outside', 'Revisit if neighbouring counties ask to join.'],
    ];
    boundaries.forEach(([label, dimension, side, rationale], i) =>
      createEntity(doc, 'boundary', { label, dimension, side, rationale }, at('boundaries', side === 'inside' ? 60 + (i % 2) * 240 : 760 + (i % 2) * 240, 40 + i * 70)),
    );

    // Strategic action framework: problem, goal, strategies; principles and evaluation still to do.
    // No coordinates here: the board lays unplaced cards out as its one-page roadmap.
    updateEntity(doc, 'problem', {
      description:
        'Teen binge drinking, smoking and marijuana use in Meadow County are above the state average and start young: one in four 10th graders reports binge drinking in the past month.',
    });
    updateEntity(doc, 'goal', {
      statement: 'Reduce teen substance use in Meadow County to below the state average within five years.',
    });
    createEntity(doc, 'source', { title: 'State Youth Risk Behavior Survey, county report', reference: 'Department of Health, 2025' });
    createEntity(doc, 'baseline', { statement: '10th graders binge drinking in the past 30 days', value: '24%', source: 'Youth Risk Behavior Survey', date: '2025-05-01' });
    createEntity(doc, 'baseline', { statement: 'Shops selling alcohol to minors in compliance checks', value: '33%', source: 'Sheriff’s office', date: '2025-09-30' });
    const indicators = [
      createEntity(doc, 'indicator', { name: 'Binge drinking, 10th grade', definition: 'Share of 10th graders reporting 5+ drinks on one occasion in the past 30 days (YRBS).', unit: '%', direction: 'decrease', baseline: 24, target: 16 }),
      createEntity(doc, 'indicator', { name: 'Smoking, 10th grade', definition: 'Share of 10th graders who smoked or vaped nicotine in the past 30 days (YRBS).', unit: '%', direction: 'decrease', baseline: 19, target: 12 }),
      createEntity(doc, 'indicator', { name: 'Compliance check failures', definition: '', unit: '%', direction: 'decrease', baseline: 33, target: 10 }),
    ];
    addMeasurement(doc, indicators[0], { date: '2025-05-01', value: 24 });
    const strategies = [
      createEntity(doc, 'strategy', { name: 'Parent education', description: 'Workshops and a pledge campaign on hosting and supervision.', horizon: 'short-term', indicatorIds: [indicators[0]] }, [{ board: 'governance', position: { x: 0, y: 620 } }]),
      createEntity(doc, 'strategy', { name: 'Youth recognition', description: 'Celebrate substance-free youth leadership in every school.', horizon: 'short-term', indicatorIds: [indicators[1]] }, [{ board: 'governance', position: { x: 380, y: 620 } }]),
      createEntity(doc, 'strategy', { name: 'Community laws and norms', description: 'Social host ordinances in all 30 municipalities and regular compliance checks.', horizon: 'long-term', indicatorIds: [indicators[2]] }, [{ board: 'governance', position: { x: 760, y: 620 } }]),
    ];
    createEntity(doc, 'activity', { name: 'Parent workshops in every school district', strategyId: strategies[0], ownerIds: [people[6], people[12]] });
    createEntity(doc, 'activity', { name: 'Model social host ordinance', strategyId: strategies[2], ownerIds: [people[0], people[5]] });

    // Governance: the coordinating council and three working groups, and the backbone.
    const council = createEntity(doc, 'group', { name: 'Coordinating council', groupKind: 'steering-committee', memberIds: [people[0], people[1], people[2], people[3], people[6], people[9], people[12]], leadIds: [people[0]] }, at('governance', 380, 0));
    const wgNames = ['Parent education working group', 'Youth recognition working group', 'Community laws and norms working group'];
    wgNames.forEach((name, i) =>
      createEntity(doc, 'group', { name, groupKind: 'working-group', parentId: council, strategyIds: [strategies[i]], indicatorIds: [indicators[i]], memberIds: [people[2], people[6 + i]], leadIds: [people[6 + i]] }, at('governance', i * 380, 330)),
    );
    const backbone = createEntity(doc, 'backbone', { name: 'Meadow County Prevention Council', structure: 'existing-nonprofit' }, at('governance', 1140, 0));
    toggleBackboneFunction(doc, backbone, 'strategic-direction', people[2], true);
    toggleBackboneFunction(doc, backbone, 'facilitate-dialogue', people[2], true);
    toggleBackboneFunction(doc, backbone, 'funding', people[1], true);
  });
}
