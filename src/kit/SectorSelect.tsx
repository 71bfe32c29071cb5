import { SECTORS, SECTOR_LABELS, type Sector } from '../../machines/domain.ts';
import type { SelectHTMLAttributes } from 'react';

interface Props extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'> {
  value: Sector | null;
  onChange: (sector: Sector | null) => void;
}

/**
 * The sector someone speaks for, in the stakeholder map's words
 * (machines/domain.ts `SECTOR_LABELS`), or none said: the members screen and
 * the join page both ask it this way.
 */
export function SectorSelect({ value, onChange, ...rest }: Props) {
  return (
    <select {...rest} value={value ?? ''} onChange={(event) => onChange(event.target.value ? (event.target.value as Sector) : null)}>
      <option value="">Not said</option>
      {SECTORS.map((sector) => (
        <option key={sector} value={sector}>
          {SECTOR_LABELS[sector]}
        </option>
      ))}
    </select>
  );
}
