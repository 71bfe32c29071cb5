/**
 * The AccessWatch alone: which live connections hear of a role change or of
 * lost access, and when. Access is looked up in a small table the test edits,
 * as the people storage would answer after a change.
 */
import { describe, expect, it, vi } from 'vitest';
import type { MemberRole } from '../../src/contract/index.ts';
import type { Access } from '../../server/auth.ts';
import { AccessWatch, LOOKUPS_AT_ONCE, type Credential, type Later } from '../../server/people/watch.ts';

const A = 'initiative-a';
const B = 'initiative-b';

/** Sessions and the memberships they hold, per initiative; the admin has access everywhere. */
function people() {
  const sessions = new Map<string, Map<string, { id: string; role: MemberRole }>>();
  const lookups: string[] = [];
  /** The access the table gives now, without counting a lookup (what a connection registers with). */
  const now = (credential: Credential, initiativeId: string): Access | null => {
    if (credential.kind === 'admin') return { role: 'admin', member: null };
    const m = sessions.get(credential.hash)?.get(initiativeId);
    return m ? { role: m.role, member: { id: m.id, initiativeId, role: m.role, label: null, name: m.id, joinedAt: '2026-03-02T09:00:00.000Z', lastSeenAt: null, sector: null, organisation: null } } : null;
  };
  /** A lookup, as the people storage answers it: later (a promise), and counted. */
  const resolve = async (credential: Credential, initiativeId: string): Promise<Access | null> => {
    lookups.push(`${credential.kind === 'admin' ? 'admin' : credential.hash}@${initiativeId}`);
    await Promise.resolve();
    return now(credential, initiativeId);
  };
  return {
    resolve,
    now,
    lookups,
    /** Gives session `hash` a membership (member `id`, `role`) in `initiativeId`. */
    set(hash: string, initiativeId: string, id: string, role: MemberRole) {
      const held = sessions.get(hash) ?? new Map();
      held.set(initiativeId, { id, role });
      sessions.set(hash, held);
    },
    drop(hash: string, initiativeId?: string) {
      if (initiativeId) sessions.get(hash)?.delete(initiativeId);
      else sessions.delete(hash);
    },
  };
}

/** Registers a connection of session `hash` with its current access; records what it hears. */
function connect(watch: AccessWatch, p: ReturnType<typeof people>, initiativeId: string, hash: string) {
  const credential: Credential = { kind: 'session', hash };
  const heard: (string | null)[] = [];
  const unregister = watch.register(initiativeId, credential, p.now(credential, initiativeId)!, (access) =>
    heard.push(access ? access.role : null),
  );
  return { heard, unregister };
}

describe('AccessWatch', () => {
  it("tells a member's connections their new role, and only theirs, once per change", async () => {
    const p = people();
    p.set('s-ana', A, 'ana', 'participant');
    p.set('s-ben', A, 'ben', 'participant');
    const watch = new AccessWatch(p.resolve);
    const anaTab1 = connect(watch, p, A, 's-ana');
    const anaTab2 = connect(watch, p, A, 's-ana');
    const ben = connect(watch, p, A, 's-ben');

    p.set('s-ana', A, 'ana', 'observer');
    await watch.recheck(A);
    expect(anaTab1.heard).toEqual(['observer']);
    expect(anaTab2.heard).toEqual(['observer']);
    expect(ben.heard).toEqual([]);

    // Nothing changed since: nobody hears anything again.
    await watch.recheck(A);
    expect(anaTab1.heard).toEqual(['observer']);

    p.set('s-ana', A, 'ana', 'participant');
    await watch.recheck();
    expect(anaTab1.heard).toEqual(['observer', 'participant']);
    expect(ben.heard).toEqual([]);
  });

  it('tells a connection whose access ended once, and forgets it: it is no longer online', async () => {
    const p = people();
    p.set('s-ana', A, 'ana', 'participant');
    p.set('s-ben', A, 'ben', 'lead');
    const watch = new AccessWatch(p.resolve);
    const ana = connect(watch, p, A, 's-ana');
    connect(watch, p, A, 's-ben');
    expect(watch.online(A)).toEqual(new Set(['ana', 'ben']));

    p.drop('s-ana', A);
    await watch.recheck(A);
    expect(ana.heard).toEqual([null]);
    expect(watch.online(A)).toEqual(new Set(['ben']));
    expect(watch.connections(A)).toBe(1);

    // Even if the access came back, a closed connection hears nothing more.
    p.set('s-ana', A, 'ana', 'participant');
    await watch.recheck(A);
    expect(ana.heard).toEqual([null]);
  });

  it('rechecks only the initiative named; without one, every initiative (signing out everywhere)', async () => {
    const p = people();
    p.set('s-ana', A, 'ana-a', 'participant');
    p.set('s-ana', B, 'ana-b', 'facilitator');
    const watch = new AccessWatch(p.resolve);
    const inA = connect(watch, p, A, 's-ana');
    const inB = connect(watch, p, B, 's-ana');

    p.drop('s-ana');
    await watch.recheck(A);
    expect(inA.heard).toEqual([null]);
    expect(inB.heard).toEqual([]);

    await watch.recheck();
    expect(inB.heard).toEqual([null]);
    expect(watch.connections()).toBe(0);
  });

  it('looks each credential up once per recheck, however many tabs stand on it', async () => {
    const p = people();
    p.set('s-ana', A, 'ana', 'participant');
    const watch = new AccessWatch(p.resolve);
    for (let i = 0; i < 5; i++) connect(watch, p, A, 's-ana');
    watch.register(A, { kind: 'admin' }, { role: 'admin', member: null }, () => {});
    p.lookups.length = 0;
    await watch.recheck(A);
    expect(p.lookups.sort()).toEqual([`admin@${A}`, `s-ana@${A}`]);
  });

  it('an unregistered connection hears nothing; unregistering twice is harmless', async () => {
    const p = people();
    p.set('s-ana', A, 'ana', 'participant');
    const watch = new AccessWatch(p.resolve);
    const ana = connect(watch, p, A, 's-ana');
    ana.unregister();
    ana.unregister();
    p.set('s-ana', A, 'ana', 'observer');
    await watch.recheck(A);
    expect(ana.heard).toEqual([]);
    expect(watch.online(A).size).toBe(0);
  });

  it('says when a member connects and disconnects, or loses access, for "last seen"; never for the admin', async () => {
    const p = people();
    p.set('s-ana', A, 'ana', 'participant');
    p.set('s-ben', A, 'ben', 'participant');
    const seen: string[] = [];
    const watch = new AccessWatch(p.resolve, (id) => seen.push(id));
    const ana = connect(watch, p, A, 's-ana');
    connect(watch, p, A, 's-ben');
    watch.register(A, { kind: 'admin' }, { role: 'admin', member: null }, () => {})();
    expect(seen).toEqual(['ana', 'ben']);
    ana.unregister();
    expect(seen).toEqual(['ana', 'ben', 'ana']);
    p.drop('s-ben');
    await watch.recheck(A);
    expect(seen).toEqual(['ana', 'ben', 'ana', 'ben']);
  });

  it('a connection whose handler throws does not keep the others from hearing; the error is reported', async () => {
    const p = people();
    p.set('s-ana', A, 'ana', 'participant');
    p.set('s-ben', A, 'ben', 'participant');
    const failures: unknown[] = [];
    const watch = new AccessWatch(p.resolve, undefined, (e) => failures.push(e));
    watch.register(A, { kind: 'session', hash: 's-ana' }, p.now({ kind: 'session', hash: 's-ana' }, A)!, () => {
      throw new Error('socket gone');
    });
    const ben = connect(watch, p, A, 's-ben');
    p.drop('s-ana');
    p.drop('s-ben');
    await watch.recheck(A);
    expect(ben.heard).toEqual([null]);
    expect(failures).toEqual([new Error('socket gone')]);

    // Without `failed`, the first error is thrown once everyone was told.
    const strict = new AccessWatch(p.resolve);
    p.set('s-ana', A, 'ana', 'participant');
    p.set('s-ben', A, 'ben', 'participant');
    strict.register(A, { kind: 'session', hash: 's-ana' }, p.now({ kind: 'session', hash: 's-ana' }, A)!, () => {
      throw new Error('socket gone');
    });
    const ben2 = connect(strict, p, A, 's-ben');
    p.set('s-ana', A, 'ana', 'observer');
    p.set('s-ben', A, 'ben', 'observer');
    await expect(strict.recheck(A)).rejects.toThrow('socket gone');
    expect(ben2.heard).toEqual(['observer']);
  });

  it('a connection another one unregistered while being told is not told afterwards', async () => {
    const p = people();
    p.set('s-ana', A, 'ana', 'participant');
    const watch = new AccessWatch(p.resolve);
    const credential: Credential = { kind: 'session', hash: 's-ana' };
    const first: (string | null)[] = [];
    let unregisterSecond = () => {};
    // Registered first, so told first: it closes its sibling, as a page closing both its stream and socket would.
    watch.register(A, credential, p.now(credential, A)!, (access) => {
      first.push(access?.role ?? null);
      unregisterSecond();
    });
    const second = connect(watch, p, A, 's-ana');
    unregisterSecond = second.unregister;
    p.set('s-ana', A, 'ana', 'observer');
    await watch.recheck(A);
    expect(first).toEqual(['observer']);
    expect(second.heard).toEqual([]);
  });

  it('a connection that looked its access up while a recheck ran is rechecked when it registers', async () => {
    const p = people();
    p.set('s-ana', A, 'ana', 'participant');
    const watch = new AccessWatch(p.resolve);
    const credential: Credential = { kind: 'session', hash: 's-ana' };
    // The connection reads the version, then looks its access up (still a participant) ...
    const version = watch.version;
    const looked = p.now(credential, A)!;
    // ... while her membership ends and the recheck runs, which cannot see the connection yet.
    p.drop('s-ana', A);
    await watch.recheck(A);
    const heard: (string | null)[] = [];
    watch.register(A, credential, looked, (access) => heard.push(access?.role ?? null), version);
    await vi.waitFor(() => expect(heard).toEqual([null]));
    expect(watch.connections(A)).toBe(0);

    // Registered with the version read after the last recheck: no lookup is made for it.
    p.set('s-ana', A, 'ana', 'participant');
    p.lookups.length = 0;
    const later = watch.version;
    watch.register(A, credential, p.now(credential, A)!, () => {}, later);
    await watch.recheck(B);
    expect(p.lookups).toEqual([]);
  });

  it('a lookup that fails keeps no other connection from hearing, and is tried again until it answers', async () => {
    const p = people();
    p.set('s-ana', A, 'ana', 'participant');
    p.set('s-ben', A, 'ben', 'participant');
    const timers = manualTimers();
    const failures: unknown[] = [];
    // Ana's lookup fails twice (a busy or unreachable database), then answers.
    let anaFails = 2;
    const resolve = (credential: Credential, initiativeId: string) => {
      if (credential.kind === 'session' && credential.hash === 's-ana' && anaFails-- > 0) return Promise.reject(new Error('timeout exceeded when trying to connect'));
      return p.resolve(credential, initiativeId);
    };
    const watch = new AccessWatch(resolve, undefined, (e) => failures.push(e), { later: timers.later, backstopMs: 60_000, retryMs: 1_000 });
    const ana = connect(watch, p, A, 's-ana');
    const ben = connect(watch, p, A, 's-ben');
    p.drop('s-ana', A);
    p.drop('s-ben', A);

    // The removal is made; the recheck answers (nothing is thrown back at the lead's request) and Ben is told.
    await watch.recheck(A);
    expect(ben.heard).toEqual([null]);
    expect(ana.heard).toEqual([]);
    expect(failures).toEqual([new Error('timeout exceeded when trying to connect')]);

    // Tried again after 1 s (fails again), then after 2 s more: Ana's connection ends.
    expect(timers.waits()).toEqual([60_000, 1_000]);
    await timers.run(1_000);
    expect(ana.heard).toEqual([]);
    expect(timers.waits()).toEqual([60_000, 2_000]);
    await timers.run(2_000);
    expect(ana.heard).toEqual([null]);
    expect(watch.connections(A)).toBe(0);
    // Nothing more is waiting but the backstop.
    expect(timers.waits()).toEqual([60_000]);
  });

  it('looks credentials up a few at a time, so a recheck of every connection leaves the database pool to the requests', async () => {
    const p = people();
    let inFlight = 0;
    let most = 0;
    const gates: (() => void)[] = [];
    const resolve = async (credential: Credential, initiativeId: string) => {
      most = Math.max(most, ++inFlight);
      await new Promise<void>((go) => gates.push(go));
      inFlight--;
      return p.resolve(credential, initiativeId);
    };
    const watch = new AccessWatch(resolve, undefined, undefined, { backstopMs: 0 });
    const heard = Array.from({ length: 10 }, (_, i) => {
      p.set(`s-${i}`, A, `m-${i}`, 'participant');
      return connect(watch, p, A, `s-${i}`);
    });
    for (let i = 0; i < 10; i++) p.set(`s-${i}`, A, `m-${i}`, 'observer');
    const done = watch.recheck(A);
    // Let each lookup through as it waits: never more than LOOKUPS_AT_ONCE wait together.
    for (let released = 0; released < 10; released++) {
      await vi.waitFor(() => expect(gates.length).toBeGreaterThan(0));
      gates.shift()!();
    }
    await done;
    expect(most).toBe(LOOKUPS_AT_ONCE);
    expect(heard.map((h) => h.heard)).toEqual(heard.map(() => ['observer']));
  });

  it('every connection is looked up again every minute, so a change whose notice was lost still ends its access', async () => {
    const p = people();
    p.set('s-ana', A, 'ana', 'participant');
    p.set('s-ben', B, 'ben', 'lead');
    const timers = manualTimers();
    const watch = new AccessWatch(p.resolve, undefined, undefined, { later: timers.later });
    const ana = connect(watch, p, A, 's-ana');
    const ben = connect(watch, p, B, 's-ben');
    // Changed by another process whose notice never arrived: no recheck here.
    p.drop('s-ana', A);
    p.set('s-ben', B, 'ben', 'observer');
    expect(timers.waits()).toEqual([60_000]);
    await timers.run(60_000);
    expect(ana.heard).toEqual([null]);
    expect(ben.heard).toEqual(['observer']);
    // And again a minute later; stopped with the server.
    expect(timers.waits()).toEqual([60_000]);
    watch.stop();
    expect(timers.waits()).toEqual([]);
  });
});

/** Timers a test runs by hand: `run(ms)` runs (and awaits the work of) the one waiting that long. */
function manualTimers() {
  const waiting: { ms: number; task: () => void }[] = [];
  const later: Later = (task, ms) => {
    const entry = { ms, task };
    waiting.push(entry);
    return () => {
      const i = waiting.indexOf(entry);
      if (i >= 0) waiting.splice(i, 1);
    };
  };
  return {
    later,
    waits: () => waiting.map((w) => w.ms),
    async run(ms: number) {
      const i = waiting.findIndex((w) => w.ms === ms);
      if (i < 0) throw new Error(`no timer of ${ms} ms is waiting (${waiting.map((w) => w.ms).join(', ')})`);
      const [entry] = waiting.splice(i, 1);
      entry.task();
      // The lookups are promises: let them settle.
      for (let n = 0; n < 20; n++) await Promise.resolve();
    },
  };
}
