/**
 * The request bodies of the HTTP API (docs/api.md) as zod schemas, with the
 * sentences a refusal carries, and the shapes of the answers. The server
 * validates with these; the browser's API client sends and reads these types.
 * (An import body is an export file: src/schema/exchange.ts `parseExport`.)
 */
import { z } from 'zod';
import type { Stage } from '../../machines/workflow.ts';
import { MEMBER_ROLES, type MemberRole, type ViewerRole } from './roles.ts';

/** A required line of text: trimmed, not blank, at most `max` characters. */
export const requiredText = (max: number) => z.string().trim().min(1, 'Required.').max(max, `At most ${max} characters.`);

/** The longest name and issue of an initiative, invite label and member name. */
export const LIMITS = { initiativeName: 200, issue: 2000, inviteLabel: 200, memberName: 100 } as const;

/** `POST /api/initiatives` */
export const NewInitiative = z.object({
  name: requiredText(LIMITS.initiativeName),
  issue: requiredText(LIMITS.issue),
});
export type NewInitiative = z.infer<typeof NewInitiative>;

/** `POST /api/initiatives/:id/invites` */
export const NewInvite = z.object({
  role: z.enum(MEMBER_ROLES, `Choose a role: ${MEMBER_ROLES.join(', ')}.`),
  label: requiredText(LIMITS.inviteLabel).optional(),
});
export type NewInvite = z.infer<typeof NewInvite>;

/** `POST /api/session`: the invite token, and the person's name the first time. */
export const NewSession = z.object({
  token: z.string().min(1, 'Required.'),
  name: requiredText(LIMITS.memberName).optional(),
});
export type NewSession = z.infer<typeof NewSession>;

/** Said when a first sign-in comes without a name. */
export const NAME_REQUIRED = 'Invalid name: tell the group your name.';

// ---- Answers ----

export interface InitiativeSummary {
  id: string;
  name: string;
  issue: string;
  stage: Stage;
  role: ViewerRole;
}

export interface InitiativeDetail extends InitiativeSummary {
  me: { id: string; name: string | null; role: MemberRole } | null;
}

export interface Membership {
  initiativeId: string;
  initiativeName: string;
  memberId: string;
  name: string | null;
  role: MemberRole;
}

export interface Session {
  admin: boolean;
  memberships: Membership[];
}

export interface Invite {
  initiativeId: string;
  initiativeName: string;
  role: MemberRole;
  name: string | null;
}

export interface CreatedInvite {
  token: string;
  url: string;
}

/** `POST /api/initiatives/:id/import`: how much was written. */
export interface ImportResult {
  imported: { entities: number; placements: number };
}

/** One failing field of a refused body. */
export interface Issue {
  path: string;
  message: string;
}
