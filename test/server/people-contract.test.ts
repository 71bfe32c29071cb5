/**
 * The people storage contract: every PeopleStore implementation runs this
 * suite (SQLite now; PostgreSQL in #14). Single use, expiry and idle sessions
 * are driven by a clock the test moves.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACCESS } from '../../src/contract/index.ts';
import { openDb } from '../../server/db.ts';
import { SqlitePeopleStore } from '../../server/people/sqlite.ts';
import type { Actor, PeopleStore } from '../../server/people/types.ts';
import { Store } from '../../server/store.ts';
import { hashToken } from '../../server/tokens.ts';
import { DAY, MINUTE, testClock, type TestClock } from './harness.ts';

interface Subject {
  people: PeopleStore;
  /** Creates an initiative (people belong to one) and answers its id. */
  initiative(name?: string): string;
  dispose(): void;
}

const implementations: { name: string; create(clock: TestClock): Subject }[] = [
  {
    name: 'sqlite',
    create: (clock) => {
      const dir = mkdtempSync(join(tmpdir(), 'convene-people-'));
      const db = openDb(dir, clock.now());
      const store = new Store(db);
      return {
        people: new SqlitePeopleStore(db, clock.now),
        initiative: (name = 'Meadow County Coalition for Healthy Youth') => store.createInitiative(name, 'Teen substance use').id,
        dispose: () => {
          db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
];

const ADMIN: Actor = { id: null, name: 'Administrator' };
const week = { expiresInDays: ACCESS.inviteDays };

for (const implementation of implementations) {
  describe(`people storage: ${implementation.name}`, () => {
    let subject: Subject;
    let clock: TestClock;
    const start = () => {
      clock = testClock();
      subject = implementation.create(clock);
      return subject;
    };
    afterEach(() => subject.dispose());

    /** A new member in `role` who redeemed an invite: the member and their session secret. */
    const joined = (people: PeopleStore, id: string, role: 'lead' | 'participant' | 'observer', name: string, existing?: string) => {
      const { token } = people.createInvite(id, { role, label: null, ...week }, ADMIN);
      const result = people.redeem(token, name, existing);
      if (!result.ok) throw new Error(`redeem: ${result.reason}`);
      return result;
    };

    it('a member’s sector and organisation: null at first, set and cleared one at a time, kept', () => {
      const { people, initiative } = start();
      const id = initiative();
      const dana = people.addMember(id, 'lead', 'Dana Whitfield', null);
      expect(people.member(id, dana.id)).toMatchObject({ sector: null, organisation: null });
      expect(people.setProfile(id, dana.id, { sector: 'government', organisation: 'Meadow County' })).toMatchObject({ sector: 'government', organisation: 'Meadow County' });
      expect(people.setProfile(id, dana.id, { organisation: null })).toMatchObject({ sector: 'government', organisation: null });
      expect(people.members(id)[0]).toMatchObject({ sector: 'government', organisation: null });
      expect(people.setProfile(id, 'nobody', { sector: 'business' })).toBeUndefined();
      expect(people.setProfile(initiative('Riverside Homelessness Partnership'), dana.id, { sector: 'business' })).toBeUndefined();
    });

    it('an invite is redeemed once: the first name creates the member and a session, the second try is refused as used', () => {
      const { people, initiative } = start();
      const id = initiative();
      const { invite, token } = people.createInvite(id, { role: 'participant', label: 'Food bank', ...week }, ADMIN);
      expect(invite.expiresAt).toBe(new Date(clock.now() + 7 * DAY).toISOString());
      expect(people.lookupInvite(token)).toMatchObject({ status: 'open', member: null });
      expect(people.redeem(token, undefined, undefined)).toMatchObject({ ok: false, reason: 'nameRequired' });

      const first = people.redeem(token, 'Amira Haddad', undefined);
      if (!first.ok) throw new Error(first.reason);
      expect(first.member).toMatchObject({ initiativeId: id, role: 'participant', label: 'Food bank', name: 'Amira Haddad' });
      expect(people.useSession(hashToken(first.session))?.members.map((m) => m.id)).toEqual([first.member.id]);

      expect(people.redeem(token, 'Mallory', undefined)).toMatchObject({ ok: false, reason: 'used' });
      expect(people.lookupInvite(token)).toMatchObject({ status: 'used' });
      expect(people.lookupInvite('no-such-token')).toEqual({ status: 'unknown' });
      expect(people.members(id).map((m) => m.name)).toEqual(['Amira Haddad']);
      expect(people.pendingInvites(id)).toEqual([]);
    });

    it('a sign-in link needs no name and signs the existing member in, once', () => {
      const { people, initiative } = start();
      const id = initiative();
      const { member } = joined(people, id, 'participant', 'Amira Haddad');
      const { token } = people.createInvite(id, { role: member.role, label: null, memberId: member.id, ...week }, ADMIN);
      expect(people.lookupInvite(token)).toMatchObject({ status: 'open', member: { id: member.id, name: 'Amira Haddad' } });
      const again = people.redeem(token, undefined, undefined);
      if (!again.ok) throw new Error(again.reason);
      expect(again.member.id).toBe(member.id);
      expect(people.members(id)).toHaveLength(1);
      expect(people.redeem(token, undefined, undefined)).toMatchObject({ ok: false, reason: 'used' });
    });

    it('an invite expires after its days: open a millisecond before, refused after; `invite.expired` is recorded once', () => {
      const { people, initiative } = start();
      const id = initiative();
      const { invite, token } = people.createInvite(id, { role: 'observer', label: 'County clerk', expiresInDays: 1 }, ADMIN);
      clock.advance(DAY - 1);
      expect(people.lookupInvite(token).status).toBe('open');
      expect(people.pendingInvites(id).map((i) => i.id)).toEqual([invite.id]);
      clock.advance(1);
      expect(people.lookupInvite(token).status).toBe('expired');
      expect(people.redeem(token, 'Late Comer', undefined)).toMatchObject({ ok: false, reason: 'expired' });
      expect(people.pendingInvites(id)).toEqual([]);
      expect(people.pendingInvites(id)).toEqual([]);
      const expired = people.audit(id).filter((e) => e.action === 'invite.expired');
      expect(expired).toEqual([
        expect.objectContaining({
          at: invite.expiresAt,
          actor: { id: null, name: 'Convene' },
          subject: { kind: 'invite', id: invite.id, name: 'County clerk' },
          detail: expect.objectContaining({ role: 'observer' }),
        }),
      ]);
    });

    it('listing the invites records every invite that expired unseen', () => {
      const { people, initiative } = start();
      const id = initiative();
      const a = people.createInvite(id, { role: 'observer', label: 'A', expiresInDays: 1 }, ADMIN).invite;
      const b = people.createInvite(id, { role: 'observer', label: 'B', expiresInDays: 2 }, ADMIN).invite;
      clock.advance(3 * DAY);
      expect(people.pendingInvites(id)).toEqual([]);
      const expired = people.audit(id).filter((e) => e.action === 'invite.expired');
      expect(expired.map((e) => e.subject.id)).toEqual([b.id, a.id]);
    });

    it('a revoked invite signs nobody in; a used one cannot be revoked', () => {
      const { people, initiative } = start();
      const id = initiative();
      const { invite, token } = people.createInvite(id, { role: 'participant', label: null, ...week }, ADMIN);
      expect(people.revokeInvite(id, invite.id, ADMIN)).toBe(true);
      expect(people.lookupInvite(token).status).toBe('revoked');
      expect(people.redeem(token, 'Someone', undefined)).toMatchObject({ ok: false, reason: 'revoked' });
      const used = people.createInvite(id, { role: 'participant', label: null, ...week }, ADMIN);
      people.redeem(used.token, 'Lee Park', undefined);
      expect(people.revokeInvite(id, used.invite.id, ADMIN)).toBe(false);
      expect(people.revokeInvite('another-initiative', invite.id, ADMIN)).toBe(false);
    });

    it('a session ends after 30 days without use; using it keeps it alive', () => {
      const { people, initiative } = start();
      const hash = hashToken(joined(people, initiative(), 'participant', 'Amira Haddad').session);
      clock.advance(ACCESS.sessionIdleDays * DAY - MINUTE);
      expect(people.useSession(hash)).toBeDefined();
      clock.advance(ACCESS.sessionIdleDays * DAY - MINUTE);
      expect(people.useSession(hash)).toBeDefined();
      clock.advance(ACCESS.sessionIdleDays * DAY);
      expect(people.useSession(hash)).toBeUndefined();
      // Gone for good, not just for the moment.
      clock.advance(-ACCESS.sessionIdleDays * DAY);
      expect(people.useSession(hash)).toBeUndefined();
    });

    it('the last use is written at most once a minute', () => {
      const { people, initiative } = start();
      const id = initiative();
      const quick = hashToken(joined(people, id, 'participant', 'Quick').session);
      const slow = hashToken(joined(people, id, 'participant', 'Slow').session);
      clock.advance(30_000);
      people.useSession(quick); // within the minute: not written
      clock.advance(31_000);
      people.useSession(slow); // a minute and a second: written
      clock.advance(ACCESS.sessionIdleDays * DAY - 61_000);
      expect(people.useSession(quick)).toBeUndefined();
      expect(people.useSession(slow)).toBeDefined();
    });

    it('a second redemption with a live session adds the membership to it', () => {
      const { people, initiative } = start();
      const first = joined(people, initiative('A'), 'participant', 'Amira Haddad');
      const second = joined(people, initiative('B'), 'observer', 'Amira Haddad', first.session);
      expect(second.session).toBe(first.session);
      expect(people.useSession(hashToken(first.session))?.members.map((m) => m.id)).toEqual([first.member.id, second.member.id]);
      // An unknown session is no session to join: a new one starts.
      const third = joined(people, initiative('C'), 'observer', 'Amira Haddad', 'not-a-session');
      expect(third.session).not.toBe(first.session);
    });

    it('a session that already holds a member of the initiative leaves someone else’s link unused', () => {
      const { people, initiative } = start();
      const id = initiative();
      const dana = joined(people, id, 'lead', 'Dana Whitfield');
      const { token } = people.createInvite(id, { role: 'participant', label: null, ...week }, ADMIN);
      expect(people.redeem(token, 'Dana Whitfield', dana.session)).toMatchObject({ ok: false, reason: 'alreadyMember', member: { id: dana.member.id } });
      expect(people.lookupInvite(token).status).toBe('open');
      expect(people.redeem(token, 'Lee Park', undefined)).toMatchObject({ ok: true, member: { name: 'Lee Park' } });
      // Her own sign-in link is hers to use in the same browser.
      const own = people.createInvite(id, { role: 'lead', label: null, memberId: dana.member.id, ...week }, ADMIN);
      expect(people.redeem(own.token, undefined, dana.session)).toMatchObject({ ok: true, session: dana.session });
    });

    it('signing out everywhere ends every session of every member the session holds, and no one else’s', () => {
      const { people, initiative } = start();
      const id = initiative();
      const browser = joined(people, id, 'participant', 'Amira Haddad');
      const link = people.createInvite(id, { role: 'participant', label: null, memberId: browser.member.id, ...week }, ADMIN);
      const laptop = people.redeem(link.token, undefined, undefined);
      if (!laptop.ok) throw new Error(laptop.reason);
      const other = joined(people, id, 'participant', 'Lee Park');
      expect(laptop.session).not.toBe(browser.session);

      people.endEverywhere(hashToken(browser.session));
      expect(people.useSession(hashToken(browser.session))).toBeUndefined();
      expect(people.useSession(hashToken(laptop.session))).toBeUndefined();
      expect(people.useSession(hashToken(other.session))).toBeDefined();
      expect(people.audit(id)[0]).toMatchObject({ action: 'member.signedOut', subject: { id: browser.member.id } });
    });

    it('ending a member’s sessions takes the member out of every session; other memberships stay', () => {
      const { people, initiative } = start();
      const a = initiative('A');
      const b = initiative('B');
      const here = joined(people, a, 'participant', 'Amira Haddad');
      const there = joined(people, b, 'lead', 'Amira Haddad', here.session);
      const only = people.createInvite(a, { role: 'participant', label: null, memberId: here.member.id, ...week }, ADMIN);
      const phone = people.redeem(only.token, undefined, undefined);
      if (!phone.ok) throw new Error(phone.reason);

      expect(people.endMemberSessions(a, here.member.id, ADMIN)).toBe(true);
      expect(people.useSession(hashToken(here.session))?.members.map((m) => m.id)).toEqual([there.member.id]);
      expect(people.useSession(hashToken(phone.session))).toBeUndefined();
      expect(people.member(a, here.member.id)).toBeDefined();
      expect(people.endMemberSessions(a, 'no-such-member', ADMIN)).toBe(false);
    });

    it('nobody demotes or removes the last lead; with a second lead either may go', () => {
      const { people, initiative } = start();
      const id = initiative();
      const dana = joined(people, id, 'lead', 'Dana Whitfield').member;
      expect(people.changeRole(id, dana.id, 'facilitator', ADMIN)).toEqual({ ok: false, reason: 'lastLead' });
      expect(people.removeMember(id, dana.id, ADMIN)).toEqual({ ok: false, reason: 'lastLead' });
      expect(people.member(id, dana.id)?.role).toBe('lead');

      const sam = joined(people, id, 'participant', 'Sam Ortiz').member;
      expect(people.changeRole(id, sam.id, 'lead', ADMIN)).toMatchObject({ ok: true, member: { role: 'lead' } });
      expect(people.leads(id).map((m) => m.name)).toEqual(['Dana Whitfield', 'Sam Ortiz']);
      expect(people.changeRole(id, dana.id, 'observer', ADMIN)).toMatchObject({ ok: true, member: { role: 'observer' } });
      expect(people.removeMember(id, sam.id, ADMIN)).toEqual({ ok: false, reason: 'lastLead' });
      expect(people.changeRole(id, 'no-such-member', 'observer', ADMIN)).toEqual({ ok: false, reason: 'notFound' });
    });

    it('removing a member ends their sessions and withdraws their sign-in links', () => {
      const { people, initiative } = start();
      const id = initiative();
      joined(people, id, 'lead', 'Dana Whitfield');
      const lee = joined(people, id, 'participant', 'Lee Park');
      const link = people.createInvite(id, { role: 'participant', label: null, memberId: lee.member.id, ...week }, ADMIN);
      expect(people.removeMember(id, lee.member.id, ADMIN)).toMatchObject({ ok: true });
      expect(people.useSession(hashToken(lee.session))).toBeUndefined();
      expect(people.lookupInvite(link.token).status).toBe('revoked');
      expect(people.members(id).map((m) => m.name)).toEqual(['Dana Whitfield']);
    });

    it('records who did what to whom, newest first', () => {
      const { people, initiative } = start();
      const id = initiative();
      const dana = joined(people, id, 'lead', 'Dana Whitfield').member;
      const danaActs: Actor = { id: dana.id, name: 'Dana Whitfield' };
      clock.advance(MINUTE);
      const invite = people.createInvite(id, { role: 'participant', label: 'Food bank', ...week }, danaActs);
      clock.advance(MINUTE);
      const lee = people.redeem(invite.token, 'Lee Park', undefined);
      if (!lee.ok) throw new Error(lee.reason);
      clock.advance(MINUTE);
      people.changeRole(id, lee.member.id, 'observer', danaActs);
      clock.advance(MINUTE);
      people.createInvite(id, { role: 'observer', label: null, memberId: lee.member.id, ...week }, danaActs);
      clock.advance(MINUTE);
      const revoked = people.createInvite(id, { role: 'facilitator', label: 'Workshop host', ...week }, danaActs);
      people.revokeInvite(id, revoked.invite.id, danaActs);
      clock.advance(MINUTE);
      people.endMemberSessions(id, lee.member.id, danaActs);
      clock.advance(MINUTE);
      people.removeMember(id, lee.member.id, danaActs);

      const entries = people.audit(id);
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
      expect(people.audit(initiative('Other'))).toEqual([]);
    });

    it('"last seen" is the clock’s time of the last sighting', () => {
      const { people, initiative } = start();
      const id = initiative();
      const member = people.addMember(id, 'lead', 'Dana Whitfield', 'Backbone lead');
      expect(member.lastSeenAt).toBeNull();
      clock.advance(5 * MINUTE);
      people.seen(member.id);
      expect(people.member(id, member.id)?.lastSeenAt).toBe(new Date(clock.now()).toISOString());
    });

    it('an admin sign-in link works once and expires; an admin session survives as any session does', () => {
      const { people, initiative } = start();
      const link = people.createAdminSignIn(7);
      const first = people.redeemAdminSignIn(link.token, undefined);
      if (!first.ok) throw new Error(first.reason);
      expect(people.useSession(hashToken(first.session))).toMatchObject({ admin: true, members: [] });
      expect(people.redeemAdminSignIn(link.token, undefined)).toEqual({ ok: false, reason: 'used' });
      expect(people.redeemAdminSignIn('nope', undefined)).toEqual({ ok: false, reason: 'unknown' });
      const late = people.createAdminSignIn(7);
      clock.advance(7 * DAY);
      expect(people.redeemAdminSignIn(late.token, undefined)).toEqual({ ok: false, reason: 'expired' });

      // A member's browser session becomes an admin session too; signing out everywhere ends every admin session.
      const member = joined(people, initiative(), 'participant', 'Amira Haddad');
      expect(people.startAdminSession(member.session)).toBe(member.session);
      expect(people.useSession(hashToken(member.session))).toMatchObject({ admin: true });
      const other = people.startAdminSession(undefined);
      people.endEverywhere(hashToken(member.session));
      expect(people.useSession(hashToken(other))).toBeUndefined();
    });
  });
}
