import { describe, expect, it } from "vitest";
import { ConfigError, configSecrets, loadConfig } from "../../src/config.js";
import { describeRedis, parseNode, reconnectDelay } from "../../src/cache/redis/connect.js";

describe("Redis configuration", () => {
  it("reads Sentinel settings and defaults", () => {
    const c = loadConfig({
      REDIS_SENTINELS: "10.0.0.1:26379, 10.0.0.2:26379",
      REDIS_SENTINEL_MASTER: "cache",
      REDIS_PASSWORD: "s3cret-pass",
    }).cache;
    expect(c).toMatchObject({
      redisSentinels: ["10.0.0.1:26379", "10.0.0.2:26379"],
      redisSentinelMaster: "cache",
      redisTimeoutMs: 50,
      breakerThreshold: 5,
      breakerCooldownMs: 5000,
      lockTtlMs: 10_000,
      l1MaxTtlWithRemoteMs: 300_000,
    });
  });

  it("refuses more than one Redis mode, and nodes that are not host:port", () => {
    expect(() => loadConfig({ REDIS_URL: "redis://a:6379", REDIS_CLUSTER_NODES: "b:7000" })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_URL: "redis://a:6379", REDIS_CLUSTER_NODES: "b:7000" })).toThrow(
      /REDIS_URL, REDIS_CLUSTER_NODES/,
    );
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: "b:7000,just-a-host" })).toThrow(
      /REDIS_CLUSTER_NODES: "just-a-host"/,
    );
    expect(() => loadConfig({ SPECGATE_REDIS_TIMEOUT_MS: "0" })).toThrow(/SPECGATE_REDIS_TIMEOUT_MS/);
  });

  it("keeps every Redis password out of logs and descriptions", () => {
    const config = loadConfig({
      REDIS_CLUSTER_NODES: "rediss://app:node-pass-1@n1.internal:7000,n2.internal:7001",
      REDIS_PASSWORD: "cluster-pass",
    });
    expect(configSecrets(config)).toEqual(expect.arrayContaining(["node-pass-1", "cluster-pass"]));
    expect(describeRedis(config)).toBe("cluster rediss://n1.internal:7000,redis://n2.internal:7001");
    expect(describeRedis(loadConfig({ REDIS_URL: "rediss://user:pw%40x@cache.example:6380/2" }))).toBe(
      "rediss://cache.example:6380/2",
    );
  });

  it("parses nodes with credentials, TLS and IPv6", () => {
    expect(parseNode("rediss://u:p%3Aw@h:7000")).toEqual({
      host: "h",
      port: 7000,
      username: "u",
      password: "p:w",
      tls: true,
    });
    expect(parseNode("[::1]:7001")).toEqual({ host: "::1", port: 7001, tls: false });
  });

  it("backs off reconnects from 100 ms to 5 s and never gives up", () => {
    expect(reconnectDelay(1)).toBeGreaterThanOrEqual(100);
    expect(reconnectDelay(1)).toBeLessThan(200);
    expect(reconnectDelay(50)).toBeGreaterThanOrEqual(5000);
    expect(reconnectDelay(50)).toBeLessThan(5100);
  });
});
