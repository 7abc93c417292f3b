/**
 * The cache's contracts: the L2 driver interface the Redis tier implements, and the facade every
 * caller uses. What is cached, for how long and under which version is not decided here: each
 * producer passes its {@link CachePolicy} (./policy.ts).
 */
import type { CachePolicy } from "./policy.js";

export type { CachePolicy } from "./policy.js";

export type CacheTier = "l1" | "l2";
/**
 * How a lookup was answered: from a tier, by computing, by joining an identical computation
 * (in this process or, through the distributed lock, in another instance), or skipped.
 */
export type CacheOutcome = "l1" | "l2" | "miss" | "shared" | "bypass";

/** Circuit breaker around L2: closed (in use), open (skipped), half-open (one probe allowed). */
export type BreakerState = "closed" | "open" | "half-open";

/**
 * L2 driver: opaque bytes under string keys, plus the few Redis primitives the facade builds
 * distributed single flight and invalidation on. A driver does no timeouts, breaking or
 * serialisation of its own beyond never queueing commands while disconnected (so a dead server
 * fails fast); {@link RemoteTier} bounds every call and treats any rejection as "L2 unavailable".
 * Every command touches one key, so a driver is safe on Redis Cluster without hash tags.
 */
export interface RemoteCacheDriver {
  /** `redis`, `redis-cluster` or `redis-sentinel` (or a test driver's name). */
  readonly name: string;
  /** True when the connection can take commands now. */
  ready(): boolean;
  /** Called whenever the connection (re)becomes ready, so the breaker can probe at once. */
  onReady(listener: () => void): void;
  ping(): Promise<void>;
  get(key: string): Promise<Buffer | undefined>;
  set(key: string, value: Buffer, ttlMs: number): Promise<void>;
  delete(keys: readonly string[]): Promise<number>;
  /**
   * Deletes every key matching a Redis glob (SCAN + UNLINK in batches, on every master of a
   * cluster, never KEYS) for which `filter` is true. Checks `signal` between batches.
   */
  deleteMatching(pattern: string, filter?: (key: string) => boolean, signal?: AbortSignal): Promise<number>;
  /** Counts keys matching a Redis glob by SCAN, grouped by `group(key)` (for `cache stats`). */
  countMatching(
    pattern: string,
    group: (key: string) => string | undefined,
    signal?: AbortSignal,
  ): Promise<Record<string, number>>;
  /** `SET key token NX PX ttl`: true when this caller now holds the lock. */
  acquireLock(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Extends the lock's expiry if `token` still holds it (compare-and-pexpire in Lua). */
  extendLock(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Deletes the lock if `token` still holds it (compare-and-delete in Lua). */
  releaseLock(key: string, token: string): Promise<boolean>;
  publish(channel: string, message: string): Promise<void>;
  /**
   * Listens on a channel over a dedicated connection. `onSubscribed` runs after every
   * (re)subscription: messages sent while disconnected are lost, so the caller resynchronises.
   */
  subscribe(channel: string, onMessage: (message: string) => void, onSubscribed: () => void): Promise<void>;
  /** Whole-server figures (all masters): keys, memory, version. */
  info(): Promise<RemoteInfo>;
  close(): Promise<void>;
}

export interface RemoteInfo {
  mode: string;
  version: string;
  /** DBSIZE summed over masters: every key of the server, not only SpecGate's. */
  keys: number;
  /** `used_memory` summed over masters. */
  memoryBytes: number;
  masters: number;
}

/** Observer the facade reports to (metrics, logs). All methods optional. */
export interface CacheObserver {
  hit?(tier: CacheTier, namespace: string): void;
  miss?(namespace: string): void;
  l2Error?(operation: string, error: unknown): void;
  breaker?(state: BreakerState): void;
  /** Distributed single flight: took the lock, waited for another instance, or L2 was unavailable. */
  lock?(namespace: string, result: "acquired" | "waited" | "unavailable"): void;
}

export interface CacheOptions {
  /** Skip reading (the value is still computed and written). */
  bypass?: boolean;
  /** Override the policy's TTL for this value. */
  ttlMs?: number;
  /** Cancels this caller's wait (the shared computation continues while others wait). */
  signal?: AbortSignal;
  /**
   * Take a distributed lock on a miss so only one instance computes (default: the policy's
   * `lock`). Worth it only when computing costs far more than a Redis round trip.
   */
  lock?: boolean;
}

export interface KindCounters {
  l1Hits: number;
  l2Hits: number;
  /** Lookups that found nothing in either tier. */
  misses: number;
  /** Calls that joined an identical computation here or in another instance. */
  shared: number;
  /** Times this process ran the computation. */
  computed: number;
}

export interface CacheStats {
  l1: { entries: number; bytes: number; maxBytes: number };
  /** `down` while the breaker is not closed or the connection is not ready. */
  l2: "disabled" | "up" | "down";
  remote?: { driver: string; breaker: BreakerState; errors: number; instanceId: string };
  byKind: Record<string, KindCounters>;
}

export interface InvalidationResult {
  /** Entries dropped from this process's L1. */
  l1: number;
  /** Keys unlinked in L2; `undefined` when there is no L2 or it could not be reached. */
  l2: number | undefined;
  /** True when the other instances were told to drop their L1 copies. */
  broadcast: boolean;
}

/** The facade callers use; see TieredCache. */
export interface Cache {
  /** The full key for a policy and key material (an object is hashed; a short safe string is kept readable). */
  key(policy: CachePolicy, material: unknown): string;
  /** L1 only, synchronous: the pipeline's fast path. A hit counts as an L1 hit in `stats()`. */
  peek<T>(key: string): T | undefined;
  get<T>(policy: CachePolicy, material: unknown): Promise<{ value: T; tier: CacheTier } | undefined>;
  set(policy: CachePolicy, material: unknown, value: unknown, ttlMs?: number): Promise<void>;
  /**
   * Returns the cached value, or computes it once for all identical concurrent callers
   * (single flight, across instances when the policy locks) and stores it in both tiers. Errors
   * are never cached. L2 trouble never fails the call.
   */
  getOrCompute<T>(
    policy: CachePolicy,
    material: unknown,
    compute: (signal: AbortSignal) => Promise<T>,
    options?: CacheOptions,
  ): Promise<{ value: T; outcome: CacheOutcome }>;
  /**
   * Drops every entry of a namespace, or those whose readable key part matches a glob (`*`,
   * `?`): in L1, in L2, and in every other instance's L1 (broadcast).
   */
  invalidate(namespace: string, pattern?: string, signal?: AbortSignal): Promise<InvalidationResult>;
  /** Memory pressure: evicts L1 down to `keepRatio` of its current size. */
  shed(keepRatio?: number): void;
  stats(): CacheStats;
  /** Whole-server L2 figures, or undefined without a reachable L2. */
  remoteInfo?(signal?: AbortSignal): Promise<RemoteInfo | undefined>;
  /** SpecGate's L2 keys per namespace (a SCAN of the whole server), or undefined without a reachable L2. */
  countRemoteKeys?(signal?: AbortSignal): Promise<Record<string, number> | undefined>;
  close(): Promise<void>;
}
