/**
 * This browser's estimate of the server's clock, from the `serverNow` of the
 * views it receives (NTP's idea, kept small). A view stamped at server time S
 * and received at local time R (`performance.now()`) says the offset θ (server
 * minus local) is at least S − R, since the view took some time to arrive; an
 * answer to a request sent at local time T also says θ is at most S − T. The
 * estimate is the best lower bound, or the middle of the best bounds when an
 * answer gave an upper one: a view that was slow to arrive (a loaded machine,
 * a reload) never makes the timer run behind the others by its delay.
 */
export class ClockOffset {
  private lower = -Infinity;
  private upper = Infinity;

  /** Notes a view stamped `serverNow`, received at `receivedAt`; `sentAt` when it answered a request sent then. */
  sample(serverNow: number, receivedAt: number, sentAt?: number): void {
    this.lower = Math.max(this.lower, serverNow - receivedAt);
    if (sentAt !== undefined) this.upper = Math.min(this.upper, serverNow - sentAt);
    // Bounds that cross (a server clock that jumped) start over from this sample.
    if (this.upper < this.lower) {
      this.lower = serverNow - receivedAt;
      this.upper = sentAt === undefined ? Infinity : serverNow - sentAt;
    }
  }

  /** How far the estimate may be off (ms): half the width of the bounds; Infinity without an upper one. */
  get uncertainty(): number {
    return this.upper === Infinity || this.lower === -Infinity ? Infinity : (this.upper - this.lower) / 2;
  }

  /** Server time minus `performance.now()`; NaN before the first sample. */
  get offset(): number {
    if (this.lower === -Infinity) return NaN;
    return this.upper === Infinity ? this.lower : (this.lower + this.upper) / 2;
  }
}
