import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

describe('initiatives', () => {
  it('401 without credentials or with a wrong token', async () => {
    expect((await h.api('GET', '/api/initiatives', undefined, '')).status).toBe(401);
    expect((await h.api('GET', '/api/initiatives', undefined, 'not-a-token')).status).toBe(401);
    expect((await h.api('POST', '/api/initiatives', { name: 'x', issue: 'y' }, '')).status).toBe(401);
    const res = await h.api('GET', '/api/initiatives', undefined, '', { authorization: 'Basic abc' });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatch(/sign in/i);
  });

  it('the admin creates an initiative: 201 with its id, then lists it with its stage', async () => {
    const res = await h.api('POST', '/api/initiatives', { name: 'Clean River Alliance', issue: 'Pollution of the river' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Clean River Alliance', issue: 'Pollution of the river', stage: 'readiness' });
    expect(typeof res.body.id).toBe('string');
    const list = await h.api('GET', '/api/initiatives');
    expect(list.status).toBe(200);
    expect(list.body).toContainEqual(
      expect.objectContaining({ id: res.body.id, name: 'Clean River Alliance', stage: 'readiness' }),
    );
  });

  it('400 naming the failing field for an invalid body', async () => {
    const missing = await h.api('POST', '/api/initiatives', { issue: 'no name' });
    expect(missing.status).toBe(400);
    expect(missing.body.field).toBe('name');
    expect(missing.body.error).toMatch(/name/);
    const blank = await h.api('POST', '/api/initiatives', { name: '   ', issue: 'x' });
    expect(blank.status).toBe(400);
    expect(blank.body.field).toBe('name');
    const badJson = await h.api('POST', '/api/initiatives', '{"name":');
    expect(badJson.status).toBe(400);
    expect(badJson.body.error).toMatch(/JSON/);
    const wrongType = await h.api('POST', '/api/initiatives', { name: 'x', issue: 42 });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.field).toBe('issue');
  });

  it('members see only their initiatives; 403 for another initiative; 404 for an unknown id', async () => {
    const a = await h.createInitiative('A');
    const b = await h.createInitiative('B');
    const token = await h.invite(a, 'participant');
    const list = await h.api('GET', '/api/initiatives', undefined, token);
    expect(list.status).toBe(200);
    expect(list.body.map((i: { id: string }) => i.id)).toEqual([a]);
    expect(list.body[0].role).toBe('participant');
    expect((await h.api('GET', `/api/initiatives/${a}`, undefined, token)).status).toBe(200);
    expect((await h.api('GET', `/api/initiatives/${b}`, undefined, token)).status).toBe(403);
    expect((await h.api('GET', `/api/initiatives/${b}/workflow`, undefined, token)).status).toBe(403);
    expect((await h.api('GET', '/api/initiatives/nope', undefined, token)).status).toBe(404);
    expect((await h.api('GET', '/api/initiatives/nope/workflow')).status).toBe(404);
    expect((await h.api('POST', '/api/initiatives', { name: 'x', issue: 'y' }, token)).status).toBe(403);
  });
});

describe('invites and roles', () => {
  it('the admin and the lead invite; others get 403; the role must be known', async () => {
    const id = await h.createInitiative();
    const lead = await h.invite(id, 'lead');
    const byLead = await h.api('POST', `/api/initiatives/${id}/invites`, { role: 'facilitator', label: 'Workshop host' }, lead);
    expect(byLead.status).toBe(201);
    expect(byLead.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits
    expect(byLead.body.url).toBe(`${h.url}/join/${byLead.body.token}`);
    for (const role of ['facilitator', 'participant', 'observer']) {
      const token = await h.invite(id, role);
      expect((await h.api('POST', `/api/initiatives/${id}/invites`, { role: 'observer' }, token)).status).toBe(403);
    }
    const bad = await h.api('POST', `/api/initiatives/${id}/invites`, { role: 'owner' }, lead);
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('role');
    const other = await h.createInitiative();
    expect((await h.api('POST', `/api/initiatives/${other}/invites`, { role: 'observer' }, lead)).status).toBe(403);
    expect((await h.api('POST', '/api/initiatives/unknown/invites', { role: 'observer' }, lead)).status).toBe(404);
  });

  it('tokens are stored hashed: no invite, session or admin token appears in the database files', async () => {
    const id = await h.createInitiative();
    const session = await h.invite(id, 'participant');
    const { token: invite } = await h.inviteLink(id, 'observer');
    const files = readdirSync(h.dataDir).filter((f) => f.startsWith('convene.db'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const bytes = readFileSync(join(h.dataDir, file)).toString('latin1');
      for (const token of [session, invite, h.adminToken]) expect(bytes.includes(token)).toBe(false);
    }
  });
});

describe('browser sessions', () => {
  it('opening an invite asks for a name once, then keeps the person signed in with an httpOnly SameSite cookie', async () => {
    const id = await h.createInitiative('Northside Early Learning');
    const { token, expiresAt } = await h.inviteLink(id, 'participant');
    const info = await h.api('GET', `/api/invites/${token}`, undefined, '');
    expect(info.status).toBe(200);
    expect(info.body).toEqual({ initiativeId: id, initiativeName: 'Northside Early Learning', role: 'participant', name: null, expiresAt });
    expect((await h.api('GET', '/api/invites/bogus', undefined, '')).status).toBe(401);
    // The invite token is no credential.
    expect((await h.api('GET', `/api/initiatives/${id}`, undefined, token)).status).toBe(401);

    const noName = await h.api('POST', '/api/session', { token }, '');
    expect(noName.status).toBe(400);
    expect(noName.body.field).toBe('name');

    const signIn = await h.api('POST', '/api/session', { token, name: 'Amira Haddad' }, '');
    expect(signIn.status).toBe(200);
    expect(signIn.body).toEqual({ initiativeId: id, memberId: expect.any(String), admin: false, token: expect.any(String) });
    const cookie = signIn.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^convene_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Max-Age=2592000\b/);
    // The cookie and the answer's token are the same session.
    expect(cookie.split(';')[0]).toBe(`convene_session=${signIn.body.token}`);
    const session = `cookie:${cookie.split(';')[0]}`;

    const me = await h.api('GET', '/api/session', undefined, session);
    expect(me.status).toBe(200);
    expect(me.body.memberships).toEqual([
      expect.objectContaining({ initiativeId: id, memberId: signIn.body.memberId, name: 'Amira Haddad', role: 'participant' }),
    ]);
    expect(me.headers.get('set-cookie')).toMatch(/^convene_session=[A-Za-z0-9_-]{43};.*Max-Age=2592000/);
    const bearer = await h.api('GET', '/api/session', undefined, signIn.body.token);
    expect(bearer.body.memberships).toEqual(me.body.memberships);
    // Used once: the link signs nobody in again.
    expect((await h.api('POST', '/api/session', { token, name: 'Mallory' }, '')).status).toBe(410);
    expect((await h.api('GET', `/api/invites/${token}`, undefined, '')).status).toBe(410);

    // A second invite joins the same browser session.
    const other = await h.createInitiative('Second');
    const { token: token2 } = await h.inviteLink(other, 'observer');
    const again = await h.api('POST', '/api/session', { token: token2, name: 'Amira Haddad' }, session);
    expect(again.status).toBe(200);
    expect(again.body.token).toBe(signIn.body.token);
    const list = await h.api('GET', '/api/initiatives', undefined, session);
    expect(list.body.map((i: { id: string; role: string }) => [i.id, i.role])).toEqual([
      [id, 'participant'],
      [other, 'observer'],
    ]);

    // Cookies from another site's page are not honoured.
    expect((await h.api('GET', '/api/initiatives', undefined, session, { origin: 'https://evil.example' })).status).toBe(401);

    const out = await h.api('DELETE', '/api/session', undefined, session);
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await h.api('GET', '/api/session', undefined, session)).status).toBe(401);
    expect((await h.api('GET', '/api/session', undefined, signIn.body.token)).status).toBe(401);
  });

  it('an invalid invite token cannot start a session', async () => {
    const res = await h.api('POST', '/api/session', { token: 'x'.repeat(43), name: 'Mallory' }, '');
    expect(res.status).toBe(401);
  });
});

describe('http hygiene', () => {
  it('unknown API routes are 404, wrong methods 405, and /healthz answers', async () => {
    expect((await h.api('GET', '/api/nothing')).status).toBe(404);
    expect((await h.api('PUT', '/api/initiatives')).status).toBe(405);
    const health = await fetch(`${h.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok');
  });

  it('refuses bodies that are not JSON', async () => {
    const res = await h.api('POST', '/api/initiatives', 'name=x', h.adminToken, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
  });
});
