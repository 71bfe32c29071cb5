/**
 * The request bodies of the HTTP API (docs/api.md) as zod schemas, with the
 * sentences a refusal carries. The server validates with these; the browser's
 * API client sends these types. (An import body is an export file:
 * src/schema/exchange.ts `parseExport`.) The answers are in answers.ts.
 */
import { z } from 'zod';
import { ACCESS, LIMITS } from './limits.ts';
import { MEMBER_ROLES } from './roles.ts';
import { SECTORS } from '../../machines/domain.ts';

/** A required line of text: trimmed, not blank, at most `max` characters. */
const requiredText = (max: number) => z.string().trim().min(1, 'Required.').max(max, `At most ${max} characters.`);

const initiativeId = z.string('An initiative id.').trim().min(1, 'An initiative id.').max(64, 'An initiative id.');

/**
 * `POST /api/initiatives`: with `parentId`, a sub-initiative of that initiative
 * (the admin, or a backbone lead of the parent, who then leads the new one too).
 */
export const NewInitiative = z.object({
  name: requiredText(LIMITS.initiativeName),
  issue: requiredText(LIMITS.issue),
  parentId: initiativeId.optional(),
});
export type NewInitiative = z.infer<typeof NewInitiative>;

/** `PATCH /api/initiatives/:id`: its name or issue (`linkInitiatives`), or the initiative it sits under (`null`: none). */
export const InitiativeChange = z
  .object({
    name: requiredText(LIMITS.initiativeName).optional(),
    issue: requiredText(LIMITS.issue).optional(),
    parentId: initiativeId.nullable().optional(),
  })
  .refine((c) => c.name !== undefined || c.issue !== undefined || c.parentId !== undefined, {
    message: 'Say what changes: name, issue or parentId.',
  });
export type InitiativeChange = z.infer<typeof InitiativeChange>;

const memberRole = z.enum(MEMBER_ROLES, `Choose a role: ${MEMBER_ROLES.join(', ')}.`);

/** `POST /api/initiatives/:id/invites`: `expiresInDays` defaults to ACCESS.inviteDays. */
export const NewInvite = z.object({
  role: memberRole,
  label: requiredText(LIMITS.inviteLabel).optional(),
  expiresInDays: z
    .number(`A whole number of days from ${ACCESS.inviteDaysMin} to ${ACCESS.inviteDaysMax}.`)
    .int(`A whole number of days from ${ACCESS.inviteDaysMin} to ${ACCESS.inviteDaysMax}.`)
    .min(ACCESS.inviteDaysMin, `At least ${ACCESS.inviteDaysMin} day.`)
    .max(ACCESS.inviteDaysMax, `At most ${ACCESS.inviteDaysMax} days.`)
    .optional(),
});
export type NewInvite = z.infer<typeof NewInvite>;

/** The sector and organisation a member speaks for; `null` clears one. */
const profileFields = {
  sector: z.enum(SECTORS, `Choose a sector: ${SECTORS.join(', ')}.`).nullable().optional(),
  /** A blank organisation is stored as none (server/people/sqlite.ts `setProfile`). */
  organisation: z.string().trim().max(LIMITS.inviteLabel, `At most ${LIMITS.inviteLabel} characters.`).nullable().optional(),
};

/** `PATCH /api/initiatives/:id/members/:memberId`: a new role, and/or the sector and organisation they speak for (null clears). */
export const MemberChange = z
  .object({ role: memberRole.optional(), ...profileFields })
  .refine((c) => c.role !== undefined || c.sector !== undefined || c.organisation !== undefined, {
    message: 'Say what changes: role, sector or organisation.',
  });
export type MemberChange = z.infer<typeof MemberChange>;

/** `PATCH /api/initiatives/:id/me`: a member's own sector and organisation (`describeSelf`); never their role (the route refuses one). */
export const ProfileChange = z
  .object(profileFields)
  .refine((c) => c.sector !== undefined || c.organisation !== undefined, { message: 'Say what changes: sector or organisation.' });
export type ProfileChange = z.infer<typeof ProfileChange>;

/**
 * `POST /api/session`: an invite or sign-in link's token (with the person's name
 * when the invite is for someone new), or an admin sign-in token, or the admin token.
 */
export const NewSession = z.object({
  token: z.string().min(1, 'Required.'),
  name: requiredText(LIMITS.memberName).optional(),
});
export type NewSession = z.infer<typeof NewSession>;

/** Said when a member sends a role to `PATCH /api/initiatives/:id/me`. */
export const OWN_ROLE = 'Your own role is not yours to change: ask a backbone lead.';

/** Said when a first sign-in comes without a name. */
export const NAME_REQUIRED = 'Invalid name: tell the group your name.';

/** Said when a lead would leave the initiative without one. */
export const LAST_LEAD = 'An initiative needs a backbone lead: make someone else lead first.';
