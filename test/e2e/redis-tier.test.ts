/**
 * The two-tier cache against a real redis-server: promotion, TTLs, layout versions, compression,
 * invalidation across instances, resubscription, and distributed single flight.
 */
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TieredCache } from "../../src/cache/tiered-cache.js";
import { POLICY, redisCache, sleep, until } from "../helpers/cache.js";
import { startRedis, type RedisProcess } from "../helpers/redis-server.js";

let redis: RedisProcess;
const open: TieredCache[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

/** A cache on the shared test server under its own prefix (so tests never see each other's keys). */
/** A promise the test resolves when it chooses: work that must not end before an event. */
function opened(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** How many SET commands the Redis server has run (lock attempts are SET … NX). */
async function setCommands(): Promise<number> {
  const stats = await redis.cli("info", "commandstats");
  return Number(/cmdstat_set:calls=(\d+)/.exec(stats)?.[1] ?? 0);
}

async function cacheOn(prefix: string, options: Parameters<typeof redisCache>[1] = {}) {
  const made = await redisCache(redis.url, { prefix, ...options });
  open.push(made.cache);
  return made;
}

const fresh = () => `t${randomUUID().slice(0, 8)}:`;

describe("L2 through a real Redis", () => {
  it("serves from L2 after L1 lost the entry, and promotes it back to L1", async () => {
    const { cache } = await cacheOn(fresh());
    let computed = 0;
    const compute = async () => ({ markdown: "# 결제 API 설계서", n: ++computed });
    const first = await cache.getOrCompute(POLICY.convert, "doc-1", compute);
    expect(first.outcome).toBe("miss");
    await until(
      async () => (await redis.cli("--scan", "--pattern", "*doc-1*")).trim().length > 0,
      2000,
      "the L2 write",
    );

    cache.l1.clear();
    const second = await cache.getOrCompute(POLICY.convert, "doc-1", compute);
    expect(second).toEqual({ value: { markdown: "# 결제 API 설계서", n: 1 }, outcome: "l2" });
    const third = await cache.getOrCompute(POLICY.convert, "doc-1", compute);
    expect(third.outcome).toBe("l1");
    expect(computed).toBe(1);
    expect(cache.stats().byKind.convert).toMatchObject({ l1Hits: 1, l2Hits: 1, misses: 1, computed: 1 });
  });

  it("lets L2 entries expire after their TTL", async () => {
    const { cache } = await cacheOn(fresh());
    await cache.getOrCompute(POLICY.lint, "short-lived", async () => ({ score: 90 }), { ttlMs: 1500 });
    const key = (await until(
      async () => (await redis.cli("--scan", "--pattern", "*short-lived*")).trim(),
      2000,
      "the L2 write",
    ))!;
    const pttl = Number((await redis.cli("pttl", key)).trim());
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(1500);
    await until(async () => (await redis.cli("exists", key)).trim() === "0", 5000, "Redis to expire the entry");
    cache.l1.clear();
    expect(await cache.get(POLICY.lint, "short-lived")).toBeUndefined();
  });

  it("never reads an entry written under another layout version", async () => {
    const prefix = fresh();
    const { cache: v1 } = await cacheOn(prefix, { formatVersion: 1 });
    await v1.getOrCompute(POLICY.extract, "spec-7", async () => ({ rules: ["old shape"] }));
    await until(async () => (await v1.get(POLICY.extract, "spec-7"))?.tier === "l1");
    await until(
      async () => (await redis.cli("--scan", "--pattern", `${prefix}f1:*spec-7`)).trim().length > 0,
      2000,
      "the v1 write",
    );

    const { cache: v2 } = await cacheOn(prefix, { formatVersion: 2 });
    let computed = 0;
    const r = await v2.getOrCompute(POLICY.extract, "spec-7", async () => ({ rules: [`new shape ${++computed}`] }));
    expect(r).toEqual({ value: { rules: ["new shape 1"] }, outcome: "miss" });
    // The old entry is still there for the old version, untouched.
    v1.l1.clear();
    expect(await v1.get(POLICY.extract, "spec-7")).toEqual({ value: { rules: ["old shape"] }, tier: "l2" });
  });

  it("stores large values deflated and small ones as plain JSON", async () => {
    const prefix = fresh();
    const { cache, driver } = await cacheOn(prefix);
    const big = {
      markdown: "## 설계 규칙\n\n- **RULE-API-001** (MUST): 모든 API는 버전을 포함해야 한다.\n".repeat(2000),
    };
    await cache.getOrCompute(POLICY.convert, "big", async () => big);
    await cache.getOrCompute(POLICY.convert, "small", async () => ({ markdown: "ok" }));
    const key = (name: string) => `${prefix}f1:${cache.key(POLICY.convert, name)}`;
    const raw = (await until(() => driver.client.getBuffer(key("big")), 2000, "the big write"))!;
    const rawSmall = (await until(() => driver.client.getBuffer(key("small")), 2000, "the small write"))!;
    expect(raw[0]).toBe(0x02);
    expect(raw.byteLength).toBeLessThan(JSON.stringify(big).length / 5);
    expect(rawSmall[0]).toBe(0x01);
    expect(JSON.parse(rawSmall.subarray(1).toString())).toEqual({ markdown: "ok" });
    cache.l1.clear();
    expect((await cache.get(POLICY.convert, "big"))?.value).toEqual(big);
  });
});

describe("invalidation across instances", () => {
  it("removes matching keys from L2 and every instance's L1, leaving the rest", async () => {
    const prefix = fresh();
    const { cache: a } = await cacheOn(prefix);
    const { cache: b } = await cacheOn(prefix);
    for (const id of ["1001", "1002", "2001"])
      await a.getOrCompute(POLICY.confluence_page, id, async () => ({ id, body: `page ${id}` }));
    await until(
      async () =>
        (await redis.cli("--scan", "--pattern", `${prefix}f1:confluence_page:*`)).trim().split("\n").length === 3,
      2000,
      "3 L2 writes",
    );
    for (const id of ["1001", "1002", "2001"]) expect((await b.get(POLICY.confluence_page, id))?.tier).toBe("l2");
    expect(b.l1.entries).toBe(3);

    const result = await a.invalidate("confluence_page", "100*");
    expect(result).toEqual({ l1: 2, l2: 2, broadcast: true });
    const left = (await redis.cli("--scan", "--pattern", `${prefix}f1:confluence_page:*`)).trim().split("\n");
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/:2001$/);
    await until(() => b.l1.entries === 1, 2000, "B to drop its L1 copies");
    expect(b.peek(b.key(POLICY.confluence_page, "2001"))).toEqual({ id: "2001", body: "page 2001" });
    expect(b.peek(b.key(POLICY.confluence_page, "1001"))).toBeUndefined();
  });

  it("ignores its own broadcast (a value set right after invalidating survives)", async () => {
    const prefix = fresh();
    const { cache: a } = await cacheOn(prefix);
    const { cache: b } = await cacheOn(prefix);
    await b.set(POLICY.lint, "doc", { score: 1 });
    await a.invalidate("lint");
    await a.set(POLICY.lint, "doc", { score: 2 });
    await until(() => b.peek(b.key(POLICY.lint, "doc")) === undefined, 2000, "B to receive the broadcast");
    await sleep(50);
    expect(a.peek(a.key(POLICY.lint, "doc"))).toEqual({ score: 2 });
  });

  it("clears L1 whenever the bus resubscribes (messages may have been lost meanwhile)", async () => {
    const { cache } = await cacheOn(fresh());
    await cache.set(POLICY.gate, "g1", { decision: "PASS" });
    expect(cache.l1.entries).toBe(1);
    const before = cache.busSubscriptions;
    await redis.cli("client", "kill", "type", "pubsub");
    await until(() => cache.busSubscriptions > before, 5000, "the bus to resubscribe");
    expect(cache.l1.entries).toBe(0);
  });
});

describe("distributed single flight", () => {
  it("computes a locked kind once for 20 concurrent callers spread over two instances", async () => {
    const prefix = fresh();
    const { cache: a } = await cacheOn(prefix);
    const { cache: b } = await cacheOn(prefix);
    let upstream = 0;
    const fetchPage = async () => {
      upstream++;
      await sleep(150);
      return { id: "42", title: "결제 API 설계서" };
    };
    const calls = Array.from({ length: 20 }, (_, i) =>
      (i % 2 === 0 ? a : b).getOrCompute(POLICY.confluence_page, "42", fetchPage),
    );
    const results = await Promise.all(calls);
    expect(upstream).toBe(1);
    for (const r of results) expect(r.value).toEqual({ id: "42", title: "결제 API 설계서" });
    const computed =
      (a.stats().byKind.confluence_page?.computed ?? 0) + (b.stats().byKind.confluence_page?.computed ?? 0);
    expect(computed).toBe(1);
  });

  it("does not lock kinds that did not opt in (each instance computes once)", async () => {
    const prefix = fresh();
    const { cache: a } = await cacheOn(prefix);
    const { cache: b } = await cacheOn(prefix);
    let runs = 0;
    const work = async () => {
      runs++;
      await sleep(100);
      return { score: 80 };
    };
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).getOrCompute(POLICY.lint, "same-doc", work)),
    );
    expect(runs).toBe(2);
    // …unless the caller asks for the lock.
    runs = 0;
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 === 0 ? a : b).getOrCompute(POLICY.lint, "other-doc", work, { lock: true }),
      ),
    );
    expect(runs).toBe(1);
  });

  it("takes over when the lock holder died (its lock expires)", async () => {
    const prefix = fresh();
    const { cache } = await cacheOn(prefix);
    const key = cache.key(POLICY.confluence_page, "77");
    // A holder that took the lock and was killed before finishing: only the lock's expiry frees it.
    const lockKey = `${prefix}lock:f1:${key}`;
    await redis.cli("set", lockKey, "dead-instance:token", "PX", "400", "NX");
    let holderWhileComputing = "";
    const r = await cache.getOrCompute(POLICY.confluence_page, "77", async () => {
      holderWhileComputing = (await redis.cli("get", lockKey)).trim();
      return { id: "77" };
    });
    expect(r).toEqual({ value: { id: "77" }, outcome: "miss" });
    // It computed only once the dead holder's lock had expired and it held the lock itself.
    expect(holderWhileComputing).toMatch(new RegExp(`^${cache.instanceId}:`));
    await until(async () => (await redis.cli("exists", lockKey)).trim() === "0", 2000, "the lock release");
  });

  it("lets a waiter compute when the holder's computation fails, and caches no error", async () => {
    const prefix = fresh();
    const { cache: a } = await cacheOn(prefix);
    const { cache: b } = await cacheOn(prefix);
    const gate = opened();
    const failing = a
      .getOrCompute(POLICY.confluence_page, "9", async () => {
        await gate.promise;
        throw new Error("upstream 503");
      })
      .then(
        () => "resolved",
        (error: Error) => error.message,
      );
    await until(
      async () => (await redis.cli("exists", `${prefix}lock:f1:${a.key(POLICY.confluence_page, "9")}`)).trim() === "1",
      2000,
      "A to hold the lock",
    );
    // B tries the lock (a SET), loses it and waits; only then does A's computation fail.
    const sets = await setCommands();
    const waiting = b.getOrCompute(POLICY.confluence_page, "9", async () => ({ id: "9", from: "b" }));
    await until(async () => (await setCommands()) > sets, 2000, "B to try the lock");
    gate.open();
    expect(await failing).toBe("upstream 503");
    expect(await waiting).toEqual({ value: { id: "9", from: "b" }, outcome: "miss" });
  });

  it("bounds a waiter by its own signal", async () => {
    const prefix = fresh();
    const { cache: a } = await cacheOn(prefix);
    const { cache: b } = await cacheOn(prefix);
    const gate = opened();
    const slow = a.getOrCompute(POLICY.confluence_page, "slow", async () => {
      await gate.promise;
      return { id: "slow" };
    });
    await until(
      async () =>
        (await redis.cli("exists", `${prefix}lock:f1:${a.key(POLICY.confluence_page, "slow")}`)).trim() === "1",
      2000,
      "A to hold the lock",
    );
    const waiter = b.getOrCompute(POLICY.confluence_page, "slow", async () => ({ id: "never" }), {
      signal: AbortSignal.timeout(100),
    });
    await expect(waiter).rejects.toMatchObject({ code: "E_TIMEOUT" });
    gate.open();
    expect((await slow).value).toEqual({ id: "slow" });
  });
});
