/**
 * What a tool is: a plain value. `src/tools/index.ts` lists them; `src/server.ts` registers the
 * list in one loop and runs every call through the pipeline (src/pipeline/pipeline.ts), so no
 * tool handles concurrency, deadlines, caching, memory or error mapping itself.
 */
import type { z } from "zod";
import type { Cache, CacheOutcome, CachePolicy } from "../cache/types.js";
import type { Config } from "../config.js";
import type { ConfluenceClient } from "../core/confluence/client.js";
import type { SpecGateError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../perf/metrics.js";
import type { WorkerJob, WorkerJobArgs } from "../perf/worker-jobs.js";
import type { ToolEvents } from "./events.js";

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** The groups SPECGATE_TOOLSETS selects from; see src/config.ts. */
export type { Toolset } from "../config.js";
import type { Toolset } from "../config.js";

/** One message for the client's log, at an MCP logging level. */
export interface ToolNotice {
  level: "debug" | "info" | "notice" | "warning" | "error";
  message: string;
  /** Details a client may show (a code, a line, a rule id). */
  data?: Record<string, unknown>;
}

/** Annotations of a pure transform: reads nothing outside its arguments, changes nothing. */
export const PURE_TRANSFORM: ToolAnnotations = Object.freeze({
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
});

/**
 * Services a tool may use beyond its arguments, created once per runtime by the composition root
 * (src/bootstrap.ts) or a test. Each is optional: a tool that needs a missing one answers E_CONFIG
 * saying what to configure.
 */
export interface ToolServices {
  /** The Confluence client (confluence_fetch); absent when Confluence is not configured. */
  readonly confluence?: ConfluenceClient | undefined;
}

/** Result of one item of a batch run with {@link ToolContext.map}. */
export type { Settled } from "../core/settled-map.js";
import type { Settled } from "../core/settled-map.js";

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
  /** Tells listeners what the call changed outside its result (files written…); absent outside a runtime. */
  readonly events?: ToolEvents;
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
  map<T, R>(
    items: readonly T[],
    fn: (item: T, index: number) => Promise<R>,
    options?: { concurrency?: number },
  ): Promise<Settled<R>[]>;
  /**
   * Runs CPU-heavy work on a worker thread when the server has a pool and `size` (the input's
   * characters) is at or above its threshold; `local` on the main thread otherwise. On a worker,
   * `signal` terminates the work and the result is refused (E_TOO_LARGE, with `hint`) when over
   * the result limit. Absent outside the pipeline: use {@link offloaded}.
   */
  offload?<J extends WorkerJob, T>(
    job: J,
    args: WorkerJobArgs[J],
    options: OffloadOptions,
    local: () => Promise<T>,
  ): Promise<T>;
  /** Cache lookup/compute under the producer's policy, bound to this call's signal. */
  cached<T>(
    policy: CachePolicy,
    material: unknown,
    compute: (signal: AbortSignal) => Promise<T>,
    options?: { bypass?: boolean },
  ): Promise<T>;
}

export interface OffloadOptions {
  /** The input's size in characters, compared with the worker threshold. */
  size: number;
  /** What the caller can do when the result is too large. */
  hint: string;
  /** The signal that ends the work (default: the call's). */
  signal?: AbortSignal;
}

/** `ctx.offload` when the context has one, else `local()`. */
export function offloaded<J extends WorkerJob, T>(
  ctx: Pick<ToolContext, "offload">,
  job: J,
  args: WorkerJobArgs[J],
  options: OffloadOptions,
  local: () => Promise<T>,
): Promise<T> {
  return ctx.offload ? ctx.offload(job, args, options, local) : local();
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
  cache?:
    | {
        /** The tool's cache policy, declared in the tool file (namespace, TTL, version, lock). */
        policy: CachePolicy;
        /**
         * The key material; return `undefined` to skip the cache for this call. A function of the
         * input alone (nothing read from disk, the clock or the network): the pipeline keeps the
         * key of recent small argument sets and reuses it when the same arguments come again.
         */
        key(input: z.output<I>): unknown;
        /** Skip reading the cache for this call (e.g. a `bypass_cache` argument). */
        bypass?(input: z.output<I>): boolean;
        /**
         * Take a distributed lock on a miss so that, across every instance sharing Redis, one
         * computes and the others wait for its result. Default: the policy's `lock`.
         */
        lock?(input: z.output<I>): boolean;
      }
    | undefined;
  handler(input: z.output<I>, ctx: ToolContext): Promise<z.output<O>>;
  /** What to do when the result is over the size limit (E_TOO_LARGE), e.g. "Split the document." */
  resultHint?: string;
  /**
   * A readable summary of the result: its text content when its JSON is over 64 KB (up to that,
   * the text is the JSON itself; see pipeline/result-text.ts). Default: one line naming the tool.
   */
  summarize?(output: z.output<O>): string;
  /**
   * What the result has to say to the client's log (MCP `notifications/message`): the warnings
   * and skipped items it already carries. Sent only to clients that set a log level.
   */
  notices?(output: z.output<O>): ToolNotice[];
  /**
   * The groups of tools a deployment can serve (SPECGATE_TOOLSETS). A tool without one (tests'
   * own tools) is always served.
   */
  toolset?: Toolset;
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
