/**
 * Every sentence the step catalogue can say reads cleanly: no doubled
 * punctuation ("..", ". .", ",.", "::"), no empty quotes, whatever the group
 * typed (names ending in a full stop, blank names) and whatever the thresholds.
 */
import { describe, expect, it } from 'vitest';
import {
  COMPONENT_GOALS,
  confirmationMessage,
  DEFAULT_THRESHOLDS,
  evaluatePhases,
  PHASES,
  COMPONENTS,
  STEPS,
  THRESHOLD_INFO,
  THRESHOLD_NAMES,
  type InitiativeModel,
  type Thresholds,
} from '../../machines/index.ts';
import { allBuilt, halfBuilt, ModelBuilder, phaseOneBuilt, phaseTwoBuilt } from './models.ts';

/** Two punctuation marks with only spaces, quotes or closing brackets between them; or quotes around nothing. */
const DOUBLED = /[.,;:!?]["'”’)\]]*\s*[.,;:!?]|["“]\s*["”]/;

const MODELS: [string, InitiativeModel][] = [
  ['blank', new ModelBuilder().model],
  ['phase one built', phaseOneBuilt().model],
  ['phase two built', phaseTwoBuilt().model],
  ['all built', allBuilt().model],
  ['half built', halfBuilt((n) => n)],
  ['names ending in a full stop', halfBuilt((n) => `${n}.`)],
  ['names ending in a colon or comma', halfBuilt((n) => (n.length % 2 ? `${n}:` : `${n},`))],
  ['blank names', halfBuilt(() => '')],
];

const THRESHOLDS: [string, Thresholds][] = [
  ['defaults', DEFAULT_THRESHOLDS],
  ['lowest', Object.fromEntries(THRESHOLD_NAMES.map((n) => [n, THRESHOLD_INFO[n].min])) as unknown as Thresholds],
  ['highest', Object.fromEntries(THRESHOLD_NAMES.map((n) => [n, THRESHOLD_INFO[n].max])) as unknown as Thresholds],
  ['twos', Object.fromEntries(THRESHOLD_NAMES.map((n) => [n, Math.max(2, THRESHOLD_INFO[n].min)])) as unknown as Thresholds],
];

/** Every sentence the catalogue can produce over the models and thresholds above. */
function everyMessage(): string[] {
  const messages = new Set<string>();
  for (const step of STEPS) {
    messages.add(step.title);
    messages.add(step.guidance);
    if (step.confirm) messages.add(confirmationMessage(step));
  }
  for (const phase of PHASES) for (const c of COMPONENTS) messages.add(COMPONENT_GOALS[phase][c]);
  for (const [, model] of MODELS) {
    for (const [, thresholds] of THRESHOLDS) {
      const phases = evaluatePhases(model, { thresholds, confirmations: {} });
      for (const phase of PHASES)
        for (const c of COMPONENTS) for (const step of phases[phase][c].steps) for (const m of step.messages) messages.add(m);
    }
  }
  return [...messages];
}

describe('the step catalogue’s words', () => {
  const messages = everyMessage();

  it('covers a wide range of messages, gaps of every check included', () => {
    // Every checked step has something to say over these models.
    const said = new Set(
      MODELS.flatMap(([, model]) => {
        const phases = evaluatePhases(model, { thresholds: DEFAULT_THRESHOLDS, confirmations: {} });
        return PHASES.flatMap((p) => COMPONENTS.flatMap((c) => phases[p][c].steps.filter((s) => s.messages.length > 0)));
      }).map((s) => s.id),
    );
    expect(STEPS.filter((s) => !said.has(s.id)).map((s) => s.id)).toEqual([]);
    expect(messages.length).toBeGreaterThan(150);
  });

  it('has no doubled punctuation and no empty quotes in any of them', () => {
    expect(messages.filter((m) => DOUBLED.test(m))).toEqual([]);
  });

  it('names what the group left unnamed in words, and drops the full stop a name ends with', () => {
    expect(messages).toContain(
      'Add a champion to the steering committee without a name: the initial governance structure includes strong, credible champions.',
    );
    expect(messages).toContain('Baseline data without a statement has no source: say where the figure comes from.');
    expect(messages).toContain('Form a working group for the strategy "Zoning reform" (none yet).');
  });

  it('the rule itself catches what it is meant to', () => {
    for (const bad of ['Done..', 'Done. .', 'Yes,.', 'Note::', 'The group "Council.".', 'The committee "" has no members.'])
      expect(bad).toMatch(DOUBLED);
    for (const good of ['Add one (none yet).', 'The committee "Council." has 2 members.', 'Phase I: Initiate Action'])
      expect(good).not.toMatch(DOUBLED);
  });
});
