import { useId } from 'react';
import {
  SECTORS,
  SECTOR_LABELS,
  STAKEHOLDER_ROLES,
  STAKEHOLDER_ROLE_LABELS,
  isSector,
  isStakeholderRole,
} from '../../../machines/domain.ts';
import type { StakeholderFilters } from './elements.ts';

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
        {SECTORS.map((s) => (
          <option key={s} value={s}>
            {SECTOR_LABELS[s]}
          </option>
        ))}
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
        {STAKEHOLDER_ROLES.map((r) => (
          <option key={r} value={r}>
            {STAKEHOLDER_ROLE_LABELS[r]}
          </option>
        ))}
      </select>
      <label className="board-toolbar__check">
        <input type="checkbox" checked={filters.grid} onChange={(e) => onChange({ ...filters, grid: e.target.checked })} />
        Power–interest quadrants
      </label>
    </div>
  );
}
