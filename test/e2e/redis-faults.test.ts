/**
 * Redis as an accelerator, never a dependency: a real redis-server is killed, paused, started
 * late or configured with the wrong password while an HTTP SpecGate serves MCP calls. No call
 * may fail; /healthz and the metrics must tell the truth; L2 must come back by itself.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { TieredCache } from "../../src/cache/tiered-cache.js";
import { until, sleep } from "../helpers/cache.js";
import { startHttpHarness, type HttpHarness } from "../helpers/http-harness.js";
import { freePort, startRedis, type RedisProcess } from "../helpers/redis-server.js";
import { memoryLogger } from "../helpers/runtime.js";

const FAST_BREAKER = {
  SPECGATE_REDIS_TIMEOUT_MS: "50",
  SPECGATE_REDIS_BREAKER_THRESHOLD: "3",
  SPECGATE_REDIS_BREAKER_COOLDOWN_MS: "300",
  SPECGATE_REDIS_CONNECT_TIMEOUT_MS: "500",
};

const page = (i: number) =>
  `<h1>결제 API 설계서 ${i}</h1><p><strong>RULE-API-${String(i).padStart(3, "0")}</strong> (MUST): 버전을 포함해야 한다.</p>`;

let harness: HttpHarness | undefined;
let redis: RedisProcess | undefined;
afterEach(async () => {
  await harness?.close();
  await redis?.stop();
  harness = undefined;
  redis = undefined;
});

/** Sends html_to_md calls from `workers` loops (a mix of repeated and new pages) until stopped. */
function callStream(h: HttpHarness, workers = 4) {
  let running = true;
  let sent = 0;
  const failures: string[] = [];
  const loops = Array.from({ length: workers }, async (_, w) => {
    while (running) {
      const n = sent++;
      const html = n % 3 === 0 ? page(1000 + n) : page(n % 20);
      try {
        const r = await h.call("html_to_md", { html }, 10_000);
        if (r.isError) failures.push(JSON.stringify(r.content));
      } catch (error) {
        failures.push(`worker ${w}: ${String(error)}`);
      }
    }
  });
  return {
    get sent() {
      return sent;
    },
    failures,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

async function convertStats(h: HttpHarness) {
  const r = await h.call("cache_stats", {});
  const out = r.structuredContent as {
    l2: { state: string; breaker?: string };
    kinds: { kind: string; l2_hits: number; computed: number }[];
  };
  return { ...out, convert: out.kinds.find((k) => k.kind === "convert") };
}

describe("Redis faults under a stream of calls", () => {
  it("SIGKILL: zero failed calls, breaker opens, /healthz degraded; restart: breaker closes and L2 serves again", async () => {
    redis = await startRedis();
    harness = await startHttpHarness({ REDIS_URL: redis.url, ...FAST_BREAKER });
    const h = harness;
    expect(await h.healthz()).toMatchObject({ status: "ok", cache: { l2: "up" } });
    expect(await h.metric("specgate_cache_l2_breaker_state")).toBe(0);

    const stream = callStream(h);
    await until(() => stream.sent > 40, 10_000, "calls before the kill");
    await redis.kill();
    await until(async () => (await h.metric("specgate_cache_l2_breaker_state")) === 2, 10_000, "the breaker to open");
    expect(await h.healthz()).toMatchObject({ status: "degraded", cache: { l2: "down" } });
    expect(await h.metric("specgate_cache_l2_errors_total", { operation: "get" })).toBeGreaterThan(0);
    const duringOutage = stream.sent;
    await until(() => stream.sent > duringOutage + 40, 10_000, "calls while Redis is dead");

    await redis.restart();
    await until(async () => (await h.healthz()).status === "ok", 15_000, "/healthz to report ok again");
    expect(await h.metric("specgate_cache_l2_breaker_state")).toBe(0);
    await stream.stop();
    expect(stream.failures).toEqual([]);

    // L2 is used again: a new result reaches Redis, and after L1 loses it, it comes back from L2.
    const fresh = page(999_999);
    await h.call("html_to_md", { html: fresh });
    await until(async () => Number((await redis!.cli("dbsize")).trim()) > 0, 5000, "an L2 write after the restart");
    (h.runtime.cache as TieredCache).l1.clear();
    const before = (await convertStats(h)).convert!;
    const again = await h.call("html_to_md", { html: fresh });
    expect(again.isError).toBeFalsy();
    const after = (await convertStats(h)).convert!;
    expect(after.l2_hits).toBe(before.l2_hits + 1);
    expect(after.computed).toBe(before.computed);
  });

  it("SIGSTOP (accepts, never answers): every call still completes within a deadline far below ioredis' defaults", async () => {
    redis = await startRedis();
    harness = await startHttpHarness({ REDIS_URL: redis.url, ...FAST_BREAKER });
    const h = harness;
    for (let i = 0; i < 5; i++) expect((await h.call("html_to_md", { html: page(i) })).isError).toBeFalsy();

    redis.pause();
    // Each call gets 1.5 s (the client's own deadline), i.e. its normal time plus the 50 ms L2
    // timeout with a wide margin; a client waiting on a paused Redis would stall 10-70 s.
    for (let i = 0; i < 20; i++) {
      const r = await h.call("html_to_md", { html: page(i % 2 === 0 ? i : 500 + i) }, 1500);
      expect(r.isError).toBeFalsy();
    }
    const stats = await convertStats(h);
    // Open, or half-open when the cooldown ran out between the last failure and this look.
    expect(["open", "half-open"]).toContain(stats.l2.breaker);
    expect(await h.metric("specgate_cache_l2_errors_total", { operation: "get" })).toBeGreaterThan(0);
    expect((await h.healthz()).status).toBe("degraded");

    redis.resume();
    await until(async () => (await h.healthz()).status === "ok", 10_000, "the breaker to close after SIGCONT");
    expect((await convertStats(h)).l2).toMatchObject({ state: "up", breaker: "closed" });
  });
});

describe("Redis unavailable at startup", () => {
  it("wrong password: a startup warning, memory-only service, then L2 once the server accepts the credentials", async () => {
    redis = await startRedis({ password: "the-right-password" });
    const url = `redis://:not-the-password@127.0.0.1:${redis.port}`;
    const log = memoryLogger("info");
    harness = await startHttpHarness({ REDIS_URL: url, ...FAST_BREAKER }, log.logger);
    const h = harness;
    const warning = log.lines().find((l) => l.level === "warn" && String(l.msg).includes("serving from memory only"));
    expect(warning).toBeDefined();
    expect(String(warning!.err)).toMatch(/WRONGPASS|NOAUTH|invalid/i);
    expect(log.text()).not.toContain("not-the-password");

    expect((await h.call("html_to_md", { html: page(1) })).isError).toBeFalsy();
    expect((await h.call("html_to_md", { html: page(1) })).isError).toBeFalsy();
    expect((await h.healthz()).cache.l2).toBe("down");
    const stats = await convertStats(h);
    expect(stats.convert).toMatchObject({ computed: 1 });

    // The operator fixes the server's password: the instance connects by itself.
    await redis.kill();
    await redis.restart({ password: "not-the-password" });
    await until(async () => (await h.healthz()).cache.l2 === "up", 15_000, "L2 to come up");
    await h.call("html_to_md", { html: page(2) });
    await until(async () => Number((await redis!.cli("dbsize")).trim()) > 0, 5000, "an L2 write");
  });

  it("unreachable: starts memory-only and uses Redis once it is started", async () => {
    const port = await freePort();
    const log = memoryLogger("info");
    harness = await startHttpHarness({ REDIS_URL: `redis://127.0.0.1:${port}`, ...FAST_BREAKER }, log.logger);
    const h = harness;
    expect(log.lines().some((l) => l.level === "warn" && String(l.msg).includes("serving from memory only"))).toBe(
      true,
    );
    expect((await h.call("html_to_md", { html: page(3) })).isError).toBeFalsy();
    expect((await h.healthz()).status).toBe("degraded");

    redis = await startRedis({ port });
    await until(async () => (await h.healthz()).status === "ok", 15_000, "L2 to come up");
    await sleep(50);
    await h.call("html_to_md", { html: page(4) });
    await until(async () => Number((await redis!.cli("dbsize")).trim()) > 0, 5000, "an L2 write");
  });
});
