/** Per-connection limits of the sync endpoint, and their defaults (see docs/sync.md). */

export interface SyncLimits {
  /** Largest accepted frame in bytes; a larger one closes the connection with 1009. */
  maxFrameBytes: number;
  /** Sustained messages per second per connection… */
  messagesPerSecond: number;
  /** …with bursts of up to this many. */
  messageBurst: number;
  /** Sustained bytes per second per connection… */
  bytesPerSecond: number;
  /** …with bursts of up to this many (at least one largest frame). */
  byteBurst: number;
}

export const DEFAULT_LIMITS: SyncLimits = {
  maxFrameBytes: 8 * 1024 * 1024,
  messagesPerSecond: 200,
  messageBurst: 1000,
  bytesPerSecond: 1024 * 1024,
  byteBurst: 16 * 1024 * 1024,
};

/** A token bucket: `capacity` tokens, refilled at `rate` per second. */
class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly capacity: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  /** Takes `n` tokens; false (taking none) when there are not enough. */
  take(n = 1): boolean {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }
}

/** Both buckets of one connection. */
export class FloodGuard {
  private readonly messages: TokenBucket;
  private readonly bytes: TokenBucket;

  constructor(limits: SyncLimits, now?: () => number) {
    this.messages = new TokenBucket(limits.messagesPerSecond, limits.messageBurst, now);
    this.bytes = new TokenBucket(limits.bytesPerSecond, Math.max(limits.byteBurst, limits.maxFrameBytes), now);
  }

  /** Whether a message of `size` bytes is within the limits. */
  allow(size: number): boolean {
    return this.messages.take(1) && this.bytes.take(size);
  }
}
