/** Small tools for pipeline tests: they run through exactly the same registration and pipeline. */
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { GATE_CACHE } from "../../src/tools/gate-score.js";
import { PURE_TRANSFORM, defineTool } from "../../src/pipeline/tool.js";

/** Sleeps `ms` (honouring the signal unless `ignoreSignal`), then echoes its input. */
export function slowTool(options: { timeoutMs?: number; onStart?: () => void; onEnd?: () => void } = {}) {
  return defineTool({
    name: "slow_echo",
    title: "Slow echo",
    description: "Sleeps, then echoes (tests only).",
    inputSchema: z.strictObject({
      ms: z.number().int().min(0),
      text: z.string().default(""),
      ignore_signal: z.boolean().default(false),
    }),
    outputSchema: z.object({ text: z.string() }),
    annotations: PURE_TRANSFORM,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    handler: async (input, ctx) => {
      options.onStart?.();
      try {
        if (input.ignore_signal) await sleep(input.ms);
        else await sleep(input.ms, undefined, { signal: ctx.signal });
        return { text: input.text };
      } finally {
        options.onEnd?.();
      }
    },
  });
}

/** Counts how often its handler really ran; cached in namespace "gate" (any policy works). */
export function countingTool(counter: { runs: number }, delayMs = 0) {
  return defineTool({
    name: "counted",
    title: "Counted",
    description: "Counts handler runs (tests only).",
    inputSchema: z.strictObject({ key: z.string(), bypass: z.boolean().default(false) }),
    outputSchema: z.object({ key: z.string(), run: z.number() }),
    annotations: PURE_TRANSFORM,
    cache: { policy: GATE_CACHE, key: (input) => ({ key: input.key }), bypass: (input) => input.bypass },
    handler: async (input) => {
      counter.runs++;
      const run = counter.runs;
      if (delayMs) await sleep(delayMs);
      return { key: input.key, run };
    },
  });
}

/** Throws a plain Error: must surface as E_INTERNAL with no internals. */
export const brokenTool = defineTool({
  name: "broken",
  title: "Broken",
  description: "Always throws (tests only).",
  inputSchema: z.strictObject({}),
  outputSchema: z.object({}),
  annotations: PURE_TRANSFORM,
  handler: async () => {
    throw new Error("secret internal detail at /srv/x.ts:12");
  },
});

/** Reports progress 1..n. */
export const progressTool = defineTool({
  name: "progress_steps",
  title: "Progress steps",
  description: "Reports n progress steps (tests only).",
  inputSchema: z.strictObject({ n: z.number().int().min(1).max(100) }),
  outputSchema: z.object({ done: z.number() }),
  annotations: PURE_TRANSFORM,
  handler: async (input, ctx) => {
    const results = await ctx.map(
      Array.from({ length: input.n }, (_, i) => i),
      async (i) => i,
      { concurrency: 2 },
    );
    return { done: results.filter((r) => r.ok).length };
  },
});
