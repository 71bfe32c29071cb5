/**
 * The membership record in plain sentences: "Dana Whitfield invited a
 * participant (Health department)", "Alex joined as participant", "Dana
 * Whitfield made Sam an observer", "The invite for a facilitator expired".
 */
import type { AuditAction, AuditEntry } from '../contract/answers.ts';
import { ROLE_IN_A_SENTENCE, ROLE_LABELS, isViewerRole } from '../contract/roles.ts';

/** "a participant", or "someone" when the record does not say. */
function aRole(role: unknown): string {
  return isViewerRole(role) ? ROLE_IN_A_SENTENCE[role] : 'someone';
}

/** "(Health department)" after an invite's role, when it had a label. */
function labelled(label: string | null | undefined): string {
  return label ? ` (${label})` : '';
}

const SENTENCES: Record<AuditAction, (entry: AuditEntry, actor: string, subject: string) => string> = {
  'invite.created': ({ detail }, actor) => `${actor} invited ${aRole(detail.role)}${labelled(detail.label)}`,
  'invite.redeemed': ({ detail }, _actor, subject) =>
    `${subject} joined as ${isViewerRole(detail.role) ? ROLE_LABELS[detail.role].toLowerCase() : 'a member'}`,
  'invite.revoked': ({ detail }, actor) =>
    `${actor} revoked the invite for ${aRole(detail.role)}${labelled(detail.label)}`,
  'invite.expired': ({ detail }) => `The invite for ${aRole(detail.role)}${labelled(detail.label)} expired`,
  'member.roleChanged': ({ detail }, actor, subject) => `${actor} made ${subject} ${aRole(detail.to)}`,
  'member.removed': (_entry, actor, subject) => `${actor} removed ${subject}`,
  'member.signInLink': (_entry, actor, subject) => `${actor} made a new sign-in link for ${subject}`,
  'member.signedOut': ({ actor: by, subject: of }, actor, subject) =>
    by.id !== null && by.id === of.id
      ? `${subject} signed out of all devices`
      : `${actor} signed ${subject} out of all devices`,
};

/** One entry of the record as a sentence (without the time). */
export function auditSentence(entry: AuditEntry): string {
  const actor = entry.actor.name || 'Convene';
  const subject = entry.subject.name ?? (entry.subject.kind === 'invite' ? 'someone invited' : 'a member');
  const sentence = SENTENCES[entry.action];
  return sentence ? sentence(entry, actor, subject) : `${actor}: ${entry.action}`;
}
