/**
 * The one wrapper every tool call goes through, whatever the entry point (MCP stdio, MCP HTTP,
 * library API). In order:
 *
 *   1. shutdown check          refuse new work while draining (E_OVERLOADED, retryable)
 *   2. input validation (zod)  E_INVALID_INPUT naming the field; E_TOO_LARGE over 10 MB
 *   3. L1 fast path            a whole-call cache hit answers at once, without a slot; small
 *                              arguments seen before skip step 2 (their key is known)
 *   4. memory guard            reserve the call's estimated bytes or E_OVERLOADED
 *   5. concurrency             the tool semaphore, bounded queue, waiting counts against the deadline
 *   6. deadline                one AbortSignal: client cancellation + timeout + shutdown
 *   7. cache                   L1 → L2 → single-flight compute (tools may also cache per item)
 *   8. handler                 the tool's own work, with a ToolContext; CPU-heavy parts of large
 *                              inputs on a worker thread (ctx.offload), which the deadline terminates
 *   9. result size             E_TOO_LARGE over SPECGATE_MAX_RESULT_MB, saying what to do instead
 *  10. metrics, logs           latency histogram, outcome counters, slow-call warning
 *  11. error mapping           every failure becomes a SpecGateError; MCP gets `isError: true`,
 *                              its text scrubbed of every form of the server's credentials
 *
 * The pipeline never lets a handler's exception escape and never holds a slot or a memory
 * reservation past the end of the handler's own promise.
 */
import { randomUUID } from "node:crypto";
import { flatCanonical } from "../cache/keys.js";
import { mapSettled } from "../core/settled-map.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Cache, CacheOutcome, CachePolicy } from "../cache/types.js";
import { configCredentials, type Config } from "../config.js";
import { SpecGateError, toSpecGateError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { MemoryGuard } from "../perf/memory-guard.js";
import type { Metrics } from "../perf/metrics.js";
import { resultTooLarge } from "../perf/worker-jobs.js";
import type { WorkerPool } from "../perf/worker-pool.js";
import type { AnyToolDefinition, ToolContext, ToolNotice, ToolServices } from "./tool.js";
import { resultText } from "./result-text.js";
import type { ToolEvents } from "./events.js";
import { estimateInputBytes, parseToolInput } from "./input.js";
import { Limiter } from "./limiter.js";
import { Scrubber } from "../secrets.js";
import { createDeadline, raceSignal, yieldToLoop } from "../signals.js";

/** Calls slower than this are logged as warnings. */
export const SLOW_CALL_MS = 5000;

export interface PipelineDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  cache: Cache;
  memory: MemoryGuard;
  services?: ToolServices;
  /** Worker threads for CPU-heavy work (ctx.offload); none = everything on the main thread. */
  workers?: WorkerPool;
  /** Calls slower than this are logged as warnings; default {@link SLOW_CALL_MS}. */
  slowCallMs?: number;
  /** Where tools report what they changed outside their result (ctx.events). */
  events?: ToolEvents;
}

export interface CallOptions {
  /** The client's cancellation (MCP `extra.signal`). */
  signal?: AbortSignal;
  /** Sends one MCP progress notification; absent when the client gave no progress token. */
  sendProgress?: (progress: number, total: number | undefined, message: string | undefined) => Promise<void>;
  requestId?: string;
  /**
   * Sends one message for the client's log (MCP `notifications/message`); absent when the client
   * asked for none. The pipeline passes it the notices of a successful result, scrubbed.
   */
  sendLog?: (notice: ToolNotice) => Promise<void>;
}

/** Notices sent for one call at most; the rest are counted in one last notice. */
export const MAX_NOTICES = 50;

export interface Execution<T = unknown> {
  output: T;
  cache: CacheOutcome | "none";
  durationMs: number;
}

export class Pipeline {
  readonly limiter: Limiter;
  private readonly deps: PipelineDeps;
  /** Error results never carry the server's credentials, whatever an upstream put in a message. */
  private readonly scrubber: Scrubber;
  private readonly shutdown = new AbortController();
  private draining = false;
  private running = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly hitTexts = new WeakMap<object, string>();
  /** Cache keys of recent small argument sets (see {@link knownArguments}), oldest first. */
  private readonly knownKeys = new Map<string, string>();

  constructor(deps: PipelineDeps) {
    this.deps = deps;
    this.scrubber = new Scrubber(configCredentials(deps.config));
    this.limiter = new Limiter(deps.config.limits.maxConcurrency, deps.config.limits.maxQueue);
  }

  /** Calls now admitted and not yet settled (running or queued). */
  get inFlight(): number {
    return this.running;
  }

  /**
   * Runs a call and returns the MCP result: structured content plus text on success, or
   * `isError: true` with a stable code and an actionable message. Never throws.
   */
  async call(tool: AnyToolDefinition, args: unknown, options: CallOptions = {}): Promise<CallToolResult> {
    try {
      const { output, cache } = await this.execute(tool, args, options);
      if (options.sendLog && tool.notices) await this.sendNotices(tool.notices(output), options.sendLog);
      const text = cache === "l1" ? this.hitText(tool, output) : resultText(tool, output, jsonCharsOver);
      return { content: [{ type: "text", text }], structuredContent: output as Record<string, unknown> };
    } catch (error) {
      return this.scrubber.scrubValue(errorResult(toSpecGateError(error)));
    }
  }

  /**
   * The text of a result served from memory: the cache hands out the same object on every hit,
   * so its text is made on the first and kept with it (collected with the entry).
   */
  private hitText(tool: AnyToolDefinition, output: unknown): string {
    if (output === null || typeof output !== "object") return resultText(tool, output, jsonCharsOver);
    let text = this.hitTexts.get(output);
    if (text === undefined) {
      text = resultText(tool, output, jsonCharsOver);
      this.hitTexts.set(output, text);
    }
    return text;
  }

  /**
   * Sends a result's notices before the result itself (so a client sees them with the call), at
   * most {@link MAX_NOTICES}, every string scrubbed of the server's credentials. A notice that
   * cannot be sent is logged at debug and never fails the call.
   */
  private async sendNotices(notices: readonly ToolNotice[], send: (notice: ToolNotice) => Promise<void>) {
    const shown = notices.slice(0, MAX_NOTICES);
    if (notices.length > MAX_NOTICES) {
      shown.push({
        level: "info",
        message: `${notices.length - MAX_NOTICES} more notices are in the result.`,
      });
    }
    for (const notice of shown) {
      try {
        await send(this.scrubber.scrubValue(notice));
      } catch (error) {
        this.deps.logger.debug({ err: error }, "log notification failed");
      }
    }
  }

  /** Runs a call and returns the tool's output; throws a SpecGateError on failure. */
  async execute<T = unknown>(tool: AnyToolDefinition, args: unknown, options: CallOptions = {}): Promise<Execution<T>> {
    const started = performance.now();
    const requestId = options.requestId ?? randomUUID().slice(0, 8);
    // The call's child logger is made on first use: a cache hit that logs nothing never pays for it.
    let child: Logger | undefined;
    const log = (): Logger => (child ??= this.deps.logger.child({ tool: tool.name, req: requestId }));
    const { metrics } = this.deps;
    let cacheOutcome: CacheOutcome | "none" = "none";
    try {
      if (this.draining) {
        throw new SpecGateError(
          "E_OVERLOADED",
          "The server is shutting down. Retry against another instance or in a moment.",
          {
            details: { reason: "shutdown" },
          },
        );
      }
      // Arguments seen before (small ones) name their cache key without being validated and
      // hashed again: they passed then, and the same arguments pass the same way.
      const known = tool.cache ? knownArguments(tool.name, args) : undefined;
      const seen = known === undefined ? undefined : this.knownKeys.get(known);
      const seenHit = seen === undefined ? undefined : this.deps.cache.peek<T>(seen);
      if (seenHit !== undefined) return this.hit(log, tool, started, seenHit);

      const input = parseToolInput(tool, args, this.deps.config.limits.maxDocumentBytes);
      const cacheKey = this.wholeCallKey(tool, input);
      const bypass = tool.cache?.bypass?.(input) ?? false;
      const lock = tool.cache?.lock?.(input);
      if (cacheKey !== undefined && !bypass) {
        if (known !== undefined && !this.knownKeys.has(known)) {
          if (this.knownKeys.size >= KNOWN_ENTRIES) this.knownKeys.delete(this.knownKeys.keys().next().value!);
          this.knownKeys.set(known, cacheKey);
        }
        const hit = this.deps.cache.peek<T>(cacheKey);
        if (hit !== undefined) return this.hit(log, tool, started, hit);
      }

      const cost = tool.cost ? tool.cost(input) : estimateInputBytes(input) * 4 + 64 * 1024;
      const reservation = this.deps.memory.reserve(cost, `a ${tool.name} call`);
      this.running++;
      const timeoutMs = tool.timeoutMs ?? this.deps.config.limits.toolTimeoutMs;
      const deadline = createDeadline(timeoutMs, `${tool.name}`, options.signal, this.shutdown.signal);
      metrics.pending.set(this.limiter.pending + 1);
      try {
        const output = await this.limiter.run(async () => {
          metrics.pending.set(this.limiter.pending);
          metrics.inFlight.inc({ tool: tool.name });
          try {
            const ctx = this.context(tool, deadline.signal, log(), requestId, options);
            // A result over the size limit is refused before the cache keeps it.
            const max = this.deps.config.limits.maxResultBytes;
            const bounded = (out: unknown): unknown => {
              const chars = jsonCharsOver(out, max);
              if (chars !== undefined) throw resultTooLarge(chars, max, tool.resultHint ?? "Give a smaller input.");
              return out;
            };
            const work =
              cacheKey === undefined
                ? tool.handler(input, ctx).then(bounded)
                : this.deps.cache
                    .getOrCompute(
                      tool.cache!.policy,
                      cacheKey,
                      (signal) =>
                        tool
                          .handler(input, { ...ctx, signal: AbortSignal.any([signal, deadline.signal]) })
                          .then(bounded),
                      {
                        bypass,
                        signal: deadline.signal,
                        ...(lock === undefined ? {} : { lock }),
                      },
                    )
                    .then((r) => {
                      cacheOutcome = r.outcome;
                      return r.value;
                    });
            // Settle at the deadline even if the handler ignores its signal; the slot is held
            // until the handler's own promise settles (see Limiter.run).
            return (await raceSignal(work, deadline.signal)) as T;
          } finally {
            metrics.inFlight.dec({ tool: tool.name });
          }
        }, deadline.signal);
        return this.finish(log, tool.name, started, "ok", cacheOutcome, output);
      } finally {
        deadline.dispose();
        reservation.release();
        this.running--;
        metrics.pending.set(this.limiter.pending);
        if (this.running === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      }
    } catch (thrown) {
      const error = toSpecGateError(thrown);
      if (error.code === "E_OVERLOADED" || error.code === "E_TOO_LARGE") {
        metrics.rejected.inc({ tool: tool.name, reason: String(error.details?.reason ?? error.code) });
      }
      if (error.code === "E_INTERNAL") log().error({ err: thrown }, "tool call failed with an internal error");
      this.finish(log, tool.name, started, error.code, cacheOutcome, undefined);
      throw error;
    }
  }

  /**
   * Stops admitting calls, waits up to `timeoutMs` for running ones, then aborts whatever is
   * left (those calls end with a clean E_CANCELLED/E_TIMEOUT result).
   */
  async drain(timeoutMs: number): Promise<void> {
    this.draining = true;
    if (this.running > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        timer.unref();
        this.idleWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (this.running > 0) {
      this.shutdown.abort(
        new SpecGateError("E_CANCELLED", "The server shut down before the call finished. Retry.", { retryable: true }),
      );
      await yieldToLoop();
    }
  }

  private hit<T>(log: () => Logger, tool: AnyToolDefinition, started: number, output: T): Execution<T> {
    this.deps.metrics.cacheObserver.hit?.("l1", tool.cache!.policy.namespace);
    return this.finish(log, tool.name, started, "ok", "l1", output);
  }

  private wholeCallKey(tool: AnyToolDefinition, input: unknown): string | undefined {
    if (!tool.cache) return undefined;
    const material = tool.cache.key(input);
    return material === undefined ? undefined : this.deps.cache.key(tool.cache.policy, material);
  }

  private context(
    tool: AnyToolDefinition,
    signal: AbortSignal,
    logger: Logger,
    requestId: string,
    options: CallOptions,
  ): ToolContext {
    const { config, metrics, cache } = this.deps;
    let lastProgress = -Infinity;
    const progress = (value: number, total?: number, message?: string) => {
      if (!options.sendProgress || value <= lastProgress) return;
      lastProgress = value;
      options
        .sendProgress(value, total, message)
        .catch((error: unknown) => logger.debug({ err: error }, "progress notification failed"));
    };
    return {
      signal,
      logger,
      config,
      metrics,
      cache,
      requestId,
      services: this.deps.services ?? {},
      ...(this.deps.events ? { events: this.deps.events } : {}),
      progress,
      map: <T, R>(items: readonly T[], fn: (item: T, index: number) => Promise<R>, opts?: { concurrency?: number }) =>
        mapSettled(items, fn, {
          signal,
          concurrency: opts?.concurrency ?? 8,
          onSettled: (done) => progress(done, items.length),
          yieldBetween: true,
        }),
      offload: (job, args, opts, local) => {
        const pool = this.deps.workers;
        if (!pool || opts.size < config.limits.workerMinChars) return local();
        return pool.run(
          { job, args, maxResultChars: config.limits.maxResultBytes, hint: opts.hint },
          opts.signal ?? signal,
        ) as Promise<never>;
      },
      cached: async <T>(
        policy: CachePolicy,
        material: unknown,
        compute: (signal: AbortSignal) => Promise<T>,
        opts?: { bypass?: boolean },
      ) => {
        const r = await cache.getOrCompute(policy, material, (inner) => compute(AbortSignal.any([inner, signal])), {
          signal,
          bypass: opts?.bypass ?? false,
        });
        return r.value;
      },
    };
  }

  private finish<T>(
    log: () => Logger,
    tool: string,
    started: number,
    outcome: string,
    cache: CacheOutcome | "none",
    output: T,
  ): Execution<T> {
    const durationMs = performance.now() - started;
    const { metrics } = this.deps;
    metrics.toolCalls.inc({ tool, outcome });
    metrics.toolDuration.observe({ tool, outcome, cache }, durationMs / 1000);
    const fields = () => ({ ms: Math.round(durationMs * 10) / 10, outcome, cache });
    if (durationMs > (this.deps.slowCallMs ?? SLOW_CALL_MS)) log().warn(fields(), "slow tool call");
    else if (this.deps.logger.isLevelEnabled("debug")) log().debug(fields(), "tool call");
    return { output, cache, durationMs };
  }
}

/**
 * The MCP shape of a failure: `isError: true`, the stable code first in the text, and the
 * structured error in `_meta["specgate/error"]`. There is deliberately no `structuredContent`:
 * clients validate it against the tool's output schema, which describes successes only.
 */
export function errorResult(error: SpecGateError): CallToolResult {
  return {
    isError: true,
    content: [{ type: "text", text: `${error.code}: ${error.message}` }],
    _meta: { "specgate/error": error.toJSON() },
  };
}

/**
 * About how many characters `value` takes as JSON, when that is over `limit`; undefined when it
 * is not. Walks the value once and stops as soon as the count passes the limit.
 */
export function jsonCharsOver(value: unknown, limit: number): number | undefined {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "string") total += v.length + 2;
    else if (Array.isArray(v)) {
      total += 1 + v.length;
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    } else if (v !== null && typeof v === "object") {
      for (const key in v) {
        total += key.length + 4;
        stack.push((v as Record<string, unknown>)[key]);
      }
    } else total += 6;
    if (total > limit) return Number.POSITIVE_INFINITY;
  }
  return undefined;
}

/** Argument sets whose cache keys are kept, and the longest kept. */
const KNOWN_ENTRIES = 1024;
const KNOWN_CHARS = 1024;

/**
 * A call's arguments as an entry of the pipeline's known keys: the tool and the arguments'
 * canonical JSON, for a flat object of short values up to {@link KNOWN_CHARS}; undefined for
 * anything else (a document, nested options), whose key is worked out every time.
 */
function knownArguments(tool: string, args: unknown): string | undefined {
  const canonical = flatCanonical(args, KNOWN_CHARS);
  return canonical === undefined || canonical.length > KNOWN_CHARS ? undefined : `${tool}\u0000${canonical}`;
}
