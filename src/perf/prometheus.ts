/**
 * The prom-client side of the metrics (src/perf/metrics.ts): a registry whose metrics read what
 * the runtime records. Loaded when something first asks for the registry.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type LabelValues } from "prom-client";
import { VERSION } from "../version.js";
import type { MetricState, MetricsOptions, Recorder } from "./metrics.js";

export function prometheusRegistry(state: MetricState, options: MetricsOptions): Registry {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });

  /** A counter fed by a recorder: its waiting updates are applied whenever the registry is read. */
  const counter = <L extends string>(recorder: Recorder<L>, name: string, help: string, labelNames: readonly L[]) => {
    const metric = new Counter({ name, help, labelNames, registers: [registry], collect: () => recorder.flush() });
    recorder.apply = (labels: LabelValues<L>, value: number) => metric.inc(labels, value);
  };
  /** The same for a histogram. */
  const histogram = <L extends string>(
    recorder: Recorder<L>,
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets: number[],
  ) => {
    const metric = new Histogram({
      name,
      help,
      labelNames,
      buckets,
      registers: [registry],
      collect: () => recorder.flush(),
    });
    recorder.apply = (labels: LabelValues<L>, value: number) => metric.observe(labels, value);
  };

  histogram(
    state.toolDuration,
    "specgate_tool_duration_seconds",
    "Tool call latency by tool, outcome (ok or an error code) and where the result came from (l1, l2, miss: computed, shared: another caller computed it, bypass, none: not cached).",
    ["tool", "outcome", "cache"],
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  );
  counter(state.toolCalls, "specgate_tool_calls_total", "Tool calls by tool and outcome (ok or an error code).", [
    "tool",
    "outcome",
  ]);
  new Gauge({
    name: "specgate_tool_in_flight",
    help: "Tool calls running now.",
    labelNames: ["tool"] as const,
    registers: [registry],
    collect() {
      for (const [tool, n] of state.inFlight) this.set({ tool }, n);
    },
  });
  new Gauge({
    name: "specgate_tool_pending",
    help: "Tool calls waiting for a concurrency slot.",
    registers: [registry],
    collect() {
      this.set(state.pending);
    },
  });
  counter(
    state.rejected,
    "specgate_rejected_total",
    "Calls refused before running (overload, memory, queue full, too large, shutting down).",
    ["tool", "reason"],
  );
  counter(state.cacheEvents, "specgate_cache_events_total", "Cache lookups by tier (l1, l2) and result (hit, miss).", [
    "tier",
    "kind",
    "result",
  ]);
  counter(
    state.l2Errors,
    "specgate_cache_l2_errors_total",
    "Failed or timed-out L2 (Redis) operations; calls were served without L2.",
    ["operation"],
  );
  new Gauge({
    name: "specgate_cache_l2_breaker_state",
    help: "L2 (Redis) circuit breaker: 0 closed (in use), 1 half-open (probing), 2 open (skipped, serving from L1).",
    registers: [registry],
    collect() {
      if (state.l2Breaker !== undefined) this.set(state.l2Breaker);
    },
  });
  counter(
    state.cacheLocks,
    "specgate_cache_locks_total",
    "Distributed single flight on a miss: acquired (this instance computed), waited (another did), unavailable (L2 down, computed locally).",
    ["kind", "result"],
  );
  histogram(
    state.upstreamRequestDuration,
    "specgate_upstream_request_duration_seconds",
    "Requests to Confluence and GitHub: time to the answer's headers, by service and HTTP status ('error' when no answer came).",
    ["service", "status"],
    [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  );
  histogram(
    state.httpRequestDuration,
    "specgate_http_request_duration_seconds",
    "HTTP requests to the server by route (/mcp, /healthz, /metrics, other), method and status, until the response was written.",
    ["route", "method", "status"],
    [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  );
  counter(
    state.workerJobs,
    "specgate_worker_jobs_total",
    "Jobs run on worker threads by job and outcome (ok, error, terminated at a deadline or cancellation, crashed).",
    ["job", "outcome"],
  );
  new Gauge({
    name: "specgate_build_info",
    help: "Always 1; the labels say which SpecGate and Node.js are running.",
    labelNames: ["version", "node_version"] as const,
    registers: [registry],
  }).set({ version: VERSION, node_version: process.version }, 1);
  return registry;
}
