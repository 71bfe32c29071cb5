/**
 * The words of collective impact, as plain data. Everything here is pure
 * TypeScript: no Yjs, no React, no Node. The schema module (src/schema) turns a
 * shared document into these shapes; the statecharts read them.
 */

/** Sectors a stakeholder can come from (DOMAIN.md, "What collective impact is"). */
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

export interface Stakeholder {
  id: string;
  name: string;
  sector: Sector;
  role: StakeholderRole;
  x: number;
  y: number;
}

export interface StakeholderLink {
  id: string;
  source: string;
  target: string;
}

/**
 * A plain, immutable reading of what the group has built on the canvas: the
 * input to every guard. Built by `readInitiative` in src/schema.
 */
export interface InitiativeSnapshot {
  stakeholders: Stakeholder[];
  links: StakeholderLink[];
}

export const EMPTY_INITIATIVE: InitiativeSnapshot = { stakeholders: [], links: [] };

export function isSector(value: unknown): value is Sector {
  return typeof value === 'string' && (SECTORS as readonly string[]).includes(value);
}

export function isStakeholderRole(value: unknown): value is StakeholderRole {
  return typeof value === 'string' && (STAKEHOLDER_ROLES as readonly string[]).includes(value);
}
