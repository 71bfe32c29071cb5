/**
 * People and access over HTTP (docs/api.md, "Members, invites and sessions"):
 * every route and status, single use, the 410 sentences, expiry and idle
 * sessions on a clock the test moves, the last-lead rule, the sign-in rate
 * limit and its log lines, the audit record, the admin's sign-in link and
 * cookie session, and signing out everywhere. On a real server and SQLite file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS, LAST_LEAD, OWN_ROLE, refusalFor } from '../../src/contract/index.ts';
import { createLogger } from '../../server/log.ts';
import { DAY, MINUTE, rawClient, startHarness, testClock, type Harness, type TestClock } from './harness.ts';

let h: Harness;
let clock: TestClock;
const lines: string[] = [];

beforeAll(async () => {
  clock = testClock();
  h = await startHarness({ clock: clock.now, log: createLogger('warn', (line) => lines.push(line)) });
});
afterAll(async () => {
  await h.stop();
});

/** An initiative led by Dana Whitfield: its id and her session token and member id. */
async function ledInitiative(name = 'Meadow County Coalition for Healthy Youth') {
  // A minute on, so the failed sign-ins of earlier tests have left the rate limit's window.
  clock.advance(MINUTE);
  const id = await h.createInitiative(name);
  const dana = await h.join(id, 'lead', 'Dana Whitfield');
  return { id, dana };
}

describe('members', () => {
  it('lists every member with name, role, label, joined, last seen and online, for the lead and facilitators only', async () => {
    const { id, dana } = await ledInitiative();
    const link = await h.inviteLink(id, 'participant', { label: 'Food bank' });
    clock.advance(MINUTE);
    const lee = await h.api('POST', '/api/session', { token: link.token, name: 'Lee Park' }, '');
    const facilitator = await h.invite(id, 'facilitator', 'Alice Chen');
    const list = await h.api('GET', `/api/initiatives/${id}/members`, undefined, dana.token);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      { id: dana.memberId, name: 'Dana Whitfield', role: 'lead', label: null, joinedAt: expect.any(String), lastSeenAt: expect.any(String), sector: null, organisation: null, online: false },
      {
        id: lee.body.memberId,
        name: 'Lee Park',
        role: 'participant',
        label: 'Food bank',
        joinedAt: new Date(clock.now()).toISOString(),
        lastSeenAt: new Date(clock.now()).toISOString(),
        sector: null,
        organisation: null,
        online: false,
      },
      expect.objectContaining({ name: 'Alice Chen', role: 'facilitator' }),
    ]);
    expect((await h.api('GET', `/api/initiatives/${id}/members`, undefined, facilitator)).status).toBe(200);
    expect((await h.api('GET', `/api/initiatives/${id}/members`, undefined, lee.body.token)).status).toBe(403);
    expect((await h.api('GET', `/api/initiatives/${id}/members`, undefined, '')).status).toBe(401);
    expect((await h.api('GET', '/api/initiatives/nope/members')).status).toBe(404);
  });

  it('PATCH changes a role, which holds at once; 400 names the field, 404 an unknown member', async () => {
    const { id, dana } = await ledInitiative();
    const alice = await h.join(id, 'facilitator', 'Alice Chen');
    const event = { type: 'readiness.assess', precondition: 'champion', status: 'met', evidence: 'The DA chairs the council.' };
    expect((await h.api('POST', `/api/initiatives/${id}/events`, event, alice.token)).status).toBe(200);
    const changed = await h.api('PATCH', `/api/initiatives/${id}/members/${alice.memberId}`, { role: 'observer' }, dana.token);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: alice.memberId, name: 'Alice Chen', role: 'observer' });
    expect((await h.api('POST', `/api/initiatives/${id}/events`, event, alice.token)).status).toBe(403);

    const bad = await h.api('PATCH', `/api/initiatives/${id}/members/${alice.memberId}`, { role: 'owner' }, dana.token);
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('role');
    expect((await h.api('PATCH', `/api/initiatives/${id}/members/nobody`, { role: 'observer' }, dana.token)).status).toBe(404);
    // A member of another initiative is no member here.
    const other = await ledInitiative('Riverside Homelessness Partnership');
    expect((await h.api('PATCH', `/api/initiatives/${id}/members/${other.dana.memberId}`, { role: 'observer' }, dana.token)).status).toBe(404);
  });

  it('PATCH sets and clears a member’s sector and organisation (lead and admin); 400 names the field; a facilitator gets 403', async () => {
    const { id, dana } = await ledInitiative();
    const lee = await h.join(id, 'participant', 'Lee Park');
    const path = `/api/initiatives/${id}/members/${lee.memberId}`;
    const set = await h.api('PATCH', path, { sector: 'nonprofit', organisation: '  Valley Food Bank ' }, dana.token);
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ id: lee.memberId, role: 'participant', sector: 'nonprofit', organisation: 'Valley Food Bank' });
    // One field at a time leaves the other; null (or a blank organisation) clears.
    expect((await h.api('PATCH', path, { organisation: '' }, h.adminToken)).body).toMatchObject({ sector: 'nonprofit', organisation: null });
    expect((await h.api('PATCH', path, { sector: null }, dana.token)).body).toMatchObject({ sector: null, organisation: null });
    for (const [body, field] of [
      [{ sector: 'church' }, 'sector'],
      [{ organisation: 'x'.repeat(201) }, 'organisation'],
      [{}, '(body)'],
    ] as const) {
      const bad = await h.api('PATCH', path, body, dana.token);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.field).toBe(field);
    }
    const alice = await h.join(id, 'facilitator', 'Alice Chen');
    const refused = await h.api('PATCH', path, { sector: 'health' }, alice.token);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe(refusalFor('manageMembers'));
    const listed = (await h.api('GET', `/api/initiatives/${id}/members`, undefined, alice.token)).body;
    expect(listed.find((m: { id: string }) => m.id === lee.memberId)).toMatchObject({ sector: null, organisation: null });
  });

  it('PATCH /me: a member says their own sector and organisation, never their own role; the admin is no member', async () => {
    const { id, dana } = await ledInitiative();
    const lee = await h.join(id, 'observer', 'Lee Park');
    const me = `/api/initiatives/${id}/me`;
    const said = await h.api('PATCH', me, { sector: 'residents', organisation: 'Eastside Tenants Union' }, lee.token);
    expect(said.status).toBe(200);
    expect(said.body).toMatchObject({ id: lee.memberId, name: 'Lee Park', role: 'observer', sector: 'residents', organisation: 'Eastside Tenants Union' });
    const listed = (await h.api('GET', `/api/initiatives/${id}/members`, undefined, dana.token)).body;
    expect(listed.find((m: { id: string }) => m.id === lee.memberId)).toMatchObject({ sector: 'residents', organisation: 'Eastside Tenants Union' });
    // Only their own row changed.
    expect(listed.find((m: { id: string }) => m.id === dana.memberId)).toMatchObject({ sector: null, organisation: null });

    // A role, even alongside a sector, is refused and nothing changes.
    const promote = await h.api('PATCH', me, { role: 'lead', sector: 'business' }, lee.token);
    expect(promote.status).toBe(403);
    expect(promote.body).toEqual({ error: OWN_ROLE, field: 'role' });
    const after = (await h.api('GET', `/api/initiatives/${id}/members`, undefined, dana.token)).body;
    expect(after.find((m: { id: string }) => m.id === lee.memberId)).toMatchObject({ role: 'observer', sector: 'residents' });

    const bad = await h.api('PATCH', me, { sector: 'church' }, lee.token);
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('sector');
    expect((await h.api('PATCH', me, {}, lee.token)).status).toBe(400);
    expect((await h.api('PATCH', me, { organisation: null }, lee.token)).body).toMatchObject({ sector: 'residents', organisation: null });

    const admin = await h.api('PATCH', me, { sector: 'government' }, h.adminToken);
    expect(admin.status).toBe(403);
    expect(admin.body.error).toBe(refusalFor('describeSelf'));
    expect((await h.api('PATCH', me, { sector: 'government' }, '')).status).toBe(401);
    // A member of another initiative is no member here.
    const other = await ledInitiative('Riverside Homelessness Partnership');
    expect((await h.api('PATCH', me, { sector: 'government' }, other.dana.token)).status).toBe(403);
  });

  it('DELETE removes a member: their session stops working; 404 for an unknown member', async () => {
    const { id, dana } = await ledInitiative();
    const lee = await h.join(id, 'participant', 'Lee Park');
    expect((await h.api('DELETE', `/api/initiatives/${id}/members/${lee.memberId}`, undefined, dana.token)).status).toBe(204);
    // Their session held nothing else, so it ended with the membership.
    expect((await h.api('GET', `/api/initiatives/${id}`, undefined, lee.token)).status).toBe(401);
    const names = (await h.api('GET', `/api/initiatives/${id}/members`, undefined, dana.token)).body.map((m: { name: string }) => m.name);
    expect(names).toEqual(['Dana Whitfield']);
    expect((await h.api('DELETE', `/api/initiatives/${id}/members/${lee.memberId}`, undefined, dana.token)).status).toBe(404);
  });

  it('nobody, the admin included, demotes or removes the last lead: 409 LAST_LEAD', async () => {
    const { id, dana } = await ledInitiative();
    for (const auth of [dana.token, h.adminToken]) {
      const demote = await h.api('PATCH', `/api/initiatives/${id}/members/${dana.memberId}`, { role: 'participant' }, auth);
      expect(demote.status).toBe(409);
      expect(demote.body).toEqual({ error: LAST_LEAD, code: 'LAST_LEAD' });
      const remove = await h.api('DELETE', `/api/initiatives/${id}/members/${dana.memberId}`, undefined, auth);
      expect(remove.status).toBe(409);
      expect(remove.body.error).toBe(LAST_LEAD);
    }
    const sam = await h.join(id, 'lead', 'Sam Ortiz');
    expect((await h.api('PATCH', `/api/initiatives/${id}/members/${dana.memberId}`, { role: 'participant' }, sam.token)).status).toBe(200);
    expect((await h.api('DELETE', `/api/initiatives/${id}/members/${sam.memberId}`, undefined, h.adminToken)).status).toBe(409);
  });
});

describe('invites', () => {
  it('POST answers 201 { id, token, url, expiresAt }, 7 days by default or as chosen from 1 to 90', async () => {
    const { id, dana } = await ledInitiative();
    const made = await h.api('POST', `/api/initiatives/${id}/invites`, { role: 'participant', label: 'Food bank' }, dana.token);
    expect(made.status).toBe(201);
    expect(made.body).toEqual({
      id: expect.any(String),
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      url: `${h.url}/join/${made.body.token}`,
      expiresAt: new Date(clock.now() + ACCESS.inviteDays * DAY).toISOString(),
    });
    const month = await h.api('POST', `/api/initiatives/${id}/invites`, { role: 'observer', expiresInDays: 30 }, dana.token);
    expect(month.body.expiresAt).toBe(new Date(clock.now() + 30 * DAY).toISOString());
    for (const expiresInDays of [0, 91, 1.5, '7']) {
      const bad = await h.api('POST', `/api/initiatives/${id}/invites`, { role: 'observer', expiresInDays }, dana.token);
      expect(bad.status, String(expiresInDays)).toBe(400);
      expect(bad.body.field).toBe('expiresInDays');
    }
  });

  it('GET lists the unused invites with who made them and when they expire, never a token', async () => {
    const { id, dana } = await ledInitiative();
    const a = await h.inviteLink(id, 'participant', { label: 'Food bank', auth: dana.token });
    const b = await h.inviteLink(id, 'observer');
    const used = await h.inviteLink(id, 'observer');
    await h.api('POST', '/api/session', { token: used.token, name: 'Lee Park' }, '');
    const list = await h.api('GET', `/api/initiatives/${id}/invites`, undefined, dana.token);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      { id: a.id, role: 'participant', label: 'Food bank', memberId: null, createdBy: 'Dana Whitfield', createdAt: expect.any(String), expiresAt: a.expiresAt },
      { id: b.id, role: 'observer', label: null, memberId: null, createdBy: 'Administrator', createdAt: expect.any(String), expiresAt: b.expiresAt },
    ]);
    const text = JSON.stringify(list.body);
    for (const token of [a.token, b.token, used.token]) expect(text.includes(token)).toBe(false);
  });

  it('DELETE revokes an unused invite (the link then says so); 409 for a used one, 404 for an unknown one', async () => {
    const { id, dana } = await ledInitiative();
    const link = await h.inviteLink(id, 'participant');
    expect((await h.api('DELETE', `/api/initiatives/${id}/invites/${link.id}`, undefined, dana.token)).status).toBe(204);
    const refused = await h.api('POST', '/api/session', { token: link.token, name: 'Lee Park' }, '');
    expect(refused.status).toBe(410);
    expect(refused.body.error).toBe('This invite link was withdrawn. Ask Dana Whitfield, the backbone lead, for a new one.');
    const used = await h.inviteLink(id, 'observer');
    await h.api('POST', '/api/session', { token: used.token, name: 'Amira Haddad' }, '');
    const late = await h.api('DELETE', `/api/initiatives/${id}/invites/${used.id}`, undefined, dana.token);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatch(/already used/);
    expect((await h.api('DELETE', `/api/initiatives/${id}/invites/nope`, undefined, dana.token)).status).toBe(404);
  });

  it('a link is single use: the second browser is refused with 410 naming the leads to ask', async () => {
    const { id } = await ledInitiative();
    const link = await h.inviteLink(id, 'participant');
    expect((await h.api('POST', '/api/session', { token: link.token, name: 'Lee Park' }, '')).status).toBe(200);
    const second = await h.api('POST', '/api/session', { token: link.token, name: 'Mallory' }, '');
    expect(second.status).toBe(410);
    expect(second.body.error).toBe(
      'This invite link was already used, so it signs nobody in again. Ask Dana Whitfield, the backbone lead, for a new one.',
    );
    expect(second.headers.get('set-cookie')).toBeNull();
    await h.join(id, 'lead', 'Sam Ortiz');
    const opened = await h.api('GET', `/api/invites/${link.token}`, undefined, '');
    expect(opened.status).toBe(410);
    expect(opened.body.error).toBe(
      'This invite link was already used, so it signs nobody in again. Ask Dana Whitfield or Sam Ortiz, the backbone leads, for a new one.',
    );
  });

  it('the browser that used a link may open it again: it is signed in already, and nobody new is', async () => {
    const { id } = await ledInitiative();
    const link = await h.inviteLink(id, 'participant');
    const first = await h.api('POST', '/api/session', { token: link.token, name: 'Grace Liu' }, '');
    const cookie = `cookie:${first.headers.get('set-cookie')!.split(';')[0]}`;
    const opened = await h.api('GET', `/api/invites/${link.token}`, undefined, cookie);
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ initiativeId: id, role: 'participant', name: 'Grace Liu' });
    const again = await h.api('POST', '/api/session', { token: link.token }, cookie);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ initiativeId: id, memberId: first.body.memberId, admin: false, token: first.body.token });
    const audit = await h.api('GET', `/api/initiatives/${id}/audit`);
    expect(audit.body.filter((e: { action: string }) => e.action === 'invite.redeemed')).toHaveLength(2); // Dana's and Grace's
    // Anyone else's browser, even one signed in to the initiative, is refused.
    const other = `cookie:convene_session=${(await h.join(id, 'observer', 'Lee Park')).token}`;
    expect((await h.api('GET', `/api/invites/${link.token}`, undefined, other)).status).toBe(410);
    expect((await h.api('POST', '/api/session', { token: link.token }, other)).status).toBe(410);
  });

  it('ten browsers posting the same link at once: exactly one is signed in', async () => {
    const { id } = await ledInitiative();
    const link = await h.inviteLink(id, 'participant');
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => h.api('POST', '/api/session', { token: link.token, name: `Browser ${i}` }, '')),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array(9).fill(410)]);
    const members = await h.api('GET', `/api/initiatives/${id}/members`);
    expect(members.body).toHaveLength(2);
  });

  it('a browser signed in to the initiative that opens someone else’s link gets 409 and leaves it unused', async () => {
    const { id } = await ledInitiative();
    const lead = await h.inviteLink(id, 'lead');
    const browser = await h.api('POST', '/api/session', { token: lead.token, name: 'Sam Ortiz' }, '');
    const cookie = `cookie:${browser.headers.get('set-cookie')!.split(';')[0]}`;
    const link = await h.inviteLink(id, 'participant');
    const tried = await h.api('POST', '/api/session', { token: link.token, name: 'Sam Ortiz' }, cookie);
    expect(tried.status).toBe(409);
    expect(tried.body.error).toBe(
      'This browser is already signed in to this initiative as Sam Ortiz (Backbone lead). The link is still unused: send it to the person it is for.',
    );
    expect((await h.api('POST', '/api/session', { token: link.token, name: 'Lee Park' }, '')).status).toBe(200);
  });

  it('an unused link expires after its days, by the server’s clock', async () => {
    const { id } = await ledInitiative();
    const link = await h.inviteLink(id, 'participant', { expiresInDays: 1 });
    clock.advance(DAY - 1);
    expect((await h.api('GET', `/api/invites/${link.token}`, undefined, '')).status).toBe(200);
    clock.advance(1);
    const day = new Date(link.expiresAt).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    const sentence = `This invite link expired on ${day}. Ask Dana Whitfield, the backbone lead, for a new one.`;
    const opened = await h.api('GET', `/api/invites/${link.token}`, undefined, '');
    expect(opened.status).toBe(410);
    expect(opened.body.error).toBe(sentence);
    const posted = await h.api('POST', '/api/session', { token: link.token, name: 'Lee Park' }, '');
    expect(posted.status).toBe(410);
    expect(posted.body.error).toBe(sentence);
  });

  it('an invite token is no credential: not as Bearer, not on the sync socket', async () => {
    const { id } = await ledInitiative();
    const link = await h.inviteLink(id, 'lead');
    expect((await h.api('GET', `/api/initiatives/${id}`, undefined, link.token)).status).toBe(401);
    const raw = rawClient(h.url, id, link.token);
    expect((await raw.closed).code).toBe(4401);
    // Still unused: the link works for the person it was made for.
    expect((await h.api('GET', `/api/invites/${link.token}`, undefined, '')).status).toBe(200);
  });
});

describe('sign-in links and sessions', () => {
  it('a sign-in link signs an existing member in on a new device, with no name asked', async () => {
    const { id, dana } = await ledInitiative();
    const lee = await h.join(id, 'participant', 'Lee Park');
    const made = await h.api('POST', `/api/initiatives/${id}/members/${lee.memberId}/sign-in-link`, undefined, dana.token);
    expect(made.status).toBe(201);
    expect(made.body).toEqual({
      token: expect.any(String),
      url: `${h.url}/join/${made.body.token}`,
      expiresAt: new Date(clock.now() + ACCESS.inviteDays * DAY).toISOString(),
    });
    const opened = await h.api('GET', `/api/invites/${made.body.token}`, undefined, '');
    expect(opened.body).toMatchObject({ initiativeId: id, role: 'participant', name: 'Lee Park' });
    const signedIn = await h.api('POST', '/api/session', { token: made.body.token }, '');
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({ initiativeId: id, memberId: lee.memberId, admin: false });
    expect(signedIn.body.token).not.toBe(lee.token);
    const again = await h.api('POST', '/api/session', { token: made.body.token }, '');
    expect(again.body.error).toMatch(/^This sign-in link was already used/);
    expect((await h.api('POST', `/api/initiatives/${id}/members/nobody/sign-in-link`, undefined, dana.token)).status).toBe(404);
  });

  it('a lead ends a member’s sessions (a lost laptop): every token of theirs stops working', async () => {
    const { id, dana } = await ledInitiative();
    const lee = await h.join(id, 'participant', 'Lee Park');
    expect((await h.api('DELETE', `/api/initiatives/${id}/members/${lee.memberId}/sessions`, undefined, dana.token)).status).toBe(204);
    expect((await h.api('GET', `/api/initiatives/${id}`, undefined, lee.token)).status).toBe(401);
    // Still a member: a new sign-in link brings them back.
    const link = await h.api('POST', `/api/initiatives/${id}/members/${lee.memberId}/sign-in-link`, undefined, dana.token);
    const back = await h.api('POST', '/api/session', { token: link.body.token }, '');
    expect((await h.api('GET', `/api/initiatives/${id}`, undefined, back.body.token)).status).toBe(200);
    expect((await h.api('DELETE', `/api/initiatives/${id}/members/nobody/sessions`, undefined, dana.token)).status).toBe(404);
  });

  it('a session ends after 30 days without use', async () => {
    const { id } = await ledInitiative();
    const lee = await h.join(id, 'participant', 'Lee Park');
    clock.advance(ACCESS.sessionIdleDays * DAY - MINUTE);
    expect((await h.api('GET', '/api/session', undefined, lee.token)).status).toBe(200);
    clock.advance(ACCESS.sessionIdleDays * DAY);
    expect((await h.api('GET', '/api/session', undefined, lee.token)).status).toBe(401);
  });

  it('signing out everywhere ends every session of the person, on every device, and no one else’s', async () => {
    const { id, dana } = await ledInitiative();
    const link = await h.inviteLink(id, 'participant');
    const browser = await h.api('POST', '/api/session', { token: link.token, name: 'Lee Park' }, '');
    const cookie = `cookie:${browser.headers.get('set-cookie')!.split(';')[0]}`;
    const laptopLink = await h.api('POST', `/api/initiatives/${id}/members/${browser.body.memberId}/sign-in-link`, undefined, dana.token);
    const laptop = await h.api('POST', '/api/session', { token: laptopLink.body.token }, '');
    const out = await h.api('DELETE', '/api/session?everywhere=1', undefined, cookie);
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^convene_session=;.*Max-Age=0/);
    expect((await h.api('GET', '/api/session', undefined, cookie)).status).toBe(401);
    expect((await h.api('GET', '/api/session', undefined, laptop.body.token)).status).toBe(401);
    expect((await h.api('GET', '/api/session', undefined, dana.token)).status).toBe(200);
    // Without everywhere, only this session ends.
    const two = await h.join(id, 'observer', 'Amira Haddad');
    expect((await h.api('DELETE', '/api/session', undefined, two.token)).status).toBe(204);
    expect((await h.api('GET', '/api/session', undefined, two.token)).status).toBe(401);
  });
});

describe('the admin', () => {
  it('the admin token starts an admin cookie session; the admin sign-in link works once', async () => {
    const started = await h.api('POST', '/api/session', { token: h.adminToken }, '');
    expect(started.status).toBe(200);
    expect(started.body).toEqual({ initiativeId: null, memberId: null, admin: true, token: expect.any(String) });
    expect(started.body.token).not.toBe(h.adminToken);
    const cookie = `cookie:${started.headers.get('set-cookie')!.split(';')[0]}`;
    expect(started.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Lax/);
    expect((await h.api('GET', '/api/session', undefined, cookie)).body).toEqual({ admin: true, memberships: [] });
    expect((await h.api('POST', '/api/initiatives', { name: 'Harbour Literacy Project', issue: 'Adult literacy' }, cookie)).status).toBe(201);

    // Other tests moved the clock weeks on: this start's link has expired; the next start makes a new one.
    const stale = new URL(h.convene.adminSignInUrl).hash.slice(1);
    const expired = await h.api('POST', '/api/session', { token: stale }, '');
    expect(expired.status).toBe(410);
    expect(expired.body.error).toMatch(/admin sign-in link expired/);
    await h.restart();
    const url = new URL(h.convene.adminSignInUrl);
    expect(url.pathname).toBe('/admin');
    const token = url.hash.slice(1);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(token).not.toBe(stale);
    const viaLink = await h.api('POST', '/api/session', { token }, '');
    expect(viaLink.status).toBe(200);
    expect(viaLink.body.admin).toBe(true);
    const twice = await h.api('POST', '/api/session', { token }, '');
    expect(twice.status).toBe(410);
    expect(twice.body.error).toMatch(/admin sign-in link was already used/);

    // Signing out everywhere as the admin ends every admin session.
    expect((await h.api('DELETE', '/api/session?everywhere=1', undefined, cookie)).status).toBe(204);
    expect((await h.api('GET', '/api/session', undefined, viaLink.body.token)).status).toBe(401);
    expect((await h.api('GET', '/api/session', undefined, h.adminToken)).status).toBe(200);
  });
});

describe('the audit record', () => {
  it('records every membership change with who, when and for whom, for the lead and the admin only', async () => {
    const { id, dana } = await ledInitiative();
    const link = await h.inviteLink(id, 'participant', { label: 'Food bank', auth: dana.token });
    const lee = await h.api('POST', '/api/session', { token: link.token, name: 'Lee Park' }, '');
    await h.api('PATCH', `/api/initiatives/${id}/members/${lee.body.memberId}`, { role: 'observer' }, dana.token);
    await h.api('POST', `/api/initiatives/${id}/members/${lee.body.memberId}/sign-in-link`, undefined, dana.token);
    const revoked = await h.inviteLink(id, 'facilitator', { auth: dana.token, label: 'Workshop host' });
    await h.api('DELETE', `/api/initiatives/${id}/invites/${revoked.id}`, undefined, dana.token);
    const expiring = await h.inviteLink(id, 'observer', { auth: dana.token, label: 'County clerk', expiresInDays: 1 });
    await h.api('DELETE', `/api/initiatives/${id}/members/${lee.body.memberId}/sessions`, undefined, dana.token);
    await h.api('DELETE', `/api/initiatives/${id}/members/${lee.body.memberId}`, undefined, h.adminToken);
    clock.advance(DAY);
    expect((await h.api('GET', `/api/initiatives/${id}/invites`, undefined, dana.token)).body).toEqual([]);

    const audit = await h.api('GET', `/api/initiatives/${id}/audit`, undefined, dana.token);
    expect(audit.status).toBe(200);
    const brief = audit.body.map((e: { action: string; actor: { name: string }; subject: { name: string } }) => [e.action, e.actor.name, e.subject.name]);
    expect(brief).toEqual([
      ['invite.expired', 'Convene', 'County clerk'],
      ['member.removed', 'Administrator', 'Lee Park'],
      ['member.signedOut', 'Dana Whitfield', 'Lee Park'],
      ['invite.created', 'Dana Whitfield', 'County clerk'],
      ['invite.revoked', 'Dana Whitfield', 'Workshop host'],
      ['invite.created', 'Dana Whitfield', 'Workshop host'],
      ['member.signInLink', 'Dana Whitfield', 'Lee Park'],
      ['member.roleChanged', 'Dana Whitfield', 'Lee Park'],
      ['invite.redeemed', 'Lee Park', 'Lee Park'],
      ['invite.created', 'Dana Whitfield', 'Food bank'],
      ['invite.redeemed', 'Dana Whitfield', 'Dana Whitfield'],
      ['invite.created', 'Administrator', null],
    ]);
    expect(audit.body[0].at).toBe(expiring.expiresAt);
    expect(audit.body.find((e: { action: string }) => e.action === 'member.roleChanged').detail).toEqual({ from: 'participant', to: 'observer' });
    const facilitator = await h.invite(id, 'facilitator');
    expect((await h.api('GET', `/api/initiatives/${id}/audit`, undefined, facilitator)).status).toBe(403);
    expect((await h.api('GET', `/api/initiatives/${id}/audit`)).status).toBe(200);
  });
});

describe('failed sign-ins', () => {
  it('20 a minute per address, then 429 with Retry-After; one log line each, never the token', async () => {
    // A server of its own, so other tests' failures do not count.
    const own = testClock();
    const logged: string[] = [];
    const s = await startHarness({ clock: own.now, log: createLogger('warn', (line) => logged.push(line)) });
    try {
      const id = await s.createInitiative();
      await s.join(id, 'lead', 'Dana Whitfield');
      const used = await s.inviteLink(id, 'participant');
      await s.api('POST', '/api/session', { token: used.token, name: 'Lee Park' }, '');
      const tried: string[] = [];
      for (let i = 0; i < ACCESS.signInFailuresPerMinute; i++) {
        own.advance(1000);
        const token = i === 0 ? used.token : `guess-${i}-${'x'.repeat(30)}`;
        tried.push(token);
        const res = i % 2 === 0 ? await s.api('POST', '/api/session', { token, name: 'Mallory' }, '') : await s.api('GET', `/api/invites/${token}`, undefined, '');
        expect(res.status).toBe(i === 0 ? 410 : 401);
      }
      const refused = await s.api('POST', '/api/session', { token: used.token, name: 'Mallory' }, '');
      expect(refused.status).toBe(429);
      // The first failure was 20 s ago: it leaves the minute in 40 s.
      expect(refused.headers.get('retry-after')).toBe('41');
      // A good link waits too, and the limit on GET is the same.
      const good = await s.inviteLink(id, 'observer');
      expect((await s.api('GET', `/api/invites/${good.token}`, undefined, '')).status).toBe(429);
      own.advance(41_000);
      expect((await s.api('GET', `/api/invites/${good.token}`, undefined, '')).status).toBe(200);

      // One line per failure (the refusals with 429 are not failures: they never reached a token).
      const failures = logged.map((l) => JSON.parse(l)).filter((l) => l.msg === 'sign-in refused');
      expect(failures).toHaveLength(ACCESS.signInFailuresPerMinute);
      expect(failures[0]).toMatchObject({ level: 'warn', address: expect.stringMatching(/127\.0\.0\.1/), reason: 'used' });
      expect(failures[1]).toMatchObject({ reason: 'unknown' });
      for (const line of logged) for (const token of [...tried, used.token, good.token]) expect(line.includes(token)).toBe(false);
    } finally {
      await s.stop();
    }
  });
});
