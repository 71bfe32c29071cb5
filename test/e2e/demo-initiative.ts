/**
 * A realistic initiative as an export file (convene.initiative v1), to load
 * through the import API: the Meadow County coalition on teen substance use
 * (DOMAIN.md, "Realistic examples"), with every board filled in. Unplaced
 * cards take each board's default layout.
 */
const functions = (carriers: Partial<Record<string, string[]>> = {}) => ({
  'strategic-direction': carriers['strategic-direction'] ?? [],
  'facilitate-dialogue': carriers['facilitate-dialogue'] ?? [],
  data: carriers.data ?? [],
  communications: carriers.communications ?? [],
  'community-outreach': carriers['community-outreach'] ?? [],
  funding: carriers.funding ?? [],
});

const stakeholder = (id: string, name: string, organisation: string, sector: string, role: string, influence: number, interest: number) => ({
  kind: 'stakeholder', id, name, organisation, sector, role, influence, interest,
});

export function demoExport(name: string) {
  const entities = [
    stakeholder('s-health', 'County health department', 'Meadow County', 'government', 'champion', 5, 5),
    stakeholder('s-found', 'Meadow Community Foundation', 'Community foundation', 'philanthropy', 'anchor-funder', 4, 4),
    stakeholder('s-schools', 'Meadow Unified School District', 'Ten school districts', 'education', 'partner', 4, 3),
    stakeholder('s-youth', 'Youth council', 'Students from every high school', 'residents', 'affected', 2, 5),
    stakeholder('s-faith', 'Interfaith alliance', 'Twelve congregations', 'faith', 'partner', 2, 3),
    stakeholder('s-da', 'District attorney', 'Meadow County', 'government', 'partner', 4, 2),
    { kind: 'relationship', id: 'r-1', source: 's-found', target: 's-health', relation: 'funds' },
    { kind: 'relationship', id: 'r-2', source: 's-schools', target: 's-health', relation: 'partners' },
    { kind: 'effort', id: 'e-prevent', name: 'School health task force', description: 'Links the ten school districts', stakeholderIds: ['s-schools', 's-health'] },
    { kind: 'boundary', id: 'b-norms', label: 'Parental and youth social norms', dimension: 'issue', side: 'inside', rationale: 'The strongest lever the coalition has.' },
    { kind: 'boundary', id: 'b-retail', label: 'Sale of alcohol to minors', dimension: 'issue', side: 'inside', rationale: 'Retailers are at the table.' },
    { kind: 'boundary', id: 'b-jobs', label: 'Youth unemployment', dimension: 'issue', side: 'outside', rationale: 'A contributing cause, but another coalition works on it.' },
    { kind: 'boundary', id: 'b-teens', label: 'Teens aged 12–18', dimension: 'population', side: 'inside', rationale: '' },
    { kind: 'boundary', id: 'b-county', label: 'Meadow County (30 municipalities)', dimension: 'geography', side: 'inside', rationale: 'Where the coalition has members.' },
    { kind: 'boundary', id: 'b-state', label: 'The rest of the state', dimension: 'geography', side: 'outside', rationale: 'Too broad for now; revisit in year 3.' },
    { kind: 'problem', id: 'problem', description: 'One in three Meadow County high-school students reports binge drinking in the last month, twice the state rate.' },
    { kind: 'source', id: 'src-1', title: '2026 Youth Risk Behavior Survey', reference: 'https://example.org/yrbs-2026' },
    { kind: 'source', id: 'src-2', title: 'County hospital admissions report', reference: 'Meadow County Hospital, 2025' },
    { kind: 'baseline', id: 'base-1', statement: 'Past-month binge drinking, grades 9–12', value: '33%', source: 'YRBS', date: '2026-03-01' },
    { kind: 'baseline', id: 'base-2', statement: 'Past-month smoking, grades 9–12', value: '14%', source: 'YRBS', date: '2026-03-01' },
    { kind: 'goal', id: 'goal', statement: 'Cut teen binge drinking by a third in five years.' },
    { kind: 'strategy', id: 'st-1', name: 'Parent education', description: '', horizon: 'short-term', indicatorIds: ['ind-1'] },
    { kind: 'strategy', id: 'st-2', name: 'Community laws and norms', description: '', horizon: 'long-term', indicatorIds: ['ind-1', 'ind-2'] },
    { kind: 'strategy', id: 'st-3', name: 'Youth recognition', description: '', horizon: 'short-term', indicatorIds: [] },
    { kind: 'activity', id: 'a-1', name: 'Parent nights at every school', strategyId: 'st-1', ownerIds: ['s-schools'] },
    { kind: 'activity', id: 'a-2', name: 'Retailer compliance checks', strategyId: 'st-2', ownerIds: ['s-da'] },
    { kind: 'activity', id: 'a-3', name: 'Social-host ordinance', strategyId: 'st-2', ownerIds: ['s-health'] },
    { kind: 'activity', id: 'a-4', name: 'Youth awards night', strategyId: 'st-3', ownerIds: ['s-youth'] },
    { kind: 'principle', id: 'p-1', statement: 'Young people are at the table, not on the agenda.' },
    { kind: 'principle', id: 'p-2', statement: 'Decisions follow the data.' },
    { kind: 'evaluation', id: 'evaluation', approach: 'Survey every two years; the backbone reviews data quarterly with each working group.' },
    {
      kind: 'indicator', id: 'ind-1', name: 'Teen binge drinking', definition: 'Share of grade 9–12 students reporting binge drinking in the past 30 days',
      unit: '%', direction: 'decrease', baseline: 33, target: 22, measurements: [{ date: '2026-03-01', value: 33 }],
    },
    {
      kind: 'indicator', id: 'ind-2', name: 'Retailer compliance', definition: 'Share of compliance checks without a sale to a minor',
      unit: '%', direction: 'increase', baseline: 71, target: 95, measurements: [],
    },
    { kind: 'group', id: 'g-steer', name: 'Coordinating council', groupKind: 'steering-committee', parentId: null, strategyIds: [], indicatorIds: [], memberIds: ['s-health', 's-found', 's-da'], leadIds: ['s-health'] },
    { kind: 'group', id: 'g-parents', name: 'Parent education working group', groupKind: 'working-group', parentId: 'g-steer', strategyIds: ['st-1'], indicatorIds: ['ind-1'], memberIds: ['s-schools', 's-faith'], leadIds: ['s-schools'] },
    { kind: 'group', id: 'g-laws', name: 'Laws and norms working group', groupKind: 'working-group', parentId: 'g-steer', strategyIds: ['st-2'], indicatorIds: [], memberIds: ['s-da'], leadIds: ['s-da'] },
    { kind: 'backbone', id: 'bb-1', name: 'Coalition backbone', scopeId: null, structure: 'existing-nonprofit', functions: functions({ data: ['s-health'], funding: ['s-found'] }) },
  ];
  return {
    format: 'convene.initiative',
    version: 1,
    exportedAt: new Date().toISOString(),
    initiative: { id: 'demo', name, issue: 'Teen substance use in Meadow County' },
    entities,
    placements: { stakeholders: {}, boundaries: {}, framework: {}, governance: {} },
  };
}
