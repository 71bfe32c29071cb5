/**
 * The arithmetic of `bench:cluster` (bench/cluster.ts), kept pure so that
 * test/bench/cluster.test.ts can check it: where each client goes, propagation
 * split into same-process and cross-process pairs, the storage-write metric
 * read from /metrics, and the figures set against issue 14's targets.
 */
import { quantile } from './stats.ts';

/** The process a client connects to: clients are dealt round robin over the processes, across rooms. */
export function processOf(room: number, client: number, clientsPerRoom: number, processes: number): number {
  return (room * clientsPerRoom + client) % processes;
}

/** One delivery: an edit made on process `from` observed by a client of process `to`. */
export interface Delivery {
  ms: number;
  from: number;
  to: number;
}

export interface Propagation {
  all: { p50Ms: number; p99Ms: number; n: number };
  /** Sender and receiver on the same process. */
  same: { p50Ms: number; p99Ms: number; n: number } | null;
  /** Sender and receiver on different processes (relayed over Redis). */
  cross: { p50Ms: number; p99Ms: number; n: number } | null;
}

const figures = (ms: number[]) => (ms.length === 0 ? null : { p50Ms: quantile(ms, 0.5), p99Ms: quantile(ms, 0.99), n: ms.length });

/** p50 and p99 of all deliveries, and of same-process and cross-process pairs apart. */
export function propagation(deliveries: readonly Delivery[]): Propagation {
  if (deliveries.length === 0) throw new Error('no deliveries were observed: nothing to measure');
  return {
    all: figures(deliveries.map((d) => d.ms))!,
    same: figures(deliveries.filter((d) => d.from === d.to).map((d) => d.ms)),
    cross: figures(deliveries.filter((d) => d.from !== d.to).map((d) => d.ms)),
  };
}

/** The storage-write metric (`convene_storage_write_seconds`, server/metrics.ts) of one scrape. */
export interface StorageWrites {
  count: number;
  sumSeconds: number;
  /** A summary's quantiles over its window (by quantile, "0.5"…), when the metric is a summary. */
  quantiles: Record<string, number>;
  /** A histogram's cumulative buckets (upper bound in seconds, count), when the metric is a histogram. */
  buckets: [number, number][];
}

const NAME = 'convene_storage_write_seconds';

/** Reads the storage-write metric from a Prometheus text exposition; a summary and a histogram both answer. */
export function parseStorageWrites(text: string): StorageWrites {
  const out: StorageWrites = { count: NaN, sumSeconds: NaN, quantiles: {}, buckets: [] };
  for (const line of text.split('\n')) {
    if (!line.startsWith(NAME)) continue;
    const match = /^(\S+?)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const [, name, labels = '', raw] = match;
    const value = Number(raw);
    if (name === `${NAME}_count`) out.count = value;
    else if (name === `${NAME}_sum`) out.sumSeconds = value;
    else if (name === NAME) {
      const q = /quantile="([^"]+)"/.exec(labels);
      if (q) out.quantiles[q[1]] = value;
    } else if (name === `${NAME}_bucket`) {
      const le = /le="([^"]+)"/.exec(labels);
      if (le) out.buckets.push([le[1] === '+Inf' ? Infinity : Number(le[1]), value]);
    }
  }
  if (!Number.isFinite(out.count) || !Number.isFinite(out.sumSeconds)) throw new Error(`/metrics has no ${NAME}_count and _sum`);
  out.buckets.sort((a, b) => a[0] - b[0]);
  return out;
}

export interface WriteLatency {
  writes: number;
  meanMs: number | null;
  /** From a histogram's buckets between the two scrapes (the bucket's upper bound), else a summary's window. */
  p50Ms: number | null;
  p99Ms: number | null;
  /** Where p50 and p99 come from. */
  source: 'histogram buckets of the phase' | 'summary window (last 10 minutes)' | 'none';
}

/** The upper bound of the first bucket that holds the share `q` of the writes. */
function bucketQuantile(buckets: [number, number][], count: number, q: number): number | null {
  if (count <= 0) return null;
  const hit = buckets.find(([, n]) => n >= q * count);
  return hit && Number.isFinite(hit[0]) ? hit[0] : null;
}

/** Durable writes between two scrapes of one process: how many, their mean, and p50/p99 where the metric allows. */
export function writeLatency(before: StorageWrites, after: StorageWrites): WriteLatency {
  const writes = after.count - before.count;
  if (writes < 0) throw new Error('the storage-write count went backwards: the scrapes are of different processes');
  const meanMs = writes > 0 ? ((after.sumSeconds - before.sumSeconds) / writes) * 1000 : null;
  if (after.buckets.length > 0) {
    const prior = new Map(before.buckets);
    const delta = after.buckets.map(([le, n]): [number, number] => [le, n - (prior.get(le) ?? 0)]);
    const ms = (q: number) => {
      const s = bucketQuantile(delta, writes, q);
      return s === null ? null : s * 1000;
    };
    return { writes, meanMs, p50Ms: ms(0.5), p99Ms: ms(0.99), source: 'histogram buckets of the phase' };
  }
  const q = (key: string) => (Number.isFinite(after.quantiles[key]) ? after.quantiles[key] * 1000 : null);
  const p50Ms = q('0.5');
  return { writes, meanMs, p50Ms, p99Ms: q('0.99'), source: p50Ms === null ? 'none' : 'summary window (last 10 minutes)' };
}

/** One of issue 14's targets for bench:cluster, with the figure measured. */
export interface TargetRow {
  target: string;
  measured: number;
  limit: number;
  unit: string;
  met: boolean;
}

export interface TargetInputs {
  /** Median over rounds of (cluster cross-process p99 / single process p99), per workload. */
  crossP99Ratio: Record<string, number>;
  /** Median over rounds of (largest cluster process's resident memory / the reference's), per workload. */
  rssRatio: Record<string, number>;
  /** The slowest killed-process client's time to be back in sync, per kill, in ms. */
  backInSyncMs: number[];
}

/** Issue 14's three targets, row by row: each workload's p99 and memory ratio, and the worst kill. */
export function targetRows(inputs: TargetInputs): TargetRow[] {
  const rows: TargetRow[] = [];
  for (const [workload, ratio] of Object.entries(inputs.crossP99Ratio)) {
    rows.push({ target: `cross-process p99 / single process p99: ${workload}`, measured: ratio, limit: 1.5, unit: 'x', met: ratio <= 1.5 });
  }
  for (const [workload, ratio] of Object.entries(inputs.rssRatio)) {
    rows.push({ target: `resident memory per process / reference: ${workload}`, measured: ratio, limit: 1.3, unit: 'x', met: ratio <= 1.3 });
  }
  if (inputs.backInSyncMs.length > 0) {
    const worst = Math.max(...inputs.backInSyncMs);
    rows.push({ target: `killed process's clients back in sync (slowest client, worst of ${inputs.backInSyncMs.length} kills)`, measured: worst, limit: 3000, unit: 'ms', met: worst < 3000 });
  }
  return rows;
}
