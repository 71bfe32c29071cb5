/**
 * What a workshop operation answers: the new state, or a refusal with one
 * sentence saying which condition is not met (the server's 409, the message the
 * UI shows). Shared by the timer, votes, private notes and the statechart.
 */

export interface Refusal {
  refused: string;
}

export type Outcome<T> = T | Refusal;

export const refuse = (sentence: string): Refusal => ({ refused: sentence });

export function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && typeof (value as Refusal).refused === 'string';
}

export const hasText = (text: unknown): text is string => typeof text === 'string' && text.trim().length > 0;

/** "1 dot", "5 dots". */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
