import { useMemo } from 'react';
import { STAGE_LABELS } from '../../machines/index.ts';
import type { FixTarget } from '../kit/focus.ts';
import type { InitiativeDoc } from '../schema/index.ts';
import type { Guide } from './FixLink.tsx';
import { fixTarget, followableBy } from './fixTargets.ts';
import { PhaseMatrix } from './PhaseMatrix.tsx';
import { PhaseNavigator } from './PhaseNavigator.tsx';
import { ReadinessStage } from './ReadinessStage.tsx';
import { ScopeSection } from './ScopeSection.tsx';
import { can, whoMay } from '../contract/permissions.ts';
import { currentPhase } from './status.ts';
import { ThresholdsForm } from './ThresholdsForm.tsx';
import { useCommands, type Send } from './useCommands.ts';
import { useLiveEvaluation } from './useLiveEvaluation.ts';
import { useWorkflow } from './useWorkflow.ts';
import { WorkflowErrors } from './WorkflowErrors.tsx';
import { WorkflowTimeline } from './WorkflowTimeline.tsx';
import './workflow.css';
import './readiness.css';

interface Props {
  initiativeId: string;
  /** The initiative's shared document: what is missing is evaluated against it live. */
  doc: InitiativeDoc;
  /** The viewer's role: lead, facilitator and admin move the workflow; participants and observers follow it. */
  role: string;
  /**
   * Called when a person follows an unmet item: the workspace opens the board and
   * selects what to fix (or opens its add form). Without it, items are plain text.
   */
  onFix?: (target: FixTarget) => void;
}

const INTRO: Record<string, string> = {
  readiness: 'Before launch, the group checks the three preconditions for collective impact.',
  initiate:
    'Understand the landscape of key players and the work under way, gather baseline data to make the case for change, and form an initial governance structure with strong, credible champions.',
  organize:
    'Agree common goals and shared measures, create the backbone infrastructure, and begin aligning the participating organisations.',
  sustain:
    'Pursue the prioritised areas for action together, collect data systematically, and keep learning and correcting course.',
};

/**
 * The workflow side panel: the stage, the phase navigator (the matrix of
 * components and phases, what is missing, the current steps), the moves the
 * viewer's role allows, and the history. The server pushes a new view whenever
 * an event is accepted or the document changes what the steps need; the browser
 * also evaluates its own live copy, so an edit shows here at once. With `onFix`,
 * each unmet item leads to the board where it is fixed (fixTargets.ts).
 */
export function WorkflowPanel({ initiativeId, doc, role, onFix }: Props) {
  const { workflow: view, loadError, accept } = useWorkflow(initiativeId);
  const { evaluation, model } = useLiveEvaluation(view, doc);
  const mayEdit = can(role, 'editCanvas');
  const guide = useMemo<Guide | undefined>(
    () => onFix && { targetOf: (item) => followableBy(fixTarget(item, model), mayEdit), onFix },
    [onFix, model, mayEdit],
  );
  const { send, busy, refusal } = useCommands(initiativeId, accept);
  const steer: Send | undefined = can(role, 'steerWorkflow') ? send : undefined;

  if (!view || !evaluation) {
    return (
      <section className="wf-panel readiness-panel" aria-label="Workflow">
        {loadError ? (
          <p className="notice notice--error" role="alert">
            {loadError}
          </p>
        ) : (
          <p className="muted">Loading the workflow…</p>
        )}
      </section>
    );
  }

  const phase = currentPhase(view.stage);

  return (
    <section className="wf-panel readiness-panel" aria-label="Workflow">
      <header className="readiness-panel__header">
        <p className="eyebrow">Current stage</p>
        <h2 id="readiness-title" data-testid="workflow-stage">
          {STAGE_LABELS[view.stage] ?? view.stageLabel}
        </h2>
        <p className="muted">{INTRO[view.stage]}</p>
        {!steer && phase && (
          <p className="wf-hint">{whoMay('steerWorkflow', { startOfSentence: true })} moves the workflow; you see every change here as it happens.</p>
        )}
      </header>

      <WorkflowErrors refusal={refusal} />

      {phase === null ? (
        <>
          <ReadinessStage view={view} unmet={evaluation.unmet} send={steer} busy={busy} />
          <details className="disclosure wf-navigator">
            <summary>The three phases ahead</summary>
            <PhaseMatrix components={evaluation.components} current={null} />
          </details>
        </>
      ) : (
        <>
          <section className="wf-navigator" aria-labelledby="wf-navigator-title">
            <h3 id="wf-navigator-title" className="section-title">
              Phase navigator
            </h3>
            <PhaseMatrix components={evaluation.components} current={phase} />
          </section>
          <PhaseNavigator phase={phase} evaluation={evaluation} send={steer} busy={busy} guide={guide} />
          {phase !== 'sustain' && (
            <ScopeSection
              scope={view.scope}
              estimate={evaluation.estimate}
              busy={busy}
              onSave={steer && ((answers, note) => steer({ type: 'readiness.scope', ...answers, ...(note ? { note } : {}) }))}
            />
          )}
        </>
      )}

      <ThresholdsForm
        thresholds={view.thresholds}
        busy={busy}
        onSave={steer && ((thresholds) => steer({ type: 'settings.thresholds', thresholds }))}
      />

      <WorkflowTimeline history={view.history} />
    </section>
  );
}

export default WorkflowPanel;
