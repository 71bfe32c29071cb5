/** The JSON API under /api. Every handler starts by asking who is calling. */
import type { IncomingMessage } from 'node:http';
import type { Person } from '../../machines/readiness.ts';
import {
  asCommand,
  can,
  COMMAND_SCHEMAS,
  InitiativeChange,
  isCommandType,
  NewInitiative,
  PORTFOLIO_REFUSALS,
  refusalFor,
  unknownCommand,
  type Action,
  type InitiativeDetail,
  type InitiativeSummary,
  type Refused,
  type ViewerRole,
} from '../../src/contract/index.ts';
import { accessTo, instanceRole, requireAction, type Access, type Auth, type Principal } from '../auth.ts';
import { forbidden, HttpError, notFound, readJson, sendJson, unauthorized, validate } from '../http/http.ts';
import { Router, type RequestContext } from '../http/router.ts';
import type { Initiative, InitiativeStore } from '../stores.ts';
import type { WorkflowRunner } from '../workflow/runner.ts';
import { mountExchange, type RoomRegistry } from './exchange.ts';
import { mountFramework } from './framework.ts';
import { mountMeasures } from './measures.ts';
import type { MeasureService } from '../measures/service.ts';
import { mountPeople } from './people.ts';
import { mountPortfolio } from './portfolio.ts';
import type { PortfolioService } from '../portfolio/service.ts';
import { mountStream } from './stream.ts';
import { mountWorkshops } from './workshops.ts';
import type { WorkshopRunner } from '../workshops/runner.ts';
import type { Logger } from '../log.ts';
import type { PeopleStore } from '../people/types.ts';
import type { AccessWatch, Credential } from '../people/watch.ts';
import type { DecisionLock } from '../lock.ts';

export interface ApiDeps {
  store: InitiativeStore;
  /** Members, invites, sessions and the audit record (server/people/). */
  people: PeopleStore;
  auth: Auth;
  /** The live connections: told after every change to members, invites or sessions. */
  watch: AccessWatch;
  /** The members of an initiative connected now, to any process (server/people/onlineAcross.ts). */
  online?: (initiativeId: string) => Set<string>;
  workflows: WorkflowRunner;
  /** The workshop actors (server/workshops/runner.ts). */
  workshops: WorkshopRunner;
  /** The room registry (server/sync/rooms.ts), for export and import; without it they answer 503. */
  rooms?: RoomRegistry;
  /** Base of invite links, e.g. `https://convene.example.org`; defaults to the request's host. */
  publicUrl?: string;
  /** One line per refused sign-in. */
  log?: Logger;
  /** The server's clock (ms), for the sign-in rate limit. */
  clock?: () => number;
  /** Shared measurement: indicators' settings, values, report card, public report (server/measures/service.ts). */
  measures: MeasureService;
  /** The portfolio's figures, who sees them, linked initiatives (server/portfolio/service.ts). */
  portfolio: PortfolioService;
  /** What serialises the decisions of one initiative (server/lock.ts): here, the changes to its people. */
  lock: DecisionLock;
}

export function apiRouter({ store, people, auth, watch, online, workflows, workshops, publicUrl, rooms, log, clock, measures, portfolio, lock }: ApiDeps): Router {
  const who = async (req: IncomingMessage): Promise<Principal> => {
    const principal = await auth.identify(req);
    if (!principal) throw unauthorized();
    return principal;
  };

  /**
   * The initiative and the caller's access to it: 401, then 404, then 403 for
   * someone who is no member, then 403 unless the table lets their role do `action`.
   */
  const member = async (ctx: RequestContext, action: Action): Promise<{ initiative: Initiative; access: Access; credential: Credential }> => {
    const principal = await who(ctx.req);
    const initiative = await store.getInitiative(ctx.params.id);
    if (!initiative) throw notFound('No initiative with that id.');
    const access = accessTo(principal, initiative.id);
    if (!access) throw forbidden(refusalFor('viewInitiative'));
    requireAction(access.role, action);
    return { initiative, access, credential: principal.credential };
  };

  const person = (access: Access): Person =>
    access.member
      ? { id: access.member.id, name: access.member.name ?? access.member.label ?? 'Unnamed member', role: access.role }
      : { id: 'admin', name: 'Administrator', role: 'admin' };

  const summary = (initiative: Initiative, role: ViewerRole): InitiativeSummary => ({
    id: initiative.id,
    name: initiative.name,
    issue: initiative.issue,
    stage: initiative.stage,
    role,
    parentId: initiative.parentId,
  });

  const router = new Router();

  /** The initiative `parentId` names, when the caller may put initiatives under it (`linkInitiatives` there). */
  const parentFor = async (principal: Principal, parentId: string): Promise<{ parent: Initiative; access: Access }> => {
    const parent = await store.getInitiative(parentId);
    if (!parent) throw notFound(PORTFOLIO_REFUSALS.noParent);
    const access = accessTo(principal, parent.id);
    if (!access || !can(access.role, 'linkInitiatives')) throw forbidden(PORTFOLIO_REFUSALS.parentLead);
    return { parent, access };
  };

  /**
   * The admin creates any initiative; with `parentId`, a backbone lead of that
   * parent may create a sub-initiative too, and becomes its lead (their session
   * holds the new membership at once).
   */
  router.on('POST', '/api/initiatives', async ({ req, res }) => {
    const principal = await who(req);
    const body = validate(NewInitiative, await readJson(req));
    if (body.parentId === undefined) requireAction(instanceRole(principal), 'createInitiative');
    const by = body.parentId === undefined ? null : (await parentFor(principal, body.parentId)).access.member;
    const initiative = await store.createInitiative(body.name, body.issue, body.parentId ?? null);
    await workflows.ensure(initiative.id);
    let role: ViewerRole = 'admin';
    if (by && principal.kind === 'members') {
      await people.addSessionMember(principal.credential.hash, initiative.id, 'lead', by.name ?? by.label ?? 'Unnamed member', by.label);
      role = 'lead';
    }
    await portfolio.refresh(initiative.id);
    sendJson(res, 201, summary(initiative, role));
  });

  /**
   * Renames the initiative, changes its issue, or puts it under another (or
   * under none): `linkInitiatives` here, and there for a new parent; 409 when
   * the new parent sits below it (or is itself).
   */
  router.on('PATCH', '/api/initiatives/:id', async (ctx) => {
    const { initiative, access } = await member(ctx, 'linkInitiatives');
    const change = validate(InitiativeChange, await readJson(ctx.req));
    if (change.parentId) {
      const { parent } = await parentFor(await who(ctx.req), change.parentId);
      if (await store.wouldCycle(initiative.id, parent.id)) throw new HttpError(409, PORTFOLIO_REFUSALS.cycle, { field: 'parentId' });
    }
    const updated = await store.updateInitiative(initiative.id, change);
    if (!updated) throw notFound('No initiative with that id.');
    // Its row reads differently now; the streams work out who sees it since (and the links of the old and new parent).
    portfolio.tell([updated.id]);
    sendJson(ctx.res, 200, summary(updated, access.role));
  });

  router.on('GET', '/api/initiatives', async ({ req, res }) => {
    const principal = await who(req);
    const list =
      principal.kind === 'admin'
        ? (await store.listInitiatives()).map((i) => summary(i, 'admin'))
        : (await Promise.all(principal.members.map(async (m) => ({ m, initiative: await store.getInitiative(m.initiativeId) })))).flatMap(
            ({ m, initiative }) => (initiative ? [summary(initiative, m.role)] : []),
          );
    sendJson(res, 200, list);
  });

  router.on('GET', '/api/initiatives/:id', async (ctx) => {
    const { initiative, access } = await member(ctx, 'viewInitiative');
    const me = access.member ? { id: access.member.id, name: access.member.name, role: access.member.role } : null;
    sendJson(ctx.res, 200, { ...summary(initiative, access.role), me } satisfies InitiativeDetail);
  });

  mountPeople(router, { store, people, auth, watch, online, member, who, lock, publicUrl, log, clock });

  router.on('GET', '/api/initiatives/:id/workflow', async (ctx) => {
    const { initiative } = await member(ctx, 'viewInitiative');
    sendJson(ctx.res, 200, await workflows.view(initiative.id));
  });

  mountStream(router, { member, workflows, watch, workshops, measures, portfolio, auth });

  mountPortfolio(router, { who, member, portfolio, auth });

  router.on('POST', '/api/initiatives/:id/events', async (ctx) => {
    const { initiative, access } = await member(ctx, 'steerWorkflow');
    const body = await readJson(ctx.req);
    const type = (body as { type?: unknown } | null)?.type;
    if (!isCommandType(type)) throw new HttpError(400, unknownCommand(type), { field: 'type' });
    const command = asCommand(validate(COMMAND_SCHEMAS[type], body));
    const result = await workflows.send(initiative.id, command, person(access));
    if (!result.ok) {
      return sendJson(ctx.res, 409, {
        error: result.unmet.map((u) => u.message).join(' '),
        unmet: result.unmet,
      } satisfies Refused);
    }
    sendJson(ctx.res, 200, result.view);
  });

  mountExchange(router, { member, person, workflows, rooms, measures, people, clock });

  mountWorkshops(router, { member, workshops, people, watch, rooms, clock });

  mountMeasures(router, { member, measures, publicUrl });

  mountFramework(router, { member, versions: () => workflows.versions });

  return router;
}
