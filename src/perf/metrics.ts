/**
 * Prometheus metrics (prom-client) on a registry per runtime, so several servers in one process
 * (tests, benchmarks) never share counters. Exposed at `/metrics` by the HTTP transport.
 *
 * Names follow Prometheus conventions: the process and Node.js metrics under their standard
 * names (`process_*`, `nodejs_*`, what stock dashboards read), SpecGate's own under `specgate_`,
 * one meaning per label (`outcome` is ok or an error code; `cache` is where a result came from),
 * durations in seconds as histograms, `specgate_build_info` for the version.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type LabelValues } from "prom-client";
import { VERSION } from "../version.js";
import type { BreakerState, CacheObserver, CacheTier } from "../cache/types.js";

/** What every tool call updates: applied to prom-client in batches (see {@link Batched}). */
export interface BatchedHistogram<L extends string> {
  observe(labels: LabelValues<L>, value: number): void;
}
export interface BatchedCounter<L extends string> {
  inc(labels: LabelValues<L>): void;
}

export interface Metrics {
  readonly registry: Registry;
  readonly toolDuration: BatchedHistogram<"tool" | "outcome" | "cache">;
  readonly toolCalls: BatchedCounter<"tool" | "outcome">;
  readonly inFlight: Gauge<"tool">;
  readonly pending: Gauge;
  readonly rejected: Counter<"tool" | "reason">;
  readonly cacheEvents: Counter<"tier" | "kind" | "result">;
  readonly l2Errors: Counter<"operation">;
  /** 0 closed (L2 in use), 1 half-open (probing), 2 open (L2 skipped); absent without L2. */
  readonly l2Breaker: Gauge;
  readonly cacheLocks: Counter<"kind" | "result">;
  /** Time to an upstream's answer (Confluence, GitHub) by its status, or `error` when none came. */
  readonly upstreamRequestDuration: Histogram<"service" | "status">;
  /** HTTP requests to the server by route, method and status. */
  readonly httpRequestDuration: BatchedHistogram<"route" | "method" | "status">;
  /** Jobs run on worker threads: ok, error (the job's own), terminated (deadline/cancel), crashed. */
  readonly workerJobs: Counter<"job" | "outcome">;
  /** Adapter for the cache facade. */
  readonly cacheObserver: CacheObserver;
}

export interface MetricsOptions {
  /** Collect prom-client's default process metrics (GC, event loop lag, heap). */
  defaultMetrics?: boolean;
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });

  const toolDuration = new Batched<"tool" | "outcome" | "cache">((labels, value) =>
    toolDurationHistogram.observe(labels, value),
  );
  const toolDurationHistogram: Histogram<"tool" | "outcome" | "cache"> = new Histogram({
    name: "specgate_tool_duration_seconds",
    help: "Tool call latency by tool, outcome (ok or an error code) and where the result came from (l1, l2, miss: computed, shared: another caller computed it, bypass, none: not cached).",
    labelNames: ["tool", "outcome", "cache"] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
    collect: () => toolDuration.flush(),
  });
  const toolCalls = new Batched<"tool" | "outcome">((labels) => toolCallsCounter.inc(labels));
  const toolCallsCounter: Counter<"tool" | "outcome"> = new Counter({
    name: "specgate_tool_calls_total",
    help: "Tool calls by tool and outcome (ok or an error code).",
    labelNames: ["tool", "outcome"] as const,
    registers: [registry],
    collect: () => toolCalls.flush(),
  });
  const inFlight = new Gauge({
    name: "specgate_tool_in_flight",
    help: "Tool calls running now.",
    labelNames: ["tool"] as const,
    registers: [registry],
  });
  const pending = new Gauge({
    name: "specgate_tool_pending",
    help: "Tool calls waiting for a concurrency slot.",
    registers: [registry],
  });
  const rejected = new Counter({
    name: "specgate_rejected_total",
    help: "Calls refused before running (overload, memory, queue full, too large, shutting down).",
    labelNames: ["tool", "reason"] as const,
    registers: [registry],
  });
  const cacheEvents = new Counter({
    name: "specgate_cache_events_total",
    help: "Cache lookups by tier (l1, l2) and result (hit, miss).",
    labelNames: ["tier", "kind", "result"] as const,
    registers: [registry],
    collect: () => cacheHits.flush(),
  });
  const cacheHits = new Batched<"tier" | "kind" | "result">((labels) => cacheEvents.inc(labels));
  const l2Errors = new Counter({
    name: "specgate_cache_l2_errors_total",
    help: "Failed or timed-out L2 (Redis) operations; calls were served without L2.",
    labelNames: ["operation"] as const,
    registers: [registry],
  });
  const l2Breaker = new Gauge({
    name: "specgate_cache_l2_breaker_state",
    help: "L2 (Redis) circuit breaker: 0 closed (in use), 1 half-open (probing), 2 open (skipped, serving from L1).",
    registers: [registry],
  });
  const cacheLocks = new Counter({
    name: "specgate_cache_locks_total",
    help: "Distributed single flight on a miss: acquired (this instance computed), waited (another did), unavailable (L2 down, computed locally).",
    labelNames: ["kind", "result"] as const,
    registers: [registry],
  });
  const upstreamRequestDuration = new Histogram({
    name: "specgate_upstream_request_duration_seconds",
    help: "Requests to Confluence and GitHub: time to the answer's headers, by service and HTTP status ('error' when no answer came).",
    labelNames: ["service", "status"] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const httpRequestDuration = new Batched<"route" | "method" | "status">((labels, value) =>
    httpRequestHistogram.observe(labels, value),
  );
  const httpRequestHistogram: Histogram<"route" | "method" | "status"> = new Histogram({
    name: "specgate_http_request_duration_seconds",
    help: "HTTP requests to the server by route (/mcp, /healthz, /metrics, other), method and status, until the response was written.",
    labelNames: ["route", "method", "status"] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
    collect: () => httpRequestDuration.flush(),
  });
  const workerJobs = new Counter({
    name: "specgate_worker_jobs_total",
    help: "Jobs run on worker threads by job and outcome (ok, error, terminated at a deadline or cancellation, crashed).",
    labelNames: ["job", "outcome"] as const,
    registers: [registry],
  });
  new Gauge({
    name: "specgate_build_info",
    help: "Always 1; the labels say which SpecGate and Node.js are running.",
    labelNames: ["version", "node_version"] as const,
    registers: [registry],
  }).set({ version: VERSION, node_version: process.version }, 1);

  const cacheObserver: CacheObserver = {
    hit: (tier: CacheTier, kind: string) => cacheHits.inc({ tier, kind, result: "hit" }),
    miss: (kind: string) => cacheEvents.inc({ tier: "all", kind, result: "miss" }),
    l2Error: (operation: string) => l2Errors.inc({ operation }),
    breaker: (state: BreakerState) => l2Breaker.set(state === "closed" ? 0 : state === "half-open" ? 1 : 2),
    lock: (kind, result) => cacheLocks.inc({ kind, result }),
  };

  return {
    registry,
    toolDuration,
    toolCalls,
    inFlight,
    pending,
    rejected,
    cacheEvents,
    l2Errors,
    l2Breaker,
    cacheLocks,
    upstreamRequestDuration,
    httpRequestDuration,
    workerJobs,
    cacheObserver,
  };
}

/** Updates held before they are applied; bounds the memory of a registry nobody reads. */
const BATCH = 512;

/**
 * Updates of a labelled metric, kept in two arrays and applied to prom-client in a batch: when
 * the registry is read (each metric's `collect`) and whenever {@link BATCH} are waiting. prom-client
 * checks and hashes the labels of every update; run one after another that costs a fraction of
 * what it costs spread over cached tool calls, which otherwise each touch it once
 * (bench/http-overhead.ts). What is read is always complete: reading flushes first.
 */
class Batched<L extends string> implements BatchedHistogram<L>, BatchedCounter<L> {
  private labels: LabelValues<L>[] = [];
  private values: number[] = [];

  constructor(private readonly apply: (labels: LabelValues<L>, value: number) => void) {}

  observe(labels: LabelValues<L>, value: number): void {
    this.labels.push(labels);
    this.values.push(value);
    if (this.values.length >= BATCH) this.flush();
  }

  inc(labels: LabelValues<L>): void {
    this.observe(labels, 1);
  }

  flush(): void {
    const { labels, values } = this;
    this.labels = [];
    this.values = [];
    for (let i = 0; i < values.length; i++) this.apply(labels[i]!, values[i]!);
  }
}
