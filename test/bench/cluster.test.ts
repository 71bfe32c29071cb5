import { describe, expect, it } from 'vitest';
import { parseStorageWrites, processOf, propagation, targetRows, writeLatency } from '../../bench/clusterFigures.ts';

describe('where bench:cluster puts each client', () => {
  it('deals clients round robin over the processes across rooms, so every room of 10 spans all three', () => {
    const rooms = Array.from({ length: 20 }, (_, r) => new Set(Array.from({ length: 10 }, (_, c) => processOf(r, c, 10, 3))));
    for (const procs of rooms) expect([...procs].sort()).toEqual([0, 1, 2]);
    const counts = [0, 0, 0];
    for (let c = 0; c < 50; c++) counts[processOf(0, c, 50, 3)]++;
    expect(counts).toEqual([17, 17, 16]);
  });
});

describe('propagation split by process pair', () => {
  it('keeps same-process and cross-process deliveries apart', () => {
    const same = Array.from({ length: 100 }, (_, i) => ({ ms: i + 1, from: 0, to: 0 }));
    const cross = Array.from({ length: 100 }, (_, i) => ({ ms: 1000 + i, from: 0, to: 2 }));
    const figures = propagation([...same, ...cross]);
    expect(figures.same).toEqual({ p50Ms: 51, p99Ms: 100, n: 100 });
    expect(figures.cross).toEqual({ p50Ms: 1050, p99Ms: 1099, n: 100 });
    expect(figures.all.n).toBe(200);
    expect(figures.all.p50Ms).toBe(1000);
  });

  it('answers no cross-process figures for one process, and refuses a round with no deliveries', () => {
    expect(propagation([{ ms: 3, from: 0, to: 0 }]).cross).toBeNull();
    expect(() => propagation([])).toThrow('no deliveries');
  });
});

// The metric as prom-client writes it (server/metrics.ts), as a summary and as a histogram.
const summary = (count: number, sum: number) => `# HELP convene_storage_write_seconds Durable append latency, last 10 minutes.
# TYPE convene_storage_write_seconds summary
convene_storage_write_seconds{quantile="0.5"} 0.002
convene_storage_write_seconds{quantile="0.9"} 0.004
convene_storage_write_seconds{quantile="0.99"} 0.031
convene_storage_write_seconds_sum ${sum}
convene_storage_write_seconds_count ${count}
convene_storage_writes_other_total 7
`;
const histogram = (buckets: [string, number][], sum: number) =>
  [
    '# TYPE convene_storage_write_seconds histogram',
    ...buckets.map(([le, n]) => `convene_storage_write_seconds_bucket{le="${le}"} ${n}`),
    `convene_storage_write_seconds_sum ${sum}`,
    `convene_storage_write_seconds_count ${buckets.at(-1)![1]}`,
  ].join('\n');

describe('PostgreSQL write latency from /metrics', () => {
  it('reads a summary: the writes and mean of the phase from count and sum, p50 and p99 from its window', () => {
    const latency = writeLatency(parseStorageWrites(summary(100, 0.5)), parseStorageWrites(summary(300, 1.3)));
    expect(latency.writes).toBe(200);
    expect(latency.meanMs).toBeCloseTo(4, 9);
    expect(latency).toMatchObject({ p50Ms: 2, p99Ms: 31, source: 'summary window (last 10 minutes)' });
  });

  it('reads a histogram: p50 and p99 from the buckets filled during the phase only', () => {
    const before = parseStorageWrites(histogram([['0.001', 1000], ['0.01', 1000], ['0.1', 1000], ['+Inf', 1000]], 0.5));
    // 100 writes in the phase: 60 under 1 ms, 39 under 10 ms, 1 under 100 ms.
    const after = parseStorageWrites(histogram([['0.001', 1060], ['0.01', 1099], ['0.1', 1100], ['+Inf', 1100]], 0.7));
    expect(writeLatency(before, after)).toMatchObject({ writes: 100, p50Ms: 1, p99Ms: 10, source: 'histogram buckets of the phase' });
  });

  it('names a scrape without the metric, and scrapes of two different processes', () => {
    expect(() => parseStorageWrites('convene_connections 3\n')).toThrow('no convene_storage_write_seconds_count');
    expect(() => writeLatency(parseStorageWrites(summary(5, 1)), parseStorageWrites(summary(4, 1)))).toThrow('went backwards');
  });

  it('a phase without writes has no mean', () => {
    expect(writeLatency(parseStorageWrites(summary(5, 1)), parseStorageWrites(summary(5, 1)))).toMatchObject({ writes: 0, meanMs: null });
  });
});

describe("issue 14's targets", () => {
  it('meets a ratio at the limit, misses one above it, and judges the slowest client of the worst kill', () => {
    const rows = targetRows({ crossP99Ratio: { a: 1.5, b: 1.51 }, rssRatio: { a: 1.3 }, backInSyncMs: [800, 2999] });
    expect(rows.map((r) => [r.limit, r.measured, r.met])).toEqual([
      [1.5, 1.5, true],
      [1.5, 1.51, false],
      [1.3, 1.3, true],
      [3000, 2999, true],
    ]);
    expect(targetRows({ crossP99Ratio: {}, rssRatio: {}, backInSyncMs: [1000, Infinity] })[0].met).toBe(false);
  });
});
