/**
 * The one table of who may do what. The server checks every route, workflow
 * command and sync connection against it (server/auth.ts `requireAction`,
 * server/sync/endpoint.ts); the browser shows, enables or hides every
 * affordance from it (`can`). test/server/permissions.test.ts walks every role
 * against every route and command and checks the server answers as the table
 * says.
 */
import { ROLE_IN_A_SENTENCE, VIEWER_ROLES, isViewerRole, type ViewerRole } from './roles.ts';

interface Permission {
  /** What people do, as a phrase: "move the workflow". */
  readonly does: string;
  /** Who may. */
  readonly roles: readonly ViewerRole[];
  /** The sentence a refusal carries, when the one built from `roles` and `does` reads badly. */
  readonly refusal?: string;
}

const EVERYONE = VIEWER_ROLES;

export const PERMISSIONS = {
  /** Instance-wide: open a new initiative and invite its first lead. */
  createInitiative: { does: 'create initiatives', roles: ['admin'] },
  /** See the initiative, its four boards, its workflow and who is here (live). */
  viewInitiative: { does: 'see this initiative', roles: EVERYONE, refusal: 'You are not a member of this initiative.' },
  /** Add, move, change and delete cards and links on the shared boards. */
  editCanvas: {
    does: 'change the boards',
    roles: ['admin', 'lead', 'facilitator', 'participant'],
    refusal: 'You are observing: you can see changes live but not edit.',
  },
  /** Run the workflow: assess readiness, answer the scope questions, confirm readiness and steps, advance phases, revise the framework, change thresholds. */
  steerWorkflow: { does: 'move the workflow', roles: ['admin', 'lead', 'facilitator'] },
  /** See who is in the initiative: members (joined, last seen, online now) and the unused invites. */
  viewMembers: { does: 'see the members list', roles: ['admin', 'lead', 'facilitator'] },
  /** Create invite links for new members, in any role. */
  invitePeople: { does: 'invite people', roles: ['admin', 'lead'] },
  /** Change a member's role, remove a member, revoke an invite, issue a new sign-in link, end a member's sessions. */
  manageMembers: { does: 'change who is in this initiative', roles: ['admin', 'lead'] },
  /** Say one's own organisation and sector (workshop attendance by sector); never one's own role. The admin is no member, so has none. */
  describeSelf: {
    does: 'say their own organisation and sector',
    roles: ['lead', 'facilitator', 'participant', 'observer'],
    refusal: 'The administrator is not a member of this initiative, so has no organisation or sector here.',
  },
  /** Read the record of membership changes (who invited, redeemed, changed, removed whom, and when). */
  readAudit: { does: 'read the membership record', roles: ['admin', 'lead'] },
  /** Download the whole initiative as an export file. */
  exportInitiative: { does: 'export this initiative', roles: EVERYONE },
  /** Load an export file into an empty initiative. */
  importInitiative: { does: 'import into this initiative', roles: ['admin', 'lead', 'facilitator'] },
  /** Import a file that carries a workflow record (stage, assessments, history): it replaces the initiative's history. */
  restoreWorkflow: {
    does: 'restore a workflow record',
    roles: ['admin', 'lead'],
    refusal:
      'This file carries a workflow record (stage, assessments, history): only the administrator or the backbone lead can import it.',
  },
  /** Create workshops and run them: start, next item, timer, open and close votes, reveal private cards, record decisions, attendance. */
  runWorkshop: { does: 'run workshops', roles: ['admin', 'lead', 'facilitator'] },
  /** Take part in a running workshop: cast and take back dots, add private cards while brainstorming. */
  takePartInWorkshop: {
    does: 'take part in workshops',
    roles: ['admin', 'lead', 'facilitator', 'participant'],
    refusal: 'You are observing: you can follow the workshop but not vote or add cards.',
  },
  /** Enter an indicator's values and set its baseline and target (an indicator's data stewards may too: contract/measures.ts `measureRights`). */
  enterMeasures: { does: 'enter the shared measures’ values', roles: ['admin', 'lead', 'facilitator'] },
  /** Approve or reject a submitted value (and an indicator's stewards, for it). */
  reviewMeasures: { does: 'review the shared measures’ values', roles: ['admin', 'lead'] },
  /** Choose an indicator's access level and data stewards. */
  configureMeasures: { does: 'choose who reports and sees a shared measure', roles: ['admin', 'lead'] },
  /** See the values of `restricted` indicators (and their stewards, of theirs). */
  seeRestrictedMeasures: { does: 'see restricted measures', roles: ['admin', 'lead'] },
  /** Publish and revoke the public report link. */
  publishReport: { does: 'publish the public report', roles: ['admin', 'lead'] },
  /** See the portfolio of this initiative and every initiative below it, with their figures (docs/portfolio.md). */
  seePortfolio: { does: 'see the portfolio of sub-initiatives', roles: ['admin', 'lead'] },
  /** Create sub-initiatives of this initiative, rename it, and put it under another initiative (a lead of both). */
  linkInitiatives: { does: 'create and link sub-initiatives', roles: ['admin', 'lead'] },
  /** Instance-wide: read the server's Prometheus metrics. */
  readMetrics: { does: 'read the metrics', roles: ['admin'] },
} as const satisfies Record<string, Permission>;

export type Action = keyof typeof PERMISSIONS;
export const ACTIONS = Object.keys(PERMISSIONS) as Action[];

/** Whether `role` may do `action`. Unknown, missing or foreign roles may do nothing. */
export function can(role: string | null | undefined, action: Action): boolean {
  return isViewerRole(role) && (PERMISSIONS[action].roles as readonly ViewerRole[]).includes(role);
}

/** "the administrator, the backbone lead or a facilitator": who may do `action`, for a sentence. */
export function whoMay(action: Action, { startOfSentence = false } = {}): string {
  const names = PERMISSIONS[action].roles.map((role) => ROLE_IN_A_SENTENCE[role]);
  const who = names.length < 2 ? (names[0] ?? 'nobody') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  return startOfSentence ? who.charAt(0).toUpperCase() + who.slice(1) : who;
}

/** Why `action` is refused: "Only the administrator or the backbone lead can invite people." */
export function refusalFor(action: Action): string {
  const permission: Permission = PERMISSIONS[action];
  return permission.refusal ?? `Only ${whoMay(action)} can ${permission.does}.`;
}

/** “Binge drinking rate”, “Families in shelter” and “Jobs”: indicators' names in a sentence. */
function indicatorList(names: readonly string[]): string {
  const quoted = names.map((name) => `“${name}”`);
  return quoted.length < 2 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/**
 * Why an import is refused part of what it would do (docs/api.md, the import
 * route): each sentence says what in the file, or in what the initiative
 * already stores, needs which row of the table, and who holds it. The import
 * then writes nothing.
 */
export const IMPORT_REFUSALS = {
  /** The file gives these indicators an access level other than `members`, or data stewards (configureMeasures). */
  settings: (indicators: readonly string[]) =>
    `This file chooses who reports and sees ${indicatorList(indicators)} (an access level other than members, or data stewards): only ${whoMay('configureMeasures')} can import it.`,
  /** The file carries values of these indicators that are approved or rejected (reviewMeasures). */
  reviewed: (indicators: readonly string[]) =>
    `This file carries values of ${indicatorList(indicators)} that are already approved or rejected (a file older than version 4 counts its values as approved): only ${whoMay('reviewMeasures')} can import them.`,
  /** The store holds values (history included) the import would delete: no route deletes a value; rejecting one is reviewMeasures. */
  storedValues: `This initiative still stores values of indicators no longer on its boards, and an import would delete them with their history: only ${whoMay('reviewMeasures')} can import into it.`,
  /** The store holds an access level or data stewards the import would reset (configureMeasures). */
  storedSettings: `This initiative still stores who reports and sees indicators no longer on its boards, and an import would reset it: only ${whoMay('configureMeasures')} can import into it.`,
  /** The store holds a baseline or target the import would change, of an indicator whose values the caller may not enter. */
  storedFigures:
    'This initiative still stores the baseline or target of an indicator no longer on its boards whose values you may not enter, and an import would remove them: only someone who may enter its values can import into it.',
  /** The initiative has public report links, which the import would revoke (publishReport). */
  reportLinks: `This initiative has a published report link, and an import would revoke it: only ${whoMay('publishReport')} can import into it.`,
} as const;
