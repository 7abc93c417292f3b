/**
 * Cache replay: a realistic stream of mixed tool calls over 200 Confluence documents
 * with Zipf-like repetition, replayed through the two-tier cache facade with the real converter
 * and markdown reader behind it, and a redis-server started for the run on a free loopback port.
 *
 *   L1 only          memory-only instance (the laptop default)
 *   L1 + L2          one instance with Redis
 *   L2 after flush   a fresh instance (empty L1: a restart or a new replica) on the warm Redis
 *   2 replicas       the stream alternated over two instances sharing one Redis
 *   small L1 + L2    L1 bounded to 4 MB, so L2 serves what L1 evicted
 *
 * Then the cost of the tiers themselves against their floors: an L1 hit through the facade vs a
 * plain lru-cache get, an L2 hit (L1 dropped first) vs a plain ioredis GET + JSON.parse.
 *
 *   node --import tsx bench/cache-replay.ts [--calls 10000] [--zipf 1.0] [--fetch-ms 25]
 */
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { LRUCache } from "lru-cache";
import { Redis } from "ioredis";
import { TieredCache } from "../src/cache/tiered-cache.js";
import { CACHE_POLICIES, type CacheKind } from "../src/tools/cache-policies.js";

const POLICY = Object.fromEntries(CACHE_POLICIES.map((p) => [p.namespace, p])) as Record<
  CacheKind,
  (typeof CACHE_POLICIES)[number]
>;
import { createRedisDriver } from "../src/cache/redis/connect.js";
import { loadConfig } from "../src/config.js";
import { convertHtml } from "../src/core/convert/index.js";
import { parseMarkdown } from "../src/core/markdown/document.js";
import { findRuleStatements } from "../src/core/markdown/rule-statements.js";
import { createLogger } from "../src/logger.js";
import { corpusPath } from "../test/helpers/fixtures.js";
import { startRedis, type RedisProcess } from "../test/helpers/redis-server.js";
import { benchOptions, fmtMs, measure, printTable, summarize, writeResults, type TargetRow } from "./lib.js";

const args = benchOptions();
const CALLS = Number(args.get("calls") ?? 10_000);
const ZIPF_S = Number(args.get("zipf") ?? 1.0);
const FETCH_MS = Number(args.get("fetch-ms") ?? 25);
const DOCS = 200;

/** Deterministic PRNG (mulberry32) so every scenario replays the same stream. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Doc {
  id: string;
  html: string;
}

/** 200 pages built from the real storage-format corpus: each a different page, id and size. */
async function documents(): Promise<Doc[]> {
  const dir = corpusPath("confluence-storage");
  const pages = await Promise.all(
    (await readdir(dir)).filter((f) => f.endsWith(".xhtml")).map((f) => readFile(path.join(dir, f), "utf8")),
  );
  const random = rng(7);
  return Array.from({ length: DOCS }, (_, i) => {
    const base = pages[i % pages.length]!;
    const copies = 1 + Math.floor(random() * 3);
    const html = `<h1>[Team${i % 17}] API 설계서 ${i}</h1><p>문서 ${i} 개정 ${Math.floor(random() * 9)}</p>\n${base.repeat(copies)}`;
    return { id: String(100_000 + i), html };
  });
}

type Op = "confluence_page" | "convert" | "lint" | "extract";
const MIX: [Op, number][] = [
  ["confluence_page", 0.4],
  ["convert", 0.3],
  ["lint", 0.15],
  ["extract", 0.15],
];

/** The call stream: Zipf(s) over document rank, the tool mix above. */
function stream(n: number): { op: Op; doc: number }[] {
  const random = rng(42);
  const weights = Array.from({ length: DOCS }, (_, r) => 1 / (r + 1) ** ZIPF_S);
  const total = weights.reduce((a, b) => a + b, 0);
  const cdf: number[] = [];
  let acc = 0;
  for (const w of weights) cdf.push((acc += w / total));
  const pick = () => {
    const x = random();
    let lo = 0;
    let hi = DOCS - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return Array.from({ length: n }, () => {
    let x = random();
    let op: Op = "extract";
    for (const [name, p] of MIX) {
      if ((x -= p) < 0) {
        op = name;
        break;
      }
    }
    return { op, doc: pick() };
  });
}

/** What each call computes on a miss: a simulated Confluence GET, and the real converter and readers. */
function computeFor(op: Op, d: Doc): () => Promise<unknown> {
  switch (op) {
    case "confluence_page":
      return async () => {
        await new Promise((r) => setTimeout(r, FETCH_MS));
        return { id: d.id, title: `API 설계서 ${d.id}`, version: 3, storage: d.html };
      };
    case "convert":
      return async () => convertHtml(d.html, {});
    case "lint":
      return async () => {
        const md = (await convertHtml(d.html, {})).markdown;
        const doc = parseMarkdown(md);
        return { headings: doc.headings.length, blocks: doc.blocks.length, language: doc.language };
      };
    case "extract":
      return async () => {
        const md = (await convertHtml(d.html, {})).markdown;
        return {
          rules: findRuleStatements(parseMarkdown(md)).map((r) => ({
            id: r.id,
            line: r.line,
            priority: r.priority ?? null,
          })),
        };
      };
  }
}

interface ReplayResult {
  scenario: string;
  calls: number;
  hitRatio: number;
  /** Over the second half of the stream, once compulsory (first-time) misses have thinned out. */
  steadyHitRatio: number;
  l1: number;
  l2: number;
  shared: number;
  computed: number;
  p50: number;
  p99: number;
  mean: number;
  seconds: number;
  /** Bytes held in L1 at the end (the first instance's). */
  l1Bytes: number;
}

async function replay(
  scenario: string,
  caches: TieredCache[],
  docs: Doc[],
  calls: { op: Op; doc: number }[],
): Promise<ReplayResult> {
  const samples: number[] = [];
  const counts = { l1: 0, l2: 0, shared: 0, computed: 0 };
  let secondHalfHits = 0;
  const started = performance.now();
  for (let i = 0; i < calls.length; i++) {
    const { op, doc } = calls[i]!;
    const d = docs[doc]!;
    const cache = caches[i % caches.length]!;
    const material = op === "confluence_page" ? d.id : { doc: d.id, op };
    const t0 = performance.now();
    const r = await cache.getOrCompute(POLICY[op as CacheKind], material, computeFor(op, d));
    samples.push(performance.now() - t0);
    if (r.outcome === "l1") counts.l1++;
    else if (r.outcome === "l2") counts.l2++;
    else if (r.outcome === "shared") counts.shared++;
    else counts.computed++;
    if (i >= calls.length / 2 && r.outcome !== "miss" && r.outcome !== "bypass") secondHalfHits++;
    // Let fire-and-forget L2 writes go out as they would between requests.
    if (i % 50 === 0) await new Promise((r) => setImmediate(r));
  }
  const t = summarize(samples);
  return {
    scenario,
    calls: calls.length,
    hitRatio: (counts.l1 + counts.l2 + counts.shared) / calls.length,
    steadyHitRatio: secondHalfHits / (calls.length - Math.ceil(calls.length / 2)),
    ...counts,
    p50: t.median,
    p99: t.p99,
    mean: t.mean,
    seconds: (performance.now() - started) / 1000,
    l1Bytes: caches[0]!.l1.bytes,
  };
}

function redisTier(url: string, prefix: string, l1MaxBytes = 256 * 1024 * 1024): TieredCache {
  const config = loadConfig({ REDIS_URL: url });
  const driver = createRedisDriver(config, createLogger({ level: "silent" }))!;
  void driver.connect();
  return new TieredCache({ l1MaxBytes, remote: driver, prefix, l2TimeoutMs: 50, l1MaxTtlMs: 300_000 });
}

async function ready(cache: TieredCache): Promise<void> {
  while (cache.stats().l2 !== "up" || cache.busSubscriptions === 0) await new Promise((r) => setTimeout(r, 10));
}

async function tiers(redis: RedisProcess, docs: Doc[]) {
  const key = "bench:tiers:";
  const small = { markdown: "# 결제 API 설계서\n\n- **RULE-API-001** (MUST): 버전을 포함해야 한다.\n".repeat(10) };
  const largest = docs.reduce((a, b) => (b.html.length > a.html.length ? b : a));
  const big = await convertHtml(largest.html, {});
  const cache = redisTier(redis.url, key);
  await ready(cache);
  const plainLru = new LRUCache<string, object>({ max: 10_000 });
  const ioredis = new Redis(redis.url, { enableAutoPipelining: true });
  const rows: (string | number)[][] = [];
  for (const [label, value] of [
    ["1 KB result", small],
    [`${Math.round(JSON.stringify(big).length / 1024)} KB result`, big],
  ] as const) {
    await cache.getOrCompute(POLICY.convert, label, async () => value);
    const fullKey = cache.key(POLICY.convert, label);
    plainLru.set(fullKey, value);
    await new Promise((r) => setTimeout(r, 50));
    const l1Facade = await measure(() => cache.getOrCompute(POLICY.convert, label, async () => value), {
      runs: 20_000,
      warmup: 500,
    });
    const l1Peek = await measure(() => cache.peek(fullKey), { runs: 20_000, warmup: 500 });
    const lru = await measure(() => plainLru.get(fullKey), { runs: 20_000, warmup: 500 });
    const raw = JSON.stringify(value);
    await ioredis.set(`bench:raw:${label}`, raw);
    const l2Facade = await measure(
      async () => {
        cache.l1.delete(fullKey);
        await cache.get(POLICY.convert, label);
      },
      { runs: 2000, warmup: 100 },
    );
    const plainRedis = await measure(async () => JSON.parse((await ioredis.get(`bench:raw:${label}`))!), {
      runs: 2000,
      warmup: 100,
    });
    rows.push(
      [label, "L1 hit: getOrCompute (facade)", fmtMs(l1Facade.median), fmtMs(l1Facade.p99)],
      [label, "L1 hit: peek (pipeline fast path)", fmtMs(l1Peek.median), fmtMs(l1Peek.p99)],
      [label, "plain lru-cache get", fmtMs(lru.median), fmtMs(lru.p99)],
      [label, "L2 hit: get after L1 drop (GET + decode + promote)", fmtMs(l2Facade.median), fmtMs(l2Facade.p99)],
      [label, "plain ioredis GET + JSON.parse", fmtMs(plainRedis.median), fmtMs(plainRedis.p99)],
    );
  }
  ioredis.disconnect();
  await cache.close();
  return rows;
}

const redis = await startRedis({ args: ["--maxmemory", "512mb", "--maxmemory-policy", "allkeys-lru"] });
try {
  const docs = await documents();
  const calls = stream(CALLS);
  const distinct = new Set(calls.map((c) => `${c.op}:${c.doc}`)).size;
  process.stdout.write(
    `${CALLS} calls over ${DOCS} documents (Zipf s=${ZIPF_S}; ${distinct} distinct keys, so at most ${((1 - distinct / CALLS) * 100).toFixed(1)} % can hit); ` +
      `mix ${MIX.map(([o, p]) => `${o} ${p * 100}%`).join(", ")}; simulated Confluence GET ${FETCH_MS} ms; redis-server ${(await redis.cli("info", "server")).match(/redis_version:(\S+)/)?.[1]}\n\n`,
  );
  const results: ReplayResult[] = [];
  const memory = new TieredCache({ l1MaxBytes: 256 * 1024 * 1024 });
  results.push(await replay("L1 only (memory)", [memory], docs, calls));
  await memory.close();

  const one = redisTier(redis.url, "bench:a:");
  await ready(one);
  results.push(await replay("L1 + L2 (Redis)", [one], docs, calls));
  await new Promise((r) => setTimeout(r, 500));
  const fresh = redisTier(redis.url, "bench:a:");
  await ready(fresh);
  results.push(await replay("L2 after an L1 flush (fresh instance, warm Redis)", [fresh], docs, calls));
  await Promise.all([one.close(), fresh.close()]);

  const r1 = redisTier(redis.url, "bench:b:");
  const r2 = redisTier(redis.url, "bench:b:");
  await Promise.all([ready(r1), ready(r2)]);
  results.push(await replay("2 replicas sharing Redis (round robin)", [r1, r2], docs, calls));
  await Promise.all([r1.close(), r2.close()]);

  const tight = redisTier(redis.url, "bench:c:", 4 * 1024 * 1024);
  await ready(tight);
  results.push(await replay("L1 capped at 4 MB + L2", [tight], docs, calls));
  await tight.close();

  printTable(
    "Replay: hit ratio and per-call latency",
    ["scenario", "hit ratio", "2nd half", "L1 hits", "L2 hits", "computed", "p50", "p99", "mean", "wall", "L1 size"],
    results.map((r) => [
      r.scenario,
      `${(r.hitRatio * 100).toFixed(1)} %`,
      `${(r.steadyHitRatio * 100).toFixed(1)} %`,
      r.l1,
      r.l2,
      r.computed,
      fmtMs(r.p50),
      fmtMs(r.p99),
      fmtMs(r.mean),
      `${r.seconds.toFixed(1)} s`,
      `${(r.l1Bytes / 1048576).toFixed(1)} MB`,
    ]),
  );
  const tierRows = await tiers(redis, docs);
  printTable("The tiers against their floors", ["value", "operation", "median", "p99"], tierRows);
  const ceiling = 1 - distinct / CALLS;
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const shared = results.find((r) => r.scenario.startsWith("2 replicas"))!;
  const worst = Math.min(...results.map((r) => r.hitRatio));
  const targets: TargetRow[] = [
    {
      row: "cache hit ratio on the replay workload",
      target: "> 90 % (budget: > 80 %)",
      specgate: `${pct(results[0]!.hitRatio)} one instance, ${pct(shared.hitRatio)} two replicas sharing Redis (lowest scenario ${pct(worst)})`,
      peer: `ceiling ${pct(ceiling)} (${distinct} distinct keys in ${CALLS} calls)`,
      ratio: `${((shared.hitRatio / ceiling) * 100).toFixed(0)} % of the ceiling`,
      met: results[0]!.hitRatio > 0.9 && shared.hitRatio > 0.9,
      note: "every first sight of a key must miss; the ceiling is the hit ratio of a cache that never forgets",
    },
  ];
  await writeResults("cache-replay", {
    targets,
    calls: CALLS,
    zipf: ZIPF_S,
    fetchMs: FETCH_MS,
    distinct,
    results,
    tiers: tierRows,
  });
} finally {
  await redis.stop();
}
