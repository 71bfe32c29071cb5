/**
 * Server metrics for Prometheus (`GET /metrics`, admin only), on prom-client.
 * Counters of sync traffic, compactions and closed connections; gauges read at
 * scrape time (rooms, connections, memory); per-second rates over the last ten
 * seconds; a summary of durable append latency over the last ten minutes.
 *
 * One registry per server (tests run several in one process). prom-client's
 * default process metrics are not collected: they install process-wide
 * observers that outlive a server; resident memory and heap are read here.
 */
import { Counter, Gauge, Registry, Summary } from 'prom-client';

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
  private readonly messagesReceived: Counter;
  private readonly messagesSent: Counter;
  private readonly bytesReceived: Counter;
  private readonly bytesSent: Counter;
  private readonly compactions: Counter;
  private readonly closes: Counter<'reason'>;
  private readonly storageWrites: Summary;
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
    this.messagesReceived = counter('convene_messages_received_total', 'Sync messages received.');
    this.messagesSent = counter('convene_messages_sent_total', 'Sync messages sent.');
    this.bytesReceived = counter('convene_bytes_received_total', 'Sync bytes received.');
    this.bytesSent = counter('convene_bytes_sent_total', 'Sync bytes sent.');
    gauge(
      'convene_messages_per_second',
      'Sync messages received and sent per second, last 10 s.',
      () => this.rates().messages,
    );
    gauge('convene_bytes_per_second', 'Sync bytes received and sent per second, last 10 s.', () => this.rates().bytes);
    this.storageWrites = new Summary({
      name: 'convene_storage_write_seconds',
      help: 'Durable append latency, last 10 minutes.',
      percentiles: [0.5, 0.9, 0.99],
      maxAgeSeconds: 600,
      ageBuckets: 5,
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
    this.messagesReceived.inc();
    this.bytesReceived.inc(bytes);
    this.messages++;
    this.bytes += bytes;
  }

  sent(bytes: number): void {
    this.messagesSent.inc();
    this.bytesSent.inc(bytes);
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
