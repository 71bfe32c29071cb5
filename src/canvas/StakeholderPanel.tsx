import { useId, useState, type FormEvent } from 'react';
import {
  SECTORS,
  SECTOR_LABELS,
  STAKEHOLDER_ROLES,
  STAKEHOLDER_ROLE_LABELS,
  isSector,
  isStakeholderRole,
  type Stakeholder,
} from '../../machines/domain.ts';
import type { StakeholderPatch } from '../schema/index.ts';

interface Props {
  stakeholder: Stakeholder;
  editable: boolean;
  onChange: (patch: StakeholderPatch) => void;
  onDelete: () => void;
  onClose: () => void;
}

/** Details of the selected stakeholder: editable for editors, plain text for observers. */
export function StakeholderPanel({ stakeholder, editable, onChange, onDelete, onClose }: Props) {
  return (
    <aside className="stakeholder-panel" aria-labelledby="stakeholder-panel-title">
      <div className="stakeholder-panel__header">
        <h3 id="stakeholder-panel-title">Stakeholder</h3>
        <button type="button" className="button button--ghost button--small" onClick={onClose}>
          Close
        </button>
      </div>
      {editable ? (
        <StakeholderFields key={stakeholder.id} stakeholder={stakeholder} onChange={onChange} onDelete={onDelete} />
      ) : (
        <dl className="stakeholder-panel__facts">
          <dt>Name</dt>
          <dd>{stakeholder.name}</dd>
          <dt>Sector</dt>
          <dd>{SECTOR_LABELS[stakeholder.sector]}</dd>
          <dt>Role</dt>
          <dd>{STAKEHOLDER_ROLE_LABELS[stakeholder.role]}</dd>
        </dl>
      )}
    </aside>
  );
}

function StakeholderFields({
  stakeholder,
  onChange,
  onDelete,
}: {
  stakeholder: Stakeholder;
  onChange: (patch: StakeholderPatch) => void;
  onDelete: () => void;
}) {
  const id = useId();
  // The name is edited as a draft and written on blur or Enter, so a remote
  // rename never jumps under the cursor; when not editing, show the document's name.
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  function commitName() {
    if (draft === null) return;
    if (!draft.trim()) {
      setError('A stakeholder needs a name.');
      return;
    }
    try {
      if (draft.trim() !== stakeholder.name) onChange({ name: draft });
      setDraft(null);
      setError(null);
    } catch (problem) {
      setError(problem instanceof Error ? problem.message : String(problem));
    }
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    commitName();
  }

  return (
    <form className="stakeholder-panel__form" onSubmit={submit}>
      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          id={`${id}-name`}
          value={draft ?? stakeholder.name}
          maxLength={200}
          onChange={(event) => setDraft(event.target.value)}
          onBlur={commitName}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              setDraft(null);
              setError(null);
            }
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        {error && (
          <p id={`${id}-error`} className="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-sector`}>Sector</label>
        <select
          id={`${id}-sector`}
          value={stakeholder.sector}
          onChange={(event) => isSector(event.target.value) && onChange({ sector: event.target.value })}
        >
          {SECTORS.map((value) => (
            <option key={value} value={value}>
              {SECTOR_LABELS[value]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-role`}>Role</label>
        <select
          id={`${id}-role`}
          value={stakeholder.role}
          onChange={(event) => isStakeholderRole(event.target.value) && onChange({ role: event.target.value })}
        >
          {STAKEHOLDER_ROLES.map((value) => (
            <option key={value} value={value}>
              {STAKEHOLDER_ROLE_LABELS[value]}
            </option>
          ))}
        </select>
      </div>
      <button type="button" className="button button--danger" onClick={onDelete}>
        Delete stakeholder
      </button>
    </form>
  );
}
