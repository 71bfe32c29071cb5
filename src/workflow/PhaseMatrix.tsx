import { COMPONENT_LABELS, COMPONENTS, PHASE_LABELS, PHASES, type Phase, type WorkflowComponents } from '../../machines/index.ts';
import { CELL_STATUS_LABELS, cellStatus, metCount, phaseParts, phaseReached } from './status.ts';

const GLYPHS = { met: '✓', 'in-progress': '◐', 'not-started': '○' } as const;

interface Props {
  components: WorkflowComponents;
  /** The phase the initiative is in; null during the readiness assessment. */
  current: Phase | null;
}

/**
 * The table "Components for success across the phases": one row per component,
 * one column per phase, each cell saying in words whether it is met, in
 * progress or not started, with the current phase marked.
 */
export function PhaseMatrix({ components, current }: Props) {
  return (
    <table className="wf-matrix">
      <caption>
        Components for success across the phases
        {current ? `: the initiative is in ${PHASE_LABELS[current]}` : ': the phases start after the readiness assessment'}
      </caption>
      <thead>
        <tr>
          <td className="wf-matrix__corner" />
          {PHASES.map((phase) => {
            const [numeral, name] = phaseParts(PHASE_LABELS[phase]);
            return (
              <th
                key={phase}
                scope="col"
                className={phase === current ? 'wf-matrix__current' : undefined}
                aria-current={phase === current ? 'step' : undefined}
              >
                <span className="wf-matrix__numeral">{numeral}</span>{' '}
                <span className="wf-matrix__phase-name">{name}</span>
                {phase === current && <span className="wf-matrix__now"> (current phase)</span>}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {COMPONENTS.map((component) => (
          <tr key={component}>
            <th scope="row">{COMPONENT_LABELS[component]}</th>
            {PHASES.map((phase) => {
              const cell = components[phase][component];
              const reached = phaseReached(phase, current);
              const status = cellStatus(cell, reached);
              return (
                <td
                  key={phase}
                  className={`wf-cell wf-cell--${status}${phase === current ? ' wf-matrix__current' : ''}`}
                  data-testid={`cell-${phase}-${component}`}
                >
                  <span className="wf-cell__glyph" aria-hidden="true">
                    {GLYPHS[status]}
                  </span>{' '}
                  <span className="wf-cell__status">{CELL_STATUS_LABELS[status]}</span>
                  <span className="wf-cell__count">
                    {' '}
                    ({metCount(cell)} of {cell.steps.length} {cell.steps.length === 1 ? 'step' : 'steps'}
                    {reached ? '' : ' ready'})
                  </span>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
