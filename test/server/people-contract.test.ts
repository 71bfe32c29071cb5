/**
 * The people storage contract: every PeopleStore implementation runs this
 * suite, SQLite and PostgreSQL (#14; one throwaway PostgreSQL for the file,
 * its tables emptied before each test). Single use, expiry and idle sessions
 * are driven by a clock the test moves. The last part races two pools (two
 * processes) on one PostgreSQL database: what SQLite's single writer
 * guaranteed, row locks must.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS } from '../../src/contract/index.ts';
import { PostgresInitiativeStore } from '../../server/pg/initiatives.ts';
import type { Pool } from '../../server/pg/pool.ts';
import { PostgresPeopleStore } from '../../server/people/postgres.ts';
import { SqlitePeopleStore } from '../../server/people/sqlite.ts';
import type { Actor, PeopleStore } from '../../server/people/types.ts';
import { hashToken } from '../../server/tokens.ts';
import { filePostgres, PG_START_TIMEOUT, postgresSubject, sqliteSubject, type StoreSubject } from './contract-databases.ts';
import { DAY, MINUTE, testClock, type TestClock } from './harness.ts';

interface Subject {
  people: PeopleStore;
  /** Creates an initiative (people belong to one) and answers its id. */
  initiative(name?: string): Promise<string>;
  dispose(): Promise<void>;
}

const pg = filePostgres();

/** A suite's subject from a store on one database. */
const subjectOf = (s: StoreSubject<PeopleStore>): Subject => ({
  ...s,
  people: s.store,
  initiative: async (name = 'Meadow County Coalition for Healthy Youth') => (await s.initiatives.createInitiative(name, 'Teen substance use')).id,
});

/** `setup` runs once before the implementation's tests (starting a server takes longer than a test may). */
const implementations: { name: string; setup?: () => Promise<unknown>; create(clock: TestClock): Promise<Subject> }[] = [
  { name: 'sqlite', create: async (clock) => subjectOf(await sqliteSubject((db) => new SqlitePeopleStore(db, clock.now), clock.now)) },
  {
    name: 'postgres',
    setup: () => pg.database(),
    create: async (clock) => subjectOf(await postgresSubject(pg, (pool) => new PostgresPeopleStore(pool, clock.now), clock.now)),
  },
];

const ADMIN: Actor = { id: null, name: 'Administrator' };
const week = { expiresInDays: ACCESS.inviteDays };

for (const implementation of implementations) {
  describe(`people storage: ${implementation.name}`, () => {
    let subject: Subject;
    let clock: TestClock;
    beforeAll(async () => {
      await implementation.setup?.();
    }, PG_START_TIMEOUT);
    const start = async () => {
      clock = testClock();
      subject = await implementation.create(clock);
      return subject;
    };
    afterEach(() => subject.dispose());

    /** A new member in `role` who redeemed an invite: the member and their session secret. */
    const joined = async (people: PeopleStore, id: string, role: 'lead' | 'participant' | 'observer', name: string, existing?: string) => {
      const { token } = await people.createInvite(id, { role, label: null, ...week }, ADMIN);
      const result = await people.redeem(token, name, existing);
      if (!result.ok) throw new Error(`redeem: ${result.reason}`);
      return result;
    };

    it('a member’s sector and organisation: null at first, set and cleared one at a time, kept', async () => {
      const { people, initiative } = await start();
      const id = await initiative();
      const dana = await people.addMember(id, 'lead', 'Dana Whitfield', null);
      expect(await people.member(id, dana.id)).toMatchObject({ sector: null, organisation: null });
      expect(await people.setProfile(id, dana.id, { sector: 'government', organisation: 'Meadow County' })).toMatchObject({ sector: 'government', organisation: 'Meadow County' });
      expect(await people.setProfile(id, dana.id, { organisation: null })).toMatchObject({ sector: 'government', organisation: null });
      expect((await people.members(id))[0]).toMatchObject({ sector: 'government', organisation: null });
      expect(await people.setProfile(id, 'nobody', { sector: 'business' })).toBeUndefined();
      expect(await people.setProfile(await initiative('Riverside Homelessness Partnership'), dana.id, { sector: 'business' })).toBeUndefined();
    });

    it('an invite is redeemed once: the first name creates the member and a session, the second try is refused as used', async () => {
      const { people, initiative } = await start();
      const id = await initiative();
      const { invite, token } = await people.createInvite(id, { role: 'participant', label: 'Food bank', ...week }, ADMIN);
      expect(invite.expiresAt).toBe(new Date(clock.now() + 7 * DAY).toISOString());
      expect(await people.lookupInvite(token)).toMatchObject({ status: 'open', member: null });
      expect(await people.redeem(token, undefined, undefined)).toMatchObject({ ok: false, reason: 'nameRequired' });

      const first = await people.redeem(token, 'Amira Haddad', undefined);
      if (!first.ok) throw new Error(first.reason);
      expect(first.member).toMatchObject({ initiativeId: id, role: 'participant', label: 'Food bank', name: 'Amira Haddad' });
      expect((await people.useSession(hashToken(first.session)))?.members.map((m) => m.id)).toEqual([first.member.id]);

      expect(await people.redeem(token, 'Mallory', undefined)).toMatchObject({ ok: false, reason: 'used' });
      expect(await people.lookupInvite(token)).toMatchObject({ status: 'used' });
      expect(await people.lookupInvite('no-such-token')).toEqual({ status: 'unknown' });
      expect((await people.members(id)).map((m) => m.name)).toEqual(['Amira Haddad']);
      expect(await people.pendingInvites(id)).toEqual([]);
    });

    it('a sign-in link needs no name and signs the existing member in, once', async () => {
      const { people, initiative } = await start();
      const id = await initiative();
      const { member } = await joined(people, id, 'participant', 'Amira Haddad');
      const { token } = await people.createInvite(id, { role: member.role, label: null, memberId: member.id, ...week }, ADMIN);
      expect(await people.lookupInvite(token)).toMatchObject({ status: 'open', member: { id: member.id, name: 'Amira Haddad' } });
      const again = await people.redeem(token, undefined, undefined);
      if (!again.ok) throw new Error(again.reason);
      expect(again.member.id).toBe(member.id);
      expect(await people.members(id)).toHaveLength(1);
      expect(await people.redeem(token, undefined, undefined)).toMatchObject({ ok: false, reason: 'used' });
    });

    it('an invite expires after its days: open a millisecond before, refused after; `invite.expired` is recorded once', async () => {
      const { people, initiative } = await start();
      const id = await initiative();
      const { invite, token } = await people.createInvite(id, { role: 'observer', label: 'County clerk', expiresInDays: 1 }, ADMIN);
      clock.advance(DAY - 1);
      expect((await people.lookupInvite(token)).status).toBe('open');
      expect((await people.pendingInvites(id)).map((i) => i.id)).toEqual([invite.id]);
      clock.advance(1);
      expect((await people.lookupInvite(token)).status).toBe('expired');
      expect(await people.redeem(token, 'Late Comer', undefined)).toMatchObject({ ok: false, reason: 'expired' });
      expect(await people.pendingInvites(id)).toEqual([]);
      expect(await people.pendingInvites(id)).toEqual([]);
      const expired = (await people.audit(id)).filter((e) => e.action === 'invite.expired');
      expect(expired).toEqual([
        expect.objectContaining({
          at: invite.expiresAt,
          actor: { id: null, name: 'Convene' },
          subject: { kind: 'invite', id: invite.id, name: 'County clerk' },
          detail: expect.objectContaining({ role: 'observer' }),
        }),
      ]);
    });

    it('listing the invites records every invite that expired unseen', async () => {
      const { people, initiative } = await start();
      const id = await initiative();
      const a = (await people.createInvite(id, { role: 'observer', label: 'A', expiresInDays: 1 }, ADMIN)).invite;
      const b = (await people.createInvite(id, { role: 'observer', label: 'B', expiresInDays: 2 }, ADMIN)).invite;
      clock.advance(3 * DAY);
      expect(await people.pendingInvites(id)).toEqual([]);
      const expired = (await people.audit(id)).filter((e) => e.action === 'invite.expired');
      expect(expired.map((e) => e.subject.id)).toEqual([b.id, a.id]);
    });

    it('a revoked invite signs nobody in; a used one cannot be revoked', async () => {
      const { people, initiative } = await start();
      const id = await initiative();
      const { invite, token } = await people.createInvite(id, { role: 'participant', label: null, ...week }, ADMIN);
      expect(await people.revokeInvite(id, invite.id, ADMIN)).toBe(true);
      expect((await people.lookupInvite(token)).status).toBe('revoked');
      expect(await people.redeem(token, 'Someone', undefined)).toMatchObject({ ok: false, reason: 'revoked' });
      const used = await people.createInvite(id, { role: 'participant', label: null, ...week }, ADMIN);
      await people.redeem(used.token, 'Lee Park', undefined);
      expect(await people.revokeInvite(id, used.invite.id, ADMIN)).toBe(false);
      expect(await people.revokeInvite('another-initiative', invite.id, ADMIN)).toBe(false);
    });

    it('a session ends after 30 days without use; using it keeps it alive', async () => {
      const { people, initiative } = await start();
      const hash = hashToken((await joined(people, await initiative(), 'participant', 'Amira Haddad')).session);
      clock.advance(ACCESS.sessionIdleDays * DAY - MINUTE);
      expect(await people.useSession(hash)).toBeDefined();
      clock.advance(ACCESS.sessionIdleDays * DAY - MINUTE);
      expect(await people.useSession(hash)).toBeDefined();
      clock.advance(ACCESS.sessionIdleDays * DAY);
      expect(await people.useSession(hash)).toBeUndefined();
      // Gone for good, not just for the moment.
      clock.advance(-ACCESS.sessionIdleDays * DAY);
      expect(await people.useSession(hash)).toBeUndefined();
    });

    it('the last use is written at most once a minute', async () => {
      const { people, initiative } = await start();
      const id = await initiative();
      const quick = hashToken((await joined(people, id, 'participant', 'Quick')).session);
      const slow = hashToken((await joined(people, id, 'participant', 'Slow')).session);
      clock.advance(30_000);
      await people.useSession(quick); // within the minute: not written
      clock.advance(31_000);
      await people.useSession(slow); // a minute and a second: written
      clock.advance(ACCESS.sessionIdleDays * DAY - 61_000);
      expect(await people.useSession(quick)).toBeUndefined();
      expect(await people.useSession(slow)).toBeDefined();
    });

    it('a second redemption with a live session adds the membership to it', async () => {
      const { people, initiative } = await start();
      const first = await joined(people, await initiative('A'), 'participant', 'Amira Haddad');
      const second = await joined(people, await initiative('B'), 'observer', 'Amira Haddad', first.session);
      expect(second.session).toBe(first.session);
      expect((await people.useSession(hashToken(first.session)))?.members.map((m) => m.id)).toEqual([first.member.id, second.member.id]);
      // An unknown session is no session to join: a new one starts.
      const third = await joined(people, await initiative('C'), 'observer', 'Amira Haddad', 'not-a-session');
      expect(third.session).not.toBe(first.session);
    });

    it('a session that already holds a member of the initiative leaves someone else’s link unused', async () => {
      const { people, initiative } = await start();
      const id = await initiative();
      const dana = await joined(people, id, 'lead', 'Dana Whitfield');
      const { token } = await people.createInvite(id, { role: 'participant', label: null, ...week }, ADMIN);
      expect(await people.redeem(token, 'Dana Whitfield', dana.session)).toMatchObject({ ok: false, reason: 'alreadyMember', member: { id: dana.member.id } });
      expect((await people.lookupInvite(token)).status).toBe('open');
      expect(await people.redeem(token, 'Lee Park', undefined)).toMatchObject({ ok: true, member: { name: 'Lee Park' } });
      // Her own sign-in link is hers to use in the same browser.
      const own = await people.createInvite(id, { role: 'lead', label: null, memberId: dana.member.id, ...week }, ADMIN);
      expect(await people.redeem(own.token, undefined, dana.session)).toMatchObject({ ok: true, session: dana.session });
    });

    it('signing out everywhere ends every session of every member the session holds, and no one else’s', async () => {
      const { people, initiative } = await start();
      const id = await initiative();
      const browser = await joined(people, id, 'participant', 'Amira Haddad');
      const link = await people.createInvite(id, { role: 'participant', label: null, memberId: browser.member.id, ...week }, ADMIN);
      const laptop = await people.redeem(link.token, undefined, undefined);
      if (!laptop.ok) throw new Error(laptop.reason);
      const other = await joined(people, id, 'participant', 'Lee Park');
      expect(laptop.session).not.toBe(browser.session);

      await people.endEverywhere(hashToken(browser.session));
      expect(await people.useSession(hashToken(browser.session))).toBeUndefined();
      expect(await people.useSession(hashToken(laptop.session))).toBeUndefined();
      expect(await people.useSession(hashToken(other.session))).toBeDefined();
      expect((await people.audit(id))[0]).toMatchObject({ action: 'member.signedOut', subject: { id: browser.member.id } });
    });

    it('ending a member’s sessions takes the member out of every session; other memberships stay', async () => {
      const { people, initiative } = await start();
      const a = await initiative('A');
      const b = await initiative('B');
      const here = await joined(people, a, 'participant', 'Amira Haddad');
      const there = await joined(people, b, 'lead', 'Amira Haddad', here.session);
      const only = await people.createInvite(a, { role: 'participant', label: null, memberId: here.member.id, ...week }, ADMIN);
      const phone = await people.redeem(only.token, undefined, undefined);
      if (!phone.ok) throw new Error(phone.reason);

      expect(await people.endMemberSessions(a, here.member.id, ADMIN)).toBe(true);
      expect((await people.useSession(hashToken(here.session)))?.members.map((m) => m.id)).toEqual([there.member.id]);
      expect(await people.useSession(hashToken(phone.session))).toBeUndefined();
      expect(await people.member(a, here.member.id)).toBeDefined();
      expect(await people.endMemberSessions(a, 'no-such-member', ADMIN)).toBe(false);
    });

    it('nobody demotes or removes the last lead; with a second lead either may go', async () => {
      const { people, initiative } = await start();
      const id = await initiative();
      const dana = (await joined(people, id, 'lead', 'Dana Whitfield')).member;
      expect(await people.changeRole(id, dana.id, 'facilitator', ADMIN)).toEqual({ ok: false, reason: 'lastLead' });
      expect(await people.removeMember(id, dana.id, ADMIN)).toEqual({ ok: false, reason: 'lastLead' });
      expect((await people.member(id, dana.id))?.role).toBe('lead');

      const sam = (await joined(people, id, 'participant', 'Sam Ortiz')).member;
      expect(await people.changeRole(id, sam.id, 'lead', ADMIN)).toMatchObject({ ok: true, member: { role: 'lead' } });
      expect((await people.leads(id)).map((m) => m.name)).toEqual(['Dana Whitfield', 'Sam Ortiz']);
      expect(await people.changeRole(id, dana.id, 'observer', ADMIN)).toMatchObject({ ok: true, member: { role: 'observer' } });
      expect(await people.removeMember(id, sam.id, ADMIN)).toEqual({ ok: false, reason: 'lastLead' });
      expect(await people.changeRole(id, 'no-such-member', 'observer', ADMIN)).toEqual({ ok: false, reason: 'notFound' });
    });

    it('removing a member ends their sessions and withdraws their sign-in links', async () => {
      const { people, initiative } = await start();
      const id = await initiative();
      await joined(people, id, 'lead', 'Dana Whitfield');
      const lee = await joined(people, id, 'participant', 'Lee Park');
      const link = await people.createInvite(id, { role: 'participant', label: null, memberId: lee.member.id, ...week }, ADMIN);
      expect(await people.removeMember(id, lee.member.id, ADMIN)).toMatchObject({ ok: true });
      expect(await people.useSession(hashToken(lee.session))).toBeUndefined();
      expect((await people.lookupInvite(link.token)).status).toBe('revoked');
      expect((await people.members(id)).map((m) => m.name)).toEqual(['Dana Whitfield']);
    });

    it('records who did what to whom, newest first', async () => {
      const { people, initiative } = await start();
      const id = await initiative();
      const dana = (await joined(people, id, 'lead', 'Dana Whitfield')).member;
      const danaActs: Actor = { id: dana.id, name: 'Dana Whitfield' };
      clock.advance(MINUTE);
      const invite = await people.createInvite(id, { role: 'participant', label: 'Food bank', ...week }, danaActs);
      clock.advance(MINUTE);
      const lee = await people.redeem(invite.token, 'Lee Park', undefined);
      if (!lee.ok) throw new Error(lee.reason);
      clock.advance(MINUTE);
      await people.changeRole(id, lee.member.id, 'observer', danaActs);
      clock.advance(MINUTE);
      await people.createInvite(id, { role: 'observer', label: null, memberId: lee.member.id, ...week }, danaActs);
      clock.advance(MINUTE);
      const revoked = await people.createInvite(id, { role: 'facilitator', label: 'Workshop host', ...week }, danaActs);
      await people.revokeInvite(id, revoked.invite.id, danaActs);
      clock.advance(MINUTE);
      await people.endMemberSessions(id, lee.member.id, danaActs);
      clock.advance(MINUTE);
      await people.removeMember(id, lee.member.id, danaActs);

      const entries = await people.audit(id);
      const brief = entries.map((e) => [e.action, e.actor.name, e.subject.kind, e.subject.name]);
      expect(brief).toEqual([
        ['member.removed', 'Dana Whitfield', 'member', 'Lee Park'],
        ['member.signedOut', 'Dana Whitfield', 'member', 'Lee Park'],
        ['invite.revoked', 'Dana Whitfield', 'invite', 'Workshop host'],
        ['invite.created', 'Dana Whitfield', 'invite', 'Workshop host'],
        ['member.signInLink', 'Dana Whitfield', 'member', 'Lee Park'],
        ['member.roleChanged', 'Dana Whitfield', 'member', 'Lee Park'],
        ['invite.redeemed', 'Lee Park', 'member', 'Lee Park'],
        ['invite.created', 'Dana Whitfield', 'invite', 'Food bank'],
        ['invite.redeemed', 'Dana Whitfield', 'member', 'Dana Whitfield'],
        ['invite.created', 'Administrator', 'invite', null],
      ]);
      expect(entries.find((e) => e.action === 'member.roleChanged')).toMatchObject({
        at: new Date(clock.now() - 4 * MINUTE).toISOString(),
        actor: { id: dana.id },
        subject: { id: lee.member.id },
        detail: { from: 'participant', to: 'observer' },
      });
      expect(entries.find((e) => e.action === 'member.removed')?.detail).toEqual({ role: 'observer' });
      // Another initiative's record is its own.
      expect(await people.audit(await initiative('Other'))).toEqual([]);
    });

    it('"last seen" is the clock’s time of the last sighting', async () => {
      const { people, initiative } = await start();
      const id = await initiative();
      const member = await people.addMember(id, 'lead', 'Dana Whitfield', 'Backbone lead');
      expect(member.lastSeenAt).toBeNull();
      clock.advance(5 * MINUTE);
      await people.seen(member.id);
      expect((await people.member(id, member.id))?.lastSeenAt).toBe(new Date(clock.now()).toISOString());
    });

    it('an admin sign-in link works once and expires; an admin session survives as any session does', async () => {
      const { people, initiative } = await start();
      const link = await people.createAdminSignIn(7);
      const first = await people.redeemAdminSignIn(link.token, undefined);
      if (!first.ok) throw new Error(first.reason);
      expect(await people.useSession(hashToken(first.session))).toMatchObject({ admin: true, members: [] });
      expect(await people.redeemAdminSignIn(link.token, undefined)).toEqual({ ok: false, reason: 'used' });
      expect(await people.redeemAdminSignIn('nope', undefined)).toEqual({ ok: false, reason: 'unknown' });
      const late = await people.createAdminSignIn(7);
      clock.advance(7 * DAY);
      expect(await people.redeemAdminSignIn(late.token, undefined)).toEqual({ ok: false, reason: 'expired' });

      // A member's browser session becomes an admin session too; signing out everywhere ends every admin session.
      const member = await joined(people, await initiative(), 'participant', 'Amira Haddad');
      expect(await people.startAdminSession(member.session)).toBe(member.session);
      expect(await people.useSession(hashToken(member.session))).toMatchObject({ admin: true });
      const other = await people.startAdminSession(undefined);
      await people.endEverywhere(hashToken(member.session));
      expect(await people.useSession(hashToken(other))).toBeUndefined();
    });
  });
}

describe('people storage on PostgreSQL, shared by several processes', () => {
  let pools: Pool[] = [];
  afterEach(async () => {
    await Promise.all(pools.map((p) => p.end()));
    pools = [];
  });
  /** Two stores on one fresh database, each with its own pool: two server processes. */
  const twoProcesses = async (clock: TestClock) => {
    pools = [await pg.fresh(), await pg.pool()];
    const [a, b] = pools.map((p) => new PostgresPeopleStore(p, clock.now));
    const initiatives = new PostgresInitiativeStore(pools[0], clock.now);
    const initiative = async (name = 'Meadow County Coalition for Healthy Youth') => (await initiatives.createInitiative(name, 'Teen substance use')).id;
    return { a, b, initiative };
  };
  beforeAll(() => pg.database(), PG_START_TIMEOUT);

  it('an invite redeemed by two processes at once makes one member; the other is told it is used', async () => {
    const clock = testClock();
    const { a, b, initiative } = await twoProcesses(clock);
    const id = await initiative();
    for (let round = 0; round < 8; round++) {
      const { token } = await a.createInvite(id, { role: 'participant', label: null, ...week }, ADMIN);
      const results = await Promise.all([a.redeem(token, `Amira ${round}`, undefined), b.redeem(token, `Mallory ${round}`, undefined)]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toEqual([expect.objectContaining({ ok: false, reason: 'used' })]);
    }
    expect(await a.members(id)).toHaveLength(8);
    expect((await b.audit(id)).filter((e) => e.action === 'invite.redeemed')).toHaveLength(8);
  });

  it('two leads demoting (or removing) each other at once: one of them stays lead', async () => {
    const clock = testClock();
    const { a, b, initiative } = await twoProcesses(clock);
    for (let round = 0; round < 6; round++) {
      const id = await initiative(`Coalition ${round}`);
      const dana = await a.addMember(id, 'lead', 'Dana Whitfield', null);
      const sam = await a.addMember(id, 'lead', 'Sam Ortiz', null);
      const results =
        round % 2 === 0
          ? await Promise.all([a.changeRole(id, dana.id, 'observer', ADMIN), b.changeRole(id, sam.id, 'observer', ADMIN)])
          : await Promise.all([a.removeMember(id, dana.id, ADMIN), b.removeMember(id, sam.id, ADMIN)]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'lastLead' }]);
      expect(await b.leads(id)).toHaveLength(1);
    }
  });

  it('expired invites listed (or looked up) by two processes at once are recorded once each', async () => {
    const clock = testClock();
    const { a, b, initiative } = await twoProcesses(clock);
    for (let round = 0; round < 6; round++) {
      const id = await initiative(`Coalition ${round}`);
      const tokens: string[] = [];
      for (let i = 0; i < 3; i++) tokens.push((await a.createInvite(id, { role: 'observer', label: `Clerk ${i}`, expiresInDays: 1 }, ADMIN)).token);
      clock.advance(DAY);
      await Promise.all(round % 2 === 0 ? [a.pendingInvites(id), b.pendingInvites(id)] : [a.lookupInvite(tokens[0]), b.lookupInvite(tokens[0]), a.pendingInvites(id)]);
      const expired = (await a.audit(id)).filter((e) => e.action === 'invite.expired');
      expect(expired.map((e) => e.subject.name).sort()).toEqual(['Clerk 0', 'Clerk 1', 'Clerk 2']);
    }
  });

  it('an admin sign-in link redeemed by two processes at once opens one session', async () => {
    const clock = testClock();
    const { a, b } = await twoProcesses(clock);
    for (let round = 0; round < 6; round++) {
      const link = await a.createAdminSignIn(7);
      const results = await Promise.all([a.redeemAdminSignIn(link.token, undefined), b.redeemAdminSignIn(link.token, undefined)]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'used' }]);
    }
  });
});
