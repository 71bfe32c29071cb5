/**
 * An indicator's settings on the server: its access level and data stewards
 * (for whoever may configure: the backbone lead), its baseline and target (for
 * whoever may enter values), read only for everyone else.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { formatValue, readNumber, valueProblem } from '../../machines/measures/units.ts';
import { isRealDate } from '../../machines/measures/periods.ts';
import type { MemberEntry } from '../contract/answers.ts';
import {
  ACCESS_LEVEL_LABELS,
  ACCESS_LEVELS,
  type AccessLevel,
  type DatedValue,
  type IndicatorSettingsView,
} from '../contract/measureAccess.ts';
import { can } from '../contract/permissions.ts';
import { roleLabel } from '../contract/roles.ts';
import { api } from '../kit/api.ts';
import type { IndicatorInfo } from './indicators.ts';
import { messageOf } from './ReportLinks.tsx';

interface Props {
  initiativeId: string;
  indicator: IndicatorInfo;
  settings: IndicatorSettingsView;
  onChanged: () => void;
}

export function IndicatorSettings({ initiativeId, indicator, settings, onChanged }: Props) {
  return (
    <div className="indicator-settings">
      {settings.rights.configure ? (
        <AccessForm initiativeId={initiativeId} indicator={indicator} settings={settings} onChanged={onChanged} />
      ) : (
        <dl className="indicator-settings__facts">
          <dt>Access</dt>
          <dd>{ACCESS_LEVEL_LABELS[settings.access]}</dd>
          <dt>Data stewards</dt>
          <dd>{settings.stewards.length ? settings.stewards.map((s) => s.name).join(', ') : 'None yet'}</dd>
        </dl>
      )}
      {settings.rights.enter ? (
        <TargetsForm initiativeId={initiativeId} indicator={indicator} settings={settings} onChanged={onChanged} />
      ) : (
        <dl className="indicator-settings__facts">
          <dt>Baseline</dt>
          <dd>{dated(settings.baseline, indicator.unit)}</dd>
          <dt>Target</dt>
          <dd>{dated(settings.target, indicator.unit)}</dd>
        </dl>
      )}
    </div>
  );
}

function dated(value: DatedValue | null, unit: string): string {
  if (!value) return 'Not set';
  return `${formatValue(value.value, unit)}${value.date ? ` (${value.date})` : ''}`;
}

function AccessForm({ initiativeId, indicator, settings, onChanged }: Props) {
  const id = useId();
  const [access, setAccess] = useState<AccessLevel>(settings.access);
  const [stewards, setStewards] = useState<string[]>(settings.stewards.map((s) => s.id));
  const [members, setMembers] = useState<MemberEntry[] | null>(null);
  const [state, setState] = useState<{ saving: boolean; message: string | null; error: string | null }>({
    saving: false,
    message: null,
    error: null,
  });
  useEffect(() => {
    api
      .listMembers(initiativeId)
      .then(setMembers, (problem: unknown) => setState((s) => ({ ...s, error: messageOf(problem) })));
  }, [initiativeId]);
  // What the server says now, when it changes under the form (another lead, another tab).
  const serverKey = `${settings.access}|${settings.stewards.map((s) => s.id).join(',')}`;
  const [seen, setSeen] = useState(serverKey);
  if (seen !== serverKey) {
    setSeen(serverKey);
    setAccess(settings.access);
    setStewards(settings.stewards.map((s) => s.id));
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    setState({ saving: true, message: null, error: null });
    try {
      await api.changeIndicatorSettings(initiativeId, indicator.id, { access, stewards });
      setState({ saving: false, message: 'Access and data stewards saved.', error: null });
      onChanged();
    } catch (problem) {
      setState({ saving: false, message: null, error: messageOf(problem) });
    }
  }

  // Only who may edit can report data (not observers); stewards already chosen stay listed so they can be removed.
  const candidates = (members ?? []).filter((m) => can(m.role, 'editCanvas') || stewards.includes(m.id));
  return (
    <form
      className="indicator-settings__form"
      onSubmit={(event) => void save(event)}
      aria-label="Access and data stewards"
    >
      <div className="field">
        <label htmlFor={`${id}-access`}>Who sees its values</label>
        <select id={`${id}-access`} value={access} onChange={(event) => setAccess(event.target.value as AccessLevel)}>
          {ACCESS_LEVELS.map((level) => (
            <option key={level} value={level}>
              {ACCESS_LEVEL_LABELS[level]}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="indicator-settings__stewards">
        <legend>Data stewards (the partners who report it)</legend>
        {!members && !state.error && <p className="muted">Loading the members…</p>}
        {members && candidates.length === 0 && <p className="muted">No members who can report data yet.</p>}
        {candidates.map((member) => (
          <label key={member.id} className="checkbox">
            <input
              type="checkbox"
              checked={stewards.includes(member.id)}
              onChange={(event) =>
                setStewards((now) => (event.target.checked ? [...now, member.id] : now.filter((s) => s !== member.id)))
              }
            />{' '}
            {member.name ?? 'Member'}{' '}
            <span className="muted">
              ({roleLabel(member.role)}
              {member.organisation ? `, ${member.organisation}` : ''})
            </span>
          </label>
        ))}
      </fieldset>
      <button type="submit" className="button" disabled={state.saving}>
        Save access and stewards
      </button>
      <Outcome message={state.message} error={state.error} />
    </form>
  );
}

function TargetsForm({ initiativeId, indicator, settings, onChanged }: Props) {
  const id = useId();
  const [fields, setFields] = useState(() => fieldsOf(settings));
  const serverKey = JSON.stringify([settings.baseline, settings.target]);
  const [seen, setSeen] = useState(serverKey);
  if (seen !== serverKey) {
    setSeen(serverKey);
    setFields(fieldsOf(settings));
  }
  const [state, setState] = useState<{ saving: boolean; message: string | null; error: string | null }>({
    saving: false,
    message: null,
    error: null,
  });

  function read(which: 'baseline' | 'target'): DatedValue | null | string {
    const typed = fields[`${which}Value`];
    const date = fields[`${which}Date`].trim();
    if (typed.trim() === '' && date === '') return null;
    if (typed.trim() === '') return `The ${which} needs a number.`;
    const read = readNumber(typed);
    if ('problem' in read) return `The ${which}: ${read.problem}`;
    const { value } = read;
    const problem = valueProblem(value, indicator.unit);
    if (problem) return `The ${which}: ${problem}`;
    if (date !== '' && !isRealDate(date)) return `The ${which}’s date: write it as YYYY-MM-DD, a real day.`;
    return { value, date: date || null };
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    const baseline = read('baseline');
    const target = read('target');
    const problem = [baseline, target].find((v): v is string => typeof v === 'string');
    if (problem) {
      setState({ saving: false, message: null, error: problem });
      return;
    }
    setState({ saving: true, message: null, error: null });
    try {
      await api.changeIndicatorSettings(initiativeId, indicator.id, {
        baseline: baseline as DatedValue | null,
        target: target as DatedValue | null,
      });
      setState({ saving: false, message: 'Baseline and target saved.', error: null });
      onChanged();
    } catch (problem) {
      setState({ saving: false, message: null, error: messageOf(problem) });
    }
  }

  const input = (name: keyof typeof fields, label: string, type: 'text' | 'date') => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        type={type}
        inputMode={type === 'text' ? 'decimal' : undefined}
        value={fields[name]}
        onChange={(event) => setFields((now) => ({ ...now, [name]: event.target.value }))}
      />
    </div>
  );
  return (
    <form className="indicator-settings__form" onSubmit={(event) => void save(event)} aria-label="Baseline and target">
      <div className="indicator-settings__pair">
        {input('baselineValue', 'Baseline value', 'text')}
        {input('baselineDate', 'Baseline date', 'date')}
      </div>
      <div className="indicator-settings__pair">
        {input('targetValue', 'Target value', 'text')}
        {input('targetDate', 'Target date', 'date')}
      </div>
      <button type="submit" className="button" disabled={state.saving}>
        Save baseline and target
      </button>
      <Outcome message={state.message} error={state.error} />
    </form>
  );
}

function fieldsOf(settings: IndicatorSettingsView) {
  return {
    baselineValue: settings.baseline ? String(settings.baseline.value) : '',
    baselineDate: settings.baseline?.date ?? '',
    targetValue: settings.target ? String(settings.target.value) : '',
    targetDate: settings.target?.date ?? '',
  };
}

function Outcome({ message, error }: { message: string | null; error: string | null }) {
  return (
    <>
      <p role="status" className="indicator-settings__saved">
        {message}
      </p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
