import { useId, useState } from 'react';
import { UNIT_KINDS, UNIT_LABELS, unitKind } from '../../machines/measures/units.ts';
import { DraftInput } from './DraftInput.tsx';

const CUSTOM = 'custom';

/**
 * An indicator's unit: one of the unit kinds (whose values the server checks:
 * a percent within 0 to 100, a count a whole number) or a custom label typed
 * in a box ("visits", "tonnes"), which takes any number.
 */
export function UnitField({
  label,
  value,
  write,
  error,
}: {
  label: string;
  value: string;
  /** Answers false when the schema refused the unit. */
  write: (unit: string) => boolean;
  error: string | null;
}) {
  const id = useId();
  // "Custom…" chosen but nothing typed yet: the box shows before the unit changes.
  const [customChosen, setCustomChosen] = useState(false);
  const kind = unitKind(value);
  const custom = kind === null && (value !== '' || customChosen);
  return (
    <>
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <select
          id={id}
          value={kind ?? (custom ? CUSTOM : '')}
          onChange={(e) => {
            const next = e.target.value;
            setCustomChosen(next === CUSTOM);
            if (next !== CUSTOM) write(next);
          }}
        >
          <option value="">Not chosen yet</option>
          {UNIT_KINDS.map((k) => (
            <option key={k} value={k}>
              {UNIT_LABELS[k]}
            </option>
          ))}
          <option value={CUSTOM}>Custom…</option>
        </select>
      </div>
      {custom && (
        <DraftInput label="Custom unit" type="text" value={value} maxLength={100} onCommit={write} onCancel={() => setCustomChosen(false)} error={error} />
      )}
    </>
  );
}
