/**
 * People and access (docs/api.md, "Members, invites and sessions"): the
 * members list and changes to it, invites and sign-in links, the audit record,
 * and signing in and out (`/api/session`, `GET /api/invites/:token`). After
 * every change the live connections are looked up again (`watch.recheck`), so
 * a role change or a removal takes effect on open sockets and streams at once.
 * Every change to an initiative's members, invites or sessions is decided under
 * its decision lock (server/lock.ts): two role changes that would each leave
 * one lead run one after the other, and the second is refused.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ACCESS,
  LAST_LEAD,
  MemberChange,
  NAME_REQUIRED,
  NewInvite,
  NewSession,
  OWN_ROLE,
  ProfileChange,
  ROLE_LABELS,
  type Action,
  type CreatedInvite,
  type Invite,
  type MemberEntry,
  type PendingInvite,
  type Session,
  type SessionStarted,
  type SignInLink,
} from '../../src/contract/index.ts';
import { SESSION_COOKIE, type Access, type Auth, type Principal } from '../auth.ts';
import { HttpError, notFound, publicOrigin, readJson, sendJson, validate } from '../http/http.ts';
import type { RequestContext, Router } from '../http/router.ts';
import type { Logger } from '../log.ts';
import { SignInLimiter } from '../people/rateLimit.ts';
import type { Actor, InviteLookup, Member, PeopleStore, StoredInvite } from '../people/types.ts';
import type { AccessWatch } from '../people/watch.ts';
import type { Initiative, InitiativeStore } from '../stores.ts';
import type { DecisionLock } from '../lock.ts';
import { hashToken } from '../tokens.ts';

const SESSION_MAX_AGE = ACCESS.sessionIdleDays * 24 * 60 * 60;

export interface PeopleDeps {
  store: InitiativeStore;
  people: PeopleStore;
  auth: Auth;
  watch: AccessWatch;
  /** The members of an initiative connected now, to any process (server/people/onlineAcross.ts); `watch`'s own by default. */
  online?: (initiativeId: string) => Set<string>;
  /** The initiative and the caller's access to it for `action`: 401, then 404, then 403 (routes.ts). */
  member(ctx: RequestContext, action: Action): Promise<{ initiative: Initiative; access: Access }>;
  /** The caller, or 401 (routes.ts). */
  who(req: IncomingMessage): Promise<Principal>;
  /** What serialises the changes to one initiative's people (with its other decisions). */
  lock: DecisionLock;
  publicUrl?: string;
  log?: Logger;
  clock?: () => number;
}

/** Why a link signs nobody in. */
type Gone = 'used' | 'expired' | 'revoked';

/** "Dana Whitfield, the backbone lead" / "Dana Whitfield or Sam Ortiz, the backbone leads". */
function askLeads(leads: Member[]): string {
  const names = leads.map((m) => m.name).filter((n): n is string => !!n);
  if (names.length === 0) return 'Ask the backbone lead of the initiative for a new one.';
  if (names.length === 1) return `Ask ${names[0]}, the backbone lead, for a new one.`;
  return `Ask ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}, the backbone leads, for a new one.`;
}

const dateInWords = (iso: string) =>
  new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** The 410 sentence: what happened to the link, and who to ask for a new one. */
export function goneSentence(reason: Gone, invite: StoredInvite, leads: Member[]): string {
  const what = invite.memberId ? 'This sign-in link' : 'This invite link';
  const why = {
    used: `${what} was already used, so it signs nobody in again.`,
    expired: `${what} expired on ${dateInWords(invite.expiresAt)}.`,
    revoked: `${what} was withdrawn.`,
  }[reason];
  return `${why} ${askLeads(leads)}`;
}

const ADMIN_GONE: Record<Gone, string> = {
  used: 'This admin sign-in link was already used. Restart Convene for a new one, or sign in with the admin token.',
  expired: 'This admin sign-in link expired. Restart Convene for a new one, or sign in with the admin token.',
  revoked: 'This admin sign-in link was withdrawn. Restart Convene for a new one.',
};

/** Said when a browser already signed in to the initiative opens a link meant for someone else (it stays unused). */
function alreadyMember(member: Member): string {
  const who = member.name ? `${member.name} (${ROLE_LABELS[member.role]})` : ROLE_LABELS[member.role];
  return `This browser is already signed in to this initiative as ${who}. The link is still unused: send it to the person it is for.`;
}

const UNKNOWN_LINK = 'This link is not valid: check that it was copied whole, or ask for a new one.';

/** Who made a change, as the audit names them. */
function actorOf(access: Access): Actor {
  return access.member
    ? { id: access.member.id, name: access.member.name ?? access.member.label ?? 'Unnamed member' }
    : { id: null, name: 'Administrator' };
}

export function mountPeople(router: Router, deps: PeopleDeps): void {
  const { store, people, auth, watch, member, who, lock, publicUrl, log } = deps;
  const online = deps.online ?? ((initiativeId: string) => watch.online(initiativeId));
  const limiter = new SignInLimiter(ACCESS.signInFailuresPerMinute, 60_000, deps.clock);

  const entry = (m: Member, online: Set<string>): MemberEntry => ({
    id: m.id,
    name: m.name,
    role: m.role,
    label: m.label,
    joinedAt: m.joinedAt,
    lastSeenAt: m.lastSeenAt,
    sector: m.sector,
    organisation: m.organisation,
    online: online.has(m.id),
  });

  const linkUrl = (req: IncomingMessage, token: string) => `${publicOrigin(req, publicUrl)}/join/${token}`;

  const memberOr404 = async (initiativeId: string, memberId: string): Promise<Member> => {
    const found = await people.member(initiativeId, memberId);
    if (!found) throw notFound('No member with that id in this initiative.');
    return found;
  };

  /** The changed member, or the refusal: 404 for no such member, 409 for the last lead. */
  const changed = (result: Awaited<ReturnType<PeopleStore['changeRole']>>): Member => {
    if (result.ok) return result.member;
    if (result.reason === 'notFound') throw notFound('No member with that id in this initiative.');
    throw new HttpError(409, LAST_LEAD, { code: 'LAST_LEAD' });
  };

  // --- Members -----------------------------------------------------------------

  router.on('GET', '/api/initiatives/:id/members', async (ctx) => {
    const { initiative } = await member(ctx, 'viewMembers');
    const members = await people.members(initiative.id);
    const here = online(initiative.id);
    sendJson(ctx.res, 200, members.map((m) => entry(m, here)));
  });

  router.on('PATCH', '/api/initiatives/:id/members/:memberId', async (ctx) => {
    const { initiative, access } = await member(ctx, 'manageMembers');
    const body = validate(MemberChange, await readJson(ctx.req));
    const updated = await lock.run(initiative.id, async () => {
      let now = await memberOr404(initiative.id, ctx.params.memberId);
      if (body.role !== undefined) now = changed(await people.changeRole(initiative.id, now.id, body.role, actorOf(access)));
      if (body.sector !== undefined || body.organisation !== undefined) {
        const { sector, organisation } = body;
        now = (await people.setProfile(initiative.id, now.id, { sector, organisation })) ?? now;
      }
      return now;
    });
    await watch.recheck(initiative.id);
    sendJson(ctx.res, 200, entry(updated, online(initiative.id)));
  });

  // A member's own sector and organisation; never their own role (that stays with manageMembers).
  router.on('PATCH', '/api/initiatives/:id/me', async (ctx) => {
    const { initiative, access } = await member(ctx, 'describeSelf');
    const raw: unknown = await readJson(ctx.req);
    if (raw !== null && typeof raw === 'object' && 'role' in raw) throw new HttpError(403, OWN_ROLE, { field: 'role' });
    const { sector, organisation } = validate(ProfileChange, raw);
    // The table gives describeSelf to members only, so there is a member here.
    const me = access.member!;
    const updated = (await lock.run(initiative.id, () => people.setProfile(initiative.id, me.id, { sector, organisation }))) ?? me;
    sendJson(ctx.res, 200, entry(updated, online(initiative.id)));
  });

  router.on('DELETE', '/api/initiatives/:id/members/:memberId', async (ctx) => {
    const { initiative, access } = await member(ctx, 'manageMembers');
    const removed = await lock.run(initiative.id, () => people.removeMember(initiative.id, ctx.params.memberId, actorOf(access)));
    // Also when there was no such member: a lead who repeats a removal whose first answer was lost (or an
    // error after it was made) must still see the member's live connections end.
    await watch.recheck(initiative.id);
    changed(removed);
    ctx.res.writeHead(204).end();
  });

  router.on('POST', '/api/initiatives/:id/members/:memberId/sign-in-link', async (ctx) => {
    const { initiative, access } = await member(ctx, 'manageMembers');
    const target = await memberOr404(initiative.id, ctx.params.memberId);
    const { invite, token } = await people.createInvite(
      initiative.id,
      { role: target.role, label: target.label, memberId: target.id, expiresInDays: ACCESS.inviteDays },
      actorOf(access),
    );
    sendJson(ctx.res, 201, { token, url: linkUrl(ctx.req, token), expiresAt: invite.expiresAt } satisfies SignInLink);
  });

  router.on('DELETE', '/api/initiatives/:id/members/:memberId/sessions', async (ctx) => {
    const { initiative, access } = await member(ctx, 'manageMembers');
    const ended = await people.endMemberSessions(initiative.id, ctx.params.memberId, actorOf(access));
    // Either way, as for a removal: a repeated request still ends the connections the first one should have.
    await watch.recheck(initiative.id);
    if (!ended) throw notFound('No member with that id in this initiative.');
    ctx.res.writeHead(204).end();
  });

  // --- Invites -----------------------------------------------------------------

  router.on('POST', '/api/initiatives/:id/invites', async (ctx) => {
    const { initiative, access } = await member(ctx, 'invitePeople');
    const body = validate(NewInvite, await readJson(ctx.req));
    const { invite, token } = await people.createInvite(
      initiative.id,
      { role: body.role, label: body.label ?? null, expiresInDays: body.expiresInDays ?? ACCESS.inviteDays },
      actorOf(access),
    );
    sendJson(ctx.res, 201, { id: invite.id, token, url: linkUrl(ctx.req, token), expiresAt: invite.expiresAt } satisfies CreatedInvite);
  });

  router.on('GET', '/api/initiatives/:id/invites', async (ctx) => {
    const { initiative } = await member(ctx, 'viewMembers');
    const pending = (await people.pendingInvites(initiative.id)).map(
      (i): PendingInvite => ({
        id: i.id,
        role: i.role,
        label: i.label,
        memberId: i.memberId,
        createdBy: i.createdBy.name,
        createdAt: i.createdAt,
        expiresAt: i.expiresAt,
      }),
    );
    sendJson(ctx.res, 200, pending);
  });

  router.on('DELETE', '/api/initiatives/:id/invites/:inviteId', async (ctx) => {
    const { initiative, access } = await member(ctx, 'manageMembers');
    if (!(await people.invite(initiative.id, ctx.params.inviteId))) throw notFound('No invite with that id in this initiative.');
    if (!(await lock.run(initiative.id, () => people.revokeInvite(initiative.id, ctx.params.inviteId, actorOf(access))))) {
      throw new HttpError(409, 'This invite was already used: remove the member instead.');
    }
    await watch.recheck(initiative.id);
    ctx.res.writeHead(204).end();
  });

  router.on('GET', '/api/initiatives/:id/audit', async (ctx) => {
    const { initiative } = await member(ctx, 'readAudit');
    sendJson(ctx.res, 200, await people.audit(initiative.id));
  });

  // --- Signing in and out ------------------------------------------------------

  const address = (req: IncomingMessage) => req.socket.remoteAddress ?? 'unknown';

  /** 429 with Retry-After when the caller's address has failed too often; answers whether it did. */
  const limited = (req: IncomingMessage, res: ServerResponse): boolean => {
    const wait = limiter.retryAfter(address(req));
    if (wait === 0) return false;
    sendJson(res, 429, { error: `Too many failed sign-ins from this address: try again in ${wait} seconds.` }, { 'retry-after': String(wait) });
    return true;
  };

  /** A failed sign-in: counted for the address, one log line (never the token), then the refusal. */
  const refuse = (req: IncomingMessage, reason: string, error: HttpError): never => {
    limiter.failed(address(req));
    log?.warn({ address: address(req), reason }, 'sign-in refused');
    throw error;
  };

  const gone = async (req: IncomingMessage, reason: Gone, invite: StoredInvite): Promise<never> =>
    refuse(req, reason, new HttpError(410, goneSentence(reason, invite, await people.leads(invite.initiativeId)), { reason }));

  const cookieFor = (req: IncomingMessage, secret: string) => {
    const secure = publicOrigin(req, publicUrl).startsWith('https:') ? '; Secure' : '';
    return `${SESSION_COOKIE}=${secret}; HttpOnly; SameSite=Lax; Path=/; Max-Age=${SESSION_MAX_AGE}${secure}`;
  };

  const started = (req: IncomingMessage, res: ServerResponse, answer: SessionStarted) =>
    sendJson(res, 200, answer, { 'set-cookie': cookieFor(req, answer.token) });

  /**
   * The member who used this link, when this browser's session is theirs: a
   * person who opens their own link again is signed in already, so the link
   * answers as theirs (and signs nobody new in).
   */
  const ownUsedLink = async (req: IncomingMessage, found: InviteLookup): Promise<{ member: Member; secret: string } | null> => {
    if (found.status !== 'used') return null;
    const secret = auth.sessionCookie(req);
    if (!secret) return null;
    const mine = (await people.useSession(hashToken(secret)))?.members.find((m) => m.id === found.invite.usedBy);
    return mine ? { member: mine, secret } : null;
  };

  router.on('GET', '/api/invites/:token', async ({ req, res, params }) => {
    if (limited(req, res)) return;
    const found = await people.lookupInvite(params.token);
    if (found.status === 'unknown') return refuse(req, 'unknown', new HttpError(401, UNKNOWN_LINK));
    const own = await ownUsedLink(req, found);
    if (found.status !== 'open' && !own) return gone(req, found.status, found.invite);
    const member = own?.member ?? (found.status === 'open' ? found.member : null);
    const initiative = await store.getInitiative(found.invite.initiativeId);
    if (!initiative) throw notFound('The initiative of this link no longer exists.');
    sendJson(res, 200, {
      initiativeId: initiative.id,
      initiativeName: initiative.name,
      role: member?.role ?? found.invite.role,
      name: member?.name ?? null,
      expiresAt: found.invite.expiresAt,
    } satisfies Invite);
  });

  router.on('POST', '/api/session', async ({ req, res }) => {
    if (limited(req, res)) return;
    const body = validate(NewSession, await readJson(req));
    const existing = auth.sessionCookie(req);
    if (auth.isAdminToken(body.token)) {
      const token = await people.startAdminSession(existing);
      return started(req, res, { initiativeId: null, memberId: null, admin: true, token });
    }
    const admin = await people.redeemAdminSignIn(body.token, existing);
    if (admin.ok) return started(req, res, { initiativeId: null, memberId: null, admin: true, token: admin.session });
    if (admin.reason !== 'unknown') return refuse(req, `admin link ${admin.reason}`, new HttpError(410, ADMIN_GONE[admin.reason], { reason: admin.reason }));

    const found = await people.lookupInvite(body.token);
    const own = await ownUsedLink(req, found);
    if (own) {
      return started(req, res, { initiativeId: own.member.initiativeId, memberId: own.member.id, admin: false, token: own.secret });
    }
    // Redeeming adds a member: decided under the lock of the link's initiative (an unknown token has none to take).
    const redeem = () => people.redeem(body.token, body.name, existing);
    const result = found.status === 'unknown' ? await redeem() : await lock.run(found.invite.initiativeId, redeem);
    if (!result.ok) {
      if (result.reason === 'nameRequired') throw new HttpError(400, NAME_REQUIRED, { field: 'name' });
      if (result.reason === 'alreadyMember') throw new HttpError(409, alreadyMember(result.member), { code: 'ALREADY_MEMBER' });
      if (result.reason === 'unknown') return refuse(req, 'unknown', new HttpError(401, UNKNOWN_LINK, { field: 'token' }));
      return gone(req, result.reason, result.invite);
    }
    await watch.recheck(result.member.initiativeId);
    started(req, res, { initiativeId: result.member.initiativeId, memberId: result.member.id, admin: false, token: result.session });
  });

  router.on('GET', '/api/session', async ({ req, res }) => {
    const principal = await who(req);
    const cookie = auth.sessionCookie(req);
    const credential = principal.credential;
    // A browser's cookie session lives on while it is used: each visit sets it for another 30 days.
    const headers: Record<string, string> =
      cookie && credential.kind === 'session' && hashToken(cookie) === credential.hash ? { 'set-cookie': cookieFor(req, cookie) } : {};
    if (principal.kind === 'admin') return sendJson(res, 200, { admin: true, memberships: [] } satisfies Session, headers);
    const initiatives = await Promise.all(principal.members.map((m) => store.getInitiative(m.initiativeId)));
    const memberships = principal.members.flatMap((m, i) => {
      const initiative = initiatives[i];
      return initiative
        ? [{ initiativeId: initiative.id, initiativeName: initiative.name, memberId: m.id, name: m.name, role: m.role }]
        : [];
    });
    sendJson(res, 200, { admin: false, memberships } satisfies Session, headers);
  });

  router.on('DELETE', '/api/session', async ({ req, res, url }) => {
    const principal = await auth.identify(req);
    if (principal?.credential.kind === 'session') {
      if (url.searchParams.get('everywhere') === '1') await people.endEverywhere(principal.credential.hash);
      else await people.endSession(principal.credential.hash);
      await watch.recheck();
    }
    // The cookie goes either way (one that names no live session too).
    res.writeHead(204, { 'set-cookie': `${SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0` });
    res.end();
  });
}
