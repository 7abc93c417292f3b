/**
 * What SpecGate counts and times, for Prometheus (prom-client) on a registry per runtime, so
 * several servers in one process (tests, benchmarks) never share counters. Exposed at `/metrics`
 * by the HTTP transport.
 *
 * Metrics are recorded from the moment something can read them: the HTTP transport asks for the
 * registry as it starts, and so may a library user (`await runtime.metrics.registry()`). Until
 * then every update is dropped on arrival, and prom-client is not loaded: a process that serves
 * stdio or runs one command has nothing to read them with, and starts without it.
 *
 * Names follow Prometheus conventions (src/perf/prometheus.ts): the process and Node.js metrics
 * under their standard names (`process_*`, `nodejs_*`, what stock dashboards read), SpecGate's own
 * under `specgate_`, one meaning per label (`outcome` is ok or an error code; `cache` is where a
 * result came from), durations in seconds as histograms, `specgate_build_info` for the version.
 */
import type { LabelValues, Registry } from "prom-client";
import type { BreakerState, CacheObserver, CacheTier } from "../cache/types.js";

/** A labelled histogram's updates: applied to prom-client in batches (see {@link Recorder}). */
export interface BatchedHistogram<L extends string> {
  observe(labels: LabelValues<L>, value: number): void;
}
/** A labelled counter's updates: applied to prom-client in batches (see {@link Recorder}). */
export interface BatchedCounter<L extends string> {
  inc(labels: LabelValues<L>): void;
}

export interface Metrics {
  readonly toolDuration: BatchedHistogram<"tool" | "outcome" | "cache">;
  readonly toolCalls: BatchedCounter<"tool" | "outcome">;
  /** Calls running now, by tool. */
  readonly inFlight: { inc(labels: { tool: string }): void; dec(labels: { tool: string }): void };
  /** Calls waiting for a concurrency slot. */
  readonly pending: { set(value: number): void };
  readonly rejected: BatchedCounter<"tool" | "reason">;
  /** Time to an upstream's answer (Confluence, GitHub) by its status, or `error` when none came. */
  readonly upstreamRequestDuration: BatchedHistogram<"service" | "status">;
  /** HTTP requests to the server by route, method and status. */
  readonly httpRequestDuration: BatchedHistogram<"route" | "method" | "status">;
  /** Jobs run on worker threads: ok, error (the job's own), terminated (deadline/cancel), crashed. */
  readonly workerJobs: BatchedCounter<"job" | "outcome">;
  /** Adapter for the cache facade. */
  readonly cacheObserver: CacheObserver;
  /**
   * The Prometheus registry, made on the first call (which loads prom-client); every update from
   * then on is in it.
   */
  registry(): Promise<Registry>;
}

export interface MetricsOptions {
  /** Collect prom-client's default process metrics (GC, event loop lag, heap). */
  defaultMetrics?: boolean;
}

/** Updates held before they are applied; bounds what waits between two reads. */
const BATCH = 512;

/**
 * Updates of one labelled metric, kept in two arrays and applied to prom-client in a batch: when
 * the registry is read (each metric's `collect`) and whenever {@link BATCH} are waiting. prom-client
 * checks and hashes the labels of every update; run one after another that costs a fraction of
 * what it costs spread over cached tool calls, which otherwise each touch it once
 * (bench/http-overhead.ts). What is read is always complete: reading flushes first. Until a
 * registry exists (`apply` unset), updates are dropped.
 */
export class Recorder<L extends string> implements BatchedHistogram<L>, BatchedCounter<L> {
  private labels: LabelValues<L>[] = [];
  private values: number[] = [];
  /** Set when the registry is made: applies one update to its prom-client metric. */
  apply: ((labels: LabelValues<L>, value: number) => void) | undefined;

  observe(labels: LabelValues<L>, value: number): void {
    if (!this.apply) return;
    this.labels.push(labels);
    this.values.push(value);
    if (this.values.length >= BATCH) this.flush();
  }

  inc(labels: LabelValues<L>): void {
    this.observe(labels, 1);
  }

  flush(): void {
    const { labels, values, apply } = this;
    if (!apply) return;
    this.labels = [];
    this.values = [];
    for (let i = 0; i < values.length; i++) apply(labels[i]!, values[i]!);
  }
}

/** What the metrics hold before and apart from prom-client; src/perf/prometheus.ts exposes it. */
export class MetricState {
  readonly toolDuration = new Recorder<"tool" | "outcome" | "cache">();
  readonly toolCalls = new Recorder<"tool" | "outcome">();
  readonly rejected = new Recorder<"tool" | "reason">();
  readonly cacheEvents = new Recorder<"tier" | "kind" | "result">();
  readonly l2Errors = new Recorder<"operation">();
  readonly cacheLocks = new Recorder<"kind" | "result">();
  readonly upstreamRequestDuration = new Recorder<"service" | "status">();
  readonly httpRequestDuration = new Recorder<"route" | "method" | "status">();
  readonly workerJobs = new Recorder<"job" | "outcome">();
  /** Levels, kept whether or not anything reads them, so a registry made later starts right. */
  readonly inFlight = new Map<string, number>();
  pending = 0;
  /** 0 closed (L2 in use), 1 half-open (probing), 2 open (L2 skipped); undefined without L2. */
  l2Breaker: number | undefined;
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const state = new MetricState();
  let registry: Promise<Registry> | undefined;
  const cacheObserver: CacheObserver = {
    hit: (tier: CacheTier, kind: string) => state.cacheEvents.inc({ tier, kind, result: "hit" }),
    miss: (kind: string) => state.cacheEvents.inc({ tier: "all", kind, result: "miss" }),
    l2Error: (operation: string) => state.l2Errors.inc({ operation }),
    breaker: (s: BreakerState) => (state.l2Breaker = s === "closed" ? 0 : s === "half-open" ? 1 : 2),
    lock: (kind, result) => state.cacheLocks.inc({ kind, result }),
  };
  return {
    toolDuration: state.toolDuration,
    toolCalls: state.toolCalls,
    inFlight: {
      inc: ({ tool }) => state.inFlight.set(tool, (state.inFlight.get(tool) ?? 0) + 1),
      dec: ({ tool }) => state.inFlight.set(tool, (state.inFlight.get(tool) ?? 0) - 1),
    },
    pending: { set: (value) => (state.pending = value) },
    rejected: state.rejected,
    upstreamRequestDuration: state.upstreamRequestDuration,
    httpRequestDuration: state.httpRequestDuration,
    workerJobs: state.workerJobs,
    cacheObserver,
    registry: () =>
      (registry ??= import("./prometheus.js").then(({ prometheusRegistry }) => prometheusRegistry(state, options))),
  };
}
