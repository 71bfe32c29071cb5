/**
 * Group commit at the end of an event-loop turn. Every update that arrives in
 * one turn (the messages of all sockets that were readable together) is written
 * in one SQLite transaction, and every byte the sync endpoint sends in that turn
 * is held in its socket (corked) until that transaction has committed: one WAL
 * commit per turn instead of one per update, and one `writev` per socket per
 * turn instead of one per message (docs/performance.md, "CPU per update").
 *
 * Durable first, as before: the turn's commits run, then the held writes are
 * released; a write is never released before the commits of its turn. When a
 * commit fails, nothing held in that turn leaves the process: every holder is
 * told so (the endpoint then destroys its socket) and the storage fails from
 * then on. A `kill -9` before the commit loses the updates and the relays of
 * that turn together, so no client ever holds what the log does not.
 *
 * A quiet turn (one writer at a time: a single update) gains nothing from
 * waiting: whoever sends may call `commitNow` and write at once instead, so the
 * relay leaves right after its commit rather than at the end of the turn
 * (./endpoint.ts decides, turn by turn). The order is the same: commit, then send.
 *
 * One instance per process (`endOfTurn`): the event loop is the process's, and
 * several servers in one process (tests) only share a turn.
 */
import type { Duplex } from 'node:stream';

/** What a turn runs: commits first, then the releases that wait on them. */
export class TurnEnd {
  private commits: (() => void)[] = [];
  private releases: ((committed: boolean) => void)[] = [];
  private scheduled = false;
  /** A commit of this turn failed (run early by `commitNow`): nothing of the turn may leave. */
  private failed = false;

  /** `schedule`: how the end of the turn is reached (setImmediate: after every I/O callback of this turn). */
  constructor(private readonly schedule: (run: () => void) => void = (run) => setImmediate(run)) {}

  /** Runs `commit` at the end of this turn, before any held write is released; a throw stops them all. */
  commit(commit: () => void): void {
    this.commits.push(commit);
    this.arm();
  }

  /** Runs `release(true)` at the end of this turn once its commits succeeded, `release(false)` if one failed. */
  hold(release: (committed: boolean) => void): void {
    this.releases.push(release);
    this.arm();
  }

  /**
   * Runs the commits of the turn so far now, so that what is written next may
   * leave at once; the held writes still wait for the end of the turn. False
   * when a commit of this turn failed (now or earlier): then nothing of the turn
   * may leave.
   */
  commitNow(): boolean {
    if (this.commits.length > 0) {
      const commits = this.commits;
      this.commits = [];
      if (!runAll(commits)) {
        this.failed = true;
        // The end of the turn forgets the failure (the storage keeps answering it).
        this.arm();
      }
    }
    return !this.failed;
  }

  /** Ends the turn now (what the scheduled run does). */
  run(): void {
    this.scheduled = false;
    const commits = this.commits;
    const releases = this.releases;
    this.commits = [];
    this.releases = [];
    const committed = runAll(commits) && !this.failed;
    this.failed = false;
    // Each release runs even when one before it throws: a socket left corked would hang.
    let failure: { error: unknown } | null = null;
    for (const release of releases) {
      try {
        release(committed);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }

  private arm(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      try {
        this.run();
      } catch (error) {
        // Every release ran; one that threw must not take the process down from a timer.
        process.emitWarning(`A held write's release failed: ${String(error)}`);
      }
    });
  }
}

/** Runs every commit; false if one threw (the storage keeps the error and answers it to its next caller). */
function runAll(commits: (() => void)[]): boolean {
  let ok = true;
  for (const commit of commits) {
    try {
      commit();
    } catch {
      ok = false;
    }
  }
  return ok;
}

export const endOfTurn = new TurnEnd();

/**
 * Ending a socket flushes what it holds at once (ws ends it when a close
 * handshake completes), mid-turn: while `holds()` says it holds writes, the
 * turn's commits run first, so even then nothing leaves before it is durable.
 */
export function commitBeforeEnd(socket: Duplex, turn: TurnEnd, holds: () => boolean): void {
  const end = socket.end.bind(socket) as (...args: unknown[]) => Duplex;
  socket.end = ((...args: unknown[]) => {
    if (holds()) turn.run();
    return end(...args);
  }) as Duplex['end'];
}
