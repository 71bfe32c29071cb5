/**
 * Dot voting. The facilitator opens a vote on cards (all of a board's, or a
 * selection) with a budget of dots per person and a maximum per card; people
 * cast and take back dots; on close the tally per card, by the voters' sectors
 * and by their roles, is fixed.
 *
 * What the state holds, and so what the server stores (docs/workshops.md, "Anonymity"):
 * - While a vote is open, one ballot per voter: their id, role, sector and their
 *   dots per card. No less will do: the budget and the maximum per card are
 *   checked per voter, and a voter may take back only their own dots.
 * - Once closed, an anonymous vote keeps only totals: per card, its dots, and
 *   its dots per sector and per role, where every group reported holds at
 *   least `MIN_GROUP` voters (smaller ones are taken together as `other`). No
 *   voter id, no ballot. A named vote also keeps, per card, who placed how many
 *   dots, and its breakdowns show every group as it is.
 * - Views (./view.ts) never show a ballot: while open, only how many people
 *   have finished and the caller's own dots.
 *
 * A voter has finished when they have placed their whole budget (taking a dot
 * back un-finishes them); there is no separate "done" mark.
 * Every function is pure: the new vote, or a refusal in words.
 */
import type { Sector } from '../domain.ts';
import type { Board } from '../entities.ts';
import { plural, refuse, type Outcome } from './outcome.ts';

export const VOTE_LIMITS = { budgetMax: 100, cardsMax: 500 } as const;

/** Who casts: the server fills this in from the session and the member's record. */
export interface Voter {
  id: string;
  /** The voter's role in the initiative. */
  role: string;
  /** The sector the voter speaks for, when known. */
  sector: Sector | null;
}

/** The breakdown's key for voters whose sector is not known. */
export const NO_SECTOR = 'unspecified';

/** An anonymous vote's breakdowns report no group of fewer voters than this (`reportedGroups`). */
export const MIN_GROUP = 3;

/** The breakdown's key for the small groups of an anonymous vote, taken together. */
export const OTHER_GROUP = 'other';

export interface VoteSettings {
  /** Card (entity) ids the vote is on, in board order. */
  cards: string[];
  board?: Board;
  budget: number;
  maxPerCard: number;
  anonymous: boolean;
}

interface Ballot {
  role: string;
  sector: Sector | null;
  dots: Record<string, number>;
}

interface VoteBase extends VoteSettings {
  id: string;
  openedAt: string;
  /** The agenda item (index) the vote was opened in. */
  item: number | null;
}

export interface OpenVote extends VoteBase {
  status: 'open';
  /** Per voter id; only while open (see the file's comment). */
  ballots: Record<string, Ballot>;
}

export interface CardResult {
  card: string;
  dots: number;
  bySector: Record<string, number>;
  byRole: Record<string, number>;
  /** Named votes only: who placed dots on this card, and how many, in id order. */
  voters?: { id: string; dots: number }[];
}

/** How many people placed at least one dot, in all and per group of the breakdowns. */
export interface Turnout {
  voters: number;
  bySector: Record<string, number>;
  byRole: Record<string, number>;
}

export interface ClosedVote extends VoteBase {
  status: 'closed';
  closedAt: string;
  /** How many people had placed their whole budget when the vote closed. */
  finished: number;
  turnout: Turnout;
  /** Per card, most dots first (ties in card order). */
  results: CardResult[];
}

export type Vote = OpenVote | ClosedVote;

const used = (ballot: Ballot | undefined) => Object.values(ballot?.dots ?? {}).reduce((a, b) => a + b, 0);

/** Why these settings cannot make a vote, or null. */
export function voteSettingsProblem(settings: VoteSettings): string | null {
  const { cards, budget, maxPerCard } = settings;
  if (cards.length === 0) return 'A vote needs at least one card.';
  if (new Set(cards).size !== cards.length) return 'Each card can be in a vote once.';
  if (cards.length > VOTE_LIMITS.cardsMax) return `A vote takes at most ${VOTE_LIMITS.cardsMax} cards.`;
  if (!Number.isInteger(budget) || budget < 1 || budget > VOTE_LIMITS.budgetMax) {
    return `Give each person from 1 to ${VOTE_LIMITS.budgetMax} dots.`;
  }
  if (!Number.isInteger(maxPerCard) || maxPerCard < 1 || maxPerCard > budget) {
    return `The most dots a person puts on one card is a whole number from 1 to the budget (${budget}).`;
  }
  if (cards.length * maxPerCard < budget) {
    return `Nobody could place all ${plural(budget, 'dot')}: ${plural(cards.length, 'card')} taking at most ${maxPerCard} each hold ${cards.length * maxPerCard}. Lower the budget or raise the maximum per card.`;
  }
  return null;
}

export function openVote(id: string, settings: VoteSettings, at: string, item: number | null): Outcome<OpenVote> {
  const problem = voteSettingsProblem(settings);
  if (problem) return refuse(problem);
  const { cards, board, budget, maxPerCard, anonymous } = settings;
  const vote: OpenVote = {
    id,
    status: 'open',
    cards: [...cards],
    budget,
    maxPerCard,
    anonymous,
    openedAt: at,
    item,
    ballots: {},
  };
  if (board) vote.board = board;
  return vote;
}

export function castDot(vote: Vote, voter: Voter, card: string): Outcome<OpenVote> {
  if (vote.status !== 'open') return refuse('This vote is closed.');
  if (!vote.cards.includes(card)) return refuse('That card is not in this vote.');
  const ballot = vote.ballots[voter.id];
  if (used(ballot) >= vote.budget) {
    return refuse(
      vote.budget === 1 ? 'You have used your only dot.' : `You have used all ${vote.budget} of your dots.`,
    );
  }
  const onCard = ballot?.dots[card] ?? 0;
  if (onCard >= vote.maxPerCard) {
    return refuse(
      vote.maxPerCard === 1
        ? 'A card can take only one of your dots.'
        : `A card can take at most ${vote.maxPerCard} of your dots.`,
    );
  }
  const next: Ballot = { role: voter.role, sector: voter.sector, dots: { ...ballot?.dots, [card]: onCard + 1 } };
  return { ...vote, ballots: { ...vote.ballots, [voter.id]: next } };
}

export function retractDot(vote: Vote, voterId: string, card: string): Outcome<OpenVote> {
  if (vote.status !== 'open') return refuse('This vote is closed.');
  if (!vote.cards.includes(card)) return refuse('That card is not in this vote.');
  const ballot = vote.ballots[voterId];
  const onCard = ballot?.dots[card] ?? 0;
  if (!ballot || onCard === 0) return refuse('You have no dot on that card to take back.');
  const dots = { ...ballot.dots };
  if (onCard === 1) delete dots[card];
  else dots[card] = onCard - 1;
  const ballots = { ...vote.ballots };
  if (Object.keys(dots).length === 0) delete ballots[voterId];
  else ballots[voterId] = { ...ballot, dots };
  return { ...vote, ballots };
}

/** How many people have placed their whole budget. */
export function finishedCount(vote: Vote): number {
  if (vote.status === 'closed') return vote.finished;
  return Object.values(vote.ballots).filter((b) => used(b) === vote.budget).length;
}

/** The caller's own dots per card while the vote is open (empty when none, or closed). */
export function dotsOf(vote: Vote, voterId: string): Record<string, number> {
  return vote.status === 'open' ? { ...vote.ballots[voterId]?.dots } : {};
}

const bump = (tally: Record<string, number>, key: string, n: number) => {
  tally[key] = (tally[key] ?? 0) + n;
};

const sortedKeys = (tally: Record<string, number>) =>
  Object.fromEntries(Object.entries(tally).sort(([a], [b]) => (a < b ? -1 : 1)));

/**
 * For an anonymous vote's breakdowns: each voter's group (sector or role) as
 * reported, such that every reported group holds at least `MIN_GROUP` voters.
 * Smaller groups go into `OTHER_GROUP`; while that holds fewer than
 * `MIN_GROUP`, the smallest remaining group joins it. So no breakdown isolates
 * anyone: a voter who subtracts their own dots learns at most the sum of two
 * others'. With fewer than `MIN_GROUP` voters in all, everyone is in one group.
 */
export function reportedGroups(groupOfVoter: ReadonlyMap<string, string>): Map<string, string> {
  const sizes = new Map<string, number>();
  for (const group of groupOfVoter.values()) sizes.set(group, (sizes.get(group) ?? 0) + 1);
  const bySize = [...sizes].sort(([a, m], [b, n]) => m - n || (a < b ? -1 : 1));
  const merged = new Set(bySize.filter(([, n]) => n < MIN_GROUP).map(([g]) => g));
  let otherSize = bySize.filter(([g]) => merged.has(g)).reduce((sum, [, n]) => sum + n, 0);
  for (const [group, n] of bySize) {
    if (otherSize === 0 || otherSize >= MIN_GROUP) break;
    if (merged.has(group)) continue;
    merged.add(group);
    otherSize += n;
  }
  return new Map([...groupOfVoter].map(([voter, group]) => [voter, merged.has(group) ? OTHER_GROUP : group]));
}

/**
 * The vote closed at `at`: the tallies fixed, the ballots dropped. An
 * anonymous vote keeps no voter id at all, and its breakdowns only groups of
 * at least `MIN_GROUP` voters (`reportedGroups`).
 */
export function closeVote(vote: Vote, at: string): Outcome<ClosedVote> {
  if (vote.status !== 'open') return refuse('This vote is already closed.');
  const ballots = Object.entries(vote.ballots);
  const grouping = (key: (ballot: Ballot) => string) => {
    const groups = new Map(ballots.map(([voter, ballot]) => [voter, key(ballot)]));
    return vote.anonymous ? reportedGroups(groups) : groups;
  };
  const sectorOf = grouping((b) => b.sector ?? NO_SECTOR);
  const roleOf = grouping((b) => b.role);
  const results: CardResult[] = vote.cards.map((card) => {
    const result: CardResult = { card, dots: 0, bySector: {}, byRole: {} };
    if (!vote.anonymous) result.voters = [];
    return result;
  });
  const byCard = new Map(results.map((r) => [r.card, r]));
  const turnout: Turnout = { voters: ballots.length, bySector: {}, byRole: {} };
  for (const [voterId, ballot] of ballots) {
    bump(turnout.bySector, sectorOf.get(voterId)!, 1);
    bump(turnout.byRole, roleOf.get(voterId)!, 1);
    for (const [card, n] of Object.entries(ballot.dots)) {
      const result = byCard.get(card)!;
      result.dots += n;
      bump(result.bySector, sectorOf.get(voterId)!, n);
      bump(result.byRole, roleOf.get(voterId)!, n);
      result.voters?.push({ id: voterId, dots: n });
    }
  }
  // Keys in a fixed order, so nothing tells in which order people voted.
  for (const tally of [turnout, ...results]) {
    tally.bySector = sortedKeys(tally.bySector);
    tally.byRole = sortedKeys(tally.byRole);
  }
  for (const result of results) result.voters?.sort((a, b) => (a.id < b.id ? -1 : 1));
  const order = new Map(vote.cards.map((card, i) => [card, i]));
  results.sort((a, b) => b.dots - a.dots || order.get(a.card)! - order.get(b.card)!);
  const { ballots: _ballots, status: _status, ...settings } = vote;
  return { ...settings, status: 'closed', closedAt: at, finished: finishedCount(vote), turnout, results };
}
