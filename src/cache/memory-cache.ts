/**
 * L1: an in-process LRU bounded in bytes (lru-cache `maxSize`). Values are kept as live objects;
 * their size is estimated once on insert. Time comes from an injectable clock so TTL tests need
 * no sleeping.
 */
import { LRUCache } from "lru-cache";

interface Entry {
  value: unknown;
  size: number;
}

export interface MemoryCacheOptions {
  maxBytes: number;
  /** Milliseconds since an arbitrary origin; defaults to performance.now(). */
  now?: () => number;
}

export class MemoryCache {
  private readonly lru: LRUCache<string, Entry>;
  readonly maxBytes: number;

  constructor(options: MemoryCacheOptions) {
    this.maxBytes = options.maxBytes;
    const now = options.now;
    this.lru = new LRUCache<string, Entry>({
      maxSize: options.maxBytes,
      // A single entry may take at most a quarter of L1, so one huge page cannot flush the rest.
      maxEntrySize: Math.max(1, Math.floor(options.maxBytes / 4)),
      sizeCalculation: (entry) => Math.max(1, entry.size),
      ttlAutopurge: false,
      allowStale: false,
      updateAgeOnGet: false,
      // An injected clock is read on every access (no cached "now"), so TTL tests need no sleeping.
      ...(now ? { perf: { now }, ttlResolution: 0 } : {}),
    });
  }

  get<T>(key: string): T | undefined {
    return this.lru.get(key)?.value as T | undefined;
  }

  set(key: string, value: unknown, ttlMs: number, size = approximateSize(value)): void {
    this.lru.set(key, { value, size }, { ttl: Math.max(1, Math.round(ttlMs)) });
  }

  delete(key: string): boolean {
    return this.lru.delete(key);
  }

  /** Deletes keys for which `match` is true; returns the count. */
  deleteWhere(match: (key: string) => boolean): number {
    let n = 0;
    for (const key of [...this.lru.keys()]) if (match(key) && this.lru.delete(key)) n++;
    return n;
  }

  clear(): void {
    this.lru.clear();
  }

  /** Evicts least-recently-used entries until at most `keepRatio` of the current bytes remain. */
  shed(keepRatio = 0.5): number {
    const target = this.lru.calculatedSize * Math.min(1, Math.max(0, keepRatio));
    let n = 0;
    while (this.lru.size > 0 && this.lru.calculatedSize > target) {
      this.lru.pop();
      n++;
    }
    return n;
  }

  get entries(): number {
    return this.lru.size;
  }

  get bytes(): number {
    return this.lru.calculatedSize;
  }
}

/**
 * A cheap estimate of the memory a JSON-like value holds (UTF-16 strings, 8-byte numbers, small
 * per-object overhead). Bounded: it stops walking after 100k nodes and extrapolates.
 */
export function approximateSize(value: unknown): number {
  let bytes = 0;
  let nodes = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (++nodes > 100_000) return bytes * 2;
    if (typeof v === "string") bytes += 16 + v.length * 2;
    else if (typeof v === "number" || typeof v === "boolean" || v === null || v === undefined) bytes += 8;
    else if (Buffer.isBuffer(v)) bytes += v.byteLength;
    else if (Array.isArray(v)) {
      bytes += 16 + v.length * 8;
      for (const item of v) stack.push(item);
    } else if (typeof v === "object") {
      // for…in, not Object.entries: a large result has many objects, and an array per object
      // was most of this walk's garbage.
      for (const k in v) {
        if (!Object.hasOwn(v, k)) continue;
        bytes += 16 + k.length * 2;
        stack.push((v as Record<string, unknown>)[k]);
      }
    }
  }
  return bytes;
}
