/**
 * The words of collective impact, as plain data. Everything here is pure
 * TypeScript: no Yjs, no React, no Node. The schema module (src/schema) turns a
 * shared document into these shapes; the statecharts read them.
 */

/** Sectors a stakeholder can come from (docs/domain.md, "What the group builds": the stakeholder map). */
export const SECTORS = [
  'government',
  'business',
  'philanthropy',
  'nonprofit',
  'education',
  'health',
  'faith',
  'media',
  'residents',
] as const;
export type Sector = (typeof SECTORS)[number];

export const SECTOR_LABELS: Record<Sector, string> = {
  government: 'Government',
  business: 'Business',
  philanthropy: 'Philanthropy',
  nonprofit: 'Nonprofit',
  education: 'Education',
  health: 'Health',
  faith: 'Faith group',
  media: 'Media',
  residents: 'Residents',
};

/** The part a stakeholder plays in the initiative. */
export const STAKEHOLDER_ROLES = [
  'champion',
  'anchor-funder',
  'backbone',
  'partner',
  'affected',
  'other',
] as const;
export type StakeholderRole = (typeof STAKEHOLDER_ROLES)[number];

export const STAKEHOLDER_ROLE_LABELS: Record<StakeholderRole, string> = {
  champion: 'Champion',
  'anchor-funder': 'Anchor funder',
  backbone: 'Backbone',
  partner: 'Partner',
  affected: 'Person affected by the issue',
  other: 'Other',
};

export function isSector(value: unknown): value is Sector {
  return typeof value === 'string' && (SECTORS as readonly string[]).includes(value);
}

export function isStakeholderRole(value: unknown): value is StakeholderRole {
  return typeof value === 'string' && (STAKEHOLDER_ROLES as readonly string[]).includes(value);
}

/** The three phases of collective impact (docs/domain.md, "The three phases and their four components"). */
export const PHASES = ['initiate', 'organize', 'sustain'] as const;
export type Phase = (typeof PHASES)[number];

export const PHASE_LABELS: Record<Phase, string> = {
  initiate: 'Phase I: Initiate Action',
  organize: 'Phase II: Organize for Impact',
  sustain: 'Phase III: Sustain Action and Impact',
};

/** The components for success, the same four in every phase. */
export const COMPONENTS = ['governance', 'planning', 'community', 'evaluation'] as const;
export type Component = (typeof COMPONENTS)[number];

export const COMPONENT_LABELS: Record<Component, string> = {
  governance: 'Governance and infrastructure',
  planning: 'Strategic planning',
  community: 'Community involvement',
  evaluation: 'Evaluation and improvement',
};

/** The table "Components for success across the phases", cell by cell. */
export const COMPONENT_GOALS: Record<Phase, Record<Component, string>> = {
  initiate: {
    governance: 'Identify champions and form a cross-sector group',
    planning: 'Map the landscape and use data to make the case',
    community: 'Facilitate community outreach',
    evaluation: 'Analyse baseline data to identify key issues and gaps',
  },
  organize: {
    governance: 'Create infrastructure (backbone and processes)',
    planning: 'Create the common agenda (common goals and strategy)',
    community: 'Engage the community and build public will',
    evaluation: 'Establish shared metrics (indicators, measurement and approach)',
  },
  sustain: {
    governance: 'Facilitate and refine',
    planning: 'Support implementation (alignment to goals and strategies)',
    community: 'Continue engagement and conduct advocacy',
    evaluation: 'Collect, track and report progress (a process to learn and improve)',
  },
};

export function isPhase(value: unknown): value is Phase {
  return typeof value === 'string' && (PHASES as readonly string[]).includes(value);
}
