/**
 * The two guarantees of docs/workshops.md at the wire, on a real server:
 * - private cards: no byte of a private card's text reaches another person
 *   (their workshop stream, every API answer they can get, their sync socket)
 *   before the facilitator reveals; after the reveal the card is a note in the
 *   shared document, on the item's board;
 * - anonymity of votes: no answer or stream carries who cast which dot while a
 *   vote is open, nor ever for an anonymous vote, the facilitator's and the
 *   stored snapshot included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { readModel } from '../../src/schema/index.ts';
import { createEntity } from '../../src/schema/index.ts';
import { rawClient, serverDocVia, startHarness, type Harness, type RawClient } from './harness.ts';
import { AGENDA, openWorkshopStream, personIn, type Person, type WorkshopStream } from './workshop-helpers.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

async function setUp() {
  const id = await h.createInitiative('Meadow County Coalition for Healthy Youth');
  const people = {
    facilitator: await personIn(h, id, 'facilitator', 'Sam Ortiz', 'nonprofit'),
    author: await personIn(h, id, 'participant', 'Rosa Delgado', 'residents'),
    other: await personIn(h, id, 'participant', 'Lee Park', 'philanthropy'),
    third: await personIn(h, id, 'participant', 'Ana Lopes', 'health'),
  };
  const base = `/api/initiatives/${id}/workshops`;
  const created = await h.api('POST', base, { title: 'Kick-off convening', agenda: AGENDA }, people.facilitator.token);
  const wid = created.body.id as string;
  const send = async (who: Person, body: Record<string, unknown>) => {
    const res = await h.api('POST', `${base}/${wid}/commands`, body, who.token);
    expect(res.status, `${String(body.type)}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
  };
  return { id, wid, base, people, send };
}

/** Every byte a socket received, as text (Yjs writes strings as UTF-8). */
const socketBytes = (raw: RawClient) => raw.messages.map((m) => Buffer.from(m).toString('utf8')).join('\n');

describe('private cards at the wire', () => {
  it('reach nobody else before the reveal: not their stream, not any API answer, not their sync socket; after it, a note on the board', async () => {
    const { id, wid, base, people, send } = await setUp();
    const SECRET = 'Lantern 7f3a: a night shelter run by the youth themselves';
    const otherStream = await openWorkshopStream(h.url, `${base}/${wid}/stream`, people.other.token);
    const facilitatorStream = await openWorkshopStream(h.url, `${base}/${wid}/stream`, people.facilitator.token);
    const otherSocket = rawClient(h.url, id, people.other.token);
    await otherSocket.opened;
    await send(people.facilitator, { type: 'workshop.start' });
    await send(people.facilitator, { type: 'agenda.next' });
    const added = await send(people.author, { type: 'private.add', text: SECRET });
    expect(added.privateCards.map((c: { text: string }) => c.text)).toEqual([SECRET]);

    // The others' pages have heard of the card (a count), so everything sent because of it has been sent.
    await otherStream.until('workshop', (v: { privateHeld: number }) => v.privateHeld === 1);
    await facilitatorStream.until('workshop', (v: { privateHeld: number }) => v.privateHeld === 1);
    const doc = await serverDocVia(otherSocket);
    expect(JSON.stringify(readModel(doc))).not.toContain('Lantern');
    doc.destroy();

    const answers: string[] = [];
    for (const who of [people.other, people.facilitator]) {
      for (const path of [base, `${base}/${wid}`, `${base}/${wid}/record`, `${base}/${wid}/record?format=markdown`, `/api/initiatives/${id}/workflow`, `/api/initiatives/${id}/export`]) {
        const res = await h.api('GET', path, undefined, who.token);
        expect(res.status, path).toBe(200);
        answers.push(typeof res.body === 'string' ? res.body : JSON.stringify(res.body));
      }
    }
    const before = [otherStream.bytes(), facilitatorStream.bytes(), socketBytes(otherSocket), ...answers];
    for (const bytes of before) expect(bytes).not.toContain('Lantern');
    // The author's own view holds it: the checks above look where it would be.
    expect(JSON.stringify((await h.api('GET', `${base}/${wid}`, undefined, people.author.token)).body)).toContain(SECRET);

    // The reveal (anonymous): a note on the item's board, without its author's name.
    await send(people.facilitator, { type: 'private.reveal', anonymous: true });
    const after = await serverDocVia(otherSocket);
    const notes = readModel(after).entities.note;
    expect(notes).toEqual([expect.objectContaining({ text: SECRET, author: '', group: 'Person 1' })]);
    expect(readModel(after).placements.stakeholders[notes[0].id]).toBeDefined();
    after.destroy();
    expect(socketBytes(otherSocket)).toContain('Lantern');
    expect(socketBytes(otherSocket)).not.toContain('Rosa Delgado');
    const revealed = await otherStream.until('workshop', (v: { revealed: number }) => v.revealed === 1);
    expect(revealed).toMatchObject({ privateHeld: 0, privateCards: [] });
    otherStream.close();
    facilitatorStream.close();
    otherSocket.ws.close();
  });
});

describe('anonymity of votes', () => {
  /** Every `votes` list in the stream's workshop events, as text. */
  const votesIn = (stream: WorkshopStream) =>
    stream
      .bytes()
      .split('\n')
      .filter((l) => l.startsWith('data: {"title"'))
      .map((l) => JSON.stringify((JSON.parse(l.slice(6)) as { votes: unknown }).votes))
      .join('\n');

  it('no answer or stream carries a voter’s id while a vote is open, nor ever for an anonymous one; a named one shows its voters once closed', async () => {
    const { id, wid, base, people, send } = await setUp();
    const ids = await h.convene.rooms.withDoc(id, (doc) =>
      ['Youth council', 'School nurses', 'Faith leaders'].map((name, i) => createEntity(doc, 'stakeholder', { name }, [{ board: 'stakeholders', position: { x: i * 200, y: 0 } }])),
    );
    const facilitatorStream = await openWorkshopStream(h.url, `${base}/${wid}/stream`, people.facilitator.token);
    const otherStream = await openWorkshopStream(h.url, `${base}/${wid}/stream`, people.other.token);
    await send(people.facilitator, { type: 'workshop.start' });
    const anonymous = (await send(people.facilitator, { type: 'vote.open', cards: ids, budget: 2, maxPerCard: 2, anonymous: true })).votes[0].id;
    const named = (await send(people.facilitator, { type: 'vote.open', cards: ids, budget: 1, maxPerCard: 1, anonymous: false })).votes[1].id;
    const voters = [people.author, people.other, people.third];
    for (const [n, who] of voters.entries()) {
      await send(who, { type: 'vote.cast', voteId: anonymous, card: ids[n % 2] });
      await send(who, { type: 'vote.cast', voteId: anonymous, card: ids[2] });
      await send(who, { type: 'vote.cast', voteId: named, card: ids[n % 3] });
    }
    const voterIds = voters.map((v) => v.memberId);
    const votesOf = async (who: Person) => JSON.stringify((await h.api('GET', `${base}/${wid}`, undefined, who.token)).body.votes);
    const recordVotes = async (format = '') => {
      const res = await h.api('GET', `${base}/${wid}/record${format}`, undefined, people.facilitator.token);
      return typeof res.body === 'string' ? res.body : JSON.stringify(res.body.votes);
    };
    await facilitatorStream.until('workshop', (v: { votes: { finished: number }[] }) => v.votes[1]?.finished === 3);
    await otherStream.until('workshop', (v: { votes: { finished: number }[] }) => v.votes[1]?.finished === 3);
    const storedVotes = () => {
      const db = new Database(join(h.dataDir, 'convene.db'), { readonly: true });
      const row = db.prepare('SELECT snapshot FROM workshops WHERE id = ?').get(wid) as { snapshot: string };
      db.close();
      return JSON.parse(row.snapshot) as { context: { votes: { id: string }[] } };
    };

    // While open: nobody's answer names a voter (a voter's own view has their dots, keyed by card only).
    const open = [await votesOf(people.facilitator), await votesOf(people.other), await recordVotes(), await recordVotes('?format=markdown'), votesIn(facilitatorStream), votesIn(otherStream)];
    for (const text of open) for (const voter of voterIds) expect(text).not.toContain(voter);
    expect(JSON.parse(await votesOf(people.other))[0]).toMatchObject({ finished: 3, mine: { [ids[1]]: 1, [ids[2]]: 1 } });

    await send(people.facilitator, { type: 'vote.close', voteId: anonymous });
    await send(people.facilitator, { type: 'vote.close', voteId: named });
    const closedViews = [await votesOf(people.facilitator), await recordVotes(), await recordVotes('?format=markdown')];
    // The anonymous vote: no voter anywhere, the facilitator's view, the record and the stored snapshot included.
    for (const text of closedViews) {
      const anonymousPart = JSON.stringify((JSON.parse(text.startsWith('[') ? text : '[]') as { id: string }[]).find((v) => v.id === anonymous) ?? {});
      for (const voter of voterIds) expect(anonymousPart).not.toContain(voter);
    }
    const stored = storedVotes().context.votes;
    for (const voter of voterIds) expect(JSON.stringify(stored.find((v) => v.id === anonymous))).not.toContain(voter);
    expect(JSON.parse(closedViews[0])[0].results.map((r: { dots: number }) => r.dots)).toEqual([3, 2, 1]);
    // The named vote, once closed, says who voted for what: the checks above would see an id.
    expect(JSON.stringify(JSON.parse(closedViews[0])[1])).toContain(people.author.memberId);
    expect(closedViews[2]).toContain('named');
    facilitatorStream.close();
    otherStream.close();
  });
});
