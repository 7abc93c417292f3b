/**
 * What a producer declares about the values it caches, next to the code that computes them.
 * The cache knows no producer: a call hands it the policy, and the policy alone decides the
 * key's namespace and version, the TTL and whether a miss takes the distributed lock.
 *
 *   export const REPORT_CACHE = { namespace: "report", ttlSeconds: 1800, version: 1, lock: false } as const satisfies CachePolicy;
 *
 * The composition root lists every producer's policy once (`src/tools/cache-policies.ts`), so
 * that invalidation by name (the cache_invalidate tool, the CLI, the bus) knows the namespaces.
 */

/** A producer's cache policy. Plain data: a module may declare one without importing the cache. */
export interface CachePolicy<N extends string = string> {
  /** The first segment of every key (e.g. `report`): what is invalidated by name. */
  readonly namespace: N;
  /** How long a value lives in L2 (L1 keeps it at most this long too, often less). */
  readonly ttlSeconds: number;
  /**
   * The producer's version: bump it when the producer's output changes shape or content, so old
   * entries (in a shared Redis too) are never read again. The package version is added to it.
   */
  readonly version: number;
  /**
   * Take a distributed lock on a miss, so that N instances missing the same key compute once.
   * Worth it only when computing costs far more than a Redis round trip (an upstream call).
   */
  readonly lock: boolean;
}

/** Namespaces are short lowercase names: they appear in keys, metrics labels and the bus. */
export const NAMESPACE_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

/** True for a syntactically valid namespace. */
export function isNamespace(name: string): boolean {
  return NAMESPACE_PATTERN.test(name);
}

/**
 * Checks a list of policies (valid names and numbers, no namespace twice) and returns it
 * frozen, order kept. Throws at startup on a mistake rather than mixing two producers' entries.
 */
export function registerPolicies<const P extends readonly CachePolicy[]>(policies: P): P {
  const seen = new Set<string>();
  for (const p of policies) {
    if (!isNamespace(p.namespace))
      throw new Error(`cache policy: invalid namespace "${p.namespace}" (lowercase letters, digits and _)`);
    if (seen.has(p.namespace)) throw new Error(`cache policy: namespace "${p.namespace}" is declared twice`);
    if (!(p.ttlSeconds > 0) || !Number.isInteger(p.version) || p.version < 0)
      throw new Error(`cache policy "${p.namespace}": ttlSeconds must be > 0 and version a non-negative integer`);
    seen.add(p.namespace);
  }
  return Object.freeze([...policies]) as unknown as P;
}
