import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MemoryCache, approximateSize } from "../../src/cache/memory-cache.js";
import { TieredCache } from "../../src/cache/tiered-cache.js";
import { POLICY } from "../helpers/cache.js";
import { cacheKey, canonicalJson, flatCanonical, hashOf } from "../../src/cache/keys.js";
import { SpecGateError } from "../../src/errors.js";

describe("L1 memory cache", () => {
  it("expires entries by TTL on an injected clock", () => {
    let now = 1000;
    const l1 = new MemoryCache({ maxBytes: 1024 * 1024, now: () => now });
    l1.set("k", { v: 1 }, 500);
    expect(l1.get("k")).toEqual({ v: 1 });
    now += 499;
    expect(l1.get("k")).toEqual({ v: 1 });
    now += 2;
    expect(l1.get("k")).toBeUndefined();
  });

  it("stays within its byte bound, evicting least recently used entries", () => {
    const l1 = new MemoryCache({ maxBytes: 40_000 });
    for (let i = 0; i < 20; i++) l1.set(`k${i}`, "x".repeat(4000), 60_000);
    expect(l1.bytes).toBeLessThanOrEqual(40_000);
    expect(l1.get("k19")).toBeDefined();
    expect(l1.get("k0")).toBeUndefined();
  });

  it("sheds down to a fraction of its size under memory pressure", () => {
    const l1 = new MemoryCache({ maxBytes: 1_000_000 });
    for (let i = 0; i < 10; i++) l1.set(`k${i}`, "x".repeat(10_000), 60_000);
    const before = l1.bytes;
    l1.shed(0.3);
    expect(l1.bytes).toBeLessThanOrEqual(before * 0.3);
  });

  it("estimates sizes of nested values", () => {
    expect(approximateSize("abcd")).toBeGreaterThanOrEqual(8);
    expect(approximateSize({ a: ["x".repeat(1000)] })).toBeGreaterThan(2000);
  });
});

describe("cache keys", () => {
  it("hash canonical JSON: key order does not matter, values do", () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe('{"a":[1,{"c":3,"d":2}],"b":1}');
    expect(cacheKey(POLICY.lint, { a: 1, b: 2 })).toBe(cacheKey(POLICY.lint, { b: 2, a: 1 }));
    expect(cacheKey(POLICY.lint, { a: 1 })).not.toBe(cacheKey(POLICY.lint, { a: 2 }));
    expect(cacheKey(POLICY.lint, { a: 1 })).not.toBe(cacheKey(POLICY.extract, { a: 1 }));
  });

  it("tell long documents apart exactly: one character, a lone surrogate, where the string sits", () => {
    const doc = "설계 문서 ".repeat(2000);
    const key = (v: unknown) => cacheKey(POLICY.extract, v);
    expect(key({ content: doc, title: "a" })).toBe(key({ title: "a", content: `${doc}` }));
    expect(key({ content: doc })).not.toBe(key({ content: `${doc.slice(0, -1)}!` }));
    // UTF-8 would write both as EF BF BD; they are different documents.
    expect(key({ content: `${doc}\uD800` })).not.toBe(key({ content: `${doc}\uFFFD` }));
    expect(key({ content: doc, title: "" })).not.toBe(key({ content: "", title: doc }));
    expect(key([doc, doc])).not.toBe(key([`${doc}${doc}`]));
    // A short string that spells the long form's header is still a different value.
    expect(key({ a: `s${doc.length}:` + doc })).not.toBe(key({ a: doc }));
  });

  it("hash a long document in slices exactly as in one piece, a surrogate pair split across slices included", () => {
    const text = `${"가".repeat(256 * 1024 - 1)}😀${"b".repeat(300_000)}`;
    const whole = createHash("sha256")
      .update(`{"content":s${text.length}:`)
      .update(Buffer.from(text, "utf16le"))
      .update("}")
      .digest("base64url")
      .slice(0, 32);
    expect(hashOf({ content: text })).toBe(whole);
  });

  it("hash a flat object of short values as the SHA-256 of its canonical JSON, every time", () => {
    const sha = (text: string) => createHash("sha256").update(text).digest("base64url").slice(0, 32);
    const material = { html: "<p>é😀\u0000</p>", base_url: null, n: -0, x: Number.NaN, ok: true, gone: undefined };
    const expected = sha(canonicalJson(material));
    expect(canonicalJson(material)).toBe('{"base_url":null,"html":"<p>é😀\\u0000</p>","n":0,"ok":true,"x":null}');
    expect(hashOf(material)).toBe(expected);
    // A copy of the same members hashes the same.
    expect(hashOf({ ...material })).toBe(expected);
    // Objects that are not plain records take the general path, as before.
    const dated = { at: new Date(0) };
    expect(hashOf(dated)).toBe(sha(canonicalJson(dated)));
    expect(hashOf(Object.assign(Object.create(null) as object, { b: 1, a: 2 }))).toBe(sha('{"a":2,"b":1}'));
    expect(hashOf({ a: [1] })).toBe(sha('{"a":[1]}'));
    // Members already in order, and keys that look like array indexes (which objects list first).
    expect(hashOf({ a: 1, b: "x", c: null })).toBe(sha('{"a":1,"b":"x","c":null}'));
    expect(hashOf({ b: 1, 10: 2, 2: 3 })).toBe(sha('{"10":2,"2":3,"b":1}'));
    expect(hashOf({ b: 1, a: undefined, c: "x" })).toBe(sha('{"b":1,"c":"x"}'));
  });

  it("give up on a flat form as soon as it must pass the length asked for, however many members the object has", () => {
    const many = Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${200_000 - i}`, i]));
    expect(flatCanonical(many, 1024)).toBeUndefined();
    expect(flatCanonical({ b: "x".repeat(2000) }, 1024)).toBeUndefined();
    expect(flatCanonical({ b: 1, a: "x" }, 1024)).toBe('{"a":"x","b":1}');
    expect(flatCanonical({ a: { nested: true } })).toBeUndefined();
  });

  it("keep short safe strings readable for pattern invalidation, and accept their own output", () => {
    const k = cacheKey(POLICY.confluence_page, "page:123:v4");
    expect(k).toMatch(/^confluence_page:[\d.]+:page:123:v4$/);
    expect(cacheKey(POLICY.confluence_page, k)).toBe(k);
  });
});

describe("tiered cache facade (L1 only)", () => {
  it("computes once for identical concurrent callers and never caches errors", async () => {
    const cache = new TieredCache({ l1MaxBytes: 1 << 20 });
    let runs = 0;
    const compute = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 20));
      return { n: runs };
    };
    const results = await Promise.all([1, 2, 3].map(() => cache.getOrCompute(POLICY.lint, { doc: "a" }, compute)));
    expect(runs).toBe(1);
    expect(results.map((r) => r.outcome).sort()).toEqual(["miss", "shared", "shared"]);
    expect((await cache.getOrCompute(POLICY.lint, { doc: "a" }, compute)).outcome).toBe("l1");

    let failures = 0;
    const failing = async () => {
      failures++;
      throw new SpecGateError("E_UPSTREAM", "boom");
    };
    await expect(cache.getOrCompute(POLICY.lint, { doc: "b" }, failing)).rejects.toThrow("boom");
    await expect(cache.getOrCompute(POLICY.lint, { doc: "b" }, failing)).rejects.toThrow("boom");
    expect(failures).toBe(2);
  });

  it("lets one waiter give up without cancelling the work the others wait for", async () => {
    const cache = new TieredCache({ l1MaxBytes: 1 << 20 });
    let aborted = false;
    const compute = (signal: AbortSignal) =>
      new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => resolve("done"), 50);
        signal.addEventListener("abort", () => {
          aborted = true;
          clearTimeout(t);
          reject(new Error("aborted"));
        });
      });
    const quitter = new AbortController();
    const first = cache.getOrCompute(POLICY.convert, "x", compute, { signal: quitter.signal });
    const second = cache.getOrCompute(POLICY.convert, "x", compute);
    quitter.abort();
    await expect(first).rejects.toMatchObject({ code: "E_CANCELLED" });
    await expect(second).resolves.toMatchObject({ value: "done" });
    expect(aborted).toBe(false);

    const only = new AbortController();
    const lonely = cache.getOrCompute(POLICY.convert, "y", compute, { signal: only.signal });
    only.abort();
    await expect(lonely).rejects.toMatchObject({ code: "E_CANCELLED" });
    await expect.poll(() => aborted).toBe(true);
  });

  it("invalidates by kind and by pattern over readable keys", async () => {
    const cache = new TieredCache({ l1MaxBytes: 1 << 20 });
    await cache.set(POLICY.confluence_page, "page:1:v1", "a");
    await cache.set(POLICY.confluence_page, "page:2:v1", "b");
    await cache.set(POLICY.lint, "doc", "c");
    expect(await cache.invalidate("confluence_page", "page:1:*")).toEqual({ l1: 1, l2: undefined, broadcast: false });
    expect(await cache.get(POLICY.confluence_page, "page:1:v1")).toBeUndefined();
    expect(await cache.get(POLICY.confluence_page, "page:2:v1")).toEqual({ value: "b", tier: "l1" });
    expect((await cache.invalidate("confluence_page")).l1).toBe(1);
    expect(await cache.get(POLICY.lint, "doc")).toEqual({ value: "c", tier: "l1" });
  });
});
