/**
 * Servers left behind by a test process that was killed (a timeout, Ctrl-C,
 * `kill -9`) before its stop functions or exit hooks ran: each throwaway
 * server's directory is named after the process that started it
 * (`<prefix><pid>-…`), and the next start stops the servers of processes that
 * are gone and removes their directories.
 */
import { readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The directory prefix of servers started by this process. */
export const ownPrefix = (prefix: string) => `${prefix}${process.pid}-`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Calls `stop` on each directory `<prefix><pid>-…` of a process no longer running, then removes it. */
export function sweepOrphans(prefix: string, stop: (dir: string) => void): void {
  for (const name of readdirSync(tmpdir())) {
    const match = name.startsWith(prefix) ? /^(\d+)-/.exec(name.slice(prefix.length)) : null;
    if (!match || alive(Number(match[1]))) continue;
    const dir = join(tmpdir(), name);
    try {
      stop(dir);
    } catch {
      // Already gone (or never fully started): only the directory is left.
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/**
 * Whether `pid` is a running `program` started for the server directory `dir`
 * (its working directory, or named on its command line), so a reused pid is
 * never signalled: pids wrap quickly on a busy machine (`pid_max` 32768), and
 * another test's live server of the same program may have taken it.
 */
export function isProgram(pid: number, program: string, dir: string): boolean {
  try {
    if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== program) return false;
    if (realpathSync(`/proc/${pid}/cwd`) === realpathSync(dir)) return true;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
  } catch {
    return false;
  }
}
