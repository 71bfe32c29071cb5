/**
 * Every unmet item the navigator lists leads somewhere: the board where it is
 * fixed, with the cards it is about selected, or the add form with the right
 * fields preset.
 */
import { describe, expect, it } from 'vitest';
import {
  BOARD_KINDS,
  COMPONENTS,
  DEFAULT_THRESHOLDS,
  evaluatePhases,
  ENTITY_KINDS,
  PHASES,
  STEPS,
  unmetPreconditions,
  EMPTY_READINESS,
  type Entity,
  type InitiativeModel,
  type Thresholds,
} from '../../machines/index.ts';
import type { FixTarget } from '../../src/kit/focus.ts';
import { fixLabel, fixTarget, followableBy } from '../../src/workflow/fixTargets.ts';
import { allBuilt, halfBuilt, ModelBuilder, phaseOneBuilt, phaseTwoBuilt } from '../machines/models.ts';

const MODELS: InitiativeModel[] = [
  new ModelBuilder().model,
  phaseOneBuilt().model,
  phaseTwoBuilt().model,
  allBuilt().model,
  halfBuilt((n) => n),
  halfBuilt((n) => `${n}.`),
  halfBuilt(() => ''),
];
const LOW = { ...DEFAULT_THRESHOLDS, minMeasurements: 2, minAffected: 2 } satisfies Thresholds;

function entityById(model: InitiativeModel, id: string): Entity | undefined {
  for (const kind of ENTITY_KINDS) {
    const found = (model.entities[kind] as Entity[]).find((e) => e.id === id);
    if (found) return found;
  }
  return undefined;
}

const unmetOf = (model: InitiativeModel, thresholds: Thresholds = DEFAULT_THRESHOLDS) => {
  const phases = evaluatePhases(model, { thresholds, confirmations: {} });
  return PHASES.flatMap((p) =>
    COMPONENTS.flatMap((c) => phases[p][c].steps.flatMap((s) => s.messages.map((message) => ({ step: s.id, message })))),
  );
};

describe('fixTarget', () => {
  it('leads every unmet check to its board: the cards it names selected, or an add form of a kind that board shows', () => {
    let checked = 0;
    for (const model of MODELS) {
      for (const thresholds of [DEFAULT_THRESHOLDS, LOW]) {
        for (const item of unmetOf(model, thresholds)) {
          if (STEPS.find((s) => s.id === item.step)!.confirm) continue;
          const target = fixTarget(item, model);
          expect({ item, target: target !== null }).toEqual({ item, target: true });
          if (target!.add) expect(BOARD_KINDS[target!.board]).toContain(target!.add.kind);
          for (const id of target!.select ?? []) {
            const entity = entityById(model, id);
            expect({ item, id, found: !!entity }).toEqual({ item, id, found: true });
            expect(BOARD_KINDS[target!.board]).toContain(entity!.kind);
          }
          expect(!!target!.add !== !!target!.select?.length).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('opens the add form with the role preset for people affected by the issue and for champions', () => {
    const blank = new ModelBuilder().model;
    expect(
      fixTarget(
        { step: 'initiate.planning.landscape', message: 'Add at least one person affected by the issue to the stakeholder map (none yet).' },
        blank,
      ),
    ).toEqual({ board: 'stakeholders', add: { kind: 'stakeholder', preset: { role: 'affected' } } });
    const [champion] = unmetOf(blank).filter((u) => u.step === 'initiate.governance.champion');
    expect(fixTarget(champion, blank)).toEqual({
      board: 'stakeholders',
      add: { kind: 'stakeholder', preset: { role: 'champion' } },
    });
  });

  it('selects the steering committee that lacks a champion, and offers a new committee when there is none', () => {
    const b = new ModelBuilder();
    const people = [b.stakeholder('Mayor', 'government'), b.stakeholder('Clinic', 'health'), b.stakeholder('School', 'education')];
    const council = b.group('Coordinating council', 'steering-committee', { memberIds: people.map((p) => p.id) });
    const [item] = unmetOf(b.model).filter((u) => u.step === 'initiate.governance.group');
    expect(item.message).toMatch(/Add a champion to the steering committee "Coordinating council"/);
    expect(fixTarget(item, b.model)).toEqual({ board: 'governance', select: [council.id] });

    const blank = new ModelBuilder().model;
    const [none] = unmetOf(blank).filter((u) => u.step === 'initiate.governance.group');
    expect(fixTarget(none, blank)).toEqual({
      board: 'governance',
      add: { kind: 'group', preset: { groupKind: 'steering-committee' } },
    });
  });

  it('selects exactly the baseline item a message is about', () => {
    const b = new ModelBuilder();
    b.baseline('Families in shelters', 'HUD count', '2025-01-31');
    const undated = b.baseline('Children missing school', 'District records', '');
    const [item] = unmetOf(b.model).filter((u) => u.message.includes('has no date'));
    expect(fixTarget(item, b.model)).toEqual({ board: 'framework', select: [undated.id] });
  });

  it('offers a sector nobody on the map comes from yet', () => {
    const b = new ModelBuilder();
    b.stakeholder('Mayor', 'government');
    const [item] = unmetOf(b.model).filter((u) => u.message.startsWith('Get the system in the room'));
    expect(fixTarget(item, b.model)).toEqual({ board: 'stakeholders', add: { kind: 'stakeholder', preset: { sector: 'business' } } });
  });

  it('leads nowhere for a judgement to confirm or a readiness precondition', () => {
    const blank = new ModelBuilder().model;
    expect(fixTarget({ step: 'initiate.community.outreach', message: 'Not confirmed yet.' }, blank)).toBeNull();
    for (const u of unmetPreconditions(EMPTY_READINESS)) expect(fixTarget(u, blank)).toBeNull();
  });

  it('says what following it does', () => {
    expect(fixLabel({ board: 'stakeholders', add: { kind: 'stakeholder' } })).toBe('Add to Stakeholder map');
    expect(fixLabel({ board: 'governance', select: ['g1'] })).toBe('Open Governance');
  });
});

describe('followableBy', () => {
  const add: FixTarget = { board: 'stakeholders', add: { kind: 'stakeholder', preset: { role: 'affected' } } };
  const select: FixTarget = { board: 'governance', select: ['g1'] };

  it('takes someone who cannot edit to the board to look, never to an add form', () => {
    expect(followableBy(add, false)).toEqual({ board: 'stakeholders' });
    expect(fixLabel(followableBy(add, false)!)).toBe('Open Stakeholder map');
  });

  it('leaves editors their add form, and selections for everyone', () => {
    expect(followableBy(add, true)).toEqual(add);
    expect(followableBy(select, false)).toEqual(select);
    expect(followableBy(null, false)).toBeNull();
  });
});
