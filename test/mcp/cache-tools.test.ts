import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { createRedisDriver } from "../../src/cache/redis/connect.js";
import type { TieredCache } from "../../src/cache/tiered-cache.js";
import { until } from "../helpers/cache.js";
import { startRedis, type RedisProcess } from "../helpers/redis-server.js";
import { cacheInvalidate } from "../../src/tools/cache-invalidate.js";
import { connectInMemory, type Harness } from "../helpers/runtime.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Stats = {
  l1: { entries: number };
  l2: {
    state: string;
    breaker?: string;
    server?: { keys: number; masters: number };
    keys_by_kind?: Record<string, number>;
  };
  kinds: { kind: string; l1_hits: number; computed: number; hit_ratio: number }[];
  total: { lookups: number; hit_ratio: number };
};
const text = (r: Record<string, unknown>) => (r.content as { text: string }[])[0]!.text;

describe("cache tools (memory-only server)", () => {
  it("advertises cache_invalidate as destructive and cache_stats as read-only", async () => {
    h = await connectInMemory();
    const { tools } = await h.client.listTools();
    expect(tools.find((t) => t.name === "cache_invalidate")!.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
      openWorldHint: false,
    });
    expect(tools.find((t) => t.name === "cache_stats")!.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
    });
    const kind = (
      tools.find((t) => t.name === "cache_invalidate")!.inputSchema.properties as Record<string, { enum?: string[] }>
    ).kind!;
    expect(kind.enum).toContain("confluence_page");
  });

  it("reports hit ratios per kind, and invalidation makes the next call compute again", async () => {
    h = await connectInMemory();
    const html = "<h1>결제 API 설계서</h1><p>본문</p>";
    await h.client.callTool({ name: "html_to_md", arguments: { html } });
    await h.client.callTool({ name: "html_to_md", arguments: { html } });
    const stats = (await h.client.callTool({ name: "cache_stats", arguments: {} })).structuredContent as Stats;
    expect(stats.l2).toEqual({ state: "disabled" });
    expect(stats.kinds).toEqual([
      expect.objectContaining({ kind: "convert", l1_hits: 1, computed: 1, hit_ratio: 0.5 }),
    ]);
    expect(stats.total).toEqual({ lookups: 2, hit_ratio: 0.5 });

    const inv = await h.client.callTool({ name: "cache_invalidate", arguments: { kind: "convert" } });
    expect(inv.structuredContent).toEqual({
      kind: "convert",
      removed: { l1: 1, l2: null },
      broadcast: false,
      l2: "disabled",
    });
    expect(JSON.parse(text(inv))).toEqual(inv.structuredContent);
    expect(cacheInvalidate.summarize!(inv.structuredContent as never)).toMatch(/memory-only/);
    await h.client.callTool({ name: "html_to_md", arguments: { html } });
    const after = (await h.client.callTool({ name: "cache_stats", arguments: {} })).structuredContent as Stats;
    expect(after.kinds[0]).toMatchObject({ computed: 2 });
  });

  it("rejects an unknown kind or an empty pattern naming the field", async () => {
    h = await connectInMemory();
    const bad = await h.client.callTool({ name: "cache_invalidate", arguments: { kind: "everything" } });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toMatch(/^E_INVALID_INPUT: .*kind/);
    const empty = await h.client.callTool({ name: "cache_invalidate", arguments: { kind: "convert", pattern: "" } });
    expect(text(empty)).toMatch(/^E_INVALID_INPUT: .*pattern/);
  });
});

describe("cache tools with a Redis L2", () => {
  let redis: RedisProcess;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it("shows L2 state, server figures and keys per kind", async () => {
    const config = loadConfig({ REDIS_URL: redis.url });
    const driver = createRedisDriver(config, createLogger({ level: "silent" }))!;
    await driver.connect();
    h = await connectInMemory({ env: { REDIS_URL: redis.url }, runtime: { remoteCache: driver } });
    const cache = h.specgate.runtime.cache as TieredCache;
    await until(() => cache.busSubscriptions > 0, 3000, "the bus (its first subscription clears L1)");
    await h.client.callTool({ name: "html_to_md", arguments: { html: "<p>하나</p>" } });
    await h.client.callTool({ name: "html_to_md", arguments: { html: "<p>둘</p>" } });
    await until(async () => Number((await redis.cli("dbsize")).trim()) === 2, 3000, "2 L2 writes");
    const stats = (await h.client.callTool({ name: "cache_stats", arguments: { count_l2_keys: true } }))
      .structuredContent as Stats;
    expect(stats.l2).toMatchObject({
      state: "up",
      breaker: "closed",
      server: { keys: 2, masters: 1 },
      keys_by_kind: { convert: 2 },
    });

    const inv = await h.client.callTool({ name: "cache_invalidate", arguments: { kind: "convert" } });
    expect(inv.structuredContent).toEqual({ kind: "convert", removed: { l1: 2, l2: 2 }, broadcast: true, l2: "up" });
    expect(JSON.parse(text(inv))).toEqual(inv.structuredContent);
    expect(cacheInvalidate.summarize!(inv.structuredContent as never)).toMatch(/every other instance/);
    expect(Number((await redis.cli("dbsize")).trim())).toBe(0);
  });
});
