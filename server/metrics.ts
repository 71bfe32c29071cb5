/**
 * Server metrics for Prometheus (`GET /metrics`, admin only), on prom-client.
 * Counters of sync traffic, compactions and closed connections; gauges read at
 * scrape time (rooms, connections, memory); per-second rates over the last ten
 * seconds; a histogram of append latency.
 *
 * The hot path (every message received and sent, every append) only adds to
 * plain numbers or one histogram bucket: the counters read those numbers when
 * scraped. prom-client's `inc` per message and a Summary's t-digests per append
 * cost 3–5 % of the server's CPU per update (docs/performance.md).
 *
 * One registry per server (tests run several in one process). prom-client's
 * default process metrics are not collected: they install process-wide
 * observers that outlive a server; resident memory and heap are read here.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricGauges {
  rooms(): number;
  connections(): number;
}

interface RateSample {
  at: number;
  messages: number;
  bytes: number;
}

const RATE_WINDOW_S = 10;

export interface MetricsClock {
  /** Milliseconds, monotonic (performance.now by default). */
  now(): number;
}

export class Metrics {
  readonly registry = new Registry();
  /** Sync traffic since start, read by the counters when scraped. */
  private readonly traffic = { messagesReceived: 0, messagesSent: 0, bytesReceived: 0, bytesSent: 0 };
  private readonly compactions: Counter;
  private readonly closes: Counter<'reason'>;
  private readonly storageWrites: Histogram;
  /** Messages and bytes, received and sent, since start: what the rates are taken from. */
  private messages = 0;
  private bytes = 0;
  private readonly samples: RateSample[] = [];
  private readonly ticker: NodeJS.Timeout;

  constructor(
    gauges: MetricGauges,
    private readonly clock: MetricsClock = performance,
  ) {
    const registers = [this.registry];
    const counter = (name: string, help: string) => new Counter({ name, help, registers });
    const traffic = this.traffic;
    const counted = (name: string, help: string, key: keyof typeof traffic) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(traffic[key]);
        },
      });
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    gauge('convene_rooms_loaded', 'Rooms whose document is in memory.', () => gauges.rooms());
    gauge('convene_connections', 'Open sync connections.', () => gauges.connections());
    counted('convene_messages_received_total', 'Sync messages received.', 'messagesReceived');
    counted('convene_messages_sent_total', 'Sync messages sent.', 'messagesSent');
    counted('convene_bytes_received_total', 'Sync bytes received.', 'bytesReceived');
    counted('convene_bytes_sent_total', 'Sync bytes sent.', 'bytesSent');
    gauge(
      'convene_messages_per_second',
      'Sync messages received and sent per second, last 10 s.',
      () => this.rates().messages,
    );
    gauge('convene_bytes_per_second', 'Sync bytes received and sent per second, last 10 s.', () => this.rates().bytes);
    this.storageWrites = new Histogram({
      name: 'convene_storage_write_seconds',
      help: 'Append latency: until the update is durable, or kept for its turn\'s group commit (SQLite).',
      buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    });
    this.compactions = counter('convene_compactions_total', 'Log compactions.');
    this.closes = new Counter({
      name: 'convene_connections_closed_total',
      help: 'Connections closed by the server, by reason.',
      labelNames: ['reason'],
      registers,
    });
    gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', () => process.memoryUsage.rss());
    gauge('nodejs_heap_used_bytes', 'V8 heap in use, in bytes.', () => process.memoryUsage().heapUsed);

    this.sample();
    this.ticker = setInterval(() => this.sample(), 1000).unref();
  }

  received(bytes: number): void {
    this.traffic.messagesReceived++;
    this.traffic.bytesReceived += bytes;
    this.messages++;
    this.bytes += bytes;
  }

  sent(bytes: number): void {
    this.traffic.messagesSent++;
    this.traffic.bytesSent += bytes;
    this.messages++;
    this.bytes += bytes;
  }

  closed(reason: string): void {
    this.closes.inc({ reason });
  }

  /** One durable append took `seconds`. */
  storageWrite(seconds: number): void {
    this.storageWrites.observe(seconds);
  }

  compacted(): void {
    this.compactions.inc();
  }

  private sample(): void {
    this.samples.push({ at: this.clock.now(), messages: this.messages, bytes: this.bytes });
    if (this.samples.length > RATE_WINDOW_S + 1) this.samples.shift();
  }

  /** Messages and bytes (received and sent) per second over the last ten seconds. */
  rates(): { messages: number; bytes: number } {
    const oldest = this.samples[0];
    const seconds = (this.clock.now() - oldest.at) / 1000;
    if (seconds <= 0) return { messages: 0, bytes: 0 };
    return { messages: (this.messages - oldest.messages) / seconds, bytes: (this.bytes - oldest.bytes) / seconds };
  }

  /** The Prometheus text exposition, with its content type. */
  async scrape(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }

  stop(): void {
    clearInterval(this.ticker);
  }
}
