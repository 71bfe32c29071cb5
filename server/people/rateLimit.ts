/**
 * Failed sign-ins per client address in a sliding window (ACCESS.signInFailuresPerMinute
 * a minute): past the limit, sign-in attempts from that address are refused
 * (429) until the oldest failure leaves the window. Driven by the server's clock.
 */
export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The failures of `address` still inside the window (older ones are forgotten). */
  private recent(address: string): number[] {
    const since = this.clock() - this.windowMs;
    const kept = (this.failures.get(address) ?? []).filter((at) => at > since);
    if (kept.length > 0) this.failures.set(address, kept);
    else this.failures.delete(address);
    return kept;
  }

  /** Seconds until `address` may try again, or 0 when it may now. */
  retryAfter(address: string): number {
    const recent = this.recent(address);
    if (recent.length < this.limit) return 0;
    const freed = recent[recent.length - this.limit] + this.windowMs;
    return Math.max(1, Math.ceil((freed - this.clock()) / 1000));
  }

  /** Counts a failed sign-in of `address`. */
  failed(address: string): void {
    const recent = this.recent(address);
    recent.push(this.clock());
    this.failures.set(address, recent);
    // Forget quiet addresses now and then, so the map stays as small as the traffic.
    if (this.failures.size > 10_000) for (const key of [...this.failures.keys()]) this.recent(key);
  }
}
