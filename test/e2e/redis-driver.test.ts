/**
 * The Redis driver honours the L2 driver contract on real servers: one redis-server, and a
 * three-master Redis Cluster (keys of one test spread over every master, so deletion and
 * counting by glob must visit them all).
 */
import { afterAll, beforeAll, describe } from "vitest";
import { createRedisDriver } from "../../src/cache/redis/connect.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { until } from "../helpers/cache.js";
import { startRedis, startRedisCluster, type RedisClusterProcess, type RedisProcess } from "../helpers/redis-server.js";
import { driverContract } from "../unit/cache/driver-contract.js";

/** A connected driver for these settings, returned once it reports ready. */
async function driverFor(env: Record<string, string>) {
  const config = loadConfig({ LOG_LEVEL: "silent", ...env });
  const driver = createRedisDriver(config, createLogger({ level: "silent" }))!;
  await driver.connect();
  await until(() => driver.ready(), 5000, `the ${driver.name} connection to be ready`);
  return { driver };
}

describe("one redis-server", () => {
  let redis: RedisProcess;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  driverContract("redis", () => driverFor({ REDIS_URL: redis.url }));
});

describe("a three-master Redis Cluster", () => {
  let cluster: RedisClusterProcess;
  beforeAll(async () => {
    cluster = await startRedisCluster(3);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  driverContract("redis-cluster", () => driverFor({ REDIS_CLUSTER_NODES: cluster.addresses.join(",") }));
});
