// NoteField's hint and refusal styles live with the workflow's forms.
import '../../../workflow/workflow.css';
import './versions.css';
import { useEffect, useId, useRef, useState } from 'react';
import { Dialog } from 'radix-ui';
import { can } from '../../../contract/permissions.ts';
import { CURRENT_FRAMEWORK, type FrameworkVersionSummary } from '../../../contract/portfolio.ts';
import { formatMoment } from '../../../kit/when.ts';
import type { InitiativeDoc } from '../../../schema/index.ts';
import { useCommands, type Outcome } from '../../../workflow/useCommands.ts';
import { useWorkflow } from '../../../workflow/useWorkflow.ts';
import { Comparison } from './Comparison.tsx';
import { RestoreForm, SaveVersionForm } from './forms.tsx';
import { useVersions } from './useVersions.ts';

interface Props {
  initiativeId: string;
  doc: InitiativeDoc;
  role: string;
}

/**
 * The framework board's "Versions" button and the sheet it opens beside the
 * board: the timeline of saved versions, saving one, comparing any two (or one
 * and now) side by side, and restoring one. Leads, facilitators and the
 * administrator save and restore; everyone who sees the board compares.
 * Not modal: the board stays usable while the sheet is open.
 */
export function VersionsButton(props: Props) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen} modal={false}>
      <Dialog.Trigger asChild>
        <button type="button" className="button button--small fv-open" aria-pressed={open}>
          Versions
        </button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Content className="fv-sheet" onInteractOutside={(event) => event.preventDefault()}>
          <VersionsSheet {...props} />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function VersionsSheet({ initiativeId, doc, role }: Props) {
  const id = useId();
  const steer = can(role, 'steerWorkflow');
  const { versions, error } = useVersions(initiativeId);
  const { accept } = useWorkflow(initiativeId);
  const { send, busy } = useCommands(initiativeId, accept);
  const [compare, setCompare] = useState<{ from: string; to: string } | null>(null);
  const [restoring, setRestoring] = useState<string | null>(null);
  /** What the viewer's last move did, said once it is done. */
  const [done, setDone] = useState<string | null>(null);
  const compareRef = useRef<HTMLElement>(null);
  const [reveal, setReveal] = useState(0);
  useEffect(() => {
    if (reveal > 0) compareRef.current?.scrollIntoView({ block: 'start' });
  }, [reveal]);

  const list = versions ?? [];
  const pair = compare ?? { from: list[0]?.id ?? CURRENT_FRAMEWORK, to: CURRENT_FRAMEWORK };
  const save = async (name: string, note: string): Promise<Outcome> => {
    const outcome = await send({ type: 'framework.revise', note, part: 'framework', version: name });
    if (outcome.ok) setDone(`Saved the framework as “${name}”.`);
    return outcome;
  };
  const restore = async (version: FrameworkVersionSummary, reason: string): Promise<Outcome> => {
    const outcome = await send({ type: 'framework.restore', version: version.id, reason });
    if (outcome.ok) {
      setRestoring(null);
      setCompare(null);
      setDone(
        `Restored version ${version.number}, “${version.name}”: the board shows it now. The framework as it was is kept as a version.`,
      );
    }
    return outcome;
  };

  return (
    <>
      <header className="fv-sheet__head">
        <Dialog.Title className="fv-sheet__title">Framework versions</Dialog.Title>
        <Dialog.Close asChild>
          <button type="button" className="button button--small">
            Close
          </button>
        </Dialog.Close>
      </header>
      <Dialog.Description className="fv-sheet__lead">
        The strategic action framework is a working hypothesis. Save it as a version when the group has learned
        something, compare any two versions or one with the board now, and go back to an earlier one if needed.
      </Dialog.Description>

      {done && (
        <p className="fv-done" role="status">
          {done}
        </p>
      )}
      {steer && (
        <details className="disclosure fv-save" onToggle={(event) => event.currentTarget.open && setDone(null)}>
          <summary>Save the framework as a version</summary>
          <SaveVersionForm busy={busy} onSave={save} />
        </details>
      )}

      <section ref={compareRef} className="fv-section" aria-labelledby={`${id}-compare`}>
        <h3 id={`${id}-compare`} className="section-title">
          Compare
        </h3>
        {list.length === 0 ? (
          <p className="muted">No version saved yet: once one is, it can be compared with the board now.</p>
        ) : (
          <>
            <div className="fv-pick">
              <SidePicker
                label="From"
                value={pair.from}
                versions={list}
                onChange={(from) => setCompare({ ...pair, from })}
              />
              <SidePicker label="To" value={pair.to} versions={list} onChange={(to) => setCompare({ ...pair, to })} />
            </div>
            {compare ? (
              compare.from === compare.to ? (
                <p className="muted">Choose two different versions, or a version and now.</p>
              ) : (
                <Comparison initiativeId={initiativeId} doc={doc} versions={list} from={compare.from} to={compare.to} />
              )
            ) : (
              <button type="button" className="button button--small button--primary" onClick={() => setCompare(pair)}>
                Compare
              </button>
            )}
          </>
        )}
      </section>

      <section className="fv-section" aria-labelledby={`${id}-timeline`}>
        <h3 id={`${id}-timeline`} className="section-title">
          Timeline
        </h3>
        {error && (
          <p className="field-error" role="alert">
            The versions could not be loaded: {error}
          </p>
        )}
        {versions === null && !error && <p className="muted">Loading…</p>}
        <ol className="fv-timeline" aria-label="Saved versions, newest first">
          {list.map((version) => (
            <li
              key={version.id}
              className={`fv-version fv-version--${version.kind}`}
              aria-label={`Version ${version.number}, ${version.name}`}
            >
              <VersionEntry version={version} />
              <div className="fv-version__actions">
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => {
                    setCompare({ from: version.id, to: CURRENT_FRAMEWORK });
                    setReveal((n) => n + 1);
                  }}
                >
                  Compare with now
                </button>
                {steer && restoring !== version.id && (
                  <button type="button" className="button button--small" onClick={() => setRestoring(version.id)}>
                    Restore…
                  </button>
                )}
              </div>
              {steer && restoring === version.id && (
                <RestoreForm
                  version={version}
                  busy={busy}
                  onRestore={(reason) => restore(version, reason)}
                  onCancel={() => setRestoring(null)}
                />
              )}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

function VersionEntry({ version }: { version: FrameworkVersionSummary }) {
  const automatic = version.kind === 'before-restore';
  return (
    <>
      <p className="fv-version__name">
        <span className="fv-version__number">Version {version.number}</span> {version.name}
      </p>
      <p className="fv-version__meta">
        {automatic ? (
          <>
            <span className="fv-badge">Kept automatically</span> when {version.by.name} restored a version,{' '}
          </>
        ) : (
          <>Saved by {version.by.name}, </>
        )}
        <time dateTime={version.at}>{formatMoment(version.at)}</time>
      </p>
      {version.note && (
        <p className="fv-version__note">
          <span className="fv-version__note-label">{automatic ? 'Why it was restored: ' : 'What was learned: '}</span>
          {version.note}
        </p>
      )}
    </>
  );
}

function SidePicker(props: {
  label: string;
  value: string;
  versions: readonly FrameworkVersionSummary[];
  onChange: (side: string) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.versions.map((v) => (
          <option key={v.id} value={v.id}>
            Version {v.number}: {v.name}
          </option>
        ))}
        <option value={CURRENT_FRAMEWORK}>Now (the board as it is)</option>
      </select>
    </div>
  );
}
