/**
 * Builds a complete runtime from a Config: logger, the Redis tier when configured, and the
 * services tools use (Confluence client…). Used by `specgate serve` and by the library API;
 * tests build runtimes directly with what they need.
 */
import { configCredentials, type Config } from "./config.js";
import type { ConfluenceClient } from "./core/confluence/client.js";
import { resolveConfluenceSettings } from "./core/confluence/settings.js";
import { SpecGateError } from "./errors.js";
import { createLogger, type Logger } from "./logger.js";
import { createMetrics, type Metrics } from "./perf/metrics.js";
import { createRuntime, type Runtime } from "./runtime.js";
import type { ToolServices } from "./pipeline/tool.js";

export interface BootstrapOptions {
  logger?: Logger;
}

export async function bootstrap(config: Config, options: BootstrapOptions = {}): Promise<Runtime> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, secrets: configCredentials(config) });
  // Never throws: an unreachable Redis is a warning and memory-only service until it answers.
  // ioredis is loaded only when a Redis is configured.
  const remoteCache = redisConfigured(config)
    ? await (await import("./cache/redis/connect.js")).connectRedis(config, logger)
    : undefined;
  const metrics = createMetrics();
  const confluence = await createConfluence(config, logger, metrics);
  const services: ToolServices = { ...(confluence ? { confluence } : {}) };
  return createRuntime({
    config,
    logger,
    metrics,
    services,
    ...(remoteCache ? { remoteCache } : {}),
    ...(confluence ? { onClose: () => confluence.close() } : {}),
  });
}

/**
 * The Confluence client, or undefined when not configured (confluence_fetch then answers
 * E_CONFIG). Its modules are loaded only when the settings are usable.
 */
async function createConfluence(
  config: Config,
  logger: Logger,
  metrics: Metrics,
): Promise<ConfluenceClient | undefined> {
  try {
    resolveConfluenceSettings(config);
    const { createConfluenceClient } = await import("./core/confluence/client.js");
    return createConfluenceClient(config, { metrics, logger: logger.child({ service: "confluence" }) });
  } catch (error) {
    if (!(error instanceof SpecGateError)) throw error;
    // Configured but unusable (a PEM file that cannot be read, a bad proxy URL…): say so at startup.
    if (config.confluence.baseUrl)
      logger.warn({ reason: error.message }, "Confluence settings are unusable; confluence_fetch will answer E_CONFIG");
    else logger.debug({ reason: error.message }, "Confluence is not configured; confluence_fetch will say what to set");
    return undefined;
  }
}

/** REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES is set (src/cache/redis/connect.ts reads them). */
function redisConfigured(config: Config): boolean {
  const c = config.cache;
  return Boolean(c.redisUrl || c.redisSentinels || c.redisClusterNodes);
}
