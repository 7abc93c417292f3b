/**
 * Builds a complete runtime from a Config: logger, the Redis tier when configured, and the
 * services tools use (Confluence client…). Used by `specgate serve` and by the library API;
 * tests build runtimes directly with what they need.
 */
import { connectRedis } from "./cache/redis/connect.js";
import { configSecrets, type Config } from "./config.js";
import { createLogger, type Logger } from "./logger.js";
import { createRuntime, type Runtime } from "./runtime.js";
import type { ToolServices } from "./tools/types.js";

export interface BootstrapOptions {
  logger?: Logger;
}

export async function bootstrap(config: Config, options: BootstrapOptions = {}): Promise<Runtime> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, secrets: configSecrets(config) });
  // Never throws: an unreachable Redis is a warning and memory-only service until it answers.
  const remoteCache = await connectRedis(config, logger);
  const services: ToolServices = {};
  return createRuntime({ config, logger, services, ...(remoteCache ? { remoteCache } : {}) });
}
