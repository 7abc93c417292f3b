/**
 * The runtime: everything one SpecGate process shares between its connections — config,
 * logger, metrics, the two-tier cache, the memory guard and the pipeline. Created once by an
 * entry point (CLI, tests, library) and injected into `createServer`. Importing this module
 * starts nothing.
 */
import type { Config } from "./config.js";
import { TieredCache } from "./cache/tiered-cache.js";
import type { Cache, RemoteCacheDriver } from "./cache/types.js";
import { createLogger, type Logger } from "./logger.js";
import { configCredentials } from "./config.js";
import { MemoryGuard } from "./perf/memory-guard.js";
import { WorkerPool } from "./perf/worker-pool.js";
import { createMetrics, type Metrics } from "./perf/metrics.js";
import { Pipeline } from "./pipeline/pipeline.js";
import { CACHE_KINDS } from "./tools/cache-policies.js";
import type { ToolServices } from "./pipeline/tool.js";
import { ToolEvents } from "./pipeline/events.js";

export interface Runtime {
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly cache: Cache;
  readonly memory: MemoryGuard;
  /** Worker threads for CPU-heavy calls on large inputs; undefined with SPECGATE_WORKERS=0. */
  readonly workers: WorkerPool | undefined;
  readonly pipeline: Pipeline;
  readonly services: ToolServices;
  /** What calls changed outside their results (files written under the workspace…), for listeners. */
  readonly events: ToolEvents;
  readonly startedAt: number;
  /** The L2 driver (Redis) when one is configured; the HTTP rate limit shares its connection. */
  readonly remote: RemoteCacheDriver | undefined;
  /** Cache tiers as /healthz reports them. */
  health(): { l1: "up"; l2: "up" | "down" | "disabled" };
  /** Drains the pipeline (bounded by `shutdownTimeoutMs`), then closes the cache and timers. */
  close(): Promise<void>;
}

export interface RuntimeOptions {
  config: Config;
  logger?: Logger;
  metrics?: Metrics;
  /** The L2 driver (Redis); absent = memory-only. */
  remoteCache?: RemoteCacheDriver;
  /** Replaces the whole cache (tests). */
  cache?: Cache;
  memory?: MemoryGuard;
  /** Extra services for tools (Confluence client, GitHub client, clock…). */
  services?: ToolServices;
  /** Calls slower than this are logged as warnings (default 5 s). */
  slowCallMs?: number;
  /** Called on close, after draining (e.g. closing clients the services hold). */
  onClose?: () => Promise<void>;
}

export function createRuntime(options: RuntimeOptions): Runtime {
  const { config } = options;
  const logger = options.logger ?? createLogger({ level: config.logLevel, secrets: configCredentials(config) });
  const metrics = options.metrics ?? createMetrics();
  const cache =
    options.cache ??
    new TieredCache({
      l1MaxBytes: config.cache.l1MaxBytes,
      remote: options.remoteCache,
      prefix: config.cache.prefix,
      l2TimeoutMs: config.cache.redisTimeoutMs,
      breakerThreshold: config.cache.breakerThreshold,
      breakerCooldownMs: config.cache.breakerCooldownMs,
      lockTtlMs: config.cache.lockTtlMs,
      namespaces: CACHE_KINDS,
      // With a shared L2, L1 copies live briefly so a missed invalidation cannot serve stale data for long.
      ...(options.remoteCache ? { l1MaxTtlMs: config.cache.l1MaxTtlWithRemoteMs } : {}),
      observer: metrics.cacheObserver,
      logger,
    });
  let lastPressureLog = 0;
  const memory =
    options.memory ??
    new MemoryGuard({
      limitBytes: config.limits.memoryLimitBytes,
      onPressure: () => {
        cache.shed(0.25);
        // Once per episode, not every sample: a long overload would otherwise flood the log.
        const now = Date.now();
        if (now - lastPressureLog >= 10_000)
          logger.warn(
            { rss: process.memoryUsage.rss() },
            "memory high-water mark reached: refusing new work, shedding the cache and collecting garbage",
          );
        lastPressureLog = now;
      },
    });
  memory.start();
  const services = options.services ?? {};
  // Each worker may hold what the memory guard lets all calls hold together (its budget); one
  // job past that dies alone, with E_TOO_LARGE.
  const workers =
    config.limits.workers > 0
      ? new WorkerPool({
          size: config.limits.workers,
          maxHeapMb: Math.max(64, Math.floor(memory.budgetBytes / 1024 / 1024)),
          maxYoungMb: config.limits.workerYoungMb,
          logger,
          onJob: (job, outcome) => metrics.workerJobs.inc({ job, outcome }),
        })
      : undefined;
  const events = new ToolEvents((error) => logger.warn({ err: error }, "a tool event listener failed"));
  const pipeline = new Pipeline({
    config,
    events,
    logger,
    metrics,
    cache,
    memory,
    services,
    ...(workers ? { workers } : {}),
    ...(options.slowCallMs ? { slowCallMs: options.slowCallMs } : {}),
  });
  let closing: Promise<void> | undefined;
  return {
    config,
    logger,
    metrics,
    cache,
    memory,
    workers,
    pipeline,
    services,
    events,
    startedAt: Date.now(),
    remote: options.remoteCache,
    health: () => ({ l1: "up", l2: cache.stats().l2 }),
    close: () => {
      closing ??= (async () => {
        await pipeline.drain(config.limits.shutdownTimeoutMs);
        await workers?.close();
        memory.stop();
        await options.onClose?.();
        await cache.close();
      })();
      return closing;
    },
  };
}
