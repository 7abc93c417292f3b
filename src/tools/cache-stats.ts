import { z } from "zod";
import type { KindCounters } from "../cache/types.js";
import { CACHE_KINDS } from "./cache-policies.js";
import { defineTool } from "../pipeline/tool.js";

const KindSchema = z.object({
  kind: z.string(),
  l1_hits: z.number().int(),
  l2_hits: z.number().int(),
  shared: z
    .number()
    .int()
    .describe("Calls that joined an identical computation, in this instance or (distributed lock) another"),
  computed: z.number().int().describe("Times this instance ran the computation"),
  misses: z.number().int().describe("Lookups found in neither tier"),
  hit_ratio: z.number().describe("(l1_hits + l2_hits + shared) / all lookups, 0-1"),
  l1_ratio: z.number(),
  l2_ratio: z.number(),
});

export const cacheStats = defineTool({
  name: "cache_stats",
  toolset: "cache",
  title: "Cache statistics",
  description:
    "Reports this SpecGate instance's two-tier cache: hit ratio per kind and tier (L1 memory, L2 Redis, shared computations), " +
    "L1 size, and the L2 state (up/down, circuit breaker, errors, server keys and memory). Counters are per instance since it started. " +
    "Set count_l2_keys to also count SpecGate's keys in Redis per kind (a SCAN of the whole server: slow on very large servers).",
  inputSchema: z.strictObject({
    count_l2_keys: z.boolean().default(false).describe("Count keys per kind in Redis (SCAN); off by default"),
  }),
  outputSchema: z.object({
    instance: z.string().optional().describe("This instance's id on the cache bus (with an L2)"),
    l1: z.object({ entries: z.number().int(), bytes: z.number().int(), max_bytes: z.number().int() }),
    l2: z.object({
      state: z.enum(["disabled", "up", "down"]),
      driver: z.string().optional(),
      breaker: z.enum(["closed", "open", "half-open"]).optional(),
      errors: z.number().int().optional().describe("Failed or timed-out L2 operations since start"),
      server: z
        .object({
          mode: z.string(),
          version: z.string(),
          keys: z.number().int(),
          memory_bytes: z.number().int(),
          masters: z.number().int(),
        })
        .optional()
        .describe("Whole-server figures (every key of the Redis, not only SpecGate's)"),
      keys_by_kind: z.record(z.string(), z.number().int()).optional(),
    }),
    kinds: z.array(KindSchema),
    total: z.object({ lookups: z.number().int(), hit_ratio: z.number() }),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  timeoutMs: 60_000,
  handler: async (input, ctx) => {
    const stats = ctx.cache.stats();
    const server = stats.l2 === "up" ? await ctx.cache.remoteInfo?.(ctx.signal) : undefined;
    const keysByKind =
      input.count_l2_keys && stats.l2 === "up" ? await ctx.cache.countRemoteKeys?.(ctx.signal) : undefined;
    const kinds = CACHE_KINDS.filter((k) => stats.byKind[k]).map((kind) => row(kind, stats.byKind[kind]!));
    const lookups = kinds.reduce((a, k) => a + k.l1_hits + k.l2_hits + k.shared + k.computed, 0);
    const hits = kinds.reduce((a, k) => a + k.l1_hits + k.l2_hits + k.shared, 0);
    return {
      ...(stats.remote ? { instance: stats.remote.instanceId } : {}),
      l1: { entries: stats.l1.entries, bytes: stats.l1.bytes, max_bytes: stats.l1.maxBytes },
      l2: {
        state: stats.l2,
        ...(stats.remote
          ? { driver: stats.remote.driver, breaker: stats.remote.breaker, errors: stats.remote.errors }
          : {}),
        ...(server
          ? {
              server: {
                mode: server.mode,
                version: server.version,
                keys: server.keys,
                memory_bytes: server.memoryBytes,
                masters: server.masters,
              },
            }
          : {}),
        ...(keysByKind ? { keys_by_kind: keysByKind } : {}),
      },
      kinds,
      total: { lookups, hit_ratio: ratio(hits, lookups) },
    };
  },
  summarize: (out) =>
    [
      `Cache: ${(out.total.hit_ratio * 100).toFixed(1)} % hits over ${out.total.lookups} lookups; L1 ${out.l1.entries} entries (${mb(out.l1.bytes)} of ${mb(out.l1.max_bytes)}); L2 ${out.l2.state}${out.l2.breaker ? ` (breaker ${out.l2.breaker})` : ""}.`,
      ...out.kinds.map(
        (k) =>
          `- ${k.kind}: ${(k.hit_ratio * 100).toFixed(1)} % (L1 ${k.l1_hits}, L2 ${k.l2_hits}, shared ${k.shared}, computed ${k.computed})`,
      ),
    ].join("\n"),
});

function row(kind: string, c: KindCounters) {
  const lookups = c.l1Hits + c.l2Hits + c.shared + c.computed;
  return {
    kind,
    l1_hits: c.l1Hits,
    l2_hits: c.l2Hits,
    shared: c.shared,
    computed: c.computed,
    misses: c.misses,
    hit_ratio: ratio(c.l1Hits + c.l2Hits + c.shared, lookups),
    l1_ratio: ratio(c.l1Hits, lookups),
    l2_ratio: ratio(c.l2Hits, lookups),
  };
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
}

function mb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}
