import { useId, useRef, useState, type FormEvent } from 'react';
import { Dialog } from 'radix-ui';
import {
  SECTORS,
  SECTOR_LABELS,
  STAKEHOLDER_ROLES,
  STAKEHOLDER_ROLE_LABELS,
  isSector,
  isStakeholderRole,
  type Sector,
  type StakeholderRole,
} from '../../../machines/domain.ts';
import { FIELDS } from '../../schema/index.ts';
import type { StakeholderFilters } from './elements.ts';

/** The sectors and the roles as options, in the domain's order (the filters and the add form list the same). */
const SECTOR_OPTIONS = SECTORS.map((s) => (
  <option key={s} value={s}>
    {SECTOR_LABELS[s]}
  </option>
));
const ROLE_OPTIONS = STAKEHOLDER_ROLES.map((r) => (
  <option key={r} value={r}>
    {STAKEHOLDER_ROLE_LABELS[r]}
  </option>
));

interface Props {
  filters: StakeholderFilters;
  onChange: (filters: StakeholderFilters) => void;
}

/** Filters by sector and role, and the power–interest quadrants. */
export function StakeholderTools({ filters, onChange }: Props) {
  const id = useId();
  return (
    <div className="board-toolbar__group" role="group" aria-label="Filters and grid">
      <label htmlFor={`${id}-sector`} className="board-toolbar__label">
        Sector
      </label>
      <select
        id={`${id}-sector`}
        value={filters.sector}
        onChange={(e) => onChange({ ...filters, sector: isSector(e.target.value) ? e.target.value : 'all' })}
      >
        <option value="all">All sectors</option>
        {SECTOR_OPTIONS}
      </select>
      <label htmlFor={`${id}-role`} className="board-toolbar__label">
        Role
      </label>
      <select
        id={`${id}-role`}
        value={filters.role}
        onChange={(e) => onChange({ ...filters, role: isStakeholderRole(e.target.value) ? e.target.value : 'all' })}
      >
        <option value="all">All roles</option>
        {ROLE_OPTIONS}
      </select>
      <label className="board-toolbar__check">
        <input type="checkbox" checked={filters.grid} onChange={(e) => onChange({ ...filters, grid: e.target.checked })} />
        Power–interest quadrants
      </label>
    </div>
  );
}

export interface NewStakeholderFields {
  name: string;
  sector: Sector;
  role: StakeholderRole;
}

interface AddProps {
  open: boolean;
  /** The sector filter in use: the form starts on it. */
  sector: Sector | 'all';
  /** The role the form starts on (default: partner, which no step counts). */
  role?: StakeholderRole;
  onAdd: (fields: NewStakeholderFields) => void;
  onCancel: () => void;
}

const NAME_MAX = FIELDS.stakeholder.name.type === 'text' ? FIELDS.stakeholder.name.max : 200;

/**
 * The add form: a new stakeholder's name, sector and role, chosen on purpose
 * (no sector is preselected unless the map is filtered to one; the role starts
 * on partner, so nobody becomes a champion or an anchor funder by default).
 */
export function AddStakeholderDialog({ open, sector, role = 'partner', onAdd, onCancel }: AddProps) {
  // Once added, the new card's panel takes the focus rather than the button that opened the form.
  const added = useRef(false);
  const send = (fields: NewStakeholderFields) => {
    added.current = true;
    onAdd(fields);
  };
  return (
    <Dialog.Root open={open} onOpenChange={(next) => !next && onCancel()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content
          className="dialog"
          aria-describedby={undefined}
          onOpenAutoFocus={() => (added.current = false)}
          onCloseAutoFocus={(event) => added.current && event.preventDefault()}
        >
          <Dialog.Title>Add a stakeholder</Dialog.Title>
          {open && <AddStakeholderForm sector={sector} role={role} onAdd={send} onCancel={onCancel} />}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function AddStakeholderForm({ sector, role, onAdd, onCancel }: Omit<AddProps, 'open'> & { role: StakeholderRole }) {
  const id = useId();
  const [name, setName] = useState('');
  const [chosenSector, setChosenSector] = useState<Sector | ''>(sector === 'all' ? '' : sector);
  const [chosenRole, setChosenRole] = useState<StakeholderRole>(role);
  const [error, setError] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) return setError('Give the stakeholder a name.');
    if (!chosenSector) return setError('Choose the sector this stakeholder comes from.');
    onAdd({ name: name.trim(), sector: chosenSector, role: chosenRole });
  }

  return (
    <form onSubmit={submit} aria-label="Add a stakeholder" noValidate>
      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          id={`${id}-name`}
          value={name}
          maxLength={NAME_MAX}
          autoFocus
          required
          onChange={(e) => setName(e.target.value)}
          aria-invalid={error && !name.trim() ? true : undefined}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-sector`}>Sector</label>
        <select
          id={`${id}-sector`}
          value={chosenSector}
          required
          onChange={(e) => setChosenSector(isSector(e.target.value) ? e.target.value : '')}
          aria-invalid={error && !chosenSector ? true : undefined}
        >
          <option value="">Choose a sector…</option>
          {SECTOR_OPTIONS}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-role`}>Role</label>
        <select
          id={`${id}-role`}
          value={chosenRole}
          onChange={(e) => isStakeholderRole(e.target.value) && setChosenRole(e.target.value)}
        >
          {ROLE_OPTIONS}
        </select>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog__actions">
        <button type="submit" className="button button--primary">
          Add to the map
        </button>
        <button type="button" className="button button--ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
