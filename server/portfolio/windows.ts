/**
 * The document changes of each initiative heard with their log numbers (with
 * other processes; docs/portfolio.md, "Across processes"), gathered in one
 * window per initiative. A window opened by a change made through this process
 * is due after the delay; one opened by another process's change (or by what
 * another process's entry released here) after twice the delay, as a backup of
 * the process that took it. When due, the window is checked against the stored
 * figures (`check`): what another process recomputed meanwhile is not
 * recomputed again. The changes heard while a window waits form the next one,
 * opened when it is done, so each is checked once another process has had the
 * time to recompute it.
 */
import type { Schedule } from '../workflow/runner.ts';

/** What a window answers for: the highest log number of its changes, the latest time one was heard, and whether one was ours. */
export interface Heard {
  seq: number;
  stamp: number;
  local: boolean;
}

interface Window extends Heard {
  cancel: () => void;
  /** Heard after the window opened: the next window. */
  later: Heard | null;
}

export interface WindowDeps {
  schedule: Schedule;
  delayMs: number;
  /** Whether a full recomputation of the initiative is already waiting (it covers the window). */
  pending(initiativeId: string): boolean;
  /** Checks the stored figures against the window and recomputes them when they do not cover it. */
  check(initiativeId: string, window: Heard): Promise<unknown>;
  failed(initiativeId: string, error: unknown): void;
}

const merge = (a: Heard | null, b: Heard): Heard =>
  a ? { seq: Math.max(a.seq, b.seq), stamp: Math.max(a.stamp, b.stamp), local: a.local || b.local } : { ...b };

export class ChangeWindows {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly deps: WindowDeps) {}

  /** A change of the initiative's document, lying at or past log number `seq`, heard at `stamp`. */
  heard(initiativeId: string, seq: number, local: boolean, stamp: number): void {
    const window = this.windows.get(initiativeId);
    if (!window) return this.open(initiativeId, { seq, stamp, local });
    window.later = merge(window.later, { seq, stamp, local });
    // Ours now too: due after the delay, as any change taken here.
    if (local && !window.local) {
      window.cancel();
      window.local = true;
      window.cancel = this.deps.schedule(() => this.due(initiativeId), this.deps.delayMs);
    }
  }

  private open(initiativeId: string, heard: Heard): void {
    const window: Window = { ...heard, later: null, cancel: () => {} };
    this.windows.set(initiativeId, window);
    window.cancel = this.deps.schedule(() => this.due(initiativeId), heard.local ? this.deps.delayMs : 2 * this.deps.delayMs);
  }

  private async due(initiativeId: string): Promise<void> {
    const window = this.windows.get(initiativeId);
    if (!window) return;
    this.windows.delete(initiativeId);
    // A recomputation already waiting reads the document later than any change heard so far.
    if (this.deps.pending(initiativeId)) return;
    const { seq, stamp, local } = window;
    await this.deps.check(initiativeId, { seq, stamp, local }).catch((error: unknown) => this.deps.failed(initiativeId, error));
    if (!window.later) return;
    const next = this.windows.get(initiativeId);
    if (next) Object.assign(next, merge(next, window.later));
    else this.open(initiativeId, window.later);
  }

  /** Checks every waiting window now (the server stops), hearing nothing more. */
  async closeAll(): Promise<void> {
    const waiting = [...this.windows.entries()];
    this.windows.clear();
    await Promise.all(
      waiting.map(([id, window]) => {
        window.cancel();
        const heard = window.later ? merge(window, window.later) : window;
        return this.deps.check(id, heard).catch((error: unknown) => this.deps.failed(id, error));
      }),
    );
  }
}
