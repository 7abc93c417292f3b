/**
 * The L2 facade: everything the tiered cache asks of Redis goes through here, and nothing here
 * may fail a call or make it wait long.
 *
 * - Every operation is bounded: reads by `timeoutMs` (tens of ms), writes and lock commands by
 *   a few times that, scans by `scanTimeoutMs`. A timeout or error is a failure, reported to the
 *   observer and logged at debug; the caller gets "unavailable" and carries on from L1.
 * - A circuit breaker skips L2 after repeated failures, then lets one probe through. When it
 *   opens, a probe (PING) is scheduled after the cooldown, and the driver's `ready` event probes
 *   at once, so the breaker closes without waiting for traffic.
 * - Keys are laid out here: `<prefix>f<format>:<kind>:<version>:<part>` for values,
 *   `<prefix>lock:f<format>:…` for single-flight locks, `<prefix>events` for the bus channel.
 *   Values get a little TTL jitter (at most −10 %) so entries written together do not expire together.
 */
import { toSpecGateError } from "../errors.js";
import type { Logger } from "../logger.js";
import { CircuitBreaker } from "./circuit-breaker.js";
import { FORMAT_VERSION, defaultCodec, type CacheCodec } from "./codec.js";
import type { BreakerState, CacheObserver, RemoteCacheDriver, RemoteInfo } from "./types.js";

export interface RemoteTierOptions {
  driver: RemoteCacheDriver;
  prefix?: string;
  timeoutMs?: number;
  breakerThreshold?: number;
  breakerCooldownMs?: number;
  codec?: CacheCodec;
  /** Layout version in every key; tests change it to prove old entries are never read. */
  formatVersion?: number;
  /** Fraction by which L2 TTLs are randomly shortened (default 0.1). */
  ttlJitter?: number;
  observer?: CacheObserver;
  logger?: Logger;
  now?: () => number;
}

export type RemoteRead<T> = { status: "hit"; value: T } | { status: "miss" } | { status: "unavailable" };

const SKIPPED: unique symbol = Symbol("skipped");

export class RemoteTier {
  readonly driver: RemoteCacheDriver;
  readonly prefix: string;
  readonly channel: string;
  readonly timeoutMs: number;
  private readonly writeTimeoutMs: number;
  private readonly scanTimeoutMs = 60_000;
  /** No operation outlives this, however blocked the event loop was (see attempt()). */
  private readonly hardCapMs: number;
  private readonly keyHead: string;
  private readonly lockHead: string;
  private readonly codec: CacheCodec;
  private readonly jitter: number;
  private readonly breaker: CircuitBreaker;
  private readonly observer: CacheObserver;
  private readonly logger: Logger | undefined;
  private errorCount = 0;
  private probeTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: RemoteTierOptions) {
    this.driver = options.driver;
    this.prefix = options.prefix ?? "specgate:";
    this.timeoutMs = options.timeoutMs ?? 50;
    this.writeTimeoutMs = Math.max(4 * this.timeoutMs, 250);
    this.hardCapMs = l2HardCapMs(this.timeoutMs);
    const format = options.formatVersion ?? FORMAT_VERSION;
    this.keyHead = `${this.prefix}f${format}:`;
    this.lockHead = `${this.prefix}lock:f${format}:`;
    this.channel = `${this.prefix}events`;
    this.codec = options.codec ?? defaultCodec;
    this.jitter = Math.min(0.5, Math.max(0, options.ttlJitter ?? 0.1));
    this.observer = options.observer ?? {};
    this.logger = options.logger?.child({ component: "cache-l2", driver: this.driver.name });
    this.breaker = new CircuitBreaker({
      threshold: options.breakerThreshold ?? 5,
      cooldownMs: options.breakerCooldownMs ?? 5000,
      ...(options.now ? { now: options.now } : {}),
      onChange: (state, previous) => this.onBreakerChange(state, previous),
    });
    this.driver.onReady(() => {
      this.breaker.probeNow();
      void this.probe();
    });
    this.observer.breaker?.("closed");
  }

  /** `up` when the breaker is closed and the connection is ready. */
  state(): "up" | "down" {
    return this.breaker.state === "closed" && this.driver.ready() ? "up" : "down";
  }

  breakerState(): BreakerState {
    return this.breaker.state;
  }

  get errors(): number {
    return this.errorCount;
  }

  /** The L2 key of a cache key (exposed for tests and tools that inspect Redis). */
  dataKey(key: string): string {
    return this.keyHead + key;
  }

  lockKey(key: string): string {
    return this.lockHead + key;
  }

  async get<T>(key: string): Promise<RemoteRead<T>> {
    const bytes = await this.attempt("get", this.timeoutMs, () => this.driver.get(this.dataKey(key)));
    if (bytes === SKIPPED) return { status: "unavailable" };
    if (bytes === undefined) return { status: "miss" };
    try {
      return { status: "hit", value: (await this.codec.decode(bytes)) as T };
    } catch (error) {
      // A value this release cannot read is a miss, not an outage: it will be overwritten.
      this.report("decode", error);
      return { status: "miss" };
    }
  }

  /** Encodes and writes; resolves false when L2 was skipped or failed. Never rejects. */
  async set(key: string, value: unknown, ttlMs: number): Promise<boolean> {
    if (this.breaker.state === "open") return false;
    let bytes: Buffer;
    try {
      bytes = await this.codec.encode(value);
    } catch (error) {
      this.report("encode", error);
      return false;
    }
    const ttl = Math.max(1, Math.round(ttlMs * (1 - this.jitter * Math.random())));
    return (
      (await this.attempt("set", this.writeTimeoutMs, () => this.driver.set(this.dataKey(key), bytes, ttl))) !== SKIPPED
    );
  }

  /** True: this token holds the lock; false: someone else does; undefined: L2 unavailable. */
  async acquireLock(key: string, token: string, ttlMs: number): Promise<boolean | undefined> {
    // A write-sized bound: the lock precedes an expensive computation it exists to save, and a
    // call reaches it only after a successful read, so a dead Redis never costs this wait.
    const r = await this.attempt("lock", this.writeTimeoutMs, () =>
      this.driver.acquireLock(this.lockKey(key), token, ttlMs),
    );
    return r === SKIPPED ? undefined : r;
  }

  async extendLock(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (
      (await this.attempt("lock", this.writeTimeoutMs, () =>
        this.driver.extendLock(this.lockKey(key), token, ttlMs),
      )) === true
    );
  }

  async releaseLock(key: string, token: string): Promise<boolean> {
    return (
      (await this.attempt("unlock", this.writeTimeoutMs, () => this.driver.releaseLock(this.lockKey(key), token))) ===
      true
    );
  }

  /**
   * Unlinks the values of a kind whose readable part matches `filter` (all when absent).
   * Undefined when L2 was skipped or failed.
   */
  async deleteKind(
    kind: string,
    filter: ((part: string) => boolean) | undefined,
    signal?: AbortSignal,
  ): Promise<number | undefined> {
    const head = `${this.keyHead}${kind}:`;
    const match = `${escapeGlob(head)}*`;
    const keep = filter ? (key: string) => filter(partOf(key, head)) : undefined;
    const r = await this.attempt(
      "invalidate",
      this.scanTimeoutMs,
      () => this.driver.deleteMatching(match, keep, signal),
      signal,
    );
    return r === SKIPPED ? undefined : r;
  }

  /** Keys of the current format per kind (a SCAN over the whole server: an admin operation). */
  async countByKind(signal?: AbortSignal): Promise<Record<string, number> | undefined> {
    const head = this.keyHead;
    const r = await this.attempt(
      "scan",
      this.scanTimeoutMs,
      () => this.driver.countMatching(`${escapeGlob(head)}*`, (key) => key.slice(head.length).split(":", 1)[0], signal),
      signal,
    );
    return r === SKIPPED ? undefined : r;
  }

  async publish(message: string): Promise<boolean> {
    return (
      (await this.attempt("publish", this.writeTimeoutMs, () => this.driver.publish(this.channel, message))) !== SKIPPED
    );
  }

  async info(): Promise<RemoteInfo | undefined> {
    const r = await this.attempt("info", this.writeTimeoutMs, () => this.driver.info());
    return r === SKIPPED ? undefined : r;
  }

  /** One PING through the breaker; closes it when the server answers. */
  async probe(): Promise<boolean> {
    const wait = this.breaker.retryInMs;
    if (wait > 0) {
      // A timer may fire a hair before the breaker's clock says the cooldown is over.
      this.scheduleProbe(wait);
      return false;
    }
    this.logger?.debug({ breaker: this.breaker.state, ready: this.driver.ready() }, "L2 probe");
    return (await this.attempt("ping", this.writeTimeoutMs, () => this.driver.ping())) !== SKIPPED;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    await this.driver.close();
  }

  /**
   * Runs one operation through the breaker with a timeout. Failures become SKIPPED; only the
   * caller's own cancellation (`signal`) is thrown, and it does not count against L2.
   */
  private async attempt<T>(
    operation: string,
    timeoutMs: number,
    fn: () => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T | typeof SKIPPED> {
    if (this.closed || !this.breaker.allow()) return SKIPPED;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        // A timer measures this process as much as Redis. When it fires late, the event loop
        // was blocked (a big synchronous conversion, a large request body) and the reply may be
        // sitting unread: that says nothing about Redis, so the period starts again (up to a hard
        // cap). The verdict itself waits past the I/O phase (setImmediate), where a reply that
        // has already arrived settles the race first.
        const started = performance.now();
        let due = started + timeoutMs;
        const fire = () => {
          const now = performance.now();
          if (now - due > timeoutMs / 2 && now - started < this.hardCapMs) {
            due = now + timeoutMs;
            timer = setTimeout(fire, timeoutMs);
            return;
          }
          setImmediate(() => reject(new Error(`L2 ${operation} exceeded ${timeoutMs} ms`)));
        };
        timer = setTimeout(fire, timeoutMs);
      });
      const value = await Promise.race([fn(), timeout]);
      this.breaker.success();
      return value;
    } catch (error) {
      if (signal?.aborted) {
        this.breaker.abandon();
        throw toSpecGateError(signal.reason, signal);
      }
      this.breaker.failure();
      this.report(operation, error);
      return SKIPPED;
    } finally {
      clearTimeout(timer);
    }
  }

  private scheduleProbe(delayMs: number): void {
    if (this.closed) return;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = setTimeout(() => void this.probe(), delayMs + 5);
    this.probeTimer.unref();
  }

  private report(operation: string, error: unknown): void {
    this.errorCount++;
    this.observer.l2Error?.(operation, error);
    this.logger?.debug(
      { operation, err: error instanceof Error ? error.message : String(error) },
      "L2 operation failed; served without L2",
    );
  }

  private onBreakerChange(state: BreakerState, previous: BreakerState): void {
    this.observer.breaker?.(state);
    this.logger?.debug({ state, previous }, "L2 circuit breaker");
    if (state === "open") {
      if (previous === "closed") {
        this.logger?.warn(
          { retry_in_ms: this.breaker.retryInMs },
          "L2 cache unavailable: serving from memory (L1) until it answers again",
        );
      }
      this.scheduleProbe(this.breaker.retryInMs);
    } else if (state === "half-open") {
      // Whoever noticed the cooldown was over (a call, /healthz) may not be an L2 operation:
      // probe now, so the state converges without traffic. A no-op if a call took the slot.
      setImmediate(() => void this.probe());
    } else if (state === "closed") {
      this.logger?.info("L2 cache available again");
    }
  }
}

/** The longest any L2 command may take (a backstop; the breaker usually decides long before). */
export function l2HardCapMs(timeoutMs: number): number {
  return Math.max(20 * timeoutMs, 2000);
}

/** Escapes Redis glob metacharacters so a prefix or kind is matched literally. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}

/** The readable part of an L2 key: what follows `<head><version>:`. */
function partOf(key: string, head: string): string {
  const rest = key.slice(head.length);
  const colon = rest.indexOf(":");
  return colon < 0 ? "" : rest.slice(colon + 1);
}
