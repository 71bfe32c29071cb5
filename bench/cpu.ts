/**
 * A server's CPU time and memory from /proc, and the arithmetic that turns them
 * into CPU per delivered update and ratios against the reference with their
 * spread (issue 14, point 8). The parsers and the arithmetic are pure
 * functions (test/bench/cpu.test.ts); `readProcess` is the one reader of /proc.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { median, quantile } from './stats.ts';

/** utime and stime of a process, in clock ticks (fields 14 and 15 of /proc/<pid>/stat). */
export interface CpuTicks {
  userTicks: number;
  systemTicks: number;
}

/**
 * Parses /proc/<pid>/stat. The command name (field 2) is in parentheses and may
 * itself hold spaces and parentheses, so fields are counted from the last ')'.
 * The figures cover every thread of the process (worker threads included).
 */
export function parseProcStat(text: string): CpuTicks {
  const close = text.lastIndexOf(')');
  if (close < 0) throw new Error(`not a /proc/<pid>/stat line: ${JSON.stringify(text.slice(0, 80))}`);
  // After ') ' comes field 3 (state); utime is field 14, stime field 15.
  const fields = text.slice(close + 2).trim().split(/\s+/);
  const userTicks = Number(fields[14 - 3]);
  const systemTicks = Number(fields[15 - 3]);
  if (!Number.isInteger(userTicks) || !Number.isInteger(systemTicks)) {
    throw new Error(`/proc/<pid>/stat without utime and stime: ${JSON.stringify(text.slice(0, 80))}`);
  }
  return { userTicks, systemTicks };
}

/** Resident memory in bytes, from the VmRSS line of /proc/<pid>/status. */
export function parseRssBytes(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error('/proc/<pid>/status has no VmRSS line (has the process exited?)');
  return Number(match[1]) * 1024;
}

let ticksPerSecond: number | undefined;

/** Clock ticks per second (`getconf CLK_TCK`, 100 on Linux almost always; asked, not assumed). */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    const answer = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    if (!Number.isInteger(answer) || answer <= 0) throw new Error(`getconf CLK_TCK answered ${JSON.stringify(answer)}`);
    ticksPerSecond = answer;
  }
  return ticksPerSecond;
}

/** A process's CPU time (user + system) and resident memory at one moment. */
export interface ProcessSample {
  /** In whole clock ticks (10 ms), every thread that ever ran included. */
  cpuMs: number;
  systemMs: number;
  rssBytes: number;
  /**
   * Nanoseconds each live thread has run, by thread id (/proc/<pid>/task/<tid>/schedstat):
   * what `phaseCost` subtracts when both samples have it, since a round of the
   * one-writer workload is only a dozen ticks.
   */
  threadNs?: Map<string, number>;
}

export function toSample(ticks: CpuTicks, rssBytes: number, perSecond: number): ProcessSample {
  return {
    cpuMs: ((ticks.userTicks + ticks.systemTicks) * 1000) / perSecond,
    systemMs: (ticks.systemTicks * 1000) / perSecond,
    rssBytes,
  };
}

/** The run time in nanoseconds of a /proc/<pid>/task/<tid>/schedstat line (its first field). */
export function parseSchedstat(text: string): number {
  const first = text.trim().split(/\s+/)[0];
  const ns = Number(first);
  if (!/^\d+$/.test(first) || !Number.isSafeInteger(ns)) throw new Error(`not a schedstat line: ${JSON.stringify(text.slice(0, 80))}`);
  return ns;
}

/** Run time of each live thread of `pid`, by thread id; none when the kernel keeps no schedstat. */
function readThreads(pid: number): Map<string, number> | undefined {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        out.set(tid, parseSchedstat(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8')));
      } catch (error) {
        // A thread that ended between the listing and the reading ran nothing more.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return out;
}

/** Reads /proc/<pid>/stat, /proc/<pid>/status and its threads' schedstat of a running process. */
export function readProcess(pid: number): ProcessSample {
  const ticks = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  const threadNs = readThreads(pid);
  return { ...toSample(ticks, parseRssBytes(readFileSync(`/proc/${pid}/status`, 'utf8')), clockTicksPerSecond()), ...(threadNs ? { threadNs } : {}) };
}

/**
 * CPU milliseconds between two samples of one process: to the nanosecond from
 * its threads' run times when both have them (a thread started meanwhile
 * counts from zero; one that ended meanwhile loses its last moments, which in
 * a server's long-lived threads is nothing), else in clock ticks.
 */
export function cpuMsBetween(before: ProcessSample, after: ProcessSample): number {
  if (!before.threadNs || !after.threadNs) return after.cpuMs - before.cpuMs;
  let ns = 0;
  for (const [tid, now] of after.threadNs) ns += now - (before.threadNs.get(tid) ?? 0);
  return ns / 1e6;
}

/** What the bench counted in one measured phase of one server. */
export interface PhaseCounts {
  /** Edits made by the clients. */
  edits: number;
  /** Updates received by clients (each edit reaches every other client of its room once). */
  delivered: number;
  /** Wall-clock length of the phase. */
  seconds: number;
}

/** A server's cost in one measured phase. */
export interface PhaseCost {
  cpuMs: number;
  cpuMsPerDelivered: number;
  cpuMsPerEdit: number;
  updatesPerSecond: number;
  /** Server CPU over wall-clock time, in per cent of one core. */
  cpuPercent: number;
}

/** CPU per delivered update and per edit, from the samples before and after a phase and the bench's counts. */
export function phaseCost(before: ProcessSample, after: ProcessSample, counts: PhaseCounts): PhaseCost {
  if (counts.delivered <= 0 || counts.edits <= 0 || counts.seconds <= 0) {
    throw new Error(`a measured phase needs edits, deliveries and time (got ${JSON.stringify(counts)})`);
  }
  const cpuMs = cpuMsBetween(before, after);
  if (cpuMs < 0) throw new Error('CPU time went backwards: the samples are of different processes or in the wrong order');
  return {
    cpuMs,
    cpuMsPerDelivered: cpuMs / counts.delivered,
    cpuMsPerEdit: cpuMs / counts.edits,
    updatesPerSecond: counts.edits / counts.seconds,
    cpuPercent: (cpuMs / 1000 / counts.seconds) * 100,
  };
}

/** Per-round ratios a[i] / b[i] of two servers measured in the same interleaved rounds. */
export function roundRatios(a: number[], b: number[]): number[] {
  if (a.length !== b.length) throw new Error(`rounds differ: ${a.length} against ${b.length}`);
  return a.map((value, i) => {
    if (!(b[i] > 0)) throw new Error(`round ${i}: the second server's figure is ${b[i]}, no ratio`);
    return value / b[i];
  });
}

/** The median of per-round ratios and how far they spread: min, max and the quartiles (nearest rank). */
export interface RatioSpread {
  median: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
}

export function ratioSpread(ratios: number[]): RatioSpread {
  if (ratios.length === 0) throw new Error('no rounds, no ratio');
  return {
    median: median(ratios),
    min: Math.min(...ratios),
    max: Math.max(...ratios),
    q1: quantile(ratios, 0.25),
    q3: quantile(ratios, 0.75),
  };
}

/**
 * Whether an A/B ratio differs from 1 by more than an A/A run of the reference
 * against itself does: outside [min, max] of the A/A ratios. Inside, the
 * difference reads as none.
 */
export function beyondSpread(ratio: number, aa: RatioSpread): boolean {
  return ratio < aa.min || ratio > aa.max;
}
