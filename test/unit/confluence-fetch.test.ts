import { afterEach, describe, expect, it } from "vitest";
import { TieredCache } from "../../src/cache/tiered-cache.js";
import type { ConfluenceClient } from "../../src/core/confluence/client.js";
import { fetchConfluence, type FetchDeps, type FetchRequest } from "../../src/core/confluence/fetch.js";
import { encodeTinyLink } from "../../src/core/confluence/urls.js";
import { SpecGateError } from "../../src/errors.js";
import { clientFor } from "../helpers/confluence.js";
import { FakeConfluence, corpusPages, syntheticPage } from "../helpers/fake-confluence.js";

let fake: FakeConfluence | undefined;
let client: ConfluenceClient | undefined;
afterEach(async () => {
  await client?.close();
  await fake?.close();
  client = undefined;
  fake = undefined;
});

const SUPPORT = "1844969501";

function harness(f: FakeConfluence, env: Record<string, string> = {}) {
  let clock = Date.parse("2025-09-25T00:00:00Z");
  ({ client } = clientFor(f, { env, now: () => clock }));
  const cache = new TieredCache({ l1MaxBytes: 256 * 1024 * 1024 });
  const c = client;
  return {
    client: c,
    cache,
    advance: (ms: number) => (clock += ms),
    run: (req: FetchRequest, deps: Partial<FetchDeps> = {}) =>
      fetchConfluence(req, { client: c, cache, signal: AbortSignal.timeout(20_000), ...deps }),
  };
}

async function failure(promise: Promise<unknown>): Promise<SpecGateError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SpecGateError);
    return error as SpecGateError;
  }
  throw new Error("expected a failure");
}

describe.each(["cloud", "datacenter"] as const)("fetchConfluence (%s)", (flavour) => {
  it("returns Markdown that starts with the title and has absolute links, then serves it from the cache", async () => {
    fake = await FakeConfluence.start({ flavour, pages: corpusPages() });
    const h = harness(fake);
    const first = await h.run({ target: { kind: "page", id: SUPPORT } });
    const doc = first.documents[0]!;
    expect(doc).toMatchObject({ id: SUPPORT, title: "지원", space_key: "QM", version: 3 });
    expect(doc.markdown!.startsWith("# 지원\n\n")).toBe(true);
    expect(doc.markdown).toContain("## 공통 리소스");
    expect(doc.storage).toBeUndefined();
    expect(first.stats).toMatchObject({ fetched: 1, from_cache: 0, requests: 1, retries: 0 });

    const again = await h.run({ target: { kind: "page", id: SUPPORT }, format: "both" });
    expect(again.stats).toMatchObject({ from_cache: 1, requests: 0 });
    expect(again.documents[0]!.markdown).toBe(doc.markdown);
    expect(again.documents[0]!.storage).toBe(fake.pages.get(SUPPORT)!.storage);
  });

  it("revalidates a cached page with a version-only request once the freshness window has passed", async () => {
    fake = await FakeConfluence.start({ flavour, pages: corpusPages() });
    const h = harness(fake, { SPECGATE_CONFLUENCE_FRESH_S: "30" });
    await h.run({ target: { kind: "page", id: SUPPORT } });
    fake.editPage(SUPPORT, { storage: "<h2>개정</h2><p>새 규칙</p>" });

    h.advance(10_000); // inside the window: served from the cache, no request
    const inside = await h.run({ target: { kind: "page", id: SUPPORT } });
    expect(inside.documents[0]!.version).toBe(3);
    expect(inside.stats.requests).toBe(0);

    h.advance(25_000); // past the window: one version request finds v4, then the body
    const before = fake.requests;
    const after = await h.run({ target: { kind: "page", id: SUPPORT } });
    expect(after.documents[0]!.version).toBe(4);
    expect(after.documents[0]!.markdown!.startsWith("# 지원\n")).toBe(true);
    expect(after.documents[0]!.markdown).toContain("새 규칙");
    expect(after.stats).toMatchObject({ requests: 2, from_cache: 0 });
    expect(fake.log.slice(before).map((r) => r.path.split("?")[0])).toEqual(
      flavour === "cloud"
        ? [`/api/v2/pages/${SUPPORT}`, `/api/v2/pages/${SUPPORT}`]
        : [`/rest/api/content/${SUPPORT}`, `/rest/api/content/${SUPPORT}`],
    );

    h.advance(31_000); // unchanged since: the version request alone, body from the cache
    const unchanged = await h.run({ target: { kind: "page", id: SUPPORT } });
    expect(unchanged.stats).toMatchObject({ requests: 1, from_cache: 1 });

    const bypass = await h.run({ target: { kind: "page", id: SUPPORT }, bypassCache: true });
    expect(bypass.stats).toMatchObject({ requests: 1, from_cache: 0 });
  });

  it("revalidates a stale batch with a CQL version search instead of one request per page", async () => {
    const ids = Array.from({ length: 30 }, (_, i) => String(7000 + i));
    fake = await FakeConfluence.start({ flavour, pages: ids.map((id) => syntheticPage(id)) });
    const h = harness(fake);
    await h.run({ target: { kind: "pages", ids } });
    fake.editPage(ids[4]!, { storage: "<p>edited four</p>" });
    fake.editPage(ids[20]!, { storage: "<p>edited twenty</p>" });
    fake.pages.delete(ids[9]!);
    h.advance(60_000);
    const before = fake.requests;
    const out = await h.run({ target: { kind: "pages", ids } });
    const paths = fake.log.slice(before).map((r) => r.path);
    expect(paths.filter((p) => p.includes("/search"))).toHaveLength(2); // 30 ids in one CQL query, 25 per server page
    expect(paths.filter((p) => !p.includes("/search"))).toHaveLength(3); // 2 edited bodies + the deleted page's own check
    expect(out.stats.from_cache).toBe(27);
    expect(out.documents.find((d) => d.id === ids[4])).toMatchObject({ version: 2 });
    expect(out.documents.find((d) => d.id === ids[4])!.markdown).toContain("edited four");
    expect(out.errors).toEqual([expect.objectContaining({ id: ids[9], code: "E_NOT_FOUND" })]);
    expect(out.documents.map((d) => d.id)).toEqual(ids.filter((id) => id !== ids[9]));
  });

  it("with a zero freshness window, checks a batch's versions with the search alone", async () => {
    const ids = Array.from({ length: 10 }, (_, i) => String(7100 + i));
    fake = await FakeConfluence.start({ flavour, pages: ids.map((id) => syntheticPage(id)) });
    const h = harness(fake, { SPECGATE_CONFLUENCE_FRESH_S: "0" });
    await h.run({ target: { kind: "pages", ids } });
    const before = fake.requests;
    const out = await h.run({ target: { kind: "pages", ids } });
    expect(out.stats).toMatchObject({ from_cache: 10, requests: 1 });
    expect(fake.log.slice(before).map((r) => r.path.split("?")[0])).toEqual(["/rest/api/content/search"]);
  });

  it("pages through label results across several server pages with an opaque cursor", async () => {
    const pages = Array.from({ length: 30 }, (_, i) =>
      syntheticPage(String(1000 + i), { spaceKey: "PAY", labels: ["specgate:type:api-design"] }),
    );
    pages.push(syntheticPage("2000", { spaceKey: "OTHER", labels: ["specgate:type:api-design"] }));
    pages.push(syntheticPage("2001", { spaceKey: "PAY", labels: ["specgate:status:draft"] }));
    fake = await FakeConfluence.start({ flavour, pages, searchPageSize: 7 });
    const h = harness(fake);
    const target = { kind: "label" as const, label: "specgate:type:api-design", spaceKey: "PAY" };
    const first = await h.run({ target, limit: 20 });
    expect(first.documents.map((d) => d.id)).toEqual(pages.slice(0, 20).map((p) => p.id));
    expect(fake.count("/rest/api/content/search")).toBe(3); // 7 + 7 + 6
    expect(first.next_cursor).toBeDefined();
    const second = await h.run({ target, limit: 20, cursor: first.next_cursor });
    expect(second.documents.map((d) => d.id)).toEqual(pages.slice(20, 30).map((p) => p.id));
    expect(second.next_cursor).toBeUndefined();
    const cql = new URL(fake.log.find((r) => r.path.includes("/search"))!.path, "http://x").searchParams.get("cql");
    expect(cql).toBe('label = "specgate:type:api-design" AND space = "PAY" AND type in (page, blogpost)');

    // Search results carry versions: cached bodies are used without revalidation requests.
    const before = fake.requests;
    const warm = await h.run({ target, limit: 20, bypassCache: false });
    expect(warm.stats.from_cache).toBe(20);
    expect(fake.requests).toBe(before); // the search itself is cached for the freshness window
    expect(
      (await failure(h.run({ target: { kind: "cql", cql: "type = page" }, cursor: first.next_cursor }))).code,
    ).toBe("E_INVALID_INPUT");
  });

  it("returns 95 documents and 5 errors for a 100-page batch with 5 failing pages, in input order", async () => {
    const ids = Array.from({ length: 100 }, (_, i) => String(5000 + i));
    const failing = new Map([
      [ids[3]!, "E_NOT_FOUND"],
      [ids[17]!, "E_FORBIDDEN"],
      [ids[42]!, "E_UPSTREAM"],
      [ids[64]!, "E_NOT_FOUND"],
      [ids[99]!, "E_TOO_LARGE"],
    ]);
    const pages = ids
      .filter((id) => failing.get(id) !== "E_NOT_FOUND")
      .map((id) =>
        syntheticPage(id, {
          restricted: failing.get(id) === "E_FORBIDDEN",
          ...(failing.get(id) === "E_TOO_LARGE" ? { storage: "z".repeat(11 * 1024 * 1024) } : {}),
        }),
      );
    fake = await FakeConfluence.start({ flavour, pages });
    fake.fault({ kind: "500", match: new RegExp(`/${ids[42]}\\b`), times: Infinity });
    fake.fault({ kind: "429", match: new RegExp(`/${ids[50]}\\b`), retryAfter: "0" }); // retried, then fine
    fake.fault({ kind: "reset", match: new RegExp(`/${ids[51]}\\b`) }); // retried, then fine
    const h = harness(fake);
    const progress: number[] = [];
    const out = await h.run({ target: { kind: "pages", ids } }, { progress: (done) => progress.push(done) });
    expect(out.documents).toHaveLength(95);
    expect(out.errors).toHaveLength(5);
    expect(out.documents.map((d) => d.id)).toEqual(ids.filter((id) => !failing.has(id)));
    expect(out.errors.map((e) => [e.id, e.code])).toEqual([...failing.entries()]);
    expect(out.stats.retries).toBeGreaterThanOrEqual(4);
    for (const d of out.documents) expect(d.markdown!.startsWith(`# Page ${d.id} API 설계서\n`)).toBe(true);
  });

  it("fails a batch with E_AUTH at the first 401 instead of sending 100 doomed requests", async () => {
    const ids = Array.from({ length: 100 }, (_, i) => String(6000 + i));
    fake = await FakeConfluence.start({ flavour, pages: ids.map((id) => syntheticPage(id)), latencyMs: 20 });
    const h = harness(fake, flavour === "cloud" ? { CONFLUENCE_API_TOKEN: "revoked" } : { CONFLUENCE_PAT: "revoked" });
    const error = await failure(h.run({ target: { kind: "pages", ids } }));
    expect(error.code).toBe("E_AUTH");
    expect(fake.requests).toBeLessThan(30);
  });

  it("finds a page by a title with quotes, and by every URL form", async () => {
    const title = 'Payment "v2" API 설계서 \\ draft';
    fake = await FakeConfluence.start({
      flavour,
      pages: [...corpusPages(), syntheticPage("4242", { title, spaceKey: "PAY" })],
    });
    const h = harness(fake);
    const byTitle = await h.run({ target: { kind: "title", spaceKey: "PAY", title } });
    expect(byTitle.documents[0]).toMatchObject({ id: "4242", title });
    expect(byTitle.documents[0]!.markdown!.startsWith(`# ${title}\n`)).toBe(true);
    expect((await failure(h.run({ target: { kind: "title", spaceKey: "PAY", title: "Payment" } }))).code).toBe(
      "E_NOT_FOUND",
    );
    fake.addPage(syntheticPage("4243", { title: "Payment", spaceKey: "PAY" })); // "not found" was not cached
    expect((await h.run({ target: { kind: "title", spaceKey: "PAY", title: "Payment" } })).documents[0]!.id).toBe(
      "4243",
    );

    const base = fake.baseUrl;
    const urls = [
      `${base}/spaces/QM/pages/${SUPPORT}/%EC%A7%80%EC%9B%90`,
      `${base}/pages/viewpage.action?pageId=${SUPPORT}`,
      `${base}/x/${encodeTinyLink(SUPPORT)}`,
      `${base}/display/QM/%EC%A7%80%EC%9B%90`,
    ];
    for (const url of urls) {
      const out = await h.run({ target: { kind: "url", url } });
      expect(out.documents[0]!.id, url).toBe(SUPPORT);
    }
  });

  it("refuses a URL on another host without contacting anything", async () => {
    fake = await FakeConfluence.start({ flavour, pages: corpusPages() });
    const h = harness(fake);
    for (const url of [
      `http://localhost:${new URL(fake.origin).port}/wiki/x/HQD4bQ`,
      "https://evil.example/wiki/spaces/QM/pages/1844969501",
      "http://169.254.169.254/latest",
    ]) {
      const error = await failure(h.run({ target: { kind: "url", url } }));
      expect(error.code).toBe("E_INVALID_INPUT");
      expect(error.message).toMatch(/only reads the configured Confluence/);
    }
    expect(fake.requests).toBe(0);
  });
});

describe("fetchConfluence deadlines", () => {
  it("ends a stalled page with E_TIMEOUT at the call's signal, with no socket left behind", async () => {
    fake = await FakeConfluence.start({ flavour: "cloud", pages: corpusPages() });
    const h = harness(fake);
    fake.fault({ kind: "stall", match: SUPPORT });
    const error = await failure(h.run({ target: { kind: "page", id: SUPPORT } }, { signal: AbortSignal.timeout(250) }));
    expect(error.code).toBe("E_TIMEOUT");
    await expect.poll(() => fake!.stalledSockets).toBe(0);
    expect(h.client.stats()).toMatchObject({ running: 0, pending: 0 });
  });
});
