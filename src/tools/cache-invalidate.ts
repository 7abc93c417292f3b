import { z } from "zod";
import { CACHE_KINDS } from "./cache-policies.js";
import { defineTool } from "../pipeline/tool.js";

/** `a, b or c`: the namespaces as the model reads them. */
const KIND_LIST = `${CACHE_KINDS.slice(0, -1).join(", ")} or ${CACHE_KINDS[CACHE_KINDS.length - 1]}`;

export const cacheInvalidate = defineTool({
  name: "cache_invalidate",
  toolset: "cache",
  title: "Invalidate cached results",
  description:
    "Drops cached results of one kind — all of them, or those whose key matches a glob `pattern` (`*` any run, `?` one character) — " +
    "from this instance's memory, from Redis, and from every other SpecGate instance sharing that Redis (broadcast). " +
    "Readable keys are the Confluence page id for confluence_page (e.g. pattern `12345` or `123*`); other kinds are keyed by a hash " +
    "of their input, so invalidate them by kind. Use it after a page was edited and must be refetched now rather than after its TTL.",
  inputSchema: z.strictObject({
    kind: z.enum(CACHE_KINDS).describe(`What to invalidate: ${KIND_LIST}`),
    pattern: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe("Glob over the key's readable part, e.g. a page id `12345` or `123*`; omit to drop the whole kind"),
  }),
  outputSchema: z.object({
    kind: z.string(),
    pattern: z.string().optional(),
    removed: z.object({
      l1: z.number().int().describe("Entries dropped from this instance's memory"),
      l2: z
        .number()
        .int()
        .nullable()
        .describe("Keys unlinked in Redis; null when there is no Redis or it could not be reached"),
    }),
    broadcast: z.boolean().describe("True when the other instances were told to drop their memory copies"),
    l2: z.enum(["disabled", "up", "down"]),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  timeoutMs: 60_000,
  handler: async (input, ctx) => {
    const r = await ctx.cache.invalidate(input.kind, input.pattern, ctx.signal);
    const l2 = ctx.cache.stats().l2;
    ctx.logger.info(
      { kind: input.kind, pattern: input.pattern, removed_l1: r.l1, removed_l2: r.l2, broadcast: r.broadcast },
      "cache_invalidate",
    );
    return {
      kind: input.kind,
      ...(input.pattern === undefined ? {} : { pattern: input.pattern }),
      removed: { l1: r.l1, l2: r.l2 ?? null },
      broadcast: r.broadcast,
      l2,
    };
  },
  summarize: (out) => {
    const what = `${out.kind}${out.pattern ? ` matching "${out.pattern}"` : ""}`;
    if (out.l2 === "disabled")
      return `Dropped ${out.removed.l1} cached ${what} entries (memory-only server: nothing else to clear).`;
    if (out.removed.l2 === null || !out.broadcast) {
      return `Dropped ${out.removed.l1} cached ${what} entries from this instance, but Redis could not be reached: other instances and Redis may still hold them. Retry when /healthz reports L2 up.`;
    }
    return `Dropped ${out.removed.l1} cached ${what} entries here and ${out.removed.l2} in Redis; every other instance was told to drop its copies.`;
  },
});
