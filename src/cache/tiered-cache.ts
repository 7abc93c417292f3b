/**
 * The cache facade: L1 (memory) → L2 (optional, e.g. Redis, through {@link RemoteTier}) → compute.
 *
 * Read path: L1 → an identical computation already running here (join it) → L2 (promote to L1
 * on a hit) → compute once (single flight; for locked kinds, once across every instance) →
 * write L1 now and L2 in the background.
 *
 * Failure modes, by design:
 * - L2 errors or slowness never fail a call: each L2 operation is bounded and guarded by a
 *   circuit breaker (RemoteTier); any failure is a miss, and a call makes at most one failing
 *   L2 round trip before it computes. Writes to L2 are fire-and-forget.
 * - Errors are never cached; the next caller computes again.
 * - Invalidation bumps a per-kind generation, so a computation that started before it never
 *   stores its (possibly stale) result afterwards.
 * - Every instance drops its L1 copies on an invalidation broadcast, and clears L1 whenever its
 *   bus (re)subscribes, because pub/sub loses messages while disconnected. With an L2, L1 TTLs
 *   are capped (`l1MaxTtlMs`) so a missed message cannot serve stale data for long.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "../logger.js";
import { throwIfAborted } from "../errors.js";
import { CacheBus } from "./bus.js";
import type { CacheCodec } from "./codec.js";
import { FillWaiters, computeLocked } from "./distributed-flight.js";
import { cacheKey, globMatcher } from "./keys.js";
import { MemoryCache, approximateSize } from "./memory-cache.js";
import { RemoteTier } from "./remote-tier.js";
import { SingleFlight } from "./single-flight.js";
import { isNamespace, type CachePolicy } from "./policy.js";
import type {
  Cache,
  CacheObserver,
  CacheOptions,
  CacheOutcome,
  CacheStats,
  CacheTier,
  InvalidationResult,
  KindCounters,
  RemoteCacheDriver,
  RemoteInfo,
} from "./types.js";

export type { CacheCodec } from "./codec.js";

export interface TieredCacheOptions {
  l1MaxBytes: number;
  /** The L2 driver (Redis); absent = memory-only. */
  remote?: RemoteCacheDriver | undefined;
  codec?: CacheCodec;
  /** Prefix of every L2 key and of the bus channel, so several deployments can share one Redis. */
  prefix?: string;
  /** Upper bound of one L2 read; writes get a few times more. */
  l2TimeoutMs?: number;
  breakerThreshold?: number;
  breakerCooldownMs?: number;
  /** L2 layout version (tests). */
  formatVersion?: number;
  /** L1 keeps entries at most this long even if the policy's TTL is longer (bounds staleness). */
  l1MaxTtlMs?: number;
  /** Expiry of a distributed single-flight lock; refreshed while the holder computes. */
  lockTtlMs?: number;
  /** Identifies this process on the bus (its own messages are ignored). */
  instanceId?: string;
  /**
   * The namespaces this instance serves (every producer's policy, listed by the composition
   * root): invalidations of any other name from the bus are ignored. Default: any valid name.
   */
  namespaces?: readonly string[];
  observer?: CacheObserver;
  logger?: Logger;
  now?: () => number;
}

type FlightResult = { value: unknown; shared: boolean };
type Lookup<T> = { value: T; tier: CacheTier } | { value?: undefined; l2Unavailable: boolean };

export class TieredCache implements Cache {
  readonly l1: MemoryCache;
  readonly remote: RemoteTier | undefined;
  readonly instanceId: string;
  private readonly bus: CacheBus | undefined;
  private readonly l1MaxTtlMs: number;
  private readonly lockTtlMs: number;
  private readonly observer: CacheObserver;
  private readonly logger: Logger | undefined;
  private readonly flights = new SingleFlight<FlightResult>();
  private readonly fills = new FillWaiters();
  private readonly generations = new Map<string, number>();
  private readonly counters = new Map<string, KindCounters>();

  constructor(options: TieredCacheOptions) {
    this.l1 = new MemoryCache({ maxBytes: options.l1MaxBytes, ...(options.now ? { now: options.now } : {}) });
    this.instanceId = options.instanceId ?? randomUUID();
    this.l1MaxTtlMs = options.l1MaxTtlMs ?? Number.POSITIVE_INFINITY;
    this.lockTtlMs = options.lockTtlMs ?? 10_000;
    this.observer = options.observer ?? {};
    this.logger = options.logger?.child({ component: "cache" });
    if (options.remote) {
      this.remote = new RemoteTier({
        driver: options.remote,
        ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
        ...(options.l2TimeoutMs !== undefined ? { timeoutMs: options.l2TimeoutMs } : {}),
        ...(options.breakerThreshold !== undefined ? { breakerThreshold: options.breakerThreshold } : {}),
        ...(options.breakerCooldownMs !== undefined ? { breakerCooldownMs: options.breakerCooldownMs } : {}),
        ...(options.codec ? { codec: options.codec } : {}),
        ...(options.formatVersion !== undefined ? { formatVersion: options.formatVersion } : {}),
        observer: this.observer,
        ...(options.logger ? { logger: options.logger } : {}),
      });
      const served = options.namespaces ? new Set(options.namespaces) : undefined;
      this.bus = new CacheBus(
        this.remote,
        this.instanceId,
        {
          invalidate: (namespace, pattern) => this.dropLocal(namespace, pattern),
          filled: (key) => this.fills.notify(key),
          resync: () => this.resync(),
        },
        this.logger,
        served ? (namespace) => served.has(namespace) : isNamespace,
      );
      this.bus.start();
    }
  }

  key(policy: CachePolicy, material: unknown): string {
    return cacheKey(policy, material);
  }

  peek<T>(key: string): T | undefined {
    const value = this.l1.get<T>(key);
    // Every L1 key came from key(): its first segment is the namespace.
    if (value !== undefined) this.count(key.slice(0, key.indexOf(":")), "l1Hits");
    return value;
  }

  async get<T>(policy: CachePolicy, material: unknown): Promise<{ value: T; tier: CacheTier } | undefined> {
    const hit = await this.lookup<T>(policy, this.key(policy, material));
    return "tier" in hit ? hit : undefined;
  }

  async set(policy: CachePolicy, material: unknown, value: unknown, ttlMs?: number): Promise<void> {
    void this.store(policy, this.key(policy, material), value, ttlMs);
  }

  async getOrCompute<T>(
    policy: CachePolicy,
    material: unknown,
    compute: (signal: AbortSignal) => Promise<T>,
    options: CacheOptions = {},
  ): Promise<{ value: T; outcome: CacheOutcome }> {
    const key = this.key(policy, material);
    const kind = policy.namespace;
    const { signal } = options;
    throwIfAborted(signal);
    let l2Unavailable = false;
    if (!options.bypass) {
      const local = this.l1.get<T>(key);
      if (local !== undefined) return { value: this.hit(kind, "l1", local), outcome: "l1" };
      const joined = this.joinFlight<T>(kind, key, signal);
      if (joined) return joined;
      const found = await this.lookupRemote<T>(policy, key);
      if ("tier" in found) return { value: found.value, outcome: "l2" };
      l2Unavailable = found.l2Unavailable;
      // Synchronous from here to flights.start(), so concurrent misses cannot both start one.
      const late = this.joinFlight<T>(kind, key, signal);
      if (late) return late;
    }
    this.count(kind, "misses");
    this.observer.miss?.(kind);
    const generation = this.generation(kind);
    const run = (s: AbortSignal) => {
      this.count(kind, "computed");
      return compute(s);
    };
    const locked = !options.bypass && !l2Unavailable && this.remote !== undefined && (options.lock ?? policy.lock);
    const result = await this.flights.start(
      key,
      async (flightSignal): Promise<FlightResult> => {
        if (!locked || !this.remote || !this.bus) {
          const value = await run(flightSignal);
          void this.store(policy, key, value, options.ttlMs, generation);
          return { value, shared: false };
        }
        const bus = this.bus;
        const r = await computeLocked<T>({
          tier: this.remote,
          key,
          owner: this.instanceId,
          lockTtlMs: this.lockTtlMs,
          signal: flightSignal,
          compute: run,
          store: (value) => this.store(policy, key, value, options.ttlMs, generation),
          announce: (k) => bus.publish({ t: "filled", key: k }),
          fills: this.fills,
        });
        this.observer.lock?.(kind, r.role === "holder" ? "acquired" : r.role === "waiter" ? "waited" : "unavailable");
        if (r.role === "waiter") this.l1.set(key, r.value, this.l1Ttl(policy, options.ttlMs));
        return { value: r.value, shared: r.role === "waiter" };
      },
      signal,
    );
    if (result.shared) this.count(kind, "shared");
    return { value: result.value as T, outcome: options.bypass ? "bypass" : result.shared ? "shared" : "miss" };
  }

  async invalidate(kind: string, pattern?: string, signal?: AbortSignal): Promise<InvalidationResult> {
    if (!isNamespace(kind)) throw new RangeError(`not a cache namespace: "${kind}"`);
    let l2: number | undefined;
    let broadcast = false;
    if (this.remote && this.bus) {
      const matches = pattern === undefined ? undefined : globMatcher(pattern);
      l2 = await this.remote.deleteKind(kind, matches, signal);
      // After L2 is clean, so no instance can re-promote what was just deleted.
      broadcast = await this.bus.publish({ t: "inv", kind, ...(pattern === undefined ? {} : { pattern }) });
    }
    const l1 = this.dropLocal(kind, pattern);
    this.logger?.info({ kind, pattern, l1, l2, broadcast }, "cache invalidated");
    return { l1, l2, broadcast };
  }

  shed(keepRatio = 0.5): void {
    this.l1.shed(keepRatio);
  }

  stats(): CacheStats {
    const byKind: Record<string, KindCounters> = {};
    for (const [kind, c] of this.counters) byKind[kind] = { ...c };
    return {
      l1: { entries: this.l1.entries, bytes: this.l1.bytes, maxBytes: this.l1.maxBytes },
      l2: this.remote ? this.remote.state() : "disabled",
      ...(this.remote
        ? {
            remote: {
              driver: this.remote.driver.name,
              breaker: this.remote.breakerState(),
              errors: this.remote.errors,
              instanceId: this.instanceId,
            },
          }
        : {}),
      byKind,
    };
  }

  /** How many times the bus has (re)subscribed (0 without L2, or before the first subscription). */
  get busSubscriptions(): number {
    return this.bus?.subscribed ?? 0;
  }

  async remoteInfo(): Promise<RemoteInfo | undefined> {
    return this.remote?.info();
  }

  /** Keys per namespace in L2 for the current layout (SCAN of the whole server). */
  async countRemoteKeys(signal?: AbortSignal): Promise<Record<string, number> | undefined> {
    return this.remote?.countByKind(signal);
  }

  async close(): Promise<void> {
    this.flights.abortAll();
    this.l1.clear();
    await this.remote?.close();
  }

  private async lookup<T>(policy: CachePolicy, key: string): Promise<Lookup<T>> {
    const local = this.l1.get<T>(key);
    if (local !== undefined) return { value: this.hit(policy.namespace, "l1", local), tier: "l1" };
    return this.lookupRemote<T>(policy, key);
  }

  private async lookupRemote<T>(policy: CachePolicy, key: string): Promise<Lookup<T>> {
    if (!this.remote) return { l2Unavailable: true };
    const read = await this.remote.get<T>(key);
    if (read.status !== "hit") return { l2Unavailable: read.status === "unavailable" };
    this.l1.set(key, read.value, this.l1Ttl(policy));
    return { value: this.hit(policy.namespace, "l2", read.value), tier: "l2" };
  }

  /** Joins a running computation of `key`, if any (decided synchronously). */
  private joinFlight<T>(
    kind: string,
    key: string,
    signal: AbortSignal | undefined,
  ): Promise<{ value: T; outcome: CacheOutcome }> | undefined {
    const joined = this.flights.join(key, signal);
    if (!joined) return undefined;
    this.count(kind, "shared");
    return joined.then((r) => ({ value: r.value as T, outcome: "shared" as const }));
  }

  /** L1 now; L2 on the next turn of the event loop (after the caller got its value). Never rejects. */
  private store(
    policy: CachePolicy,
    key: string,
    value: unknown,
    ttlMs?: number,
    generation?: number,
  ): Promise<boolean> {
    if (generation !== undefined && generation !== this.generation(policy.namespace)) return Promise.resolve(false);
    const ttl = ttlMs ?? policy.ttlSeconds * 1000;
    this.l1.set(key, value, this.l1Ttl(policy, ttl), approximateSize(value));
    const remote = this.remote;
    if (!remote || remote.breakerState() === "open") return Promise.resolve(false);
    return new Promise((resolve) => setImmediate(() => void remote.set(key, value, ttl).then(resolve)));
  }

  /** Drops L1 entries of a namespace (all, or those whose readable part matches the glob). */
  private dropLocal(kind: string, pattern: string | undefined): number {
    this.generations.set(kind, this.generation(kind) + 1);
    const kindPrefix = `${kind}:`;
    const matches = pattern === undefined ? undefined : globMatcher(pattern);
    return this.l1.deleteWhere((key) => {
      if (!key.startsWith(kindPrefix)) return false;
      if (!matches) return true;
      return matches(key.slice(key.indexOf(":", kindPrefix.length) + 1));
    });
  }

  private resync(): void {
    const dropped = this.l1.entries;
    this.l1.clear();
    if (dropped > 0)
      this.logger?.info({ dropped }, "cache bus resubscribed: cleared L1 (invalidations may have been missed)");
  }

  private generation(kind: string): number {
    return this.generations.get(kind) ?? 0;
  }

  private l1Ttl(policy: CachePolicy, ttlMs?: number): number {
    return Math.min(ttlMs ?? policy.ttlSeconds * 1000, this.l1MaxTtlMs);
  }

  private hit<T>(kind: string, tier: CacheTier, value: T): T {
    this.count(kind, tier === "l1" ? "l1Hits" : "l2Hits");
    this.observer.hit?.(tier, kind);
    return value;
  }

  private count(kind: string, field: keyof KindCounters): void {
    let c = this.counters.get(kind);
    if (!c) {
      c = { l1Hits: 0, l2Hits: 0, misses: 0, shared: 0, computed: 0 };
      this.counters.set(kind, c);
    }
    c[field]++;
  }
}
