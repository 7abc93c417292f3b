import { afterEach, describe, expect, it, vi } from "vitest";
import type { ConfluenceClient } from "../../src/core/confluence/client.js";
import { SpecGateError } from "../../src/errors.js";
import { createMetrics } from "../../src/perf/metrics.js";
import { clientFor, req } from "../helpers/confluence.js";
import { FakeConfluence, corpusPages, syntheticPage } from "../helpers/fake-confluence.js";

let fake: FakeConfluence | undefined;
let client: ConfluenceClient | undefined;
afterEach(async () => {
  await client?.close();
  await fake?.close();
  client = undefined;
  fake = undefined;
});

async function failure(promise: Promise<unknown>): Promise<SpecGateError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SpecGateError);
    return error as SpecGateError;
  }
  throw new Error("expected a failure");
}

const SUPPORT = "1844969501";

describe.each(["cloud", "datacenter"] as const)("Confluence client (%s)", (flavour) => {
  async function setup(options: Parameters<typeof FakeConfluence.start>[0] = {}, env: Record<string, string> = {}) {
    fake = await FakeConfluence.start({ flavour, pages: corpusPages(), ...options });
    ({ client } = clientFor(fake, { env }));
    return { fake, client };
  }

  it("reads a corpus page with its metadata, labels and absolute web URL", async () => {
    const { fake, client } = await setup();
    const o = req();
    const page = await client.getPage(SUPPORT, "page", o);
    expect(page).toMatchObject({
      id: SUPPORT,
      title: "지원",
      spaceKey: "QM",
      version: 3,
      labels: ["specgate:type:api-design", "specgate:status:approved"],
    });
    expect(page.storage).toBe(fake.pages.get(SUPPORT)!.storage);
    expect(page.url.startsWith(`${fake.baseUrl}/`)).toBe(true);
    expect(page.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(o.tally.requests).toBe(1);
    expect(fake.log[0]!.path).toMatch(
      flavour === "cloud"
        ? /^\/api\/v2\/pages\/1844969501\?body-format=storage/
        : /^\/rest\/api\/content\/1844969501\?expand=/,
    );
    expect(await client.getVersion(SUPPORT, "page", req())).toBe(3);
  });

  it("finds a page by a title with quotes and backslashes", async () => {
    const title = 'He said "hi" \\ then left';
    const { fake, client } = await setup({
      pages: [
        syntheticPage("501", { title, spaceKey: "PAY" }),
        syntheticPage("502", { title: "He said", spaceKey: "PAY" }),
      ],
    });
    const hit = await client.findByTitle("PAY", title, req());
    expect(hit).toMatchObject({ id: "501", title });
    expect(await client.findByTitle("PAY", 'He said" OR title = "He said', req())).toBeUndefined();
    if (flavour === "cloud")
      expect(new URL(fake.log[0]!.path, "http://x").searchParams.get("cql")).toContain(
        'title = "He said \\"hi\\" \\\\ then left"',
      );
  });

  it("honours Retry-After in seconds on 429, then succeeds", async () => {
    const { fake, client } = await setup();
    fake.fault({ kind: "429", match: SUPPORT, retryAfter: "1" });
    const o = req();
    expect((await client.getPage(SUPPORT, "page", o)).id).toBe(SUPPORT);
    expect(o.tally).toEqual({ requests: 2, retries: 1 });
    expect(fake.log[1]!.at - fake.log[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it("honours Retry-After as an HTTP date, and X-RateLimit-Reset", async () => {
    const { fake, client } = await setup();
    // An HTTP date names a whole second, so how long after the 429 that is depends on when the
    // request was sent; what must hold is that no retry goes out before the time the server named.
    const retryAt = new Date(Date.now() + 2000).toUTCString();
    const resetAt = new Date(Date.now() + 2500);
    fake.fault({ kind: "429", match: SUPPORT, retryAfter: retryAt });
    fake.fault({ kind: "429", match: SUPPORT, rateLimitReset: resetAt.toISOString() });
    const o = req();
    await client.getPage(SUPPORT, "page", o);
    expect(o.tally).toEqual({ requests: 3, retries: 2 });
    // Same process, same clock; a timer may fire a millisecond early.
    expect(fake.log[1]!.at).toBeGreaterThanOrEqual(Date.parse(retryAt) - 5);
    expect(fake.log[2]!.at).toBeGreaterThanOrEqual(resetAt.getTime() - 5);
  });

  it("fails at once with E_RATE_LIMITED when Retry-After is past the deadline", async () => {
    const { fake, client } = await setup();
    fake.fault({ kind: "429", match: SUPPORT, retryAfter: "20" });
    const o = req(AbortSignal.timeout(20_000), Date.now() + 3000);
    const error = await failure(client.getPage(SUPPORT, "page", o));
    expect(error.code).toBe("E_RATE_LIMITED");
    expect(error.retryAfterMs).toBeGreaterThan(15_000);
    expect(fake.requests).toBe(1);
  });

  it("gives up after 3 tries of 429 with E_RATE_LIMITED", async () => {
    const { fake, client } = await setup();
    fake.fault({ kind: "429", match: SUPPORT, retryAfter: "0", times: 5 });
    const error = await failure(client.getPage(SUPPORT, "page", req()));
    expect(error.code).toBe("E_RATE_LIMITED");
    expect(error.retryable).toBe(true);
    expect(fake.requests).toBe(3);
  });

  it("retries 503 and 500 and connection resets", async () => {
    const { fake, client } = await setup();
    fake.fault({ kind: "503", match: SUPPORT, retryAfter: "0" });
    fake.fault({ kind: "500", match: SUPPORT });
    const o = req();
    expect((await client.getPage(SUPPORT, "page", o)).title).toBe("지원");
    expect(o.tally.retries).toBe(2);
    fake.fault({ kind: "reset", match: SUPPORT });
    const o2 = req();
    expect((await client.getPage(SUPPORT, "page", o2)).title).toBe("지원");
    expect(o2.tally.retries).toBe(1);
  });

  it("fails with E_UPSTREAM after 3 server errors, and never retries other 4xx", async () => {
    const { fake, client } = await setup();
    fake.fault({ kind: "500", match: SUPPORT, times: 10 });
    const error = await failure(client.getPage(SUPPORT, "page", req()));
    expect(error.code).toBe("E_UPSTREAM");
    expect(fake.requests).toBe(3);
    fake.clearFaults();
    const missing = await failure(client.getPage("999999", "page", req()));
    expect(missing.code).toBe("E_NOT_FOUND");
    expect(missing.message).toMatch(/not found.*restricted pages too/);
    expect(fake.requests).toBe(4);
    const bad = await failure(client.search("label = ", 10, undefined, req()));
    expect(bad.code).toBe("E_INVALID_INPUT");
    expect(bad.message).toMatch(/Could not parse cql/);
    expect(fake.requests).toBe(5);
  });

  it("maps a restricted page to E_FORBIDDEN", async () => {
    const { client } = await setup({ pages: [syntheticPage("77", { restricted: true })] });
    const error = await failure(client.getPage("77", "page", req()));
    expect(error.code).toBe("E_FORBIDDEN");
    expect(error.message).toMatch(/View permission/);
  });

  it("maps a plain-text 401 to E_AUTH naming the credentials this flavour needs", async () => {
    const wrong: Record<string, string> =
      flavour === "cloud" ? { CONFLUENCE_API_TOKEN: "wrong" } : { CONFLUENCE_PAT: "wrong" };
    const { fake, client } = await setup({}, wrong);
    const error = await failure(client.getPage(SUPPORT, "page", req()));
    expect(error.code).toBe("E_AUTH");
    expect(error.message).toMatch(
      flavour === "cloud"
        ? /Cloud needs CONFLUENCE_EMAIL \+ CONFLUENCE_API_TOKEN/
        : /Data Center needs a valid CONFLUENCE_PAT/,
    );
    expect(fake.requests).toBe(1);
  });

  it("refuses a 12 MB page while reading it (E_TOO_LARGE), leaving no request running", async () => {
    const big = `<p>${"x".repeat(12 * 1024 * 1024)}</p>`;
    const { client } = await setup({ pages: [syntheticPage("12", { storage: big })] });
    const error = await failure(client.getPage("12", "page", req()));
    expect(error.code).toBe("E_TOO_LARGE");
    expect(error.message).toMatch(/10 MB/);
    await vi.waitFor(() => expect(client.stats().running).toBe(0), { timeout: 30_000 });
  });

  it("refuses a body just over 10 MB after parsing, when the response fits the envelope allowance", async () => {
    const { client } = await setup({ pages: [syntheticPage("13", { storage: "y".repeat(10 * 1024 * 1024 + 10) })] });
    expect((await failure(client.getPage("13", "page", req()))).code).toBe("E_TOO_LARGE");
  });

  it("reports an HTML login page instead of JSON as E_UPSTREAM", async () => {
    const { fake, client } = await setup();
    fake.fault({ kind: "html", match: SUPPORT });
    const error = await failure(client.getPage(SUPPORT, "page", req()));
    expect(error.code).toBe("E_UPSTREAM");
    expect(error.message).toMatch(/text\/html instead of JSON/);
  });

  it("never follows a redirect to another host, follows one within the base", async () => {
    const { fake, client } = await setup();
    fake.fault({ kind: "redirect", match: SUPPORT, location: "http://169.254.169.254/latest/meta-data" });
    const error = await failure(client.getPage(SUPPORT, "page", req()));
    expect(error.code).toBe("E_UPSTREAM");
    expect(error.message).toMatch(/does not follow/);
    const target =
      flavour === "cloud"
        ? `${fake.contextPath}/api/v2/pages/${SUPPORT}?body-format=storage&include-labels=true`
        : `${fake.contextPath}/rest/api/content/${SUPPORT}?expand=body.storage,version,space,metadata.labels`;
    fake.fault({ kind: "redirect", match: SUPPORT, location: target });
    expect((await client.getPage(SUPPORT, "page", req())).id).toBe(SUPPORT);
  });

  it("assembles a slow body", async () => {
    const { fake, client } = await setup();
    fake.fault({ kind: "slow-body", match: SUPPORT, chunkDelayMs: 30 });
    expect((await client.getPage(SUPPORT, "page", req())).title).toBe("지원");
  });

  it("abandons a response that stalls after its headers when the signal fires, and frees the socket", async () => {
    const { fake, client } = await setup();
    fake.fault({ kind: "stall", match: SUPPORT });
    const error = await failure(client.getPage(SUPPORT, "page", req(AbortSignal.timeout(300))));
    expect(error.code).toBe("E_TIMEOUT");
    await vi.waitFor(
      () => {
        const stats = client.stats();
        expect(stats).toMatchObject({ running: 0, pending: 0, queued: 0 });
        expect(stats.free).toBe(stats.connected); // nothing checked out of the pool
        expect(fake.stalledSockets).toBe(0); // the stalled connection was closed, not parked
      },
      { timeout: 30_000 },
    );
    expect((await client.getPage(SUPPORT, "page", req())).id).toBe(SUPPORT);
  });

  it("bounds a stalled response by the per-request timeout and retries it", async () => {
    const { fake } = await setup();
    ({ client } = clientFor(fake, { env: { SPECGATE_CONFLUENCE_TIMEOUT_MS: "150" } }));
    fake.fault({ kind: "stall-headers", match: SUPPORT, times: 2 });
    const o = req();
    expect((await client.getPage(SUPPORT, "page", o)).id).toBe(SUPPORT);
    expect(o.tally.retries).toBe(2);
    fake.fault({ kind: "stall", match: SUPPORT, times: 3 });
    const error = await failure(client.getPage(SUPPORT, "page", req()));
    expect(error.code).toBe("E_TIMEOUT");
    expect(error.message).toMatch(/did not answer/);
  });

  it("counts upstream requests in the metrics", async () => {
    fake = await FakeConfluence.start({ flavour, pages: corpusPages() });
    const metrics = createMetrics({ defaultMetrics: false });
    const registry = await metrics.registry();
    ({ client } = clientFor(fake, { metrics }));
    fake.fault({ kind: "500", match: SUPPORT });
    await client.getPage(SUPPORT, "page", req());
    const text = await registry.metrics();
    expect(text).toMatch(/specgate_upstream_request_duration_seconds_count\{service="confluence",status="500"\} 1/);
    expect(text).toMatch(/specgate_upstream_request_duration_seconds_count\{service="confluence",status="200"\} 1/);
  });
});
