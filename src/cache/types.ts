/**
 * The cache's contracts: what is cached (kinds and their TTLs), the L2 driver interface the
 * Redis tier implements, and the facade every caller uses.
 */

/** What is cached. Each kind has its own TTL and its own producer version. */
export const CACHE_KINDS = [
  "confluence_page",
  "confluence_search",
  "convert",
  "lint",
  "extract",
  "generate",
  "gate",
] as const;
export type CacheKind = (typeof CACHE_KINDS)[number];

/** TTLs per kind (PRODUCT.md §3, from the performance seed §3.4), in seconds. */
export const CACHE_TTL_SECONDS: Readonly<Record<CacheKind, number>> = {
  confluence_page: 3600,
  confluence_search: 60,
  convert: 1800,
  lint: 1800,
  extract: 7200,
  generate: 7200,
  gate: 1800,
};

/**
 * Bump a kind's producer version when the code producing it changes its output, so old
 * entries (in a shared Redis too) are never read again. The package version is added as well.
 */
export const PRODUCER_VERSIONS: Readonly<Record<CacheKind, number>> = {
  confluence_page: 1,
  confluence_search: 1,
  convert: 1,
  lint: 2,
  extract: 2,
  generate: 1,
  gate: 1,
};

export type CacheTier = "l1" | "l2";
/** How a lookup was answered: from a tier, by computing, by joining an identical call, or skipped. */
export type CacheOutcome = "l1" | "l2" | "miss" | "shared" | "bypass";

/**
 * L2 driver: opaque bytes under string keys. Implementations must bound every operation by a
 * short timeout and never queue commands while disconnected; the facade treats any rejection
 * as "L2 unavailable" and carries on from L1.
 */
export interface RemoteCacheDriver {
  readonly name: string;
  /** `"up"` when the last operations succeeded, `"down"` while failing (breaker open). */
  state(): "up" | "down";
  get(key: string): Promise<Buffer | undefined>;
  set(key: string, value: Buffer, ttlMs: number): Promise<void>;
  delete(keys: readonly string[]): Promise<number>;
  /** Deletes every key matching a glob pattern (SCAN + UNLINK in batches). Returns the count. */
  deleteMatching(pattern: string): Promise<number>;
  close(): Promise<void>;
}

/** Observer the facade reports to (metrics, logs). All methods optional. */
export interface CacheObserver {
  hit?(tier: CacheTier, kind: CacheKind): void;
  miss?(kind: CacheKind): void;
  l2Error?(operation: string, error: unknown): void;
}

export interface CacheOptions {
  /** Skip reading (the value is still computed and written). */
  bypass?: boolean;
  /** Override the kind's TTL. */
  ttlMs?: number;
  /** Cancels this caller's wait (the shared computation continues while others wait). */
  signal?: AbortSignal;
}

export interface CacheStats {
  l1: { entries: number; bytes: number; maxBytes: number };
  l2: "disabled" | "up" | "down";
  byKind: Record<string, { l1Hits: number; l2Hits: number; misses: number; shared: number }>;
}

/** The facade callers use; see TieredCache. */
export interface Cache {
  /** The full key for a kind and key material (an object is hashed; a string is used as is). */
  key(kind: CacheKind, material: unknown): string;
  /** L1 only, synchronous: the pipeline's fast path. */
  peek<T>(key: string): T | undefined;
  get<T>(kind: CacheKind, material: unknown): Promise<{ value: T; tier: CacheTier } | undefined>;
  set(kind: CacheKind, material: unknown, value: unknown, ttlMs?: number): Promise<void>;
  /**
   * Returns the cached value, or computes it once for all identical concurrent callers
   * (single flight) and stores it in both tiers. Errors are never cached.
   */
  getOrCompute<T>(
    kind: CacheKind,
    material: unknown,
    compute: (signal: AbortSignal) => Promise<T>,
    options?: CacheOptions,
  ): Promise<{ value: T; outcome: CacheOutcome }>;
  /** Drops every entry of a kind, or those whose readable key part matches a glob. */
  invalidate(kind: CacheKind, pattern?: string): Promise<number>;
  /** Memory pressure: evicts L1 down to `keepRatio` of its current size. */
  shed(keepRatio?: number): void;
  stats(): CacheStats;
  close(): Promise<void>;
}
