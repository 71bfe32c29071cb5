import { describe, expect, it } from 'vitest';
import {
  castDot,
  closeVote,
  dotsOf,
  finishedCount,
  isRefusal,
  MIN_GROUP,
  NO_SECTOR,
  OTHER_GROUP,
  openVote,
  reportedGroups,
  retractDot,
  voteSettingsProblem,
  voteView,
  type ClosedVote,
  type OpenVote,
  type Outcome,
  type Vote,
  type VoteSettings,
  type Voter,
} from '../../../machines/workshop/index.ts';
import { facilitator, funder, resident, seeded, teacher } from './fixtures.ts';

const AT = '2026-12-03T10:00:00.000Z';
const CARDS = ['strategy-a', 'strategy-b', 'strategy-c'];
const SETTINGS: VoteSettings = { cards: CARDS, board: 'framework', budget: 5, maxPerCard: 2, anonymous: false };

function ok<T>(outcome: Outcome<T>): T {
  if (isRefusal(outcome)) throw new Error(outcome.refused);
  return outcome;
}
const refusal = (outcome: Outcome<unknown>) => (isRefusal(outcome) ? outcome.refused : null);

const open = (settings: Partial<VoteSettings> = {}) => ok(openVote('vote-1', { ...SETTINGS, ...settings }, AT, 2));

function cast(vote: Vote, voter: Voter, ...cards: string[]): OpenVote {
  let next = vote as OpenVote;
  for (const card of cards) next = ok(castDot(next, voter, card));
  return next;
}

const used = (vote: OpenVote, voterId: string) => Object.values(dotsOf(vote, voterId)).reduce((a, b) => a + b, 0);

describe('dot vote: opening', () => {
  it('refuses settings no one could vote with, saying which', () => {
    expect(voteSettingsProblem({ ...SETTINGS, cards: [] })).toBe('A vote needs at least one card.');
    expect(voteSettingsProblem({ ...SETTINGS, cards: ['a', 'a'] })).toBe('Each card can be in a vote once.');
    expect(voteSettingsProblem({ ...SETTINGS, budget: 0 })).toBe('Give each person from 1 to 100 dots.');
    expect(voteSettingsProblem({ ...SETTINGS, maxPerCard: 6 })).toBe(
      'The most dots a person puts on one card is a whole number from 1 to the budget (5).',
    );
    expect(voteSettingsProblem({ ...SETTINGS, cards: ['a', 'b'], maxPerCard: 2 })).toBe(
      'Nobody could place all 5 dots: 2 cards taking at most 2 each hold 4. Lower the budget or raise the maximum per card.',
    );
    expect(refusal(openVote('v', { ...SETTINGS, cards: [] }, AT, null))).toBe('A vote needs at least one card.');
    expect(voteSettingsProblem(SETTINGS)).toBeNull();
  });
});

describe('dot vote: the budget and the maximum per card', () => {
  it('refuses a sixth dot with the budget in words, and a third on one card with the maximum', () => {
    let vote = cast(open(), resident, 'strategy-a', 'strategy-a');
    expect(refusal(castDot(vote, resident, 'strategy-a'))).toBe('A card can take at most 2 of your dots.');
    vote = cast(vote, resident, 'strategy-b', 'strategy-b', 'strategy-c');
    expect(refusal(castDot(vote, resident, 'strategy-c'))).toBe('You have used all 5 of your dots.');
    // Someone else's budget is their own.
    expect(used(cast(vote, funder, 'strategy-a'), funder.id)).toBe(1);
  });

  it('says it in the singular for one dot, or one per card', () => {
    const single = cast(open({ budget: 1, maxPerCard: 1 }), resident, 'strategy-a');
    expect(refusal(castDot(single, resident, 'strategy-b'))).toBe('You have used your only dot.');
    const onePer = cast(open({ budget: 3, maxPerCard: 1 }), resident, 'strategy-a');
    expect(refusal(castDot(onePer, resident, 'strategy-a'))).toBe('A card can take only one of your dots.');
  });

  it('refuses cards outside the vote, casts in a closed vote, and taking back a dot one never placed', () => {
    const vote = cast(open(), resident, 'strategy-a');
    expect(refusal(castDot(vote, resident, 'strategy-z'))).toBe('That card is not in this vote.');
    expect(refusal(retractDot(vote, resident.id, 'strategy-z'))).toBe('That card is not in this vote.');
    expect(refusal(retractDot(vote, funder.id, 'strategy-a'))).toBe('You have no dot on that card to take back.');
    const closed = ok(closeVote(vote, AT));
    expect(refusal(castDot(closed, resident, 'strategy-a'))).toBe('This vote is closed.');
    expect(refusal(retractDot(closed, resident.id, 'strategy-a'))).toBe('This vote is closed.');
    expect(refusal(closeVote(closed, AT))).toBe('This vote is already closed.');
  });

  it('gives a dot back on retract, so it can be placed elsewhere', () => {
    const full = cast(open(), resident, 'strategy-a', 'strategy-a', 'strategy-b', 'strategy-b', 'strategy-c');
    const back = ok(retractDot(full, resident.id, 'strategy-a'));
    expect(dotsOf(back, resident.id)).toEqual({ 'strategy-a': 1, 'strategy-b': 2, 'strategy-c': 1 });
    expect(dotsOf(ok(castDot(back, resident, 'strategy-c')), resident.id)['strategy-c']).toBe(2);
  });

  it('counts as finished those who placed their whole budget, and un-finishes on retract', () => {
    let vote = cast(open(), resident, 'strategy-a', 'strategy-a', 'strategy-b', 'strategy-b', 'strategy-c');
    vote = cast(vote, funder, 'strategy-a');
    expect(finishedCount(vote)).toBe(1);
    vote = cast(vote, funder, 'strategy-b', 'strategy-b', 'strategy-c', 'strategy-c');
    expect(finishedCount(vote)).toBe(2);
    vote = ok(retractDot(vote, resident.id, 'strategy-c'));
    expect(finishedCount(vote)).toBe(1);
    expect(ok(closeVote(vote, AT)).finished).toBe(1);
  });

  it('never lets any sequence of casts and retracts by one person exceed the budget or the maximum (seeded)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const random = seeded(seed);
      const budget = 1 + Math.floor(random() * 8);
      const maxPerCard = 1 + Math.floor(random() * budget);
      const cards = Array.from(
        { length: Math.ceil(budget / maxPerCard) + Math.floor(random() * 3) },
        (_, i) => `c${i}`,
      );
      let vote = ok(openVote('v', { cards, budget, maxPerCard, anonymous: random() < 0.5 }, AT, null));
      let placed = 0;
      for (let step = 0; step < 60; step++) {
        const card = random() < 0.95 ? cards[Math.floor(random() * cards.length)] : 'elsewhere';
        const outcome = random() < 0.7 ? castDot(vote, resident, card) : retractDot(vote, resident.id, card);
        if (isRefusal(outcome)) continue;
        const delta = used(outcome, resident.id) - used(vote, resident.id);
        expect(Math.abs(delta)).toBe(1);
        placed += delta;
        vote = outcome;
        expect(used(vote, resident.id)).toBe(placed);
        expect(placed).toBeLessThanOrEqual(budget);
        for (const n of Object.values(dotsOf(vote, resident.id))) expect(n).toBeLessThanOrEqual(maxPerCard);
      }
      // Whatever happened, a full ballot refuses one more dot.
      while (used(vote, resident.id) < budget) {
        const free = cards.find((c) => (dotsOf(vote, resident.id)[c] ?? 0) < maxPerCard)!;
        vote = ok(castDot(vote, resident, free));
      }
      for (const card of cards) expect(isRefusal(castDot(vote, resident, card))).toBe(true);
    }
  });
});

describe('dot vote: results', () => {
  function election(anonymous: boolean): ClosedVote {
    let vote = open({ anonymous });
    vote = cast(vote, resident, 'strategy-c', 'strategy-c', 'strategy-a');
    vote = cast(vote, funder, 'strategy-a', 'strategy-a', 'strategy-b');
    vote = cast(vote, teacher, 'strategy-a', 'strategy-c');
    vote = cast(vote, { ...facilitator, sector: null }, 'strategy-b');
    return ok(closeVote(vote, AT));
  }

  it('tallies per card, most dots first, broken down by the voters’ sectors and roles', () => {
    const closed = election(false);
    expect(closed.results.map(({ voters: _v, ...r }) => r)).toEqual([
      {
        card: 'strategy-a',
        dots: 4,
        bySector: { education: 1, philanthropy: 2, residents: 1 },
        byRole: { participant: 4 },
      },
      { card: 'strategy-c', dots: 3, bySector: { education: 1, residents: 2 }, byRole: { participant: 3 } },
      {
        card: 'strategy-b',
        dots: 2,
        bySector: { philanthropy: 1, [NO_SECTOR]: 1 },
        byRole: { facilitator: 1, participant: 1 },
      },
    ]);
    // A named vote says who placed what, once closed (in id order: nothing tells who voted first).
    expect(closed.results[0].voters).toEqual([
      { id: teacher.id, dots: 1 },
      { id: funder.id, dots: 2 },
      { id: resident.id, dots: 1 },
    ]);
    expect(closed).toMatchObject({ status: 'closed', closedAt: AT, finished: 0, budget: 5, maxPerCard: 2, item: 2 });
  });

  it('keeps a card nobody voted for in the results, with no dots', () => {
    const closed = ok(closeVote(cast(open(), resident, 'strategy-b'), AT));
    expect(closed.results.map((r) => [r.card, r.dots])).toEqual([
      ['strategy-b', 1],
      ['strategy-a', 0],
      ['strategy-c', 0],
    ]);
  });

  it('keeps no voter id in a closed anonymous vote, and the same tallies as a named one', () => {
    const anonymous = election(true);
    const stored = JSON.stringify(anonymous);
    for (const person of [resident, funder, teacher, facilitator]) {
      expect(stored).not.toContain(person.id);
      expect(stored).not.toContain(person.name);
    }
    expect(stored).not.toContain('ballots');
    expect(stored).not.toContain('"voters":[');
    const named = election(false);
    expect(anonymous.results.map((r) => [r.card, r.dots])).toEqual(named.results.map((r) => [r.card, r.dots]));
    // Four voters, each alone in their sector, three participants and one facilitator: one group of four.
    expect(anonymous.turnout).toEqual({ voters: 4, bySector: { [OTHER_GROUP]: 4 }, byRole: { [OTHER_GROUP]: 4 } });
    expect(anonymous.results[0]).toEqual({ card: 'strategy-a', dots: 4, bySector: { other: 4 }, byRole: { other: 4 } });
    expect(named.turnout).toEqual({
      voters: 4,
      bySector: { education: 1, philanthropy: 1, residents: 1, [NO_SECTOR]: 1 },
      byRole: { facilitator: 1, participant: 3 },
    });
  });

  it('breaks an anonymous vote down only into groups of at least three voters: do residents and funders rank alike?', () => {
    const people = (sector: Voter['sector'], n: number) =>
      Array.from({ length: n }, (_, i) => ({ id: `${sector}-${i}`, role: 'participant', sector }));
    let vote = open({ anonymous: true });
    for (const p of people('residents', 4)) vote = cast(vote, p, 'strategy-a', 'strategy-a', 'strategy-b');
    for (const p of people('philanthropy', 3)) vote = cast(vote, p, 'strategy-c', 'strategy-c', 'strategy-b');
    vote = cast(vote, { id: 'teacher', role: 'participant', sector: 'education' }, 'strategy-b');
    const closed = ok(closeVote(vote, AT));
    // The lone teacher would be exposed: their group joins the smallest group large enough (philanthropy).
    expect(closed.turnout.bySector).toEqual({ other: 4, residents: 4 });
    expect(closed.results.map((r) => [r.card, r.bySector])).toEqual([
      ['strategy-a', { residents: 8 }],
      ['strategy-b', { other: 4, residents: 4 }],
      ['strategy-c', { other: 6 }],
    ]);
  });

  it('never reports a group of fewer than three voters, for any mix of groups (seeded)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const random = seeded(seed);
      const voters = new Map<string, string>();
      const count = Math.floor(random() * 12);
      for (let i = 0; i < count; i++) voters.set(`v${i}`, `g${Math.floor(random() * 5)}`);
      const reported = reportedGroups(voters);
      const sizes = new Map<string, number>();
      for (const g of reported.values()) sizes.set(g, (sizes.get(g) ?? 0) + 1);
      if (count >= MIN_GROUP) for (const n of sizes.values()) expect(n).toBeGreaterThanOrEqual(MIN_GROUP);
      else expect(sizes.size).toBeLessThanOrEqual(1);
      // Groups large enough on their own keep their name, unless needed to make up "other".
      for (const [voter, group] of voters) {
        if (reported.get(voter) !== OTHER_GROUP) expect(reported.get(voter)).toBe(group);
      }
    }
  });

  it('shows nobody’s ballot in any view while open: only the count finished and the caller’s own dots', () => {
    for (const anonymous of [true, false]) {
      let vote = cast(
        open({ anonymous }),
        resident,
        'strategy-a',
        'strategy-a',
        'strategy-b',
        'strategy-b',
        'strategy-c',
      );
      vote = cast(vote, funder, 'strategy-c');
      const view = voteView(vote, teacher);
      expect(view).toEqual({
        id: 'vote-1',
        status: 'open',
        board: 'framework',
        cards: CARDS,
        budget: 5,
        maxPerCard: 2,
        anonymous,
        finished: 1,
        mine: {},
      });
      expect(voteView(vote, funder).mine).toEqual({ 'strategy-c': 1 });
      for (const caller of [teacher, funder, resident, facilitator]) {
        const json = JSON.stringify(voteView(vote, caller));
        for (const person of [resident, funder]) expect(json).not.toContain(person.id);
      }
    }
  });

  it('shows the results to everyone once closed, without voter ids when anonymous', () => {
    const view = voteView(election(true), resident);
    expect(view.results?.[0]).toEqual({ card: 'strategy-a', dots: 4, bySector: { other: 4 }, byRole: { other: 4 } });
    expect(view.turnout).toEqual({ voters: 4, bySector: { other: 4 }, byRole: { other: 4 } });
    expect(view.mine).toBeUndefined();
    expect(voteView(election(false), resident).results?.[0].voters).toHaveLength(3);
  });
});
