/**
 * The vote of `npm run bench:workshop`: everyone in the room holds the
 * workshop's event stream open, every one casts their dots, then the
 * facilitator closes the vote; measured from sending `vote.close` until the
 * last of the streams has carried the closed vote with its results.
 *
 * Needs the workshop routes of docs/api.md (issue 11). A server without them
 * answers 404 to `GET …/workshops`: the vote is then reported as not measured,
 * never as a number.
 */
import { request, type IncomingMessage } from 'node:http';
import type * as Y from 'yjs';
import { createEntity, readModel } from '../src/schema/index.ts';
import { call, type Answer, type ConveneUnderTest } from './servers.ts';

export interface VoteFigures {
  voters: number;
  cards: number;
  dotsCast: number;
  /** From sending `vote.close` to its answer. */
  closeAnswerMs: number;
  /** From sending `vote.close` until every voter's stream carried the results. */
  closeToAllMs: number;
}

async function command(server: ConveneUnderTest, path: string, token: string, body: Record<string, unknown>): Promise<Answer> {
  const answer = await call(server.url, 'POST', path, token, body);
  if (answer.status >= 300) throw new Error(`${body.type}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer;
}

/** An open event stream; `closed()` resolves at the first event that shows the vote closed with results. */
function openStream(server: ConveneUnderTest, path: string, token: string): Promise<{ closed: Promise<number>; end(): void }> {
  return new Promise((resolvePromise, reject) => {
    const req = request(server.url + path, { agent: false, headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (res: IncomingMessage) => {
      if (res.statusCode !== 200) return reject(new Error(`stream: ${res.statusCode}`));
      let buffer = '';
      let seen: (at: number) => void = () => {};
      const closed = new Promise<number>((r) => (seen = r));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        const events = buffer.split('\n\n');
        buffer = events.pop() ?? '';
        for (const event of events) if (/"status":"closed"/.test(event) && /"results"/.test(event)) seen(performance.now());
      });
      resolvePromise({ closed, end: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Runs `work` over `items`, `width` at a time. */
async function inBatches<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(work));
}

export async function measureVote(
  server: ConveneUnderTest,
  initiativeId: string,
  tokens: string[],
  doc: Y.Doc,
): Promise<VoteFigures | { notMeasured: string }> {
  const base = `/api/initiatives/${initiativeId}/workshops`;
  const facilitator = tokens[0];
  const probe = await call(server.url, 'GET', base, facilitator);
  if (probe.status === 404) return { notMeasured: 'workshop routes not merged' };

  // Ten cards to vote on, added through the facilitator's live document.
  for (let i = 0; i < 10; i++) {
    createEntity(doc, 'stakeholder', { name: `Partner ${i}`, sector: 'nonprofit', role: 'partner' }, [{ board: 'stakeholders', position: { x: i * 220, y: 0 } }]);
  }
  const cards = readModel(doc).entities.stakeholder.map((s) => s.id);
  const created = await command(server, base, facilitator, {
    title: 'Regional convening',
    agenda: [{ title: 'Which partners first?', minutes: 15, activity: 'vote', board: 'stakeholders' }],
  });
  const workshop = `${base}/${created.body.id}`;
  await command(server, `${workshop}/commands`, facilitator, { type: 'workshop.start' });
  await command(server, `${workshop}/commands`, facilitator, { type: 'vote.open', cards, budget: 3, maxPerCard: 2, anonymous: false });
  const view = await call(server.url, 'GET', workshop, facilitator);
  const voteId: string = view.body.votes?.[0]?.id;
  if (!voteId) throw new Error(`no open vote in the workshop view: ${JSON.stringify(view.body).slice(0, 300)}`);

  const streams: { closed: Promise<number>; end(): void }[] = [];
  await inBatches(tokens, 20, async (token) => void streams.push(await openStream(server, `${workshop}/stream`, token)));
  let dotsCast = 0;
  await inBatches(
    tokens.map((token, i) => ({ token, i })),
    20,
    async ({ token, i }) => {
      for (let dot = 0; dot < 3; dot++) {
        await command(server, `${workshop}/commands`, token, { type: 'vote.cast', voteId, card: cards[(i + dot) % cards.length] });
        dotsCast++;
      }
    },
  );

  const started = performance.now();
  await command(server, `${workshop}/commands`, facilitator, { type: 'vote.close', voteId });
  const closeAnswerMs = performance.now() - started;
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('results did not reach every stream within 30 s')), 30_000).unref());
  const arrivals = await Promise.race([Promise.all(streams.map((s) => s.closed)), timeout]);
  for (const s of streams) s.end();
  if (arrivals.some((at) => at < started)) throw new Error('a stream showed results before the vote was closed');
  const round = (n: number) => Math.round(n * 10) / 10;
  return { voters: tokens.length, cards: cards.length, dotsCast, closeAnswerMs: round(closeAnswerMs), closeToAllMs: round(Math.max(...arrivals) - started) };
}
