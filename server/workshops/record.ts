/**
 * A workshop's record (`GET …/workshops/:wid/record`, docs/api.md): the agenda
 * with planned and actual times, attendance by organisation and sector with the
 * sectors missing and the partners absent again and again, the votes with their
 * results, the decisions and the cards its reveals added; as JSON, and as
 * Markdown to keep or print. Built from the same views as everything else, so
 * it holds no ballot of an open vote, nor any voter of an anonymous one.
 * Everything typed (titles, names, card texts) is escaped in the Markdown, so
 * a renderer shows it as text, never as markup.
 */
import { SECTOR_LABELS, SECTORS, type Sector } from '../../machines/domain.ts';
import { BOARD_LABELS, type Board } from '../../machines/entities.ts';
import { stepById } from '../../machines/catalogue.ts';
import {
  ACTIVITY_LABELS,
  plural,
  voteView,
  workshopView,
  type WorkshopContext,
  type WorkshopStatus,
} from '../../machines/workshop/index.ts';
import { roleLabel, type PlacedCard, type RecordPerson, type WorkshopRecord } from '../../src/contract/index.ts';
import type { Member } from '../people/types.ts';

/** What attended means for one past workshop: when it started and who was present. */
export interface PastAttendance {
  startedAt: string;
  present: Set<string>;
}

export interface RecordInput {
  id: string;
  status: WorkshopStatus;
  context: WorkshopContext;
  cards: PlacedCard[];
  members: Member[];
  /** The initiative's other started workshops. */
  others: PastAttendance[];
  /** A card's words by its id (from the document); the id itself when it is gone. */
  label(card: string): string;
  now: number;
}

/** How many of the last workshops the repeated-absence count looks at. */
export const ABSENCE_WINDOW = 5;

const personOf = (m: Member): RecordPerson => ({
  id: m.id,
  name: m.name ?? m.label ?? 'Unnamed member',
  role: m.role,
  sector: m.sector,
  organisation: m.organisation,
});

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function buildRecord(input: RecordInput): WorkshopRecord {
  const { context, status } = input;
  const view = workshopView(status, context, { id: '' }, input.now);
  const present = view.attendance.people.filter((p) => p.present);
  const presentIds = new Set(present.map((p) => p.id));
  const names = new Map(input.members.map((m) => [m.id, personOf(m).name]));
  for (const p of view.attendance.people) names.set(p.id, p.name);
  const group = (key: (p: RecordPerson) => string) => {
    const out: Record<string, string[]> = {};
    for (const p of present) (out[key(p)] ??= []).push(p.name);
    return out;
  };
  const started = context.startedAt;
  const history: PastAttendance[] = [...input.others];
  if (started) history.push({ startedAt: started, present: presentIds });
  const window = history.sort((a, b) => (a.startedAt < b.startedAt ? -1 : 1)).slice(-ABSENCE_WINDOW);
  const repeatedAbsences = input.members.flatMap((m) => {
    const due = window.filter((w) => m.joinedAt <= w.startedAt);
    const missed = due.filter((w) => !w.present.has(m.id)).length;
    return missed >= 2 ? [{ ...personOf(m), missed, of: due.length }] : [];
  });
  return {
    id: input.id,
    title: context.title,
    date: context.date,
    status,
    startedAt: context.startedAt,
    endedAt: context.endedAt,
    agenda: view.agenda.map((a) => ({
      index: a.index,
      title: a.title,
      activity: a.activity,
      minutes: a.minutes,
      board: a.board ?? null,
      step: a.step ?? null,
      plannedStart: iso(a.plannedStart),
      startedAt: a.startedAt,
      endedAt: a.endedAt,
      spentMs: a.spentMs,
    })),
    attendance: {
      present: present.map(({ id, name, role, sector, organisation, source }) => ({ id, name, role, sector, organisation, source })),
      absent: input.members.filter((m) => !presentIds.has(m.id)).map(personOf),
      bySector: group((p) => p.sector ?? 'unspecified'),
      byOrganisation: group((p) => p.organisation ?? 'unspecified'),
      missingSectors: view.attendance.missingSectors,
      repeatedAbsences,
    },
    votes: context.votes.map((vote) => {
      const v = voteView(vote, { id: '' });
      return {
        id: v.id,
        status: v.status,
        board: v.board ?? null,
        cards: v.cards.map((id) => ({ id, label: input.label(id) })),
        budget: v.budget,
        maxPerCard: v.maxPerCard,
        anonymous: v.anonymous,
        finished: v.finished,
        ...(v.results && {
          results: v.results.map((r) => ({
            ...r,
            label: input.label(r.card),
            ...(r.voters && { voterNames: r.voters.map((x) => ({ name: names.get(x.id) ?? 'A former member', dots: x.dots })) }),
          })),
          turnout: v.turnout,
        }),
      };
    }),
    decisions: context.decisions.map((d) => ({ ...d, stepTitle: d.step ? (stepById(d.step)?.title ?? null) : null })),
    cardsAdded: input.cards,
  };
}

/** Typed words as Markdown text: markup characters escaped, one line. */
export function md(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/[\\`*_{}[\]<>()#+!|~&-]/g, (c) => `\\${c}`);
}

const time = (at: string | null) => (at ? `${at.slice(0, 10)} ${at.slice(11, 16)} UTC` : '—');
const clock = (at: string | null) => (at ? at.slice(11, 16) : '—');
const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;
const breakdown = (by: Record<string, number>, label: (key: string) => string) =>
  Object.entries(by)
    .map(([k, n]) => `${label(k)} ${n}`)
    .join(', ') || '—';
const sectorLabel = (key: string) => (SECTORS.includes(key as Sector) ? SECTOR_LABELS[key as Sector] : key === 'unspecified' ? 'Sector not given' : 'Other');
const whoLine = (p: RecordPerson) =>
  `${md(p.name)} (${roleLabel(p.role)}${p.organisation ? `, ${md(p.organisation)}` : ''}${p.sector ? `, ${SECTOR_LABELS[p.sector]}` : ''})`;

export function recordMarkdown(record: WorkshopRecord): string {
  const out: string[] = [`# ${md(record.title)}`, ''];
  out.push(`Planned for ${time(record.date && new Date(record.date).toISOString())}. Started ${time(record.startedAt)}, ended ${time(record.endedAt)}.`, '');

  out.push('## Agenda', '', '| # | Item | Activity | Board | Planned | Started | Ended | Time spent |', '|---|---|---|---|---|---|---|---|');
  for (const a of record.agenda) {
    out.push(
      `| ${a.index + 1} | ${md(a.title)} | ${ACTIVITY_LABELS[a.activity]} | ${a.board ? BOARD_LABELS[a.board] : '—'} | ${clock(a.plannedStart)} (${a.minutes} min) | ${clock(a.startedAt)} | ${clock(a.endedAt)} | ${minutes(a.spentMs)} |`,
    );
  }

  const { attendance } = record;
  out.push('', '## Attendance', '', `Present (${attendance.present.length}):`, '');
  for (const p of attendance.present) out.push(`- ${whoLine(p)}`);
  if (attendance.present.length === 0) out.push('- Nobody was recorded present.');
  out.push('', `Absent (${attendance.absent.length}):`, '');
  for (const p of attendance.absent) out.push(`- ${whoLine(p)}`);
  if (attendance.absent.length === 0) out.push('- Nobody.');
  out.push('', 'By sector:', '');
  for (const [sector, people] of Object.entries(attendance.bySector)) out.push(`- ${sectorLabel(sector)}: ${people.map(md).join(', ')}`);
  out.push('', `Sectors missing: ${attendance.missingSectors.map((s) => SECTOR_LABELS[s]).join(', ') || 'none'}.`);
  if (attendance.repeatedAbsences.length > 0) {
    out.push('', 'Absent again and again:', '');
    for (const p of attendance.repeatedAbsences) out.push(`- ${whoLine(p)}: missed ${p.missed} of the last ${p.of} workshops`);
  }

  out.push('', '## Votes', '');
  if (record.votes.length === 0) out.push('No votes.');
  record.votes.forEach((v, n) => {
    const where = v.board ? ` on ${BOARD_LABELS[v.board]}` : '';
    out.push(`### Vote ${n + 1}${where}`, '', `${plural(v.budget, 'dot')} each, at most ${v.maxPerCard} per card, ${v.anonymous ? 'anonymous' : 'named'}; ${v.finished} placed all their dots.`, '');
    if (!v.results) {
      out.push('Still open: no results yet.', '');
      return;
    }
    out.push('| Card | Dots | By sector | By role |', '|---|---|---|---|');
    for (const r of v.results) {
      out.push(`| ${md(r.label)} | ${r.dots} | ${breakdown(r.bySector, sectorLabel)} | ${breakdown(r.byRole, (k) => (k === 'other' ? 'Other' : roleLabel(k)))} |`);
    }
    out.push('');
  });

  out.push('## Decisions', '');
  if (record.decisions.length === 0) out.push('No decisions.');
  for (const d of record.decisions) {
    const step = d.stepTitle ? ` Confirms the step "${md(d.stepTitle)}".` : '';
    out.push(`- ${md(d.text)}${step} Recorded by ${md(d.by.name)} at ${clock(d.at)}.`);
  }

  out.push('', '## Cards added', '');
  if (record.cardsAdded.length === 0) out.push('No cards were revealed.');
  for (const c of record.cardsAdded) {
    out.push(`- ${md(c.text)} (${BOARD_LABELS[c.board as Board] ?? md(c.board)}; ${md(c.group)}${c.author ? `, by ${md(c.author)}` : ''})`);
  }
  return `${out.join('\n')}\n`;
}
