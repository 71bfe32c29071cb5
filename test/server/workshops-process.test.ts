/**
 * A workshop survives `kill -9` (docs/workshops.md, "Nothing lost"): a cast
 * the server answered 200 is in the snapshot it wrote before answering, so the
 * restarted server, a real child process on the same data, still has it, and
 * the running workshop resumes with its timer where it was.
 */
import { describe, expect, it } from 'vitest';
import { call, seedInitiative } from './sync-helpers.ts';
import { serverProcesses } from './processes.ts';

const start = serverProcesses();

describe('a workshop and kill -9', () => {
  it('keeps an accepted cast and the running timer', async () => {
    const first = await start();
    const { id, tokens } = await seedInitiative(first.url, first.adminToken, ['facilitator', 'participant']);
    const [facilitator, participant] = tokens;
    const base = `/api/initiatives/${id}/workshops`;
    const created = await call(first.url, 'POST', base, facilitator, {
      title: 'Kick-off convening',
      agenda: [{ title: 'Choose our first strategies', minutes: 15, activity: 'vote' }],
    });
    expect(created.status).toBe(201);
    const wid = created.body.id as string;
    const send = (url: string, token: string, body: unknown) => call(url, 'POST', `${base}/${wid}/commands`, token, body);
    expect((await send(first.url, facilitator, { type: 'workshop.start' })).status).toBe(200);
    const timer = (await send(first.url, facilitator, { type: 'timer.start', seconds: 900 })).body.timer;
    const voteId = (await send(first.url, facilitator, { type: 'vote.open', cards: ['card-a', 'card-b'], budget: 3, maxPerCard: 2, anonymous: true })).body.votes[0].id;
    const cast = await send(first.url, participant, { type: 'vote.cast', voteId, card: 'card-b' });
    expect(cast.status).toBe(200);
    // No grace: the process dies the moment the answer is in.
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await start({ port: first.port, dataDir: first.dataDir, adminToken: first.adminToken });
    const view = await call(second.url, 'GET', `${base}/${wid}`, participant);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ status: 'running', votes: [{ id: voteId, status: 'open', mine: { 'card-b': 1 } }] });
    expect(view.body.timer).toMatchObject({ running: true, endsAt: timer.endsAt });
    expect(view.body.timer.remainingMs).toBe(timer.endsAt - view.body.serverNow);
    // And it goes on from there: the budget counts the dot cast before the kill.
    expect((await send(second.url, participant, { type: 'vote.cast', voteId, card: 'card-b' })).status).toBe(200);
    expect((await send(second.url, participant, { type: 'vote.cast', voteId, card: 'card-b' })).body.error).toBe('A card can take at most 2 of your dots.');
  }, 60_000);
});
