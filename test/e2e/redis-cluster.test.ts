/**
 * The L2 tier on a real three-master Redis Cluster (redis-server --cluster-enabled yes, joined
 * with redis-cli --cluster create) and behind a real Sentinel.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TieredCache } from "../../src/cache/tiered-cache.js";
import { POLICY, redisCache, sleep, until } from "../helpers/cache.js";
import {
  startRedis,
  startRedisCluster,
  startSentinel,
  type RedisClusterProcess,
  type RedisProcess,
} from "../helpers/redis-server.js";

const open: TieredCache[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

describe("Redis Cluster", () => {
  let cluster: RedisClusterProcess;
  beforeAll(async () => {
    cluster = await startRedisCluster(3);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  async function clusterCache(prefix: string) {
    const made = await redisCache(undefined, { prefix, env: { REDIS_CLUSTER_NODES: cluster.addresses.join(",") } });
    open.push(made.cache);
    await until(() => made.cache.stats().l2 === "up", 5000, "the cluster to be ready");
    return made.cache;
  }

  /** Keys matching `pattern` on each master. */
  async function keysPerNode(pattern: string): Promise<number[]> {
    return Promise.all(
      cluster.nodes.map(async (n) => (await n.cli("--scan", "--pattern", pattern)).split("\n").filter(Boolean).length),
    );
  }

  it("spreads entries over every master and reads them back from L2", async () => {
    const cache = await clusterCache("c1:");
    for (let i = 0; i < 60; i++)
      await cache.getOrCompute(POLICY.confluence_page, String(5000 + i), async () => ({ id: 5000 + i }));
    await until(async () => (await keysPerNode("c1:f1:*")).reduce((a, b) => a + b, 0) === 60, 5000, "60 L2 writes");
    const perNode = await keysPerNode("c1:f1:*");
    for (const n of perNode) expect(n).toBeGreaterThan(0);
    cache.l1.clear();
    for (let i = 0; i < 60; i += 7) {
      expect(await cache.get(POLICY.confluence_page, String(5000 + i))).toEqual({
        value: { id: 5000 + i },
        tier: "l2",
      });
    }
    const info = await cache.remoteInfo();
    expect(info).toMatchObject({ mode: "redis-cluster", masters: 3 });
    expect(info!.keys).toBeGreaterThanOrEqual(60);
  });

  it("invalidates by pattern on every master and tells the other instance", async () => {
    const a = await clusterCache("c2:");
    const b = await clusterCache("c2:");
    for (let i = 0; i < 40; i++)
      await a.getOrCompute(
        POLICY.confluence_page,
        `${i < 30 ? "77" : "88"}${String(i).padStart(3, "0")}`,
        async () => ({ i }),
      );
    await until(async () => (await keysPerNode("c2:f1:*")).reduce((x, y) => x + y, 0) === 40, 5000, "40 L2 writes");
    await b.get(POLICY.confluence_page, "77001");
    await b.get(POLICY.confluence_page, "88035");
    expect(b.l1.entries).toBe(2);

    const r = await a.invalidate("confluence_page", "77*");
    expect(r).toEqual({ l1: 30, l2: 30, broadcast: true });
    expect((await keysPerNode("c2:f1:*")).reduce((x, y) => x + y, 0)).toBe(10);
    await until(() => b.l1.entries === 1, 3000, "B to drop its copy");
    expect(b.peek(b.key(POLICY.confluence_page, "88035"))).toEqual({ i: 35 });
  });

  it("runs distributed single flight across two instances on the cluster", async () => {
    const a = await clusterCache("c3:");
    const b = await clusterCache("c3:");
    let upstream = 0;
    const fetchPage = async () => {
      upstream++;
      await sleep(150);
      return { id: "cluster-page" };
    };
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? a : b).getOrCompute(POLICY.confluence_page, "cluster-page", fetchPage),
      ),
    );
    expect(upstream).toBe(1);
    expect(new Set(results.map((r) => JSON.stringify(r.value))).size).toBe(1);
    const lockKeys = (await keysPerNode("c3:lock:*")).reduce((x, y) => x + y, 0);
    await until(
      async () => (await keysPerNode("c3:lock:*")).reduce((x, y) => x + y, 0) === 0,
      3000,
      "the lock release",
    );
    expect(lockKeys).toBeLessThanOrEqual(1);
  });
});

describe("Redis Sentinel", () => {
  let master: RedisProcess;
  let sentinel: RedisProcess & { name: string };
  beforeAll(async () => {
    master = await startRedis();
    sentinel = await startSentinel(master, "specgate-master");
  });
  afterAll(async () => {
    await sentinel?.stop();
    await master?.stop();
  });

  it("finds the master through the sentinel and caches there", async () => {
    const { cache } = await redisCache(undefined, {
      prefix: "s1:",
      env: { REDIS_SENTINELS: `127.0.0.1:${sentinel.port}`, REDIS_SENTINEL_MASTER: "specgate-master" },
    });
    open.push(cache);
    expect(cache.stats()).toMatchObject({ l2: "up", remote: { driver: "redis-sentinel", breaker: "closed" } });
    await cache.getOrCompute(POLICY.lint, "doc", async () => ({ score: 95 }));
    await until(
      async () => (await master.cli("--scan", "--pattern", "s1:f1:lint:*")).trim().length > 0,
      3000,
      "the write on the master",
    );
    cache.l1.clear();
    expect(await cache.get(POLICY.lint, "doc")).toEqual({ value: { score: 95 }, tier: "l2" });
    expect(await cache.invalidate("lint")).toEqual({ l1: 1, l2: 1, broadcast: true });
  });
});
