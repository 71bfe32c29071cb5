/**
 * People and access at start-up: the demo lead's and the admin's printed
 * sign-in links, and the upgrade of a data directory from before invites
 * expired (server/db.ts, migration 2).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../../scripts/serverProcess.ts';
import { openDb } from '../../server/db.ts';
import { hashToken } from '../../server/tokens.ts';
import { call } from './sync-helpers.ts';
import { DAY, startHarness, testClock } from './harness.ts';

describe('start-up', () => {
  it('the demo lead, Dana Whitfield, is a member; her printed sign-in link signs her in as the lead, once', async () => {
    const s = await startHarness({ demo: true });
    try {
      const demo = s.convene.demo!;
      expect(demo.leadUrl).toBe(`${s.url}/join/${demo.leadToken}`);
      const opened = await s.api('GET', `/api/invites/${demo.leadToken}`, undefined, '');
      expect(opened.body).toMatchObject({ initiativeId: demo.initiativeId, role: 'lead', name: 'Dana Whitfield' });
      const dana = await s.api('POST', '/api/session', { token: demo.leadToken }, '');
      expect(dana.status).toBe(200);
      const members = await s.api('GET', `/api/initiatives/${demo.initiativeId}/members`, undefined, dana.body.token);
      expect(members.body).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: dana.body.memberId, name: 'Dana Whitfield', role: 'lead' }),
          // The data steward of the demo's restricted measure (server/demoContent.ts, demoMeasures).
          expect.objectContaining({ name: 'Sam Ortiz', role: 'participant' }),
        ]),
      );
      expect(members.body).toHaveLength(2);
      expect((await s.api('POST', '/api/session', { token: demo.leadToken }, '')).status).toBe(410);
    } finally {
      await s.stop();
    }
  });

  it('the server process prints an admin sign-in link at every start, and it signs the admin in', async () => {
    const first = await startServerProcess();
    let second: ServerProcess | undefined;
    try {
      const firstLink = (await first.adminSignInUrl)!;
      expect(firstLink).toMatch(new RegExp(`^${first.url}/admin#[A-Za-z0-9_-]{43}$`));
      const res = await call(first.url, 'POST', '/api/session', '', { token: new URL(firstLink).hash.slice(1) });
      expect(res.status).toBe(200);
      expect(res.body.admin).toBe(true);
      await first.stop();
      second = await startServerProcess({ dataDir: first.dataDir, adminToken: first.adminToken });
      const secondLink = (await second.adminSignInUrl)!;
      expect(secondLink).not.toBe(firstLink);
      expect((await call(second.url, 'POST', '/api/session', '', { token: new URL(secondLink).hash.slice(1) })).status).toBe(200);
    } finally {
      await first.stop();
      await second?.stop();
      rmSync(first.dataDir, { recursive: true, force: true });
    }
  });
});

describe('an existing data directory', () => {
  it('upgrades: named members keep their ids and sessions, their old tokens stop working; never-named ones become invites for 7 days', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convene-upgrade-'));
    const own = testClock();
    const old = openDb(dir, own.now(), 1);
    const at = new Date(own.now() - 30 * DAY).toISOString();
    old.prepare('INSERT INTO initiatives (id, name, issue, stage, created_at) VALUES (?, ?, ?, ?, ?)').run('i1', 'Clean River Alliance', 'Pollution', 'readiness', at);
    const addMember = old.prepare('INSERT INTO members (id, initiative_id, role, label, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    addMember.run('m-dana', 'i1', 'lead', 'Backbone lead', 'Dana Whitfield', hashToken('dana-old-token'), at);
    addMember.run('m-open', 'i1', 'participant', 'Food bank', null, hashToken('never-used-token'), at);
    old.prepare('INSERT INTO sessions (id_hash, created_at) VALUES (?, ?)').run(hashToken('dana-browser'), at);
    old.prepare('INSERT INTO session_members (session_hash, member_id) VALUES (?, ?)').run(hashToken('dana-browser'), 'm-dana');
    old.close();

    const s = await startHarness({ dataDir: dir, adminToken: 'upgrade-admin-token', clock: own.now });
    const call = (method: string, path: string, auth: string, body?: unknown) => s.api(method, path, body, auth);
    try {
      expect((await call('GET', '/api/initiatives/i1', 'dana-old-token')).status).toBe(401);
      const me = await call('GET', '/api/initiatives/i1', 'cookie:convene_session=dana-browser');
      expect(me.status).toBe(200);
      expect(me.body.me).toEqual({ id: 'm-dana', name: 'Dana Whitfield', role: 'lead' });
      const invites = await call('GET', '/api/initiatives/i1/invites', 'upgrade-admin-token');
      expect(invites.body).toEqual([
        expect.objectContaining({ id: 'm-open', role: 'participant', label: 'Food bank', expiresAt: new Date(own.now() + 7 * DAY).toISOString() }),
      ]);
      const joined = await call('POST', '/api/session', '', { token: 'never-used-token', name: 'Lee Park' });
      expect(joined.status).toBe(200);
      const members = await call('GET', '/api/initiatives/i1/members', 'upgrade-admin-token');
      expect(members.body.map((m: { id: string; name: string }) => m.name)).toEqual(['Dana Whitfield', 'Lee Park']);
    } finally {
      await s.stop();
    }
  });
});
