/** The longest name and issue of an initiative, invite label and member name: the server refuses more, forms stop there. */
export const LIMITS = { initiativeName: 200, issue: 2000, inviteLabel: 200, memberName: 100 } as const;
