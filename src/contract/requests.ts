/**
 * The request bodies of the HTTP API (docs/api.md) as zod schemas, with the
 * sentences a refusal carries. The server validates with these; the browser's
 * API client sends these types. (An import body is an export file:
 * src/schema/exchange.ts `parseExport`.) The answers are in answers.ts.
 */
import { z } from 'zod';
import { LIMITS } from './limits.ts';
import { MEMBER_ROLES } from './roles.ts';

/** A required line of text: trimmed, not blank, at most `max` characters. */
const requiredText = (max: number) => z.string().trim().min(1, 'Required.').max(max, `At most ${max} characters.`);

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
