/** The longest name and issue of an initiative, invite label and member name: the server refuses more, forms stop there. */
export const LIMITS = { initiativeName: 200, issue: 2000, inviteLabel: 200, memberName: 100 } as const;

/**
 * How long credentials last (docs/api.md, "Credentials"): an unused invite or
 * sign-in link expires after `inviteDays` unless the lead chooses 1 to
 * `inviteDaysMax`; a session ends after `sessionIdleDays` without use; a client
 * address gets `signInFailuresPerMinute` failed sign-ins (unknown, used or
 * expired tokens) a minute, then 429.
 */
export const ACCESS = {
  inviteDays: 7,
  inviteDaysMin: 1,
  inviteDaysMax: 90,
  sessionIdleDays: 30,
  signInFailuresPerMinute: 20,
} as const;
