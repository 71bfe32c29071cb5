/**
 * The demo initiative, as one export file (convene.initiative v1) and its
 * indicators' shared measurement (`demoMeasures`, for the measure store): what the
 * server seeds on first start (./seed.ts) and what the browser tests import
 * (test/e2e/helpers.ts), so both show the same coalition. A rural county
 * coalition on teen substance use (docs/domain.md, "The example used throughout"),
 * deliberately part-way through: the landscape is mapped and governance formed,
 * while the framework and shared measures still have gaps for the workflow to
 * point at.
 *
 * Plain data, no imports: the Playwright runner loads it as it is. Cards the
 * file does not place (boundaries, framework) take their board's layout, which
 * keeps them apart and inside their regions; the placed ones are spaced for the
 * cards' measured sizes (stakeholder cards about 200 × 110 px, groups 220 ×
 * up to 260 px with their member chips).
 */

export const DEMO_NAME = 'Meadow County Coalition for Healthy Youth';

/** The school districts the binge drinking measure is broken down by. */
const DISTRICTS = ['North district', 'Central district', 'South district'] as const;
export const DEMO_ISSUE =
  'Teen substance use across the 30 municipalities of a rural county: binge drinking, smoking and marijuana use among students.';

type Sector = 'government' | 'business' | 'philanthropy' | 'nonprofit' | 'education' | 'health' | 'faith' | 'media' | 'residents';
type Role = 'champion' | 'anchor-funder' | 'backbone' | 'partner' | 'affected' | 'other';
type Person = [id: string, name: string, organisation: string, sector: Sector, role: Role, influence: number, interest: number];

const PEOPLE: Person[] = [
  ['s-okafor', 'Ruth Okafor', 'District Attorney’s Office', 'government', 'champion', 5, 5],
  ['s-foundation', 'Meadow County Community Foundation', '', 'philanthropy', 'anchor-funder', 4, 4],
  ['s-council', 'Meadow County Prevention Council', '', 'nonprofit', 'backbone', 3, 5],
  ['s-dhs', 'Department of Human Services', 'Meadow County', 'government', 'partner', 4, 4],
  ['s-police', 'Sheriff and municipal police', 'Meadow County', 'government', 'partner', 4, 3],
  ['s-commissioners', 'County Commissioners', 'Meadow County', 'government', 'partner', 5, 2],
  ['s-schools', 'Ten regional school districts', '', 'education', 'partner', 4, 4],
  ['s-hospital', 'Meadow Valley Hospital', '', 'health', 'partner', 3, 3],
  ['s-club', 'Boys & Girls Club', 'Meadow County', 'nonprofit', 'partner', 2, 5],
  ['s-faith', 'Interfaith Council', 'Meadow County', 'faith', 'partner', 2, 4],
  ['s-chamber', 'Chamber of Commerce and local retailers', '', 'business', 'partner', 3, 2],
  ['s-courier', 'The Meadow Courier', '', 'media', 'partner', 3, 2],
  ['s-parents', 'Parents Who Host Lose the Most network', '', 'residents', 'affected', 2, 5],
  ['s-youth', 'Youth Advisory Board', '', 'residents', 'affected', 2, 5],
];

const RELATIONS: [source: string, target: string, relation: 'funds' | 'partners' | 'member-of' | 'reports-to'][] = [
  ['s-foundation', 's-council', 'funds'],
  ['s-okafor', 's-council', 'partners'],
  ['s-okafor', 's-police', 'partners'],
  ['s-council', 's-schools', 'partners'],
  ['s-council', 's-dhs', 'partners'],
  ['s-parents', 's-council', 'member-of'],
  ['s-youth', 's-council', 'member-of'],
  ['s-club', 's-youth', 'partners'],
  ['s-faith', 's-parents', 'partners'],
  ['s-chamber', 's-police', 'partners'],
  ['s-courier', 's-council', 'partners'],
  ['s-hospital', 's-dhs', 'partners'],
  ['s-commissioners', 's-foundation', 'partners'],
  ['s-council', 's-commissioners', 'reports-to'],
];

const BOUNDARIES: [id: string, label: string, dimension: 'issue' | 'population' | 'geography', side: 'inside' | 'outside', rationale: string][] = [
  ['b-norms', 'Parental and youth social norms', 'issue', 'inside', 'Surveys show most parents underestimate how much teens drink.'],
  ['b-treatment', 'Prevention and treatment', 'issue', 'inside', 'Both are needed to move the numbers; treatment capacity is thin in the county.'],
  ['b-retail', 'Retailers’ sale of alcohol to minors', 'issue', 'inside', 'Compliance checks failed in a third of shops last year.'],
  ['b-jobs', 'Youth unemployment', 'issue', 'outside', 'A contributing cause, but another coalition leads on jobs; we link to it.'],
  ['b-violence', 'Domestic violence', 'issue', 'outside', 'Contributes, but needs its own expertise and partners.'],
  ['b-students', 'Students aged 12 to 18 and their parents', 'population', 'inside', 'Where the survey data and the schools reach.'],
  ['b-county', 'All 30 municipalities of Meadow County', 'geography', 'inside', 'The county is the unit the data and the DA’s office cover.'],
  ['b-state', 'The rest of the state', 'geography', 'outside', 'Revisit if neighbouring counties ask to join.'],
];

const noFunctions = {
  'strategic-direction': [] as string[],
  'facilitate-dialogue': [] as string[],
  data: [] as string[],
  communications: [] as string[],
  'community-outreach': [] as string[],
  funding: [] as string[],
};

/** Stakeholders in rows of five, 260 px apart across and 190 down; the existing efforts in a column to the right. */
const stakeholderPlacements = () => {
  const placed: Record<string, { x: number; y: number }> = {};
  PEOPLE.forEach(([id], i) => (placed[id] = { x: (i % 5) * 260, y: Math.floor(i / 5) * 190 }));
  placed['e-task-force'] = { x: 1340, y: 0 };
  placed['e-sticker-shock'] = { x: 1340, y: 220 };
  return placed;
};

/**
 * The demo initiative as an export file, named `name`. `servesId`: the parent
 * initiative's strategy each of its strategies serves (the seed links it under
 * the city partnership, demoParentExport); none when imported on its own.
 */
export function demoExport(name: string = DEMO_NAME, servesId: Partial<Record<string, string>> = {}) {
  const entities: Record<string, unknown>[] = [
    ...PEOPLE.map(([id, person, organisation, sector, role, influence, interest]) => ({
      kind: 'stakeholder', id, name: person, organisation, sector, role, influence, interest,
    })),
    ...RELATIONS.map(([source, target, relation], i) => ({ kind: 'relationship', id: `r-${i + 1}`, source, target, relation })),
    {
      kind: 'effort', id: 'e-task-force', name: 'School health task force',
      description: 'Already links the ten school districts on health education; the coalition builds on it rather than starting a new one.',
      stakeholderIds: ['s-schools', 's-hospital'],
    },
    {
      kind: 'effort', id: 'e-sticker-shock', name: 'Sticker shock campaign',
      description: 'Youth volunteers label multipacks in local shops with the penalties for supplying minors.',
      stakeholderIds: ['s-youth', 's-chamber'],
    },
    ...BOUNDARIES.map(([id, label, dimension, side, rationale]) => ({ kind: 'boundary', id, label, dimension, side, rationale })),

    // Strategic action framework: problem, goal, strategies; principles and evaluation still to do.
    {
      kind: 'problem', id: 'problem',
      description:
        'Teen binge drinking, smoking and marijuana use in Meadow County are above the state average and start young: one in four 10th graders reports binge drinking in the past month.',
    },
    { kind: 'goal', id: 'goal', statement: 'Reduce teen substance use in Meadow County to below the state average within five years.' },
    { kind: 'source', id: 'src-yrbs', title: 'State Youth Risk Behavior Survey, county report', reference: 'Department of Health, 2025' },
    { kind: 'baseline', id: 'base-binge', statement: '10th graders binge drinking in the past 30 days', value: '24%', source: 'Youth Risk Behavior Survey', date: '2025-05-01' },
    { kind: 'baseline', id: 'base-compliance', statement: 'Shops selling alcohol to minors in compliance checks', value: '33%', source: 'Sheriff’s office', date: '2025-09-30' },
    // Their values, baseline, target and access are on the server, not in the file: see demoMeasures below.
    {
      kind: 'indicator', id: 'ind-binge', name: 'Binge drinking, 10th grade',
      definition: 'Share of 10th graders reporting 5+ drinks on one occasion in the past 30 days (YRBS).',
      unit: 'percent', direction: 'decrease', frequency: 'yearly', subgroups: [...DISTRICTS],
    },
    {
      kind: 'indicator', id: 'ind-smoking', name: 'Smoking, 10th grade',
      definition: 'Share of 10th graders who smoked or vaped nicotine in the past 30 days (YRBS).',
      unit: 'percent', direction: 'decrease', frequency: 'yearly', subgroups: [],
    },
    {
      kind: 'indicator', id: 'ind-compliance', name: 'Compliance check failures',
      definition: 'Share of shops that sold alcohol to a minor in the sheriff’s compliance checks.',
      unit: 'percent', direction: 'decrease', frequency: 'yearly', subgroups: [],
    },
    { kind: 'strategy', id: 'st-parents', name: 'Parent education', description: 'Workshops and a pledge campaign on hosting and supervision.', horizon: 'short-term', indicatorIds: ['ind-binge'], servesId: servesId['st-parents'] ?? '' },
    { kind: 'strategy', id: 'st-youth', name: 'Youth recognition', description: 'Celebrate substance-free youth leadership in every school.', horizon: 'short-term', indicatorIds: ['ind-smoking'], servesId: servesId['st-youth'] ?? '' },
    { kind: 'strategy', id: 'st-laws', name: 'Community laws and norms', description: 'Social host ordinances in all 30 municipalities and regular compliance checks.', horizon: 'long-term', indicatorIds: ['ind-compliance'], servesId: servesId['st-laws'] ?? '' },
    { kind: 'activity', id: 'a-workshops', name: 'Parent workshops in every school district', strategyId: 'st-parents', ownerIds: ['s-schools', 's-parents'] },
    { kind: 'activity', id: 'a-ordinance', name: 'Model social host ordinance', strategyId: 'st-laws', ownerIds: ['s-okafor', 's-commissioners'] },

    // Governance: the coordinating council and three working groups, and the backbone.
    {
      kind: 'group', id: 'g-council', name: 'Coordinating council', groupKind: 'steering-committee', parentId: null, strategyIds: [], indicatorIds: [],
      memberIds: ['s-okafor', 's-foundation', 's-council', 's-dhs', 's-schools', 's-faith', 's-parents'], leadIds: ['s-okafor'],
    },
    ...(
      [
        ['g-parents', 'Parent education working group', 'st-parents', 'ind-binge', 's-schools'],
        ['g-youth', 'Youth recognition working group', 'st-youth', 'ind-smoking', 's-hospital'],
        ['g-laws', 'Community laws and norms working group', 'st-laws', 'ind-compliance', 's-club'],
      ] as const
    ).map(([id, group, strategy, indicator, lead]) => ({
      kind: 'group', id, name: group, groupKind: 'working-group', parentId: 'g-council',
      strategyIds: [strategy], indicatorIds: [indicator], memberIds: ['s-council', lead], leadIds: [lead],
    })),
    {
      kind: 'backbone', id: 'bb-council', name: 'Prevention Council backbone team', scopeId: null, structure: 'existing-nonprofit',
      functions: { ...noFunctions, 'strategic-direction': ['s-council'], 'facilitate-dialogue': ['s-council'], funding: ['s-foundation'] },
    },
  ];
  return {
    format: 'convene.initiative',
    version: 1,
    exportedAt: '2026-01-15T09:00:00.000Z',
    initiative: { id: 'demo', name, issue: DEMO_ISSUE },
    entities,
    placements: {
      stakeholders: stakeholderPlacements(),
      boundaries: {},
      framework: {},
      governance: {
        'g-council': { x: 400, y: 0 },
        'g-parents': { x: 0, y: 340 },
        'g-youth': { x: 400, y: 340 },
        'g-laws': { x: 800, y: 340 },
        'bb-council': { x: 1200, y: 0 },
        'st-parents': { x: 0, y: 660 },
        'st-youth': { x: 400, y: 660 },
        'st-laws': { x: 800, y: 660 },
      },
    },
  };
}

/** One demo value: date, value, and optionally its subgroup and its story behind the curve. */
type DemoValue = [date: string, value: number, subgroup?: string, note?: string];

export interface DemoIndicatorMeasures {
  access: 'public' | 'members' | 'restricted';
  /** True when the demo's data steward (the sheriff's office) reports it. */
  steward: boolean;
  baseline: { value: number; date: string };
  target: { value: number; date: string };
  values: DemoValue[];
  /** Values entered but not yet reviewed by the lead (the latest of a restricted measure). */
  submitted?: string[];
}

/** Yearly survey values, 2019–2025, whole county and by district. */
function surveyYears(county: number[], districts: number[][], notes: Record<string, string> = {}): DemoValue[] {
  const out: DemoValue[] = [];
  county.forEach((value, i) => {
    const year = 2019 + i;
    const date = `${year}-05-01`;
    out.push(notes[year] ? [date, value, undefined, notes[year]] : [date, value]);
    districts.forEach((byYear, d) => out.push([date, byYear[i], DISTRICTS[d]]));
  });
  return out;
}

/**
 * Seven years of the coalition's shared measures (./seed.ts writes them to the
 * measure store): binge drinking is public and broken down by school district,
 * smoking reaches members, compliance check failures are restricted to the
 * lead and the sheriff's office, its data steward. Mostly trending the right
 * way, not always, so the report card shows real shares.
 */
export function demoMeasures(): Record<string, DemoIndicatorMeasures> {
  return {
    'ind-binge': {
      access: 'public',
      steward: false,
      baseline: { value: 27, date: '2019-05-01' },
      target: { value: 16, date: '2030-05-01' },
      values: surveyYears(
        [27, 26, 26.5, 25, 24, 22.5, 21],
        [
          [24, 23.5, 23, 22, 21.5, 20, 19],
          [26, 25, 26, 24.5, 23, 22, 20.5],
          [31, 30, 31.5, 29, 28, 26, 24],
        ],
        {
          2021: 'The survey was taken online during school closures; fewer students answered.',
          2023: 'Parent workshops started in four districts.',
          2025: 'Workshops now run in all ten districts; the south caught up fastest.',
        },
      ),
    },
    'ind-smoking': {
      access: 'members',
      steward: false,
      baseline: { value: 21, date: '2019-05-01' },
      target: { value: 12, date: '2030-05-01' },
      values: surveyYears([21, 20, 20.5, 19, 18, 16.5, 17], [], { 2025: 'Vaping rose again with disposable devices sold online.' }),
    },
    'ind-compliance': {
      access: 'restricted',
      steward: true,
      baseline: { value: 41, date: '2021-09-30' },
      target: { value: 10, date: '2030-09-30' },
      values: [
        ['2021-09-30', 41],
        ['2022-09-30', 38],
        ['2023-09-30', 33, undefined, 'Checks doubled after the model ordinance passed in six municipalities.'],
        ['2024-09-30', 29],
        ['2025-09-30', 31, undefined, 'Two new retailers in the south failed their first checks.'],
      ],
      submitted: ['2025-09-30'],
    },
  };
}

// --- The city partnership above it (issue #13): cascading levels of linked collaboration ---

export const DEMO_PARENT_NAME = 'Meadow City Healthy Futures Partnership';
export const DEMO_PARENT_ISSUE =
  'The health of young people across Meadow City and its county: substance use, mental health and safe places after school, each lever carried by its own coalition whose leaders meet monthly.';
export const DEMO_SIBLING_NAME = 'Meadow Youth Mental Health Network';
export const DEMO_SIBLING_ISSUE =
  'Anxiety and depression among the county’s teenagers, and the months they wait for help.';

/** The parent's strategies the two sub-initiatives' strategies serve. */
export const DEMO_PARENT_STRATEGIES = { substance: 'pst-substance', mental: 'pst-mental' } as const;

/** Which parent strategy each of the coalition's strategies serves (all of them: preventing substance use). */
export const DEMO_SERVES = {
  'st-parents': DEMO_PARENT_STRATEGIES.substance,
  'st-youth': DEMO_PARENT_STRATEGIES.substance,
  'st-laws': DEMO_PARENT_STRATEGIES.substance,
};

/**
 * The city partnership: a leadership table and its two sub-initiatives on the
 * governance board, each group linked to the real sub-initiative
 * (`initiativeId`), and the two strategies the sub-initiatives serve.
 */
export function demoParentExport(links: { substance: string; mental: string }) {
  const entities: Record<string, unknown>[] = [
    ['p-mayor', 'Mayor Elena Ruiz', 'City of Meadow', 'government', 'champion', 5, 5],
    ['p-united-way', 'Meadow United Way', '', 'philanthropy', 'anchor-funder', 4, 5],
    ['p-health', 'County Health Department', 'Meadow County', 'health', 'backbone', 4, 4],
    ['p-schools', 'Meadow City Schools', '', 'education', 'partner', 4, 4],
  ].map(([id, name, organisation, sector, role, influence, interest]) => ({
    kind: 'stakeholder', id, name, organisation, sector, role, influence, interest,
  }));
  entities.push(
    {
      kind: 'problem', id: 'problem',
      description: 'Young people in Meadow City and its county are less healthy than their peers across the state: more use alcohol and drugs, more wait months for mental health care.',
    },
    { kind: 'goal', id: 'goal', statement: 'Every young person in Meadow grows up healthy, with help within reach when they need it.' },
    {
      kind: 'strategy', id: DEMO_PARENT_STRATEGIES.substance, name: 'Prevent teen substance use', servesId: '',
      description: 'Carried by the Meadow County Coalition for Healthy Youth.', horizon: 'long-term', indicatorIds: [],
    },
    {
      kind: 'strategy', id: DEMO_PARENT_STRATEGIES.mental, name: 'Support young people’s mental health', servesId: '',
      description: 'Carried by the Meadow Youth Mental Health Network.', horizon: 'long-term', indicatorIds: [],
    },
    {
      kind: 'group', id: 'pg-table', name: 'Healthy Futures leadership table', groupKind: 'steering-committee', parentId: null,
      strategyIds: [], indicatorIds: [], memberIds: ['p-mayor', 'p-united-way', 'p-health', 'p-schools'], leadIds: ['p-mayor'], initiativeId: '',
    },
    {
      kind: 'group', id: 'pg-substance', name: 'Meadow County Coalition for Healthy Youth', groupKind: 'sub-initiative', parentId: 'pg-table',
      strategyIds: [DEMO_PARENT_STRATEGIES.substance], indicatorIds: [], memberIds: [], leadIds: [], initiativeId: links.substance,
    },
    {
      kind: 'group', id: 'pg-mental', name: 'Meadow Youth Mental Health Network', groupKind: 'sub-initiative', parentId: 'pg-table',
      strategyIds: [DEMO_PARENT_STRATEGIES.mental], indicatorIds: [], memberIds: [], leadIds: [], initiativeId: links.mental,
    },
    {
      kind: 'backbone', id: 'pbb-health', name: 'County Health Department backbone', scopeId: null, structure: 'government',
      functions: { ...noFunctions, 'strategic-direction': ['p-health'], data: ['p-health'], funding: ['p-united-way'] },
    },
  );
  return {
    format: 'convene.initiative',
    version: 1,
    exportedAt: '2026-01-15T09:00:00.000Z',
    initiative: { id: 'demo-parent', name: DEMO_PARENT_NAME, issue: DEMO_PARENT_ISSUE },
    entities,
    placements: {
      stakeholders: { 'p-mayor': { x: 0, y: 0 }, 'p-united-way': { x: 260, y: 0 }, 'p-health': { x: 520, y: 0 }, 'p-schools': { x: 780, y: 0 } },
      boundaries: {},
      framework: {},
      governance: {
        // Compact, so the board's fitted view stays above the zoom that shows the cards' details.
        'pg-table': { x: 250, y: 0 },
        'pg-substance': { x: 0, y: 280 },
        'pg-mental': { x: 500, y: 280 },
        'pbb-health': { x: 800, y: 0 },
        [DEMO_PARENT_STRATEGIES.substance]: { x: 0, y: 560 },
        [DEMO_PARENT_STRATEGIES.mental]: { x: 500, y: 560 },
      },
    },
  };
}

/** The mental health network: younger (readiness), one strategy serving the parent's, one members-only measure. */
export function demoSiblingExport() {
  return {
    format: 'convene.initiative',
    version: 1,
    exportedAt: '2026-01-15T09:00:00.000Z',
    initiative: { id: 'demo-sibling', name: DEMO_SIBLING_NAME, issue: DEMO_SIBLING_ISSUE },
    entities: [
      { kind: 'stakeholder', id: 'm-clinic', name: 'Meadow Valley Hospital youth clinic', organisation: '', sector: 'health', role: 'champion', influence: 4, interest: 5 },
      { kind: 'stakeholder', id: 'm-schools', name: 'School counsellors’ network', organisation: '', sector: 'education', role: 'partner', influence: 3, interest: 5 },
      { kind: 'stakeholder', id: 'm-youth', name: 'Youth Advisory Board', organisation: '', sector: 'residents', role: 'affected', influence: 2, interest: 5 },
      { kind: 'problem', id: 'problem', description: 'One in three teenagers reports persistent sadness; the youth clinic’s waiting list runs to four months.' },
      { kind: 'goal', id: 'goal', statement: 'Every teenager who asks for help is seen within two weeks.' },
      {
        kind: 'indicator', id: 'ind-wait', name: 'Weeks waiting for a first appointment',
        definition: 'Median weeks from referral to first appointment at the youth clinic.',
        unit: 'count', direction: 'decrease', frequency: 'yearly', subgroups: [],
      },
      {
        kind: 'strategy', id: 'ms-counsellors', name: 'A counsellor in every school', servesId: DEMO_PARENT_STRATEGIES.mental,
        description: 'Shared counsellors across the small districts.', horizon: 'long-term', indicatorIds: ['ind-wait'],
      },
    ],
    placements: { stakeholders: { 'm-clinic': { x: 0, y: 0 }, 'm-schools': { x: 260, y: 0 }, 'm-youth': { x: 520, y: 0 } }, boundaries: {}, framework: {}, governance: {} },
  };
}

/** The network's one measure: members see it; four years, mostly improving. */
export function demoSiblingMeasures(): Record<string, DemoIndicatorMeasures> {
  return {
    'ind-wait': {
      access: 'members',
      steward: false,
      baseline: { value: 17, date: '2022-06-30' },
      target: { value: 2, date: '2029-06-30' },
      values: [
        ['2022-06-30', 17],
        ['2023-06-30', 15],
        ['2024-06-30', 16],
        ['2025-06-30', 12, undefined, 'Two shared counsellors started in the south.'],
      ],
    },
  };
}
