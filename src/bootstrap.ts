/**
 * Builds a complete runtime from a Config: logger, the Redis tier when configured, and the
 * services tools use (Confluence client…). Used by `specgate serve` and by the library API;
 * tests build runtimes directly with what they need.
 */
import { connectRedis } from "./cache/redis/connect.js";
import { configSecrets, type Config } from "./config.js";
import { createConfluenceClient, type ConfluenceClient } from "./core/confluence/client.js";
import { SpecGateError } from "./errors.js";
import { createLogger, type Logger } from "./logger.js";
import { createMetrics, type Metrics } from "./perf/metrics.js";
import { createRuntime, type Runtime } from "./runtime.js";
import type { ToolServices } from "./tools/types.js";

export interface BootstrapOptions {
  logger?: Logger;
}

export async function bootstrap(config: Config, options: BootstrapOptions = {}): Promise<Runtime> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, secrets: configSecrets(config) });
  // Never throws: an unreachable Redis is a warning and memory-only service until it answers.
  const remoteCache = await connectRedis(config, logger);
  const metrics = createMetrics();
  const confluence = createConfluence(config, logger, metrics);
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

/** The Confluence client, or undefined when not configured (confluence_fetch then answers E_CONFIG). */
function createConfluence(config: Config, logger: Logger, metrics: Metrics): ConfluenceClient | undefined {
  try {
    return createConfluenceClient(config, { metrics, logger: logger.child({ service: "confluence" }) });
  } catch (error) {
    if (!(error instanceof SpecGateError)) throw error;
    logger.debug({ reason: error.message }, "Confluence is not configured; confluence_fetch will say what to set");
    return undefined;
  }
}
