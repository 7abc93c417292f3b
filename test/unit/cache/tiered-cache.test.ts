/**
 * The cache facade with an injected clock (L1 TTLs) and an in-memory chaos driver (L2 faults a
 * real server cannot produce on demand).
 */
import { afterEach, describe, expect, it } from "vitest";
import { TieredCache } from "../../../src/cache/tiered-cache.js";
import type { BreakerState } from "../../../src/cache/types.js";
import { POLICY, until } from "../../helpers/cache.js";
import { ChaosDriver } from "../../helpers/chaos-driver.js";

const caches: TieredCache[] = [];
afterEach(async () => {
  await Promise.all(caches.splice(0).map((c) => c.close()));
});

function make(options: Partial<ConstructorParameters<typeof TieredCache>[0]> = {}) {
  const cache = new TieredCache({ l1MaxBytes: 1024 * 1024, ...options });
  caches.push(cache);
  return cache;
}

describe("L1 (memory-only)", () => {
  it("expires entries by the kind's TTL on the injected clock", async () => {
    let now = 5_000; // lru-cache reads a start time of 0 as "no TTL": never start the clock at 0
    const cache = make({ now: () => now });
    let runs = 0;
    const compute = async () => ({ run: ++runs });
    await cache.getOrCompute(POLICY.confluence_search, "q", compute); // 60 s TTL
    now += 59_999;
    expect((await cache.getOrCompute(POLICY.confluence_search, "q", compute)).outcome).toBe("l1");
    now += 2;
    expect(await cache.getOrCompute(POLICY.confluence_search, "q", compute)).toEqual({
      value: { run: 2 },
      outcome: "miss",
    });
  });

  it("caps L1 lifetimes with l1MaxTtlMs and then serves from L2", async () => {
    let now = 5_000;
    const driver = new ChaosDriver();
    const cache = make({ now: () => now, remote: driver, l1MaxTtlMs: 1000 });
    await cache.getOrCompute(POLICY.extract, "doc", async () => ({ rules: 3 }));
    await until(() => driver.store.size === 1, 1000, "the L2 write");
    now += 1001;
    expect(cache.peek(cache.key(POLICY.extract, "doc"))).toBeUndefined();
    expect(await cache.get(POLICY.extract, "doc")).toEqual({ value: { rules: 3 }, tier: "l2" });
  });

  it("runs identical concurrent computations once and never caches errors", async () => {
    const cache = make();
    let runs = 0;
    const slow = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 30));
      return { ok: true };
    };
    const results = await Promise.all(Array.from({ length: 10 }, () => cache.getOrCompute(POLICY.lint, "doc", slow)));
    expect(runs).toBe(1);
    expect(results.filter((r) => r.outcome === "shared")).toHaveLength(9);
    await expect(cache.getOrCompute(POLICY.lint, "bad", async () => Promise.reject(new Error("boom")))).rejects.toThrow(
      "boom",
    );
    expect((await cache.getOrCompute(POLICY.lint, "bad", async () => ({ fixed: true }))).value).toEqual({
      fixed: true,
    });
  });

  it("aborts the shared computation only when the last waiter has gone", async () => {
    const cache = make();
    let aborted = false;
    const work = (signal: AbortSignal) =>
      new Promise<never>((_, reject) => {
        signal.addEventListener("abort", () => {
          aborted = true;
          reject(new Error("aborted"));
        });
      });
    const first = new AbortController();
    const second = new AbortController();
    const p1 = cache.getOrCompute(POLICY.convert, "x", work, { signal: first.signal });
    const p2 = cache.getOrCompute(POLICY.convert, "x", work, { signal: second.signal });
    first.abort();
    await expect(p1).rejects.toMatchObject({ code: "E_CANCELLED" });
    expect(aborted).toBe(false);
    second.abort();
    await expect(p2).rejects.toMatchObject({ code: "E_CANCELLED" });
    await until(() => aborted, 1000, "the computation to be aborted");
  });

  it("does not store a result computed across an invalidation of its kind", async () => {
    const cache = make();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started = false;
    const pending = cache.getOrCompute(POLICY.confluence_page, "1", async () => {
      started = true;
      await gate;
      return { version: "old" };
    });
    await until(() => started, 1000, "the computation to start");
    await cache.invalidate("confluence_page");
    release();
    expect((await pending).value).toEqual({ version: "old" });
    expect(cache.peek(cache.key(POLICY.confluence_page, "1"))).toBeUndefined();
  });

  it("counts pipeline fast-path hits (peek) as L1 hits", async () => {
    const cache = make();
    await cache.set(POLICY.gate, "g", { decision: "PASS" });
    expect(cache.peek(cache.key(POLICY.gate, "g"))).toEqual({ decision: "PASS" });
    expect(cache.stats().byKind.gate).toMatchObject({ l1Hits: 1 });
    expect(cache.stats().l2).toBe("disabled");
  });
});

describe("L2 faults (chaos driver)", () => {
  function withChaos(options: Partial<ConstructorParameters<typeof TieredCache>[0]> = {}) {
    const driver = new ChaosDriver();
    const breaker: BreakerState[] = [];
    const errors: string[] = [];
    const cache = make({
      remote: driver,
      l2TimeoutMs: 20,
      breakerThreshold: 3,
      breakerCooldownMs: 60_000,
      observer: { breaker: (s) => breaker.push(s), l2Error: (op) => errors.push(op) },
      ...options,
    });
    return { cache, driver, breaker, errors };
  }

  it("serves every call while L2 throws, opens the breaker and then stops calling L2", async () => {
    const { cache, driver, breaker, errors } = withChaos();
    driver.mode = "throw";
    for (let i = 0; i < 10; i++)
      expect((await cache.getOrCompute(POLICY.lint, `doc-${i}`, async () => ({ i }))).value).toEqual({ i });
    expect(cache.stats()).toMatchObject({ l2: "down", remote: { breaker: "open" } });
    expect(breaker).toEqual(["closed", "open"]);
    expect(errors.length).toBeGreaterThanOrEqual(3);
    const callsWhenOpen = driver.calls;
    for (let i = 10; i < 20; i++) await cache.getOrCompute(POLICY.lint, `doc-${i}`, async () => ({ i }));
    expect(driver.calls).toBe(callsWhenOpen);
  });

  it("bounds every L2 operation: a driver that never answers cannot hold a call", async () => {
    const { cache, driver } = withChaos();
    await cache.getOrCompute(POLICY.convert, "warm", async () => ({ ok: 1 }));
    driver.mode = "hang";
    cache.l1.clear();
    // Resolving at all is the assertion: each L2 read is abandoned after its timeout.
    for (let i = 0; i < 5; i++)
      expect((await cache.getOrCompute(POLICY.convert, `k${i}`, async () => ({ i }))).outcome).toBe("miss");
    expect(cache.stats().remote!.breaker).toBe("open");
    const locked = await cache.getOrCompute(POLICY.confluence_page, "p", async () => ({ page: 1 }));
    expect(locked).toEqual({ value: { page: 1 }, outcome: "miss" });
  });

  it("closes the breaker when the connection comes back, and uses L2 again", async () => {
    const { cache, driver, breaker } = withChaos();
    driver.mode = "throw";
    for (let i = 0; i < 3; i++) await cache.getOrCompute(POLICY.lint, `d${i}`, async () => ({ i }));
    expect(cache.stats().l2).toBe("down");
    driver.reconnect();
    await until(() => cache.stats().l2 === "up", 1000, "the probe to close the breaker");
    expect(breaker).toEqual(["closed", "open", "half-open", "closed"]);
    await cache.getOrCompute(POLICY.lint, "after", async () => ({ back: true }));
    await until(() => [...driver.store.keys()].some((k) => k.includes("after")), 1000, "the L2 write");
    cache.l1.clear();
    expect(await cache.get(POLICY.lint, "after")).toEqual({ value: { back: true }, tier: "l2" });
  });

  it("probes by itself after the cooldown, so the breaker closes with no traffic (a paused Redis resumed)", async () => {
    const { cache, driver, breaker } = withChaos({ breakerCooldownMs: 100 });
    driver.mode = "hang";
    for (let i = 0; i < 3; i++) await cache.getOrCompute(POLICY.lint, `p${i}`, async () => ({ i }));
    expect(cache.stats().remote!.breaker).toBe("open");
    driver.mode = "ok"; // no reconnect event: the connection never dropped
    await until(() => cache.stats().l2 === "up", 2000, "the scheduled probe to close the breaker");
    expect(breaker.slice(-2)).toEqual(["half-open", "closed"]);
  });

  it("treats an entry it cannot decode as a miss, not an outage", async () => {
    const { cache, driver } = withChaos();
    driver.store.set(`specgate:f1:${cache.key(POLICY.gate, "g")}`, {
      value: Buffer.from([0x09, 1, 2]),
      expires: Date.now() + 60_000,
    });
    expect(await cache.getOrCompute(POLICY.gate, "g", async () => ({ decision: "FAIL" }))).toEqual({
      value: { decision: "FAIL" },
      outcome: "miss",
    });
    expect(cache.stats().remote!.breaker).toBe("closed");
  });

  it("reports an invalidation that could not reach L2", async () => {
    const { cache, driver } = withChaos();
    await cache.set(POLICY.lint, "x", { s: 1 });
    driver.mode = "throw";
    expect(await cache.invalidate("lint")).toEqual({ l1: 1, l2: undefined, broadcast: false });
  });
});

describe("namespaces served", () => {
  it("drop a broadcast invalidation only for the namespaces this instance serves", async () => {
    const driver = new ChaosDriver();
    const sender = make({ remote: driver, instanceId: "sender" });
    const all = make({ remote: driver, instanceId: "all" });
    const lintless = make({ remote: driver, instanceId: "lintless", namespaces: ["convert"] });
    for (const cache of [all, lintless]) await cache.set(POLICY.lint, "doc", { score: 1 });
    await sender.invalidate("lint");
    expect(all.peek(all.key(POLICY.lint, "doc"))).toBeUndefined();
    expect(lintless.peek(lintless.key(POLICY.lint, "doc"))).toEqual({ score: 1 });
  });

  it("refuse to invalidate a name that cannot be a namespace", async () => {
    await expect(make().invalidate("lint:*")).rejects.toThrow(RangeError);
  });
});
