/**
 * Two SpecGate processes (`node dist/cli.js serve --http`) sharing one real Redis, driven by
 * real MCP clients over Streamable HTTP: a result computed by A is an L2 hit for B, a burst of
 * identical expensive calls over A and B is computed once, and cache_invalidate on A removes
 * B's memory copy.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../helpers/cache.js";
import { patient } from "../helpers/patience.js";
import { FakeConfluence, syntheticPage } from "../helpers/fake-confluence.js";
import { startRedis, type RedisProcess } from "../helpers/redis-server.js";
import { spawnSpecGate, type SpecGateProcess } from "../helpers/specgate-process.js";

let redis: RedisProcess;
let confluence: FakeConfluence;
let a: SpecGateProcess;
let b: SpecGateProcess;

beforeAll(async () => {
  redis = await startRedis();
  // Each page GET takes 300 ms, so a burst of calls overlaps the first one's fetch.
  confluence = await FakeConfluence.start({
    flavour: "cloud",
    latencyMs: 300,
    pages: ["8100001", "8100002", "8100003"].map((id) => syntheticPage(id)),
  });
  // Two servers converting megabyte pages side by side saturate a small CI machine, where the OS
  // may not schedule redis-server within the default 50 ms: give L2 more room so this file tests
  // sharing and single flight, not the timeout (the fault tests cover that).
  const env = {
    REDIS_URL: redis.url,
    SPECGATE_CACHE_PREFIX: "scaleout:",
    SPECGATE_REDIS_TIMEOUT_MS: String(patient(500)),
    ...confluence.env(),
  };
  [a, b] = await Promise.all([spawnSpecGate(env), spawnSpecGate(env)]);
  await until(
    async () => (await a.healthz()).cache.l2 === "up" && (await b.healthz()).cache.l2 === "up",
    10_000,
    "both instances on L2",
  );
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await confluence?.close();
  await redis?.stop();
});

interface KindRow {
  kind: string;
  l1_hits: number;
  l2_hits: number;
  shared: number;
  computed: number;
}
async function stats(
  p: SpecGateProcess,
): Promise<{ l1: { entries: number }; l2: { state: string }; convert: KindRow }> {
  const out = (await p.call("cache_stats", {})).structuredContent as {
    l1: { entries: number };
    l2: { state: string };
    kinds: KindRow[];
  };
  const convert = out.kinds.find((k) => k.kind === "convert") ?? {
    kind: "convert",
    l1_hits: 0,
    l2_hits: 0,
    shared: 0,
    computed: 0,
  };
  return { ...out, convert };
}

function designPage(title: string, sections: number): string {
  const parts = [`<h1>${title}</h1>`];
  for (let i = 1; i <= sections; i++) {
    parts.push(
      `<h2>${i}. 설계 규칙</h2>`,
      `<p><strong>RULE-API-${String(i).padStart(3, "0")}</strong> (MUST): 모든 외부 API는 버전을 URL에 포함해야 한다.</p>`,
      `<ul><li>적용 범위: src/api/**</li><li>근거: 하위 호환성</li></ul>`,
      `<table><tbody><tr><th>필드</th><th>타입</th></tr><tr><td>id</td><td>string</td></tr></tbody></table>`,
      `<ac:structured-macro ac:name="code"><ac:parameter ac:name="language">java</ac:parameter><ac:plain-text-body><![CDATA[@GetMapping("/v1/payments/${i}")]]></ac:plain-text-body></ac:structured-macro>`,
    );
  }
  return parts.join("\n");
}

describe("two instances sharing one Redis", () => {
  it("serves a result computed through A as an L2 hit through B", async () => {
    const html = designPage("[PayFlow] API 설계서", 5);
    const viaA = await a.call("html_to_md", { html });
    expect(viaA.isError).toBeFalsy();
    const before = await stats(b);
    const viaB = await until(
      async () => {
        const r = await b.call("html_to_md", { html });
        return (await stats(b)).convert.l2_hits > before.convert.l2_hits ? r : undefined;
      },
      5000,
      "B to find A's result in L2",
    );
    expect(viaB!.structuredContent).toEqual(viaA.structuredContent);
    expect((await stats(b)).convert.computed).toBe(before.convert.computed);
  });

  it("computes a large conversion once for 20 concurrent identical calls spread over A and B", async () => {
    const html = designPage("[Ledger] 데이터 설계서", 2600); // ≥ 1 MiB: conversions this size take the distributed lock
    expect(html.length).toBeGreaterThan(1024 * 1024);
    const [sa, sb] = await Promise.all([stats(a), stats(b)]);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).call("html_to_md", { html }, 60_000)),
    );
    for (const r of results) expect(r.isError).toBeFalsy();
    const markdowns = new Set(results.map((r) => (r.structuredContent as { markdown: string }).markdown));
    expect(markdowns.size).toBe(1);
    const [ea, eb] = await Promise.all([stats(a), stats(b)]);
    expect(ea.convert.computed - sa.convert.computed + (eb.convert.computed - sb.convert.computed)).toBe(1);
  });

  it("cache_invalidate on A removes B's memory copy, so B computes again", async () => {
    const html = designPage("[Notify] 아키텍처 설계서", 3);
    await a.call("html_to_md", { html });
    await b.call("html_to_md", { html }); // from L2, or computed if A's write has not landed yet: B holds it in L1 now
    const l1HitsBefore = (await stats(b)).convert.l1_hits;
    expect((await b.call("html_to_md", { html })).isError).toBeFalsy();
    expect((await stats(b)).convert.l1_hits).toBe(l1HitsBefore + 1);

    const inv = await a.call("cache_invalidate", { kind: "convert" });
    expect(inv.structuredContent).toMatchObject({ kind: "convert", broadcast: true, l2: "up" });
    expect((inv.structuredContent as { removed: { l2: number } }).removed.l2).toBeGreaterThan(0);
    await until(async () => (await stats(b)).l1.entries === 0, 5000, "B to drop its L1 copies");

    const computedBefore = (await stats(b)).convert.computed;
    const again = await b.call("html_to_md", { html });
    expect(again.isError).toBeFalsy();
    expect((await stats(b)).convert.computed).toBe(computedBefore + 1);
  });

  it("sends 20 concurrent identical confluence_fetch calls spread over A and B to Confluence once", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).call("confluence_fetch", { page_id: "8100001" })),
    );
    for (const r of results) expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
    const docs = results.map(
      (r) => (r.structuredContent as { documents: { id: string; version: number; markdown: string }[] }).documents[0]!,
    );
    expect(new Set(docs.map((d) => `${d.id}@${d.version}`))).toEqual(new Set(["8100001@1"]));
    expect(new Set(docs.map((d) => d.markdown)).size).toBe(1);
    expect(confluence.count("/pages/8100001")).toBe(1);
  });

  it("serves a page fetched through A from the cache through B", async () => {
    const viaA = await a.call("confluence_fetch", { page_id: "8100002" });
    expect(viaA.isError).toBeFalsy();
    await until(
      async () => {
        const r = await b.call("confluence_fetch", { page_id: "8100002" });
        return (r.structuredContent as { stats: { from_cache: number } }).stats.from_cache === 1;
      },
      5000,
      "B to find the page in L2",
    );
    expect(confluence.count("/pages/8100002")).toBe(1);
  });

  it("cache_invalidate by page id on A makes B fetch that page again", async () => {
    await a.call("confluence_fetch", { page_id: "8100003" });
    await until(
      async () => {
        const r = await b.call("confluence_fetch", { page_id: "8100003" });
        return (r.structuredContent as { stats: { from_cache: number } }).stats.from_cache === 1;
      },
      5000,
      "B to hold the page",
    );
    expect(confluence.count("/pages/8100003")).toBe(1);
    const inv = await a.call("cache_invalidate", { kind: "confluence_page", pattern: "page:8100003:*" });
    expect((inv.structuredContent as { removed: { l2: number } }).removed.l2).toBeGreaterThan(0);
    await until(
      async () => {
        await b.call("confluence_fetch", { page_id: "8100003" });
        return confluence.count("/pages/8100003") === 2;
      },
      5000,
      "B to fetch the page again",
    );
  });
});
