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
 *
 * When every process takes edits in a room, every process's windows are its
 * own, and processes that opened theirs together would check together, find
 * nothing stored, and all recompute, window after window. So a window after
 * one whose check found the figures already stored follows: it is due after
 * twice the delay, whatever it holds; and every window waits a little more, at
 * random (`jitter`), so that processes do not stay in step. One process then
 * leads (recomputes every delay), the others follow (read the row every twice
 * the delay); when the leader stops, a follower's check finds the figures
 * behind, recomputes, and leads.
 */
import type { Schedule } from '../workflow/runner.ts';

/** What a window answers for: the highest log number of its changes, the latest time one was heard, and whether one was ours. */
export interface Heard {
  seq: number;
  stamp: number;
  local: boolean;
}

interface Window extends Heard {
  /** Due after twice the delay even with changes of ours (the last check found the figures stored). */
  follows: boolean;
  cancel: () => void;
  /** Heard after the window opened: the next window. */
  later: Heard | null;
}

export interface WindowDeps {
  schedule: Schedule;
  delayMs: number;
  /** Whether a full recomputation of the initiative is already waiting (it covers the window). */
  pending(initiativeId: string): boolean;
  /** Checks the stored figures against the window and recomputes them when they do not cover it; answers whether it recomputed. */
  check(initiativeId: string, window: Heard): Promise<boolean>;
  /** Added to every window's wait (ms): random by default, up to a quarter of the delay; tests pass 0. */
  jitter?: () => number;
  failed(initiativeId: string, error: unknown): void;
}

const merge = (a: Heard | null, b: Heard): Heard =>
  a ? { seq: Math.max(a.seq, b.seq), stamp: Math.max(a.stamp, b.stamp), local: a.local || b.local } : { ...b };

export class ChangeWindows {
  private readonly windows = new Map<string, Window>();
  /** Checks under way (a window that came due), awaited by `closeAll`. */
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly deps: WindowDeps) {}

  /** A change of the initiative's document, lying at or past log number `seq`, heard at `stamp`. */
  heard(initiativeId: string, seq: number, local: boolean, stamp: number): void {
    const window = this.windows.get(initiativeId);
    if (!window) return this.open(initiativeId, { seq, stamp, local }, false);
    window.later = merge(window.later, { seq, stamp, local });
    // Ours now too: due after the delay, as any change taken here (unless following).
    if (local && !window.local && !window.follows) {
      window.cancel();
      window.local = true;
      window.cancel = this.arm(initiativeId, window);
    }
  }

  private open(initiativeId: string, heard: Heard, follows: boolean): void {
    if (this.closed) return;
    const window: Window = { ...heard, follows, later: null, cancel: () => {} };
    this.windows.set(initiativeId, window);
    window.cancel = this.arm(initiativeId, window);
  }

  private arm(initiativeId: string, window: Window): () => void {
    const wait = window.local && !window.follows ? this.deps.delayMs : 2 * this.deps.delayMs;
    const jitter = this.deps.jitter ? this.deps.jitter() : Math.random() * (this.deps.delayMs / 4);
    return this.deps.schedule(() => {
      const running = this.due(initiativeId);
      this.running.add(running);
      void running.finally(() => this.running.delete(running));
      return running;
    }, wait + jitter);
  }

  private async due(initiativeId: string): Promise<void> {
    const window = this.windows.get(initiativeId);
    if (!window) return;
    this.windows.delete(initiativeId);
    // A recomputation already waiting reads the document later than any change heard so far.
    if (this.deps.pending(initiativeId)) return;
    const { seq, stamp, local } = window;
    const recomputed = await this.deps.check(initiativeId, { seq, stamp, local }).catch((error: unknown) => {
      this.deps.failed(initiativeId, error);
      return true;
    });
    if (!window.later) return;
    // Closing meanwhile: what was heard during the check is checked now, not in a window of its own.
    if (this.closed) return void (await this.deps.check(initiativeId, window.later).catch((error: unknown) => this.deps.failed(initiativeId, error)));
    const next = this.windows.get(initiativeId);
    if (next) Object.assign(next, merge(next, window.later));
    else this.open(initiativeId, window.later, !recomputed);
  }

  /** Checks every waiting window now (the server stops), hearing nothing more. */
  async closeAll(): Promise<void> {
    this.closed = true;
    const waiting = [...this.windows.entries()];
    this.windows.clear();
    await Promise.all(
      waiting.map(([id, window]) => {
        window.cancel();
        const heard = window.later ? merge(window, window.later) : window;
        return this.deps.check(id, heard).catch((error: unknown) => this.deps.failed(id, error));
      }),
    );
    // Checks already under way finish (and check what they heard meanwhile) before the stores close.
    await Promise.all([...this.running]);
  }
}
