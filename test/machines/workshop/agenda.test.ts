import { describe, expect, it } from 'vitest';
import {
  blankModel,
  DEFAULT_THRESHOLDS,
  initialContext,
  phaseUnmet,
  STEP_IDS,
  stepById,
  stepsOf,
  unmetPreconditions,
  EMPTY_READINESS,
} from '../../../machines/index.ts';
import {
  ACTIVITIES,
  describeItem,
  moveItem,
  plannedTimes,
  STEP_PLANS,
  suggestAgenda,
  totalMinutes,
} from '../../../machines/workshop/index.ts';
import { AGENDA, T0 } from './fixtures.ts';

const MIN = 60_000;

describe('agenda: planned times', () => {
  it('starts each item when the one before ends, from the workshop start', () => {
    expect(plannedTimes(AGENDA, T0)).toEqual([
      { index: 0, startsAt: T0, endsAt: T0 + 10 * MIN },
      { index: 1, startsAt: T0 + 10 * MIN, endsAt: T0 + 40 * MIN },
      { index: 2, startsAt: T0 + 40 * MIN, endsAt: T0 + 60 * MIN },
      { index: 3, startsAt: T0 + 60 * MIN, endsAt: T0 + 75 * MIN },
    ]);
    expect(totalMinutes(AGENDA)).toBe(75);
    expect(plannedTimes([], T0)).toEqual([]);
  });

  it('follows a reordering: the moved item starts where its new place begins', () => {
    const moved = moveItem(AGENDA, 3, 0);
    const times = plannedTimes(moved, T0);
    expect(moved[0].title).toBe('Facilitate community outreach');
    expect(times[1]).toEqual({ index: 1, startsAt: T0 + 15 * MIN, endsAt: T0 + 25 * MIN });
    expect(times.at(-1)!.endsAt).toBe(T0 + 75 * MIN);
  });
});

describe('agenda: reordering', () => {
  const titles = (items: { title: string }[]) => items.map((i) => i.title);

  it('moves an item down and up, keeping the others in order, without touching the input', () => {
    const before = structuredClone(AGENDA);
    expect(titles(moveItem(AGENDA, 0, 2))).toEqual([
      'Map the landscape',
      'Prioritise strategies',
      'Welcome and purpose',
      'Facilitate community outreach',
    ]);
    expect(titles(moveItem(AGENDA, 2, 1))).toEqual([
      'Welcome and purpose',
      'Prioritise strategies',
      'Map the landscape',
      'Facilitate community outreach',
    ]);
    expect(AGENDA).toEqual(before);
  });

  it('clamps moves past either end (Alt+Up on the first item stays first) and keeps every item', () => {
    expect(titles(moveItem(AGENDA, 0, -1))).toEqual(titles(AGENDA));
    expect(titles(moveItem(AGENDA, 1, 99)).at(-1)).toBe('Map the landscape');
    expect(moveItem([], 0, 1)).toEqual([]);
    for (let from = 0; from < AGENDA.length; from++) {
      for (let to = 0; to < AGENDA.length; to++) {
        const moved = moveItem(AGENDA, from, to);
        expect(moved[to]).toBe(AGENDA[from]);
        expect(new Set(moved)).toEqual(new Set(AGENDA));
      }
    }
  });
});

describe('agenda: suggestions from the steps still open', () => {
  const context = initialContext();

  it('proposes Phase I in the words of the step catalogue, with a fitting activity and board', () => {
    const agenda = suggestAgenda(phaseUnmet('initiate', blankModel(), context));
    expect(agenda.map((i) => i.title)).toEqual(stepsOf('initiate').map((s) => s.title));
    expect(agenda.map((i) => [i.title, i.activity, i.board ?? null])).toEqual([
      ['Identify champions', 'discuss', 'stakeholders'],
      ['Form a cross-sector group', 'discuss', 'governance'],
      ['Map the landscape', 'brainstorm', 'stakeholders'],
      ['Use data to make the case for change', 'discuss', 'framework'],
      ['Facilitate community outreach', 'decide', null],
      ['Gather baseline data', 'brainstorm', 'framework'],
      ['Identify key issues and gaps', 'decide', 'framework'],
    ]);
    for (const item of agenda) {
      const step = stepById(item.step!)!;
      expect(item.prompt).toBe(step.guidance);
      // A judgement step ends in a decision, which can confirm it.
      expect(item.activity === 'decide').toBe(!!step.confirm);
    }
  });

  it('leaves out what the group has done: a confirmed step is not suggested', () => {
    const confirmed = {
      ...context,
      confirmations: {
        'initiate.community.outreach': { note: 'Met residents.', by: { id: 'x', name: 'X', role: 'lead' }, at: 'now' },
      },
    };
    const titles = suggestAgenda(phaseUnmet('initiate', blankModel(), confirmed)).map((i) => i.title);
    expect(titles).not.toContain('Facilitate community outreach');
    expect(titles).toContain('Map the landscape');
  });

  it('suggests one item per step, however many messages the step has, and nothing for readiness preconditions', () => {
    const unmet = phaseUnmet('initiate', blankModel(), { ...context, thresholds: DEFAULT_THRESHOLDS });
    expect(unmet.filter((u) => u.step === 'initiate.planning.landscape').length).toBeGreaterThan(1);
    expect(suggestAgenda(unmet).filter((i) => i.step === 'initiate.planning.landscape')).toHaveLength(1);
    expect(suggestAgenda(unmetPreconditions(EMPTY_READINESS))).toEqual([]);
    expect(suggestAgenda([{ step: 'no.such.step' }])).toEqual([]);
  });

  it('has a plan for every step of the catalogue, with a known activity and a sensible length', () => {
    expect(Object.keys(STEP_PLANS).sort()).toEqual([...STEP_IDS].sort());
    for (const plan of Object.values(STEP_PLANS)) {
      expect(ACTIVITIES).toContain(plan.activity);
      expect(plan.minutes).toBeGreaterThanOrEqual(10);
      expect(plan.minutes).toBeLessThanOrEqual(60);
    }
    const phaseII = suggestAgenda(phaseUnmet('organize', blankModel(), context));
    expect(phaseII.find((i) => i.title === 'Set the boundaries')).toMatchObject({
      activity: 'brainstorm',
      board: 'boundaries',
    });
    expect(phaseII.find((i) => i.title === 'Agree a short list of shared measures')).toMatchObject({
      activity: 'vote',
    });
  });

  it('describes an item in words', () => {
    expect(describeItem(AGENDA[1])).toBe('Brainstorm on the stakeholder map, 30 minutes');
    expect(describeItem({ title: 'x', minutes: 1, activity: 'decide' })).toBe('Decision, 1 minute');
  });
});
