import { afterEach, expect, it, vi } from "vitest";

const calls: Record<string, unknown>[] = [];
vi.mock("../../src/core/convert/index.js", async (importActual) => {
  const actual = await importActual<typeof import("../../src/core/convert/index.js")>();
  return {
    ...actual,
    convertHtml: (html: string, options: Record<string, unknown> = {}) => {
      const { signal: _signal, ...rest } = options;
      calls.push(rest);
      return actual.convertHtml(html, options);
    },
  };
});

const { TieredCache } = await import("../../src/cache/tiered-cache.js");
const { fetchConfluence } = await import("../../src/core/confluence/fetch.js");
const { clientFor } = await import("../helpers/confluence.js");
const { FakeConfluence, corpusPages } = await import("../helpers/fake-confluence.js");

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  calls.length = 0;
});

it.each(["cloud", "datacenter"] as const)(
  "converts (%s) with the wiki base, the page's space and id, once per page version",
  async (flavour) => {
    const fake = await FakeConfluence.start({ flavour, pages: corpusPages() });
    const { client } = clientFor(fake);
    close = async () => {
      await client.close();
      await fake.close();
    };
    const cache = new TieredCache({ l1MaxBytes: 64 * 1024 * 1024 });
    const run = () =>
      fetchConfluence(
        { target: { kind: "page", id: "1844969501" } },
        { client, cache, signal: AbortSignal.timeout(10_000) },
      );
    await run();
    await run();
    // Cloud's Jira lives on the same site; a Data Center's Jira is not known.
    expect(calls).toEqual([
      {
        baseUrl: fake.baseUrl,
        spaceKey: "QM",
        pageId: "1844969501",
        jiraBaseUrl: flavour === "cloud" ? fake.origin : undefined,
        includes: expect.any(Function), // collects the page's include macros (the page has none)
      },
    ]);
  },
);
