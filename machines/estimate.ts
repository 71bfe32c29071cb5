/**
 * How long the first two phases will take. docs/domain.md: a readiness assessment
 * "anticipates how long the first two phases will take (between six months and
 * two years, depending on the scope of the problem, existing collaboration and
 * breadth of community engagement)". The readiness assessment asks those three
 * questions (event `readiness.scope`); `estimateFirstPhases` turns the answers
 * into a range of months with its reasoning. Pure.
 */
import type { Person } from './readiness.ts';

export const SCOPE_QUESTIONS = ['problem', 'collaboration', 'engagement'] as const;
export type ScopeQuestion = (typeof SCOPE_QUESTIONS)[number];

export const SCOPE_ANSWERS = {
  problem: ['focused', 'moderate', 'broad'],
  collaboration: ['established', 'some', 'none'],
  engagement: ['narrow', 'moderate', 'broad'],
} as const satisfies Record<ScopeQuestion, readonly string[]>;

export type ProblemScope = (typeof SCOPE_ANSWERS.problem)[number];
export type ExistingCollaboration = (typeof SCOPE_ANSWERS.collaboration)[number];
export type EngagementBreadth = (typeof SCOPE_ANSWERS.engagement)[number];

export interface ScopeAnswers {
  problem: ProblemScope;
  collaboration: ExistingCollaboration;
  engagement: EngagementBreadth;
}

export interface ScopeRecord extends ScopeAnswers {
  note?: string;
  by: Person;
  at: string;
}

interface AnswerInfo {
  label: string;
  /** Months this answer adds to the six-month minimum: [low, high]. */
  months: readonly [number, number];
  /** Completes "Scope of the problem: …" in a reason. */
  because: string;
}

export const SCOPE_QUESTION_INFO: Record<
  ScopeQuestion,
  { label: string; question: string; answers: Record<string, AnswerInfo> }
> = {
  problem: {
    label: 'Scope of the problem',
    question: 'How wide is the problem the initiative takes on?',
    answers: {
      focused: {
        label: 'Focused: one issue in one community',
        months: [0, 2],
        because: 'the problem is focused (one issue in one community)',
      },
      moderate: {
        label: 'Moderate: several root causes, or a whole city or county',
        months: [2, 5],
        because: 'the problem has several root causes or covers a whole city or county',
      },
      broad: {
        label: 'Broad: many root causes across a region or state',
        months: [5, 8],
        because: 'the problem is broad (many root causes across a region or state)',
      },
    },
  },
  collaboration: {
    label: 'Existing collaboration',
    question: 'How much collaboration is already under way?',
    answers: {
      established: {
        label: 'Established: partners already work together on the issue',
        months: [0, 1],
        because: 'partners already work together on the issue, so the initiative builds on it',
      },
      some: {
        label: 'Some: a few partnerships, not yet on this issue as a whole',
        months: [1, 3],
        because: 'there are a few partnerships, but none on the issue as a whole',
      },
      none: {
        label: 'None: organisations work alone',
        months: [3, 6],
        because: 'organisations work alone today, so trust has to be built from the start',
      },
    },
  },
  engagement: {
    label: 'Breadth of community engagement',
    question: 'How broadly will the community be engaged?',
    answers: {
      narrow: {
        label: 'Narrow: mostly organisations, a few residents',
        months: [0, 1],
        because: 'engagement is mostly with organisations',
      },
      moderate: {
        label: 'Moderate: residents and people affected in a few places',
        months: [1, 2],
        because: 'residents and people affected are engaged in a few places',
      },
      broad: {
        label: 'Broad: residents and people affected across the whole area',
        months: [2, 4],
        because: 'residents and people affected are engaged across the whole area',
      },
    },
  },
};

/** docs/domain.md: between six months and two years. */
export const FIRST_PHASES_MIN_MONTHS = 6;
export const FIRST_PHASES_MAX_MONTHS = 24;

export interface TimeEstimate {
  /** True when all three questions are answered. */
  answered: boolean;
  minMonths: number;
  maxMonths: number;
  /** One sentence: "About 8 to 13 months for Phase I and Phase II." */
  summary: string;
  /** Why, one sentence per question, then the total. */
  reasons: string[];
}

export function isScopeAnswer<Q extends ScopeQuestion>(question: Q, value: unknown): value is ScopeAnswers[Q] {
  return typeof value === 'string' && (SCOPE_ANSWERS[question] as readonly string[]).includes(value);
}

const months = (n: number) => `${n} ${n === 1 ? 'month' : 'months'}`;

/**
 * The range of months Phase I and Phase II will take: six months, plus for each
 * answer the months it adds (table SCOPE_QUESTION_INFO). An unanswered question
 * counts with its widest range, so the estimate is honest about what is unknown.
 */
export function estimateFirstPhases(scope: Partial<ScopeAnswers> | null): TimeEstimate {
  let low = FIRST_PHASES_MIN_MONTHS;
  let high = FIRST_PHASES_MIN_MONTHS;
  const reasons: string[] = [];
  let answered = true;
  for (const question of SCOPE_QUESTIONS) {
    const info = SCOPE_QUESTION_INFO[question];
    const answer = scope?.[question];
    if (answer && isScopeAnswer(question, answer)) {
      const { months: added, because } = info.answers[answer];
      low += added[0];
      high += added[1];
      reasons.push(`${info.label}: ${because}, which adds ${added[0]} to ${months(added[1])}.`);
    } else {
      answered = false;
      const all = Object.values(info.answers).map((a) => a.months);
      const widest = [Math.min(...all.map((m) => m[0])), Math.max(...all.map((m) => m[1]))] as const;
      low += widest[0];
      high += widest[1];
      reasons.push(
        `${info.label}: not answered yet, so it counts as anywhere from ${widest[0]} to ${months(widest[1])}.`,
      );
    }
  }
  low = Math.max(FIRST_PHASES_MIN_MONTHS, Math.min(low, FIRST_PHASES_MAX_MONTHS));
  high = Math.max(low, Math.min(high, FIRST_PHASES_MAX_MONTHS));
  reasons.push(
    `Starting from the six-month minimum, Phase I and Phase II together should take ${low} to ${months(high)}; Phase III can last a decade or more.`,
  );
  const summary = answered
    ? `About ${low} to ${months(high)} for Phase I and Phase II.`
    : `Between ${low} and ${months(high)} for Phase I and Phase II until the scope questions are answered.`;
  return { answered, minMonths: low, maxMonths: high, summary, reasons };
}
