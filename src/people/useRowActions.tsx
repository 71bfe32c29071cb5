import { useState } from 'react';

/**
 * The actions of a list's rows (change a role, remove, revoke…): one at a
 * time per row, what failed said in words with the server's reason, what
 * succeeded said once, and the lists reloaded either way (someone else may
 * have changed them meanwhile).
 */
export function useRowActions(onChanged: () => void) {
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  /** Runs `action` for row `id`; `failure` starts the sentence said when it is refused. */
  async function run(id: string, failure: string, action: () => Promise<unknown>, success?: string) {
    setBusy(id);
    setProblem(null);
    setDone(null);
    try {
      await action();
      if (success) setDone(success);
    } catch (error) {
      setProblem(`${failure}. ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setBusy(null);
      onChanged();
    }
  }

  return { busy, problem, done, run };
}

/** What the last action of a list did, or why it was refused. */
export function ActionOutcome({ problem, done }: { problem: string | null; done: string | null }) {
  return (
    <>
      {problem && (
        <p className="notice notice--error" role="alert">
          {problem}
        </p>
      )}
      {done && (
        <p className="notice people__done" role="status">
          {done}
        </p>
      )}
    </>
  );
}
