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
import { configSecrets } from "./config.js";
import { MemoryGuard } from "./perf/memory-guard.js";
import { createMetrics, type Metrics } from "./perf/metrics.js";
import { Pipeline } from "./pipeline/pipeline.js";
import type { ToolServices } from "./tools/types.js";

export interface Runtime {
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly cache: Cache;
  readonly memory: MemoryGuard;
  readonly pipeline: Pipeline;
  readonly services: ToolServices;
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
  const logger = options.logger ?? createLogger({ level: config.logLevel, secrets: configSecrets(config) });
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
        if (now - lastPressureLog >= 10_000) logger.warn({ rss: process.memoryUsage.rss() }, "memory high-water mark reached: refusing new work, shedding the cache and collecting garbage");
        lastPressureLog = now;
      },
    });
  memory.start();
  const services = options.services ?? {};
  const pipeline = new Pipeline({ config, logger, metrics, cache, memory, services, ...(options.slowCallMs ? { slowCallMs: options.slowCallMs } : {}) });
  let closing: Promise<void> | undefined;
  return {
    config,
    logger,
    metrics,
    cache,
    memory,
    pipeline,
    services,
    startedAt: Date.now(),
    remote: options.remoteCache,
    health: () => ({ l1: "up", l2: cache.stats().l2 }),
    close: () => {
      closing ??= (async () => {
        await pipeline.drain(config.limits.shutdownTimeoutMs);
        memory.stop();
        await options.onClose?.();
        await cache.close();
      })();
      return closing;
    },
  };
}
