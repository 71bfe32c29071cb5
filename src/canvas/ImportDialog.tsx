import { useId, useState, type FormEvent } from 'react';
import { Dialog } from 'radix-ui';
import type { Issue } from '../contract/index.ts';
import { api, ApiError } from '../kit/api.ts';

/** Imports an export file into this initiative (lead and facilitators; the document must be empty). */
export function ImportDialog({ initiativeId }: { initiativeId: string }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<{ message: string; issues: Issue[] } | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) {
      setError({ message: 'Choose an export file (JSON) first.', issues: [] });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.importInitiative(initiativeId, await file.text(), file.name);
      setDone(true);
    } catch (problem) {
      // The server's sentence names each card and field (src/schema/importIssues.ts).
      const message = problem instanceof Error ? problem.message : String(problem);
      setError({ message, issues: problem instanceof ApiError ? problem.issues : [] });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        setError(null);
        setDone(false);
      }}
    >
      <Dialog.Trigger asChild>
        <button type="button" className="button button--small">
          Import JSON…
        </button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog">
          <Dialog.Title>Import an initiative</Dialog.Title>
          <Dialog.Description className="dialog__description">
            Loads an export file into this initiative: all four boards and, when the file has it, the workflow record
            (stage, assessments, history), which only the lead can import. Only a new, empty initiative can be imported
            into.
          </Dialog.Description>
          <form onSubmit={submit}>
            <div className="field">
              <label htmlFor={`${id}-file`}>Export file</label>
              <input
                id={`${id}-file`}
                type="file"
                accept="application/json,.json"
                onChange={(e) => setFile(e.target.files?.[0] ?? null)}
              />
            </div>
            <div role="alert" className="import-result">
              {error && (
                <>
                  <p className="field-error">{error.message}</p>
                  {/* One problem is in the message already; several are listed, each naming the card and the field. */}
                  {error.issues.length > 1 && (
                    <ul className="import-issues" aria-label="Problems in the file">
                      {error.issues.map((issue, i) => (
                        <li key={i}>{issue.message}</li>
                      ))}
                    </ul>
                  )}
                </>
              )}
              {done && <p>Imported. The boards now show the imported initiative.</p>}
            </div>
            <div className="dialog__actions">
              <button type="submit" className="button button--primary" disabled={busy}>
                Import
              </button>
              <Dialog.Close asChild>
                <button type="button" className="button">
                  Close
                </button>
              </Dialog.Close>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
