/**
 * Every role against every route, every workflow command and the sync socket,
 * on a real server: the server's answer (allowed, 401, 403; 4401, 4403 and a
 * dropped edit on the socket) must be what the contract's table says
 * (src/contract/permissions.ts). The list of routes below must name every route
 * the API router registers, so a new route cannot slip in unchecked.
 * Over 400 lines on purpose: one list of every route, read in one place.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPE_ANSWERS } from '../../machines/estimate.ts';
import { STEP_IDS } from '../../machines/steps.ts';
import { THRESHOLD_INFO } from '../../machines/thresholds.ts';
import { apiRouter, type ApiDeps } from '../../server/api/routes.ts';
import {
  ACTIONS,
  can,
  MEASURE_REFUSALS,
  COMMAND_SCHEMAS,
  MEMBER_ROLES,
  PERMISSIONS,
  PORTFOLIO_REFUSALS,
  refusalFor,
  VIEWER_ROLES,
  type Action,
  type CommandType,
  type ViewerRole,
  type WorkshopCommandType,
  WORKSHOP_COMMAND_ACTIONS,
  WORKSHOP_COMMAND_SCHEMAS,
} from '../../src/contract/index.ts';
import { createEntity, readModel } from '../../src/schema/index.ts';
import { rawClient, serverDocVia, startHarness, type Harness } from './harness.ts';

/** Who asks: each viewer role in the initiative, a member of another initiative, and nobody. */
type Who = ViewerRole | 'outsider' | 'anonymous';
const EVERYONE: Who[] = [...VIEWER_ROLES, 'outsider', 'anonymous'];

/** What a route asks of the caller. */
type Rule =
  /** A member (or the admin) of the initiative in the path, whose role the table lets do `action`. */
  | { initiative: Action }
  /**
   * The same, for an indicator's values, where measureRights adds the
   * indicator's stewards to the table's roles: the refusal names the indicator
   * (src/contract/measureAccess.ts). Walked with an indicator nobody stewards.
   */
  | { initiative: Action; refusal: string }
  /** The admin, for instance-wide actions the table gives to nobody else. */
  | { instance: Action }
  /** Anyone with valid credentials. */
  | 'signed-in'
  /** Whoever holds an unused invite link (or, for the session, the admin token): a token, not a role. */
  | 'link-holder'
  /** Anyone at all. */
  | 'anyone';

interface Call {
  method: string;
  path: string;
  body?: unknown;
  /** The credential to send instead of the caller's usual one (a throwaway session, say). */
  token?: string;
}

interface RouteCase {
  rule: Rule;
  /** The statuses that mean "allowed" (a 409 is the workflow or the document refusing, after the permission passed). */
  ok: number[];
  /** The request; routes that use something up (a member to remove, a link to redeem) make a fresh one per caller. */
  call(ctx: Context, who: Who): Call | Promise<Call>;
}

interface Context {
  id: string;
  /** The initiative the outsider leads. */
  other: string;
  token: Record<Who, string>;
  /** The member id behind each member role's token. */
  memberId: Record<string, string>;
  exportFile: unknown;
  /** A workshop of the initiative (a draft). */
  workshop: string;
  /** Indicators on the framework board (access `members`, no stewards): one to enter values of, one whose value is reviewed. */
  indicator: { entered: string; reviewed: string };
  /** A value of `indicator.reviewed`. */
  measurement: string;
  /** A published report's token. */
  reportToken: string;
}

const ENTERED = 'Kindergarten readiness';
const REVIEWED = 'Chronic absence';

const commandBodies: Record<CommandType, Record<string, unknown>> = {
  'readiness.assess': { precondition: 'champion', status: 'met', evidence: 'The county executive chairs the steering group.' },
  'readiness.confirm': {},
  'readiness.scope': {
    problem: SCOPE_ANSWERS.problem[0],
    collaboration: SCOPE_ANSWERS.collaboration[0],
    engagement: SCOPE_ANSWERS.engagement[0],
  },
  'step.confirm': { step: STEP_IDS[0], note: 'Mapped at the first workshop.' },
  'phase.advance': {},
  'framework.revise': { note: 'Added transport as a second root cause.', part: 'framework' },
  'framework.restore': { version: 'no-such-version', reason: 'The county asked for the earlier goal.' },
  'settings.thresholds': { thresholds: { minSectors: THRESHOLD_INFO.minSectors.min } },
};

const init = (ctx: Context) => `/api/initiatives/${ctx.id}`;
const ws = (ctx: Context) => `${init(ctx)}/workshops/${ctx.workshop}`;

/** A valid body of every workshop command (the workshop's state then decides: 200 or 409). */
const workshopBodies: Record<WorkshopCommandType, Record<string, unknown>> = {
  'workshop.start': {},
  'workshop.end': {},
  'agenda.next': {},
  'agenda.goto': { index: 0 },
  'timer.start': { seconds: 300 },
  'timer.pause': {},
  'timer.resume': {},
  'timer.add': { seconds: 60 },
  'vote.open': { cards: ['card-a', 'card-b'], budget: 2, maxPerCard: 1, anonymous: true },
  'vote.cast': { voteId: 'vote-1', card: 'card-a' },
  'vote.retract': { voteId: 'vote-1', card: 'card-a' },
  'vote.close': { voteId: 'vote-1' },
  'private.add': { text: 'Youth council' },
  'private.reveal': { anonymous: true },
  'decision.record': { text: 'Meet monthly.' },
  'attendance.set': { member: 'nobody', present: true },
};

const WORKSHOP_AGENDA = [{ title: 'Map the landscape', minutes: 20, activity: 'brainstorm', board: 'stakeholders' }];

/** Every route of the API router, with what it asks of the caller. */
const ROUTES: Record<string, RouteCase> = {
  'POST /api/initiatives': {
    rule: { instance: 'createInitiative' },
    ok: [201],
    call: () => ({ method: 'POST', path: '/api/initiatives', body: { name: 'Valley Food Security Network', issue: 'Food insecurity' } }),
  },
  'GET /api/initiatives': { rule: 'signed-in', ok: [200], call: () => ({ method: 'GET', path: '/api/initiatives' }) },
  // With a parentId, walked below (a lead of the parent may too).
  'PATCH /api/initiatives/:id': {
    rule: { initiative: 'linkInitiatives' },
    ok: [200],
    call: (ctx) => ({ method: 'PATCH', path: init(ctx), body: { issue: 'Youth substance use' } }),
  },
  // Everyone signed in has a portfolio: their own initiatives (and, for a lead, those below); docs/portfolio.md.
  'GET /api/portfolio': { rule: 'signed-in', ok: [200], call: () => ({ method: 'GET', path: '/api/portfolio' }) },
  'GET /api/portfolio/stream': { rule: 'signed-in', ok: [200], call: () => ({ method: 'GET', path: '/api/portfolio/stream' }) },
  'GET /api/initiatives/:id/links': {
    rule: { initiative: 'viewInitiative' },
    ok: [200],
    call: (ctx) => ({ method: 'GET', path: `${init(ctx)}/links` }),
  },
  'GET /api/initiatives/:id': {
    rule: { initiative: 'viewInitiative' },
    ok: [200],
    call: (ctx) => ({ method: 'GET', path: init(ctx) }),
  },
  'POST /api/initiatives/:id/invites': {
    rule: { initiative: 'invitePeople' },
    ok: [201],
    call: (ctx) => ({ method: 'POST', path: `${init(ctx)}/invites`, body: { role: 'participant', label: 'Food bank' } }),
  },
  'GET /api/initiatives/:id/invites': {
    rule: { initiative: 'viewMembers' },
    ok: [200],
    call: (ctx) => ({ method: 'GET', path: `${init(ctx)}/invites` }),
  },
  'DELETE /api/initiatives/:id/invites/:inviteId': {
    rule: { initiative: 'manageMembers' },
    ok: [204],
    call: async (ctx) => ({ method: 'DELETE', path: `${init(ctx)}/invites/${(await h.inviteLink(ctx.id, 'observer')).id}` }),
  },
  'GET /api/initiatives/:id/members': {
    rule: { initiative: 'viewMembers' },
    ok: [200],
    call: (ctx) => ({ method: 'GET', path: `${init(ctx)}/members` }),
  },
  'PATCH /api/initiatives/:id/members/:memberId': {
    rule: { initiative: 'manageMembers' },
    ok: [200],
    call: async (ctx) => ({ method: 'PATCH', path: `${init(ctx)}/members/${(await h.join(ctx.id, 'participant')).memberId}`, body: { role: 'observer' } }),
  },
  'PATCH /api/initiatives/:id/me': {
    rule: { initiative: 'describeSelf' },
    ok: [200],
    call: (ctx) => ({ method: 'PATCH', path: `${init(ctx)}/me`, body: { sector: 'health', organisation: 'County clinic' } }),
  },
  'DELETE /api/initiatives/:id/members/:memberId': {
    rule: { initiative: 'manageMembers' },
    ok: [204],
    call: async (ctx) => ({ method: 'DELETE', path: `${init(ctx)}/members/${(await h.join(ctx.id, 'participant')).memberId}` }),
  },
  'POST /api/initiatives/:id/members/:memberId/sign-in-link': {
    rule: { initiative: 'manageMembers' },
    ok: [201],
    call: (ctx) => ({ method: 'POST', path: `${init(ctx)}/members/${ctx.memberId.participant}/sign-in-link` }),
  },
  'DELETE /api/initiatives/:id/members/:memberId/sessions': {
    rule: { initiative: 'manageMembers' },
    ok: [204],
    call: async (ctx) => ({ method: 'DELETE', path: `${init(ctx)}/members/${(await h.join(ctx.id, 'participant')).memberId}/sessions` }),
  },
  'GET /api/initiatives/:id/audit': {
    rule: { initiative: 'readAudit' },
    ok: [200],
    call: (ctx) => ({ method: 'GET', path: `${init(ctx)}/audit` }),
  },
  'GET /api/invites/:token': {
    rule: 'link-holder',
    ok: [200],
    call: async (ctx, who) => ({ method: 'GET', path: `/api/invites/${who === 'anonymous' ? 'no-such-invite' : (await h.inviteLink(ctx.id, 'participant')).token}` }),
  },
  'POST /api/session': {
    rule: 'link-holder',
    ok: [200],
    call: async (ctx, who) => {
      const token = who === 'anonymous' ? 'no-such-invite' : who === 'admin' ? h.adminToken : (await h.inviteLink(ctx.id, 'participant')).token;
      return { method: 'POST', path: '/api/session', body: { token, name: `A ${who}` }, token: '' };
    },
  },
  'GET /api/session': { rule: 'signed-in', ok: [200], call: () => ({ method: 'GET', path: '/api/session' }) },
  // Signs out a throwaway session of the caller's kind, so the caller's own token lives on.
  'DELETE /api/session': {
    rule: 'anyone',
    ok: [204],
    call: async (ctx, who) => ({ method: 'DELETE', path: '/api/session', token: await throwaway(ctx, who) }),
  },
  'GET /api/initiatives/:id/workflow': {
    rule: { initiative: 'viewInitiative' },
    ok: [200],
    call: (ctx) => ({ method: 'GET', path: `${init(ctx)}/workflow` }),
  },
  'GET /api/initiatives/:id/workflow/stream': {
    rule: { initiative: 'viewInitiative' },
    ok: [200],
    call: (ctx) => ({ method: 'GET', path: `${init(ctx)}/workflow/stream` }),
  },
  // Walked once per command type, below.
  'POST /api/initiatives/:id/events': {
    rule: { initiative: 'steerWorkflow' },
    ok: [200, 409],
    call: (ctx) => ({ method: 'POST', path: `${init(ctx)}/events`, body: { type: 'readiness.assess', ...commandBodies['readiness.assess'] } }),
  },
  'POST /api/initiatives/:id/workshops': {
    rule: { initiative: 'runWorkshop' },
    ok: [201],
    call: (ctx) => ({ method: 'POST', path: `${init(ctx)}/workshops`, body: { title: 'Kick-off convening', agenda: WORKSHOP_AGENDA } }),
  },
  'GET /api/initiatives/:id/workshops': {
    rule: { initiative: 'viewInitiative' },
    ok: [200],
    call: (ctx) => ({ method: 'GET', path: `${init(ctx)}/workshops` }),
  },
  'GET /api/initiatives/:id/workshops/:wid': {
    rule: { initiative: 'viewInitiative' },
    ok: [200],
    call: (ctx) => ({ method: 'GET', path: ws(ctx) }),
  },
  'GET /api/initiatives/:id/workshops/:wid/stream': {
    rule: { initiative: 'viewInitiative' },
    ok: [200],
    call: (ctx) => ({ method: 'GET', path: `${ws(ctx)}/stream` }),
  },
  // Walked once per command type, below.
  'POST /api/initiatives/:id/workshops/:wid/commands': {
    rule: { initiative: 'takePartInWorkshop' },
    ok: [200, 409],
    call: (ctx) => ({ method: 'POST', path: `${ws(ctx)}/commands`, body: { type: 'vote.cast', ...workshopBodies['vote.cast'] } }),
  },
  'GET /api/initiatives/:id/workshops/:wid/record': {
    rule: { initiative: 'viewInitiative' },
    ok: [200],
    call: (ctx) => ({ method: 'GET', path: `${ws(ctx)}/record?format=markdown` }),
  },
  'GET /api/initiatives/:id/export': {
    rule: { initiative: 'exportInitiative' },
    ok: [200],
    call: (ctx) => ({ method: 'GET', path: `${init(ctx)}/export` }),
  },
  'GET /api/initiatives/:id/indicators': {
    rule: { initiative: 'viewInitiative' },
    ok: [200],
    call: (ctx) => ({ method: 'GET', path: `${init(ctx)}/indicators` }),
  },
  'PATCH /api/initiatives/:id/indicators/:indicatorId': {
    rule: { initiative: 'configureMeasures' },
    ok: [200],
    call: (ctx) => ({ method: 'PATCH', path: `${init(ctx)}/indicators/${ctx.indicator.entered}`, body: { access: 'members' } }),
  },
  'GET /api/initiatives/:id/measurements': {
    rule: { initiative: 'viewInitiative' },
    ok: [200],
    call: (ctx) => ({ method: 'GET', path: `${init(ctx)}/measurements?history=1` }),
  },
  'POST /api/initiatives/:id/measurements': {
    rule: { initiative: 'enterMeasures', refusal: MEASURE_REFUSALS.enter(ENTERED) },
    ok: [200],
    call: (ctx) => ({ method: 'POST', path: `${init(ctx)}/measurements?replace=1`, body: [{ indicator: ctx.indicator.entered, date: '2025-06-30', value: 61.5 }] }),
  },
  'POST /api/initiatives/:id/measurements/:mid/review': {
    rule: { initiative: 'reviewMeasures', refusal: MEASURE_REFUSALS.review(REVIEWED) },
    ok: [200],
    call: (ctx) => ({ method: 'POST', path: `${init(ctx)}/measurements/${ctx.measurement}/review`, body: { status: 'approved' } }),
  },
  'GET /api/initiatives/:id/report-card': {
    rule: { initiative: 'viewInitiative' },
    ok: [200],
    call: (ctx) => ({ method: 'GET', path: `${init(ctx)}/report-card` }),
  },
  'GET /api/initiatives/:id/report-links': {
    rule: { initiative: 'publishReport' },
    ok: [200],
    call: (ctx) => ({ method: 'GET', path: `${init(ctx)}/report-links` }),
  },
  'POST /api/initiatives/:id/report-links': {
    rule: { initiative: 'publishReport' },
    ok: [201],
    call: (ctx) => ({ method: 'POST', path: `${init(ctx)}/report-links` }),
  },
  'DELETE /api/initiatives/:id/report-links/:linkId': {
    rule: { initiative: 'publishReport' },
    ok: [204],
    call: async (ctx) => ({ method: 'DELETE', path: `${init(ctx)}/report-links/${(await h.api('POST', `${init(ctx)}/report-links`)).body.id}` }),
  },
  // No sign-in: the link's token is the key.
  'GET /api/report/:token': {
    rule: 'anyone',
    ok: [200],
    call: (ctx) => ({ method: 'GET', path: `/api/report/${ctx.reportToken}` }),
  },
  'POST /api/initiatives/:id/import': {
    rule: { initiative: 'importInitiative' },
    ok: [200, 409],
    // A file without a workflow record; one with a record is walked below (restoreWorkflow).
    call: (ctx) => ({ method: 'POST', path: `${init(ctx)}/import`, body: withoutWorkflow(ctx.exportFile) }),
  },
};

/** A fresh credential like `who`'s: a new session in the same role (the admin token for the admin). */
async function throwaway(ctx: Context, who: Who): Promise<string> {
  if (who === 'admin' || who === 'anonymous') return ctx.token[who];
  return who === 'outsider' ? h.invite(ctx.other, 'lead') : h.invite(ctx.id, who);
}

/** The same file as a version 1 export: the boards only. */
function withoutWorkflow(file: unknown): unknown {
  const { workflow: _workflow, ...rest } = file as Record<string, unknown>;
  return { ...rest, version: 1 };
}

/** Served beside the API router (server/app.ts), so the router cannot list them. */
const OUTSIDE_THE_ROUTER: Record<string, RouteCase> = {
  'GET /metrics': { rule: { instance: 'readMetrics' }, ok: [200], call: () => ({ method: 'GET', path: '/metrics' }) },
  'GET /healthz': { rule: 'anyone', ok: [200], call: () => ({ method: 'GET', path: '/healthz' }) },
};

type Expected = { allowed: true } | { allowed: false; status: 401 | 403; error?: string };

/** What the table (and the route's rule) says `who` gets. */
function expected(rule: Rule, who: Who): Expected {
  if (rule === 'anyone') return { allowed: true };
  if (rule === 'link-holder') return who === 'anonymous' ? { allowed: false, status: 401 } : { allowed: true };
  if (who === 'anonymous') return { allowed: false, status: 401 };
  if (rule === 'signed-in') return { allowed: true };
  if ('instance' in rule) {
    const role = who === 'admin' ? 'admin' : null;
    return can(role, rule.instance) ? { allowed: true } : { allowed: false, status: 403, error: refusalFor(rule.instance) };
  }
  if (who === 'outsider') return { allowed: false, status: 403, error: refusalFor('viewInitiative') };
  const refusal = 'refusal' in rule ? rule.refusal : refusalFor(rule.initiative);
  return can(who, rule.initiative) ? { allowed: true } : { allowed: false, status: 403, error: refusal };
}

interface Answer {
  status: number;
  error?: string;
}

/** One request; a server-sent event stream is answered by its status, then closed. */
function ask(h: Harness, token: string, { method, path, body }: Call): Promise<Answer> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = request(h.url + path, { method, headers, agent: false }, (res) => {
      const status = res.statusCode ?? 0;
      if (String(res.headers['content-type']).startsWith('text/event-stream')) {
        res.destroy();
        return resolve({ status });
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        let error: string | undefined;
        try {
          error = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { error?: string }).error;
        } catch {
          error = undefined;
        }
        resolve({ status, error });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

function check(route: string, who: Who, rule: Rule, ok: number[], answer: Answer): void {
  const want = expected(rule, who);
  const what = `${route} as ${who}`;
  if (want.allowed) {
    expect(ok, `${what}: ${answer.status} ${answer.error ?? ''}`).toContain(answer.status);
  } else {
    expect(answer.status, what).toBe(want.status);
    if (want.error) expect(answer.error, what).toBe(want.error);
    if (want.status === 401) expect(answer.error, what).toMatch(/sign in|invite|link/i);
  }
}

let h: Harness;
let ctx: Context;

/** Session tokens for every role in `id`, the admin's, an outsider's (the lead of another initiative) and none. */
async function tokensFor(id: string, other: string): Promise<{ token: Record<Who, string>; memberId: Record<string, string> }> {
  const token = { admin: h.adminToken, anonymous: '', outsider: await h.invite(other, 'lead') } as Record<Who, string>;
  const memberId: Record<string, string> = {};
  for (const role of MEMBER_ROLES) ({ token: token[role], memberId: memberId[role] } = await h.join(id, role));
  return { token, memberId };
}

beforeAll(async () => {
  h = await startHarness();
  const id = await h.createInitiative('Meadow County Coalition for Healthy Youth');
  const other = await h.createInitiative('Riverside Homelessness Partnership');
  const exported = await h.api('GET', `/api/initiatives/${id}/export`);
  expect(exported.status).toBe(200);
  const workshop = await h.api('POST', `/api/initiatives/${id}/workshops`, { title: 'Steering group', agenda: WORKSHOP_AGENDA });
  expect(workshop.status).toBe(201);
  const [entered, reviewed] = await h.convene.rooms.withDoc(id, (doc) =>
    [ENTERED, REVIEWED].map((name) => createEntity(doc, 'indicator', { name, unit: 'percent' }, [{ board: 'framework', position: { x: 0, y: 0 } }])),
  );
  const value = await h.api('POST', `/api/initiatives/${id}/measurements`, [{ indicator: reviewed, date: '2025-06-30', value: 12.5 }]);
  expect(value.status).toBe(200);
  const [measurement] = (await h.api('GET', `/api/initiatives/${id}/measurements`)).body as { id: string }[];
  const link = await h.api('POST', `/api/initiatives/${id}/report-links`);
  expect(link.status).toBe(201);
  ctx = {
    id,
    other,
    ...(await tokensFor(id, other)),
    exportFile: exported.body,
    workshop: workshop.body.id,
    indicator: { entered, reviewed },
    measurement: measurement.id,
    reportToken: link.body.token,
  };
});

afterAll(async () => {
  await h.stop();
});

describe('the table', () => {
  it('grants what docs/api.md and the README say', () => {
    const granted = Object.fromEntries(
      Object.entries(PERMISSIONS).map(([action, { roles }]) => [action, [...roles].sort()]),
    );
    expect(granted).toEqual({
      createInitiative: ['admin'],
      viewInitiative: ['admin', 'facilitator', 'lead', 'observer', 'participant'],
      editCanvas: ['admin', 'facilitator', 'lead', 'participant'],
      steerWorkflow: ['admin', 'facilitator', 'lead'],
      viewMembers: ['admin', 'facilitator', 'lead'],
      invitePeople: ['admin', 'lead'],
      manageMembers: ['admin', 'lead'],
      describeSelf: ['facilitator', 'lead', 'observer', 'participant'],
      readAudit: ['admin', 'lead'],
      exportInitiative: ['admin', 'facilitator', 'lead', 'observer', 'participant'],
      importInitiative: ['admin', 'facilitator', 'lead'],
      restoreWorkflow: ['admin', 'lead'],
      runWorkshop: ['admin', 'facilitator', 'lead'],
      takePartInWorkshop: ['admin', 'facilitator', 'lead', 'participant'],
      enterMeasures: ['admin', 'facilitator', 'lead'],
      reviewMeasures: ['admin', 'lead'],
      configureMeasures: ['admin', 'lead'],
      seeRestrictedMeasures: ['admin', 'lead'],
      publishReport: ['admin', 'lead'],
      seePortfolio: ['admin', 'lead'],
      linkInitiatives: ['admin', 'lead'],
      readMetrics: ['admin'],
    });
  });

  it('is the table docs/api.md shows, row for row and tick for tick', () => {
    const doc = readFileSync(resolve(fileURLToPath(import.meta.url), '../../../docs/api.md'), 'utf8');
    const lines = doc.split('\n');
    const header = lines.findIndex((l) => l.startsWith('| Action |'));
    expect(header, 'the table of roles in docs/api.md').toBeGreaterThan(-1);
    const columns = lines[header].split('|').map((c) => c.trim()).slice(3, -1);
    expect(columns).toEqual([...VIEWER_ROLES]);
    const rows: Record<string, string[]> = {};
    for (const line of lines.slice(header + 2)) {
      if (!line.startsWith('|')) break;
      const cells = line.split('|').map((c) => c.trim()).slice(1, -1);
      const action = /^`(\w+)`$/.exec(cells[0])?.[1];
      expect(action, line).toBeDefined();
      rows[action!] = columns.filter((_, i) => cells[i + 2] === '✓').sort();
    }
    expect(rows).toEqual(Object.fromEntries(ACTIONS.map((a) => [a, [...PERMISSIONS[a].roles].sort()])));
  });

  it('refuses unknown and missing roles everything', () => {
    for (const action of ACTIONS) {
      expect(can(undefined, action)).toBe(false);
      expect(can(null, action)).toBe(false);
      expect(can('superuser', action)).toBe(false);
    }
  });

  it('words a refusal from the roles it names', () => {
    expect(refusalFor('invitePeople')).toBe('Only the administrator or the backbone lead can invite people.');
    expect(refusalFor('steerWorkflow')).toBe('Only the administrator, the backbone lead or a facilitator can move the workflow.');
  });
});

describe('every role × every route', () => {
  it('lists every route the API router registers, and nothing else', () => {
    // Building the router registers its routes; no handler runs, so it needs no dependencies.
    const registered = apiRouter({} as ApiDeps).list();
    expect([...registered].sort()).toEqual(Object.keys(ROUTES).sort());
  });

  for (const [route, { rule, ok, call }] of Object.entries({ ...ROUTES, ...OUTSIDE_THE_ROUTER })) {
    it(`${route}: the server answers each caller as the table says`, async () => {
      for (const who of EVERYONE) {
        const request = await call(ctx, who);
        check(route, who, rule, ok, await ask(h, request.token ?? ctx.token[who], request));
      }
    });
  }

  it('every workflow command: allowed exactly for the roles that may steer the workflow', async () => {
    const route = ROUTES['POST /api/initiatives/:id/events'];
    const types = Object.keys(COMMAND_SCHEMAS) as CommandType[];
    expect(types.sort()).toEqual(Object.keys(commandBodies).sort());
    for (const type of types) {
      for (const who of EVERYONE) {
        const answer = await ask(h, ctx.token[who], { method: 'POST', path: `${init(ctx)}/events`, body: { type, ...commandBodies[type] } });
        check(`${type}`, who, route.rule, route.ok, answer);
      }
    }
  });
});

describe('sub-initiatives', () => {
  it('POST /api/initiatives with a parentId: the administrator and the parent’s backbone leads, no one else', async () => {
    for (const who of EVERYONE) {
      const body = { name: `Sub-initiative by ${who}`, issue: 'Youth employment', parentId: ctx.id };
      const answer = await ask(h, ctx.token[who], { method: 'POST', path: '/api/initiatives', body });
      if (who === 'anonymous') expect(answer.status, who).toBe(401);
      else if (who === 'admin' || who === 'lead') expect(answer.status, who).toBe(201);
      else expect(answer, who).toEqual({ status: 403, error: PORTFOLIO_REFUSALS.parentLead });
    }
  });

  it('PATCH /api/initiatives/:id with a parentId: linkInitiatives here and at the new parent', async () => {
    for (const who of EVERYONE) {
      const answer = await ask(h, ctx.token[who], { method: 'PATCH', path: init(ctx), body: { parentId: ctx.other } });
      // The outsider leads the new parent but is no member here; this initiative's lead is no lead there.
      const want: Answer =
        who === 'anonymous'
          ? { status: 401 }
          : who === 'admin'
            ? { status: 200 }
            : who === 'outsider'
              ? { status: 403, error: refusalFor('viewInitiative') }
              : who === 'lead'
                ? { status: 403, error: PORTFOLIO_REFUSALS.parentLead }
                : { status: 403, error: refusalFor('linkInitiatives') };
      expect(answer.status, who).toBe(want.status);
      if (want.error) expect(answer.error, who).toBe(want.error);
      if (answer.status === 200) expect((await h.api('PATCH', init(ctx), { parentId: null })).status).toBe(200);
    }
  });
});

describe('workshop commands', () => {
  it('every command: allowed exactly for the roles the table gives its action (running, or taking part)', async () => {
    const route = ROUTES['POST /api/initiatives/:id/workshops/:wid/commands'];
    const types = Object.keys(WORKSHOP_COMMAND_SCHEMAS) as WorkshopCommandType[];
    expect(types.sort()).toEqual(Object.keys(workshopBodies).sort());
    for (const type of types) {
      for (const who of EVERYONE) {
        const answer = await ask(h, ctx.token[who], { method: 'POST', path: `${ws(ctx)}/commands`, body: { type, ...workshopBodies[type] } });
        check(`${type}`, who, { initiative: WORKSHOP_COMMAND_ACTIONS[type] }, route.ok, answer);
      }
    }
  });
});

describe('an import that carries a workflow record', () => {
  it('is allowed exactly for the roles that may import and restore a workflow record', async () => {
    const route = ROUTES['POST /api/initiatives/:id/import'];
    expect((ctx.exportFile as { workflow?: unknown }).workflow).toBeDefined();
    for (const who of EVERYONE) {
      const answer = await ask(h, ctx.token[who], { method: 'POST', path: `${init(ctx)}/import`, body: ctx.exportFile });
      // Importing at all comes first; the workflow record then needs its own row.
      const mayImport = who !== 'anonymous' && who !== 'outsider' && can(who, 'importInitiative');
      const rule: Rule = { initiative: mayImport ? 'restoreWorkflow' : 'importInitiative' };
      check('import with a workflow record', who, rule, route.ok, answer);
    }
  });
});

describe('the sync socket', () => {
  /** Sends a new stakeholder named after `who` on a raw socket, then reads the server's document after it. */
  async function editAs(id: string, who: Who, token: string): Promise<{ closed: number } | { stored: boolean }> {
    const raw = rawClient(h.url, id, token || undefined);
    const closed = raw.closed.then(({ code }) => ({ closed: code }));
    const attempt = raw.opened.then(async () => {
      const mine = new Y.Doc();
      createEntity(mine, 'stakeholder', { name: `Edit by ${who}` });
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(mine));
      raw.ws.send(encoding.toUint8Array(encoder));
      mine.destroy();
      const server = await serverDocVia(raw);
      const stored = readModel(server).entities.stakeholder.some((s) => s.name === `Edit by ${who}`);
      server.destroy();
      raw.ws.close();
      return { stored };
    });
    return Promise.race([closed, attempt]);
  }

  it('closes for no credentials (4401) and another initiative (4403); applies edits exactly for the roles that may edit', async () => {
    const id = await h.createInitiative('Clean River Alliance');
    const other = await h.createInitiative('Harbour Literacy Project');
    const token = await tokensFor(id, other);
    for (const who of EVERYONE) {
      const result = await editAs(id, who, token.token[who]);
      if (who === 'anonymous') expect(result, who).toEqual({ closed: 4401 });
      else if (who === 'outsider') expect(result, who).toEqual({ closed: 4403 });
      else expect(result, who).toEqual({ stored: can(who, 'editCanvas') });
    }
  });
});
