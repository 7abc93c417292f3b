/**
 * Every cache producer's policy, in one list. Each policy is declared next to its producer (the
 * tool or core module that computes the value); this list only gathers them, so that what works
 * by name knows every namespace: cache_invalidate's `kind`, `specgate cache invalidate`, the
 * order of cache_stats, and the bus (an instance drops invalidations of names it does not serve).
 *
 * A new producer: declare `{ namespace, ttlSeconds, version, lock }` beside it and add it here.
 */
import { registerPolicies } from "../cache/policy.js";
import { SEARCH_CACHE } from "../core/confluence/fetch.js";
import { PAGE_CACHE, PAGE_VERSION_CACHE } from "../core/confluence/page-store.js";
import { GATE_CACHE } from "./gate-score.js";
import { CONVERT_CACHE } from "./html-to-md.js";
import { CHECK_CACHE } from "./rule-check.js";
import { EXTRACT_CACHE } from "../app/extract-documents.js";
import { GENERATE_CACHE } from "./spec-generate.js";
import { LINT_CACHE } from "../app/lint-documents.js";

export const CACHE_POLICIES = registerPolicies([
  PAGE_CACHE,
  PAGE_VERSION_CACHE,
  SEARCH_CACHE,
  CONVERT_CACHE,
  LINT_CACHE,
  EXTRACT_CACHE,
  GENERATE_CACHE,
  GATE_CACHE,
  CHECK_CACHE,
]);

/** A namespace of one of the producers above. */
export type CacheKind = (typeof CACHE_POLICIES)[number]["namespace"];

/** The namespaces, in the list's order (a non-empty tuple, as `z.enum` wants). */
export const CACHE_KINDS = CACHE_POLICIES.map((p) => p.namespace) as [CacheKind, ...CacheKind[]];
