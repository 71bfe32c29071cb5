/**
 * The two moves on the framework's versions, for those who steer the workflow
 * (leads, facilitators, the administrator): save the framework as it is now
 * under a name with what was learned (`framework.revise` with `version`), and
 * restore a saved version for a reason (`framework.restore`). A refusal from the
 * server (e.g. during Phase I) is shown in its own words beside the form.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import { VERSION_NAME_MAX_LENGTH } from '../../../../machines/events.ts';
import type { FrameworkVersionSummary } from '../../../contract/portfolio.ts';
import { closeDisclosure, NoteField } from '../../../workflow/NoteField.tsx';
import type { Outcome } from '../../../workflow/useCommands.ts';

export function SaveVersionForm({
  busy,
  onSave,
}: {
  busy: boolean;
  onSave: (name: string, note: string) => Promise<Outcome>;
}) {
  const id = useId();
  const [name, setName] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim() || !note.trim()) return;
    const outcome = await onSave(name.trim(), note.trim());
    if (!outcome.ok) return setError(outcome.error);
    setName('');
    setNote('');
    setError(null);
    closeDisclosure(form.current);
  }

  return (
    <form ref={form} className="fv-form" aria-label="Save a version" onSubmit={submit}>
      <div className="field">
        <label htmlFor={`${id}-name`}>Name of the version</label>
        <input
          id={`${id}-name`}
          value={name}
          maxLength={VERSION_NAME_MAX_LENGTH}
          required
          placeholder="e.g. After the first year’s data"
          onChange={(e) => {
            setName(e.target.value);
            setError(null);
          }}
        />
      </div>
      <NoteField
        id={`${id}-note`}
        label="What was learned"
        hint="Why the framework is as it is now: what the group learned since the last version."
        value={note}
        error={error}
        onChange={(value) => {
          setNote(value);
          setError(null);
        }}
      />
      <div className="fv-form__actions">
        <button
          type="submit"
          className="button button--small button--primary"
          disabled={busy || !name.trim() || !note.trim()}
        >
          Save version
        </button>
      </div>
    </form>
  );
}

interface RestoreProps {
  version: FrameworkVersionSummary;
  busy: boolean;
  onRestore: (reason: string) => Promise<Outcome>;
  onCancel: () => void;
}

export function RestoreForm({ version, busy, onRestore, onCancel }: RestoreProps) {
  const id = useId();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!reason.trim()) return;
    const outcome = await onRestore(reason.trim());
    if (!outcome.ok) setError(outcome.error);
  }

  return (
    <form className="fv-form fv-form--restore" aria-label={`Restore version ${version.number}`} onSubmit={submit}>
      <p className="wf-hint">
        The framework board becomes version {version.number} again. The framework as it is now is kept as a version of
        its own first, so restoring that one undoes this.
      </p>
      <NoteField
        id={`${id}-reason`}
        label="Why the group goes back to this version"
        value={reason}
        error={error}
        onChange={(value) => {
          setReason(value);
          setError(null);
        }}
      />
      <div className="fv-form__actions">
        <button type="submit" className="button button--small button--warning" disabled={busy || !reason.trim()}>
          Restore version {version.number}
        </button>
        <button type="button" className="button button--small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
