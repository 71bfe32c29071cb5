/**
 * GET /metrics on a real server with real y-websocket clients: admin only, every
 * metric present with its help and type, and the values move with sync traffic.
 * The rates over the last ten seconds run on a controlled clock.
 */
import { refusalFor } from '../../src/contract/permissions.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Metrics } from '../../server/metrics.ts';
import { rawClient, startHarness, syncClient, type Harness, type SyncClient } from './harness.ts';
import { parseMetrics as parse } from './sync-helpers.ts';

const METRICS = {
  convene_rooms_loaded: 'gauge',
  convene_connections: 'gauge',
  convene_messages_received_total: 'counter',
  convene_messages_sent_total: 'counter',
  convene_bytes_received_total: 'counter',
  convene_bytes_sent_total: 'counter',
  convene_messages_per_second: 'gauge',
  convene_bytes_per_second: 'gauge',
  convene_storage_write_seconds: 'histogram',
  convene_compactions_total: 'counter',
  convene_connections_closed_total: 'counter',
  process_resident_memory_bytes: 'gauge',
  nodejs_heap_used_bytes: 'gauge',
} as const;

let harness: Harness | null = null;
const clients: SyncClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await harness?.stop();
  harness = null;
  vi.useRealTimers();
});

async function scrape(h: Harness): Promise<Map<string, number>> {
  const res = await h.api('GET', '/metrics');
  expect(res.status).toBe(200);
  return parse(res.body as string).samples;
}

describe('GET /metrics', () => {
  it('is for the admin only', async () => {
    const h = (harness = await startHarness());
    const id = await h.createInitiative();
    const lead = await h.invite(id, 'lead');
    const anonymous = await h.api('GET', '/metrics', undefined, '');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ error: 'Sign in as the admin to read metrics.' });
    const member = await h.api('GET', '/metrics', undefined, lead);
    expect(member.status).toBe(403);
    // The wording comes from the permission table once there is one: it names who may.
    expect(member.body.error).toBe(refusalFor('readMetrics'));
    const admin = await h.api('GET', '/metrics');
    expect(admin.status).toBe(200);
    expect(admin.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('names every metric with its help and type, and the values move with sync traffic', async () => {
    const h = (harness = await startHarness({ room: { compactAfterEntries: 20 } }));
    const id = await h.createInitiative();
    const first = await h.api('GET', '/metrics');
    const { samples: before, types, helps } = parse(first.body as string);
    for (const [name, type] of Object.entries(METRICS)) {
      expect(types.get(name), name).toBe(type);
      expect(helps.has(name), name).toBe(true);
    }
    expect(before.get('convene_connections')).toBe(0);
    expect(before.get('convene_rooms_loaded')).toBe(0);
    expect(before.get('convene_storage_write_seconds_count')).toBe(0);
    expect(before.get('process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
    expect(before.get('nodejs_heap_used_bytes')).toBeGreaterThan(1024 * 1024);

    const writer = syncClient(h.url, id, await h.invite(id, 'participant'));
    const reader = syncClient(h.url, id, await h.invite(id, 'participant'));
    clients.push(writer, reader);
    await Promise.all([writer.synced, reader.synced]);
    for (let i = 0; i < 30; i++) writer.doc.getMap('edits').set(`k${i}`, 'x'.repeat(200));
    await vi.waitFor(() => expect(reader.doc.getMap('edits').size).toBe(30));

    const during = await scrape(h);
    expect(during.get('convene_connections')).toBe(2);
    expect(during.get('convene_rooms_loaded')).toBe(1);
    // Thirty edits came in, each relayed to the reader.
    expect(
      during.get('convene_messages_received_total')! - before.get('convene_messages_received_total')!,
    ).toBeGreaterThanOrEqual(30);
    expect(
      during.get('convene_messages_sent_total')! - before.get('convene_messages_sent_total')!,
    ).toBeGreaterThanOrEqual(30);
    expect(during.get('convene_bytes_received_total')! - before.get('convene_bytes_received_total')!).toBeGreaterThan(
      30 * 200,
    );
    expect(during.get('convene_bytes_sent_total')! - before.get('convene_bytes_sent_total')!).toBeGreaterThan(30 * 200);
    expect(during.get('convene_messages_per_second')).toBeGreaterThan(0);
    expect(during.get('convene_bytes_per_second')).toBeGreaterThan(0);
    // Each edit was a durable append; past 20 entries the log was compacted.
    expect(during.get('convene_storage_write_seconds_count')).toBeGreaterThanOrEqual(30);
    expect(during.get('convene_storage_write_seconds_sum')).toBeGreaterThan(0);
    // Every append falls in a bucket; the buckets are cumulative.
    const inf = during.get('convene_storage_write_seconds_bucket{le="+Inf"}')!;
    expect(inf).toBe(during.get('convene_storage_write_seconds_count'));
    expect(during.get('convene_storage_write_seconds_bucket{le="0.0001"}')).toBeLessThanOrEqual(
      during.get('convene_storage_write_seconds_bucket{le="1"}')!,
    );
    await vi.waitFor(async () => expect((await scrape(h)).get('convene_compactions_total')).toBeGreaterThanOrEqual(1));

    // A text frame is refused: the close is counted by its reason.
    const raw = rawClient(h.url, id, h.adminToken);
    await raw.opened;
    raw.ws.send('hello');
    expect((await raw.closed).code).toBe(4400);
    expect((await scrape(h)).get('convene_connections_closed_total{reason="malformed message"}')).toBe(1);

    for (const client of clients.splice(0)) client.destroy();
    await vi.waitFor(async () => {
      const after = await scrape(h);
      expect(after.get('convene_connections')).toBe(0);
      expect(after.get('convene_rooms_loaded')).toBe(0);
    });
  });

  it('rates are messages and bytes per second over the last ten seconds', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let now = 0;
    const metrics = new Metrics({ rooms: () => 0, connections: () => 0 }, { now: () => now });
    const rates = async () => {
      const { samples } = parse((await metrics.scrape()).text);
      return [samples.get('convene_messages_per_second'), samples.get('convene_bytes_per_second')];
    };
    const second = (received: number, sent: number) => {
      for (let i = 0; i < received; i++) metrics.received(100);
      for (let i = 0; i < sent; i++) metrics.sent(50);
      now += 1000;
      vi.advanceTimersByTime(1000);
    };
    // Twenty seconds of 20 messages in and 10 out: the rate is of the last ten.
    for (let s = 0; s < 20; s++) second(20, 10);
    expect(await rates()).toEqual([30, 2500]);
    // A busier second moves it by a tenth of the difference.
    second(320, 0);
    expect(await rates()).toEqual([59, 5450]);
    // Eleven quiet seconds later the busy ones have left the window.
    for (let s = 0; s < 11; s++) second(0, 0);
    expect(await rates()).toEqual([0, 0]);
    metrics.stop();
  });
});
