/**
 * Who can be in an initiative, and what the screens call them. The members'
 * roles are stored with each invite (server/store.ts); the instance admin is no
 * member of anything but sees and runs every initiative.
 */

/** The roles a person holds in one initiative (one per invite). */
export const MEMBER_ROLES = ['lead', 'facilitator', 'participant', 'observer'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** Whoever looks at an initiative: one of its members, or the instance admin. */
export const VIEWER_ROLES = ['admin', ...MEMBER_ROLES] as const;
export type ViewerRole = (typeof VIEWER_ROLES)[number];

export const ROLE_LABELS: Record<ViewerRole, string> = {
  admin: 'Administrator',
  lead: 'Backbone lead',
  facilitator: 'Facilitator',
  participant: 'Participant',
  observer: 'Observer',
};

/** How a sentence names someone in the role: "the backbone lead", "a facilitator". */
export const ROLE_IN_A_SENTENCE: Record<ViewerRole, string> = {
  admin: 'the administrator',
  lead: 'the backbone lead',
  facilitator: 'a facilitator',
  participant: 'a participant',
  observer: 'an observer',
};

export function isViewerRole(role: unknown): role is ViewerRole {
  return typeof role === 'string' && (VIEWER_ROLES as readonly string[]).includes(role);
}

/** The label of a role, or the role as given when it is not one of ours (e.g. from an old history entry). */
export function roleLabel(role: string): string {
  return isViewerRole(role) ? ROLE_LABELS[role] : role;
}
