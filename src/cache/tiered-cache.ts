/**
 * The cache facade: L1 (memory) → L2 (optional remote driver, e.g. Redis) → compute.
 *
 * Failure modes, by design:
 * - L2 errors or slowness never fail a call: every L2 operation is bounded by `l2TimeoutMs`
 *   and any failure is reported to the observer and treated as a miss. Writes to L2 are
 *   fire-and-forget.
 * - Identical concurrent computations run once (single flight). Each caller waits with its own
 *   signal; the shared computation is aborted only when every waiter has gone.
 * - Errors are never cached; the next caller computes again.
 */
import { SpecGateError, throwIfAborted } from "../errors.js";
import { raceSignal } from "../signals.js";
import { cacheKey, globToRegExp } from "./keys.js";
import { MemoryCache, approximateSize } from "./memory-cache.js";
import {
  CACHE_TTL_SECONDS,
  type Cache,
  type CacheKind,
  type CacheObserver,
  type CacheOptions,
  type CacheOutcome,
  type CacheStats,
  type CacheTier,
  type RemoteCacheDriver,
} from "./types.js";

/** Serialises values for L2. The Redis tier may swap in a compressing codec. */
export interface CacheCodec {
  encode(value: unknown): Promise<Buffer>;
  decode(bytes: Buffer): Promise<unknown>;
}

export const jsonCodec: CacheCodec = {
  encode: async (value) => Buffer.from(JSON.stringify(value), "utf8"),
  decode: async (bytes) => JSON.parse(bytes.toString("utf8")) as unknown,
};

export interface TieredCacheOptions {
  l1MaxBytes: number;
  remote?: RemoteCacheDriver | undefined;
  codec?: CacheCodec;
  /** Prefix of every L2 key, so several deployments can share one Redis. */
  prefix?: string;
  /** Upper bound of any single L2 operation. */
  l2TimeoutMs?: number;
  /** L1 keeps entries at most this long even if the kind's TTL is longer (bounds staleness). */
  l1MaxTtlMs?: number;
  observer?: CacheObserver;
  now?: () => number;
}

interface Flight {
  promise: Promise<unknown>;
  controller: AbortController;
  waiters: number;
  done: boolean;
}

export class TieredCache implements Cache {
  readonly l1: MemoryCache;
  private readonly remote: RemoteCacheDriver | undefined;
  private readonly codec: CacheCodec;
  private readonly prefix: string;
  private readonly l2TimeoutMs: number;
  private readonly l1MaxTtlMs: number;
  private readonly observer: CacheObserver;
  private readonly flights = new Map<string, Flight>();
  private readonly counters = new Map<string, { l1Hits: number; l2Hits: number; misses: number; shared: number }>();

  constructor(options: TieredCacheOptions) {
    this.l1 = new MemoryCache({ maxBytes: options.l1MaxBytes, ...(options.now ? { now: options.now } : {}) });
    this.remote = options.remote;
    this.codec = options.codec ?? jsonCodec;
    this.prefix = options.prefix ?? "specgate:";
    this.l2TimeoutMs = options.l2TimeoutMs ?? 50;
    this.l1MaxTtlMs = options.l1MaxTtlMs ?? Number.POSITIVE_INFINITY;
    this.observer = options.observer ?? {};
  }

  key(kind: CacheKind, material: unknown): string {
    return cacheKey(kind, material);
  }

  peek<T>(key: string): T | undefined {
    return this.l1.get<T>(key);
  }

  async get<T>(kind: CacheKind, material: unknown): Promise<{ value: T; tier: CacheTier } | undefined> {
    return this.lookup<T>(kind, this.key(kind, material));
  }

  private async lookup<T>(kind: CacheKind, key: string): Promise<{ value: T; tier: CacheTier } | undefined> {
    const local = this.l1.get<T>(key);
    if (local !== undefined) {
      this.count(kind, "l1Hits");
      this.observer.hit?.("l1", kind);
      return { value: local, tier: "l1" };
    }
    const remote = await this.readRemote<T>(key);
    if (remote !== undefined) {
      this.l1.set(key, remote, this.l1Ttl(kind));
      this.count(kind, "l2Hits");
      this.observer.hit?.("l2", kind);
      return { value: remote, tier: "l2" };
    }
    return undefined;
  }

  async set(kind: CacheKind, material: unknown, value: unknown, ttlMs?: number): Promise<void> {
    this.store(kind, this.key(kind, material), value, ttlMs);
  }

  async getOrCompute<T>(
    kind: CacheKind,
    material: unknown,
    compute: (signal: AbortSignal) => Promise<T>,
    options: CacheOptions = {},
  ): Promise<{ value: T; outcome: CacheOutcome }> {
    const key = this.key(kind, material);
    throwIfAborted(options.signal);
    if (!options.bypass) {
      const hit = await this.lookup<T>(kind, key);
      if (hit) return { value: hit.value, outcome: hit.tier };
    }
    const existing = this.flights.get(key);
    if (existing && !options.bypass) {
      this.count(kind, "shared");
      return { value: (await this.join(existing, options.signal)) as T, outcome: "shared" };
    }
    this.count(kind, "misses");
    this.observer.miss?.(kind);
    const controller = new AbortController();
    const flight: Flight = { controller, waiters: 0, done: false, promise: Promise.resolve() };
    flight.promise = (async () => {
      try {
        const value = await compute(controller.signal);
        this.store(kind, key, value, options.ttlMs);
        return value;
      } finally {
        flight.done = true;
        if (this.flights.get(key) === flight) this.flights.delete(key);
      }
    })();
    // Keep an unobserved rejection (all waiters gone) from becoming an unhandled rejection.
    flight.promise.catch(() => undefined);
    this.flights.set(key, flight);
    return { value: (await this.join(flight, options.signal)) as T, outcome: options.bypass ? "bypass" : "miss" };
  }

  async invalidate(kind: CacheKind, pattern?: string): Promise<number> {
    const kindPrefix = `${kind}:`;
    const re = pattern ? globToRegExp(pattern) : undefined;
    const removed = this.l1.deleteWhere((key) => {
      if (!key.startsWith(kindPrefix)) return false;
      if (!re) return true;
      const part = key.slice(key.indexOf(":", kindPrefix.length) + 1);
      return re.test(part);
    });
    let remoteRemoved = 0;
    if (this.remote) {
      const glob = `${this.prefix}${kind}:*:${pattern ?? "*"}`;
      try {
        remoteRemoved = await this.remote.deleteMatching(glob);
      } catch (error) {
        this.observer.l2Error?.("invalidate", error);
      }
    }
    return Math.max(removed, remoteRemoved);
  }

  shed(keepRatio = 0.5): void {
    this.l1.shed(keepRatio);
  }

  stats(): CacheStats {
    return {
      l1: { entries: this.l1.entries, bytes: this.l1.bytes, maxBytes: this.l1.maxBytes },
      l2: this.remote ? this.remote.state() : "disabled",
      byKind: Object.fromEntries(this.counters),
    };
  }

  async close(): Promise<void> {
    for (const flight of this.flights.values()) flight.controller.abort(new SpecGateError("E_CANCELLED", "The cache is closing."));
    this.flights.clear();
    this.l1.clear();
    await this.remote?.close();
  }

  /** Waits for a flight with this caller's signal; the last waiter to leave early aborts the work. */
  private async join(flight: Flight, signal: AbortSignal | undefined): Promise<unknown> {
    flight.waiters++;
    try {
      return await (signal ? raceSignal(flight.promise, signal) : flight.promise);
    } finally {
      flight.waiters--;
      if (flight.waiters === 0 && !flight.done) flight.controller.abort(signal?.reason);
    }
  }

  private store(kind: CacheKind, key: string, value: unknown, ttlMs?: number): void {
    const ttl = ttlMs ?? CACHE_TTL_SECONDS[kind] * 1000;
    const size = approximateSize(value);
    this.l1.set(key, value, Math.min(ttl, this.l1MaxTtlMs), size);
    if (this.remote && this.remote.state() === "up") {
      const remote = this.remote;
      void (async () => {
        try {
          const bytes = await this.codec.encode(value);
          await this.withTimeout(remote.set(this.prefix + key, bytes, ttl), "set");
        } catch (error) {
          this.observer.l2Error?.("set", error);
        }
      })();
    }
  }

  private async readRemote<T>(key: string): Promise<T | undefined> {
    if (!this.remote || this.remote.state() !== "up") return undefined;
    try {
      const bytes = await this.withTimeout(this.remote.get(this.prefix + key), "get");
      if (bytes === undefined) return undefined;
      return (await this.codec.decode(bytes)) as T;
    } catch (error) {
      this.observer.l2Error?.("get", error);
      return undefined;
    }
  }

  private withTimeout<T>(promise: Promise<T>, operation: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`L2 ${operation} exceeded ${this.l2TimeoutMs} ms`)), this.l2TimeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  private l1Ttl(kind: CacheKind): number {
    return Math.min(CACHE_TTL_SECONDS[kind] * 1000, this.l1MaxTtlMs);
  }

  private count(kind: CacheKind, field: "l1Hits" | "l2Hits" | "misses" | "shared"): void {
    let c = this.counters.get(kind);
    if (!c) {
      c = { l1Hits: 0, l2Hits: 0, misses: 0, shared: 0 };
      this.counters.set(kind, c);
    }
    c[field]++;
  }
}
