/**
 * What a tool is: a plain value. `src/tools/index.ts` lists them; `src/server.ts` registers the
 * list in one loop and runs every call through the pipeline (src/pipeline/pipeline.ts), so no
 * tool handles concurrency, deadlines, caching, memory or error mapping itself.
 */
import type { z } from "zod";
import type { Cache, CacheKind, CacheOutcome } from "../cache/types.js";
import type { Config } from "../config.js";
import type { SpecGateError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../perf/metrics.js";

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** Annotations of a pure transform: reads nothing outside its arguments, changes nothing. */
export const PURE_TRANSFORM: ToolAnnotations = Object.freeze({
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
});

/** Services a tool may use beyond its arguments. Created once per runtime; all optional. */
export interface ToolServices {
  /** Registered by the confluence_fetch issue; tools check for presence and answer E_CONFIG. */
  readonly [name: string]: unknown;
}

/** Result of one item of a batch run with {@link ToolContext.map}. */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: SpecGateError };

export interface ToolContext {
  /** Fires on client cancellation, the call's deadline, or server shutdown. Pass it down. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  readonly config: Config;
  readonly metrics: Metrics;
  readonly services: ToolServices;
  /** The shared two-tier cache, for caching finer than whole calls (per document, per page). */
  readonly cache: Cache;
  /** Id of this call in logs. */
  readonly requestId: string;
  /**
   * Reports progress to the client when it asked for it (MCP progress token); a no-op otherwise.
   * `progress` must increase between calls.
   */
  progress(progress: number, total?: number, message?: string): void;
  /**
   * Runs `fn` over `items` with bounded concurrency (its own limit, never the tool semaphore),
   * keeps input order, turns each item's failure into its own error entry, checks the signal
   * between items, yields to the event loop, and reports progress.
   */
  map<T, R>(items: readonly T[], fn: (item: T, index: number) => Promise<R>, options?: { concurrency?: number }): Promise<Settled<R>[]>;
  /** Cache lookup/compute bound to this call's signal; the outcome is recorded for metrics. */
  cached<T>(kind: CacheKind, material: unknown, compute: (signal: AbortSignal) => Promise<T>, options?: { bypass?: boolean }): Promise<T>;
}

// The schemas are typed loosely here (any zod object) and precisely in each tool file.
/* eslint-disable @typescript-eslint/no-explicit-any */
export interface ToolDefinition<I extends z.ZodType = z.ZodType<any, any>, O extends z.ZodType = z.ZodType<any, any>> {
  /** snake_case MCP name. */
  name: string;
  title: string;
  /** What the model reads to decide when and how to call the tool. */
  description: string;
  inputSchema: I;
  outputSchema: O;
  annotations: ToolAnnotations;
  /** Per-call deadline; defaults to the configured tool timeout. */
  timeoutMs?: number;
  /** Bytes this call may hold at its peak, for the memory guard. Default: 4 × the input's strings. */
  cost?(input: z.output<I>): number;
  /**
   * The top-level array argument holding a batch of documents (e.g. `documents`). Its items are
   * exempt from the pipeline's whole-call size check; the tool checks each with `assertItemSize`
   * so one oversized document becomes that document's error, not the batch's.
   */
  batchField?: string;
  /** Whole-call result caching. Omit for tools that cache per item or must not cache. */
  cache?: {
    kind: CacheKind;
    /** The key material; return `undefined` to skip the cache for this call. */
    key(input: z.output<I>): unknown;
    /** Skip reading the cache for this call (e.g. a `bypass_cache` argument). */
    bypass?(input: z.output<I>): boolean;
    /**
     * Take a distributed lock on a miss so that, across every instance sharing Redis, one
     * computes and the others wait for its result. Default: the kind's policy (LOCKED_KINDS).
     */
    lock?(input: z.output<I>): boolean;
  };
  handler(input: z.output<I>, ctx: ToolContext): Promise<z.output<O>>;
  /** The text content of the result. Default: the structured result as JSON. */
  summarize?(output: z.output<O>): string;
}

export type AnyToolDefinition = ToolDefinition<z.ZodType<any, any>, z.ZodType<any, any>>;

/** Identity helper that keeps a tool file's schemas precisely typed. */
export function defineTool<I extends z.ZodType, O extends z.ZodType>(tool: ToolDefinition<I, O>): ToolDefinition<I, O> {
  return tool;
}

export interface CallRecord {
  tool: string;
  outcome: "ok" | SpecGateError["code"];
  cache: CacheOutcome | "none";
  durationMs: number;
}
