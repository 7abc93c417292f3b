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

  /** A labelled metric fed by a recorder: its batch is applied whenever the registry is read. */
  function fed<L extends string>(recorder: Recorder<L>, metric: Counter<L> | Histogram<L>): void {
    recorder.apply =
      metric instanceof Counter
        ? (labels: LabelValues<L>, value: number) => metric.inc(labels, value)
        : (labels: LabelValues<L>, value: number) => metric.observe(labels, value);
  }

  fed(
    state.toolDuration,
    new Histogram({
      name: "specgate_tool_duration_seconds",
      help: "Tool call latency by tool, outcome (ok or an error code) and where the result came from (l1, l2, miss: computed, shared: another caller computed it, bypass, none: not cached).",
      labelNames: ["tool", "outcome", "cache"] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
      collect: () => state.toolDuration.flush(),
    }),
  );
  fed(
    state.toolCalls,
    new Counter({
      name: "specgate_tool_calls_total",
      help: "Tool calls by tool and outcome (ok or an error code).",
      labelNames: ["tool", "outcome"] as const,
      registers: [registry],
      collect: () => state.toolCalls.flush(),
    }),
  );
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
  fed(
    state.rejected,
    new Counter({
      name: "specgate_rejected_total",
      help: "Calls refused before running (overload, memory, queue full, too large, shutting down).",
      labelNames: ["tool", "reason"] as const,
      registers: [registry],
      collect: () => state.rejected.flush(),
    }),
  );
  fed(
    state.cacheEvents,
    new Counter({
      name: "specgate_cache_events_total",
      help: "Cache lookups by tier (l1, l2) and result (hit, miss).",
      labelNames: ["tier", "kind", "result"] as const,
      registers: [registry],
      collect: () => state.cacheEvents.flush(),
    }),
  );
  fed(
    state.l2Errors,
    new Counter({
      name: "specgate_cache_l2_errors_total",
      help: "Failed or timed-out L2 (Redis) operations; calls were served without L2.",
      labelNames: ["operation"] as const,
      registers: [registry],
      collect: () => state.l2Errors.flush(),
    }),
  );
  new Gauge({
    name: "specgate_cache_l2_breaker_state",
    help: "L2 (Redis) circuit breaker: 0 closed (in use), 1 half-open (probing), 2 open (skipped, serving from L1).",
    registers: [registry],
    collect() {
      if (state.l2Breaker !== undefined) this.set(state.l2Breaker);
    },
  });
  fed(
    state.cacheLocks,
    new Counter({
      name: "specgate_cache_locks_total",
      help: "Distributed single flight on a miss: acquired (this instance computed), waited (another did), unavailable (L2 down, computed locally).",
      labelNames: ["kind", "result"] as const,
      registers: [registry],
      collect: () => state.cacheLocks.flush(),
    }),
  );
  fed(
    state.upstreamRequestDuration,
    new Histogram({
      name: "specgate_upstream_request_duration_seconds",
      help: "Requests to Confluence and GitHub: time to the answer's headers, by service and HTTP status ('error' when no answer came).",
      labelNames: ["service", "status"] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
      collect: () => state.upstreamRequestDuration.flush(),
    }),
  );
  fed(
    state.httpRequestDuration,
    new Histogram({
      name: "specgate_http_request_duration_seconds",
      help: "HTTP requests to the server by route (/mcp, /healthz, /metrics, other), method and status, until the response was written.",
      labelNames: ["route", "method", "status"] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
      collect: () => state.httpRequestDuration.flush(),
    }),
  );
  fed(
    state.workerJobs,
    new Counter({
      name: "specgate_worker_jobs_total",
      help: "Jobs run on worker threads by job and outcome (ok, error, terminated at a deadline or cancellation, crashed).",
      labelNames: ["job", "outcome"] as const,
      registers: [registry],
      collect: () => state.workerJobs.flush(),
    }),
  );
  new Gauge({
    name: "specgate_build_info",
    help: "Always 1; the labels say which SpecGate and Node.js are running.",
    labelNames: ["version", "node_version"] as const,
    registers: [registry],
  }).set({ version: VERSION, node_version: process.version }, 1);
  return registry;
}
