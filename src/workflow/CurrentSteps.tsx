import { COMPONENTS, PHASE_LABELS, type Phase, type PhaseEvaluation } from '../../machines/index.ts';
import type { Guide } from './FixLink.tsx';
import { StepItem } from './StepItem.tsx';
import type { Outcome } from './useCommands.ts';

interface Props {
  phase: Phase;
  evaluation: PhaseEvaluation;
  /** Present when the viewer may confirm judgement steps. */
  onConfirm?: (stepId: string, note: string) => Promise<Outcome>;
  busy: boolean;
  guide?: Guide;
}

/** The current phase's steps, component by component, with guidance and what is missing. */
export function CurrentSteps({ phase, evaluation, onConfirm, busy, guide }: Props) {
  return (
    <section className="wf-steps" aria-labelledby="wf-steps-title">
      <h3 id="wf-steps-title" className="section-title">
        Steps of {PHASE_LABELS[phase]}
      </h3>
      {COMPONENTS.map((component) => {
        const cell = evaluation[component];
        const headingId = `wf-component-${component}`;
        return (
          <section key={component} className="wf-component" aria-labelledby={headingId}>
            <h4 id={headingId}>
              {cell.label}
              <span className="wf-component__state">{cell.complete ? ' · complete' : ''}</span>
            </h4>
            <p className="wf-component__goal">{cell.goal}</p>
            <ul className="wf-step-list">
              {cell.steps.map((step) => (
                <StepItem
                  key={step.id}
                  step={step}
                  busy={busy}
                  guide={guide}
                  onConfirm={onConfirm && step.kind === 'confirm' ? (note) => onConfirm(step.id, note) : undefined}
                />
              ))}
            </ul>
          </section>
        );
      })}
    </section>
  );
}
