/**
 * Per-client rate limiting for the HTTP endpoint: a token bucket per key (client address, or the
 * first X-Forwarded-For address behind a trusted proxy). Over the limit a request gets 429 with
 * Retry-After and nothing runs. The in-memory store bounds its key count; a shared store (Redis)
 * makes the limit hold across instances.
 */

export interface RateDecision {
  ok: boolean;
  /** Milliseconds until one token is available again (when refused). */
  retryAfterMs: number;
}

export interface RateLimiter {
  take(key: string): Promise<RateDecision>;
}

export interface TokenBucketOptions {
  /** Tokens added per second. */
  ratePerSecond: number;
  /** Bucket size (the burst a client may send at once). */
  burst: number;
  /** Keys tracked at most; the least recently seen are dropped beyond this. */
  maxKeys?: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class MemoryTokenBucket implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly rate: number;
  private readonly burst: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(options: TokenBucketOptions) {
    this.rate = options.ratePerSecond;
    this.burst = Math.max(1, options.burst);
    this.maxKeys = options.maxKeys ?? 100_000;
    this.now = options.now ?? (() => performance.now());
  }

  async take(key: string): Promise<RateDecision> {
    return this.takeSync(key);
  }

  takeSync(key: string): RateDecision {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket) {
      this.buckets.delete(key); // re-insert: Map order doubles as recency order
      bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate);
      bucket.at = now;
    } else {
      bucket = { tokens: this.burst, at: now };
      if (this.buckets.size >= this.maxKeys) {
        const oldest = this.buckets.keys().next().value;
        if (oldest !== undefined) this.buckets.delete(oldest);
      }
    }
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true, retryAfterMs: 0 };
    }
    return { ok: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) / this.rate) * 1000) };
  }
}
