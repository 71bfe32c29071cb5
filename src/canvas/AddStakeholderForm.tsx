import { useId, useState, type FormEvent } from 'react';
import {
  SECTORS,
  SECTOR_LABELS,
  STAKEHOLDER_ROLES,
  STAKEHOLDER_ROLE_LABELS,
  isSector,
  isStakeholderRole,
  type Sector,
  type StakeholderRole,
} from '../../machines/domain.ts';

export interface StakeholderDraft {
  name: string;
  sector: Sector;
  role: StakeholderRole;
}

interface Props {
  onAdd: (draft: StakeholderDraft) => void;
}

/** The toolbar form that puts a new stakeholder on the map. */
export function AddStakeholderForm({ onAdd }: Props) {
  const id = useId();
  const [name, setName] = useState('');
  const [sector, setSector] = useState<Sector>('nonprofit');
  const [role, setRole] = useState<StakeholderRole>('partner');
  const [error, setError] = useState<string | null>(null);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!name.trim()) {
      setError('Give the stakeholder a name.');
      return;
    }
    try {
      onAdd({ name, sector, role });
      setName('');
      setError(null);
    } catch (problem) {
      setError(problem instanceof Error ? problem.message : String(problem));
    }
  }

  return (
    <form className="map-toolbar" onSubmit={submit} aria-label="Add a stakeholder to the map">
      <div className="field field--inline">
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          id={`${id}-name`}
          value={name}
          maxLength={200}
          placeholder="e.g. County health department"
          onChange={(event) => setName(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
      </div>
      <div className="field field--inline">
        <label htmlFor={`${id}-sector`}>Sector</label>
        <select
          id={`${id}-sector`}
          value={sector}
          onChange={(event) => isSector(event.target.value) && setSector(event.target.value)}
        >
          {SECTORS.map((value) => (
            <option key={value} value={value}>
              {SECTOR_LABELS[value]}
            </option>
          ))}
        </select>
      </div>
      <div className="field field--inline">
        <label htmlFor={`${id}-role`}>Role</label>
        <select
          id={`${id}-role`}
          value={role}
          onChange={(event) => isStakeholderRole(event.target.value) && setRole(event.target.value)}
        >
          {STAKEHOLDER_ROLES.map((value) => (
            <option key={value} value={value}>
              {STAKEHOLDER_ROLE_LABELS[value]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button--primary">
        Add stakeholder
      </button>
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
