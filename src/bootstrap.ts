/**
 * Builds a complete runtime from a Config: logger, the Redis tier when configured, and the
 * services tools use (Confluence client…). Used by `specgate serve` and by the library API;
 * tests build runtimes directly with what they need.
 */
import type { RemoteCacheDriver } from "./cache/types.js";
import { configSecrets, type Config } from "./config.js";
import { createLogger, type Logger } from "./logger.js";
import { createRuntime, type Runtime } from "./runtime.js";
import type { ToolServices } from "./tools/types.js";

export interface BootstrapOptions {
  logger?: Logger;
}

export async function bootstrap(config: Config, options: BootstrapOptions = {}): Promise<Runtime> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, secrets: configSecrets(config) });
  const remoteCache = await createRemoteCache(config, logger);
  const services: ToolServices = {};
  return createRuntime({ config, logger, services, ...(remoteCache ? { remoteCache } : {}) });
}

/** The L2 driver for this config, or undefined (memory-only). Never throws: Redis is optional. */
async function createRemoteCache(config: Config, logger: Logger): Promise<RemoteCacheDriver | undefined> {
  if (!config.cache.redisUrl && !config.cache.redisClusterNodes) return undefined;
  logger.warn("REDIS_URL is set but this build has no Redis tier yet; serving from memory only");
  return undefined;
}
