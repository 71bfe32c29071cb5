/**
 * Server metrics in the Prometheus text format (`GET /metrics`, admin only).
 * Counters, gauges read at scrape time, per-second rates over the last ten
 * seconds, and a summary of storage write latency over the last 1,024 writes.
 */

/** Quantiles over a sliding window of samples, plus a running sum and count. */
export class Summary {
  private readonly window: number[] = [];
  private next = 0;
  sum = 0;
  count = 0;

  constructor(private readonly size = 1024) {}

  observe(value: number): void {
    this.sum += value;
    this.count++;
    if (this.window.length < this.size) this.window.push(value);
    else this.window[this.next] = value;
    this.next = (this.next + 1) % this.size;
  }

  quantile(q: number): number {
    if (this.window.length === 0) return NaN;
    const sorted = [...this.window].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }
}

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

export class Metrics {
  messagesReceived = 0;
  bytesReceived = 0;
  messagesSent = 0;
  bytesSent = 0;
  compactions = 0;
  readonly storageWrites = new Summary();
  /** Connections closed by the server, by reason. */
  readonly closes = new Map<string, number>();
  private readonly samples: RateSample[] = [];
  private readonly ticker: NodeJS.Timeout;

  constructor(private readonly gauges: MetricGauges) {
    this.sample();
    this.ticker = setInterval(() => this.sample(), 1000).unref();
  }

  received(bytes: number): void {
    this.messagesReceived++;
    this.bytesReceived += bytes;
  }

  sent(bytes: number): void {
    this.messagesSent++;
    this.bytesSent += bytes;
  }

  closed(reason: string): void {
    this.closes.set(reason, (this.closes.get(reason) ?? 0) + 1);
  }

  private totals(): RateSample {
    return {
      at: performance.now(),
      messages: this.messagesReceived + this.messagesSent,
      bytes: this.bytesReceived + this.bytesSent,
    };
  }

  private sample(): void {
    this.samples.push(this.totals());
    if (this.samples.length > RATE_WINDOW_S + 1) this.samples.shift();
  }

  /** Messages and bytes (received and sent) per second over the last ten seconds. */
  rates(): { messages: number; bytes: number } {
    const now = this.totals();
    const oldest = this.samples[0];
    const seconds = (now.at - oldest.at) / 1000;
    if (seconds <= 0) return { messages: 0, bytes: 0 };
    return { messages: (now.messages - oldest.messages) / seconds, bytes: (now.bytes - oldest.bytes) / seconds };
  }

  render(): string {
    const lines: string[] = [];
    const metric = (name: string, type: string, help: string, values: [string, number][]) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of values) lines.push(`${name}${labels} ${format(value)}`);
    };
    const rates = this.rates();
    const memory = process.memoryUsage();
    metric('convene_rooms_loaded', 'gauge', 'Rooms whose document is in memory.', [['', this.gauges.rooms()]]);
    metric('convene_connections', 'gauge', 'Open sync connections.', [['', this.gauges.connections()]]);
    metric('convene_messages_received_total', 'counter', 'Sync messages received.', [['', this.messagesReceived]]);
    metric('convene_messages_sent_total', 'counter', 'Sync messages sent.', [['', this.messagesSent]]);
    metric('convene_bytes_received_total', 'counter', 'Sync bytes received.', [['', this.bytesReceived]]);
    metric('convene_bytes_sent_total', 'counter', 'Sync bytes sent.', [['', this.bytesSent]]);
    metric('convene_messages_per_second', 'gauge', 'Sync messages received and sent per second, last 10 s.', [
      ['', rates.messages],
    ]);
    metric('convene_bytes_per_second', 'gauge', 'Sync bytes received and sent per second, last 10 s.', [['', rates.bytes]]);
    const w = this.storageWrites;
    metric('convene_storage_write_seconds', 'summary', 'Durable append latency, last 1024 writes.', [
      ['{quantile="0.5"}', w.quantile(0.5)],
      ['{quantile="0.9"}', w.quantile(0.9)],
      ['{quantile="0.99"}', w.quantile(0.99)],
    ]);
    lines.push(`convene_storage_write_seconds_sum ${format(w.sum)}`, `convene_storage_write_seconds_count ${w.count}`);
    metric('convene_compactions_total', 'counter', 'Log compactions.', [['', this.compactions]]);
    metric(
      'convene_connections_closed_total',
      'counter',
      'Connections closed by the server, by reason.',
      [...this.closes].map(([reason, n]) => [`{reason="${reason}"}`, n]),
    );
    metric('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', [['', memory.rss]]);
    metric('nodejs_heap_used_bytes', 'gauge', 'V8 heap in use, in bytes.', [['', memory.heapUsed]]);
    return lines.join('\n') + '\n';
  }

  stop(): void {
    clearInterval(this.ticker);
  }
}

function format(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  return Number.isInteger(value) ? String(value) : value.toPrecision(6);
}
