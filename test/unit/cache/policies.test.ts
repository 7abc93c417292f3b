/**
 * Cache policies live with their producers and the cache knows none of them: every namespace is
 * registered once, every tool that caches uses a registered policy, no file of src/cache names a
 * producer's namespace, and core modules (the Confluence module's cache, metrics and settings)
 * reach infrastructure only through the ports they declare.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { registerPolicies } from "../../../src/cache/policy.js";
import { TieredCache } from "../../../src/cache/tiered-cache.js";
import { CACHE_KINDS, CACHE_POLICIES } from "../../../src/tools/cache-policies.js";
import { TOOLS } from "../../../src/tools/index.js";

const ROOT = path.resolve(import.meta.dirname, "../../..");

async function sources(dir: string): Promise<{ file: string; text: string }[]> {
  const entries = await readdir(path.join(ROOT, dir), { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && e.name.endsWith(".ts")).map((e) => path.join(e.parentPath, e.name));
  return Promise.all(
    files.map(async (file) => ({ file: path.relative(ROOT, file), text: await readFile(file, "utf8") })),
  );
}

describe("cache policies", () => {
  it("are registered once each, in the order cache_stats and cache_invalidate show them", () => {
    expect(CACHE_KINDS).toEqual([
      "confluence_page",
      "confluence_page_version",
      "confluence_search",
      "convert",
      "lint",
      "extract",
      "generate",
      "gate",
      "check",
    ]);
    expect(Object.isFrozen(CACHE_POLICIES)).toBe(true);
  });

  it("keep the lifetimes, versions and locks the keys and TTLs were built from", () => {
    const table = Object.fromEntries(CACHE_POLICIES.map((p) => [p.namespace, [p.ttlSeconds, p.version, p.lock]]));
    expect(table).toEqual({
      confluence_page: [3600, 2, true],
      confluence_page_version: [2592000, 1, true],
      confluence_search: [60, 1, false],
      convert: [1800, 1, false],
      lint: [1800, 3, false],
      extract: [7200, 3, false],
      generate: [7200, 2, false],
      gate: [1800, 1, false],
      check: [1800, 1, false],
    });
  });

  it("refuse a namespace declared twice, an invalid name or a non-positive TTL", () => {
    const p = { namespace: "lint", ttlSeconds: 1, version: 1, lock: false };
    expect(() => registerPolicies([p, { ...p }])).toThrow(/declared twice/);
    expect(() => registerPolicies([{ ...p, namespace: "Lint:x" }])).toThrow(/invalid namespace/);
    expect(() => registerPolicies([{ ...p, ttlSeconds: 0 }])).toThrow(/ttlSeconds/);
  });

  it("cover every tool that caches whole calls", () => {
    const cached = TOOLS.filter((t) => t.cache).map((t) => t.cache!.policy);
    expect(cached.length).toBeGreaterThan(0);
    for (const policy of cached) expect(CACHE_POLICIES).toContain(policy);
  });

  it("decide the key, the TTL and the lock, not the cache", async () => {
    const cache = new TieredCache({ l1MaxBytes: 1024 * 1024 });
    const policy = { namespace: "made_up", ttlSeconds: 5, version: 7, lock: false };
    expect(cache.key(policy, "x")).toMatch(/^made_up:7\.[^:]+:x$/);
    const r = await cache.getOrCompute(policy, "x", async () => "v");
    expect(r).toEqual({ value: "v", outcome: "miss" });
    expect(cache.stats().byKind).toEqual({ made_up: { l1Hits: 0, l2Hits: 0, misses: 1, shared: 0, computed: 1 } });
    await cache.close();
  });
});

describe("layers around the cache", () => {
  it("src/cache names no producer's namespace", async () => {
    for (const { file, text } of await sources("src/cache")) {
      for (const kind of CACHE_KINDS)
        expect(new RegExp(`["'\`]${kind}["'\`:]`).test(text), `${file} names "${kind}"`).toBe(false);
    }
  });

  it("src/core imports neither the cache, the metrics nor the configuration (it declares ports)", async () => {
    for (const { file, text } of await sources("src/core")) {
      const imports = [...text.matchAll(/^import[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]!);
      expect(
        imports.filter((i) => /\/(cache|perf)\/|\/config\.js$/.test(i)),
        file,
      ).toEqual([]);
    }
  });
});
