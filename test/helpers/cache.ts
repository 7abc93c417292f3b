/** Builders for cache tests: a TieredCache on a real Redis, and a polling wait. */
import { loadConfig } from "../../src/config.js";
import { createLogger, type Logger } from "../../src/logger.js";
import { createRedisDriver } from "../../src/cache/redis/connect.js";
import type { RedisDriver } from "../../src/cache/redis/redis-driver.js";
import { TieredCache, type TieredCacheOptions } from "../../src/cache/tiered-cache.js";
import type { CachePolicy } from "../../src/cache/policy.js";
import { CACHE_POLICIES, type CacheKind } from "../../src/tools/cache-policies.js";
import { patient } from "./patience.js";

export interface RedisCacheOptions extends Partial<TieredCacheOptions> {
  env?: Record<string, string>;
  logger?: Logger;
  /** Resolve before the bus has subscribed (default: wait for it). */
  noWait?: boolean;
}

/**
 * A TieredCache whose L2 is the Redis at `url` (or the cluster/sentinel in `env`), with a
 * unique prefix per test file unless given. Connects and waits for the bus subscription.
 */
export async function redisCache(
  url: string | undefined,
  options: RedisCacheOptions = {},
): Promise<{ cache: TieredCache; driver: RedisDriver }> {
  const logger = options.logger ?? createLogger({ level: "silent" });
  const config = loadConfig({
    LOG_LEVEL: "silent",
    ...(url ? { REDIS_URL: url } : {}),
    SPECGATE_REDIS_CONNECT_TIMEOUT_MS: "1000",
    ...options.env,
  });
  const driver = createRedisDriver(config, logger)!;
  await driver.connect().catch(() => undefined);
  const { env: _env, logger: _logger, noWait, ...rest } = options;
  const cache = new TieredCache({
    l1MaxBytes: 8 * 1024 * 1024,
    remote: driver,
    prefix: "sgtest:",
    // A Redis round trip that takes longer than this counts against the breaker; on a machine
    // busy with other work a healthy one can, and an open breaker turns shared work into
    // duplicated work. Tests of the breaker give their own bound.
    l2TimeoutMs: patient(200),
    breakerThreshold: 3,
    breakerCooldownMs: 300,
    lockTtlMs: 2000,
    logger,
    ...rest,
  });
  if (!noWait) await until(() => cache.busSubscriptions > 0, 5000, "the cache bus to subscribe");
  return { cache, driver };
}

export { PATIENCE } from "./patience.js";

/** The producers' policies by namespace (`POLICY.convert`), as the server uses them. */
export const POLICY = Object.fromEntries(CACHE_POLICIES.map((p) => [p.namespace, p])) as Record<CacheKind, CachePolicy>;

/**
 * Polls `check` every 20 ms until it is truthy; throws after `timeoutMs` × PATIENCE (./patience.ts),
 * saying what it waited for.
 */
export async function until<T>(check: () => T | Promise<T>, timeoutMs = 5000, what = "a condition"): Promise<T> {
  const limitMs = patient(timeoutMs);
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${limitMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
