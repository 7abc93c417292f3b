import { afterEach, expect, it, vi } from "vitest";

const calls: { baseUrl?: string | undefined }[] = [];
vi.mock("../../src/core/convert/index.js", async (importActual) => {
  const actual = await importActual<typeof import("../../src/core/convert/index.js")>();
  return {
    ...actual,
    convertHtml: (html: string, options: { baseUrl?: string; signal?: AbortSignal } = {}) => {
      calls.push({ baseUrl: options.baseUrl });
      return actual.convertHtml(html, options);
    },
  };
});

const { TieredCache } = await import("../../src/cache/tiered-cache.js");
const { fetchConfluence } = await import("../../src/core/confluence/fetch.js");
const { clientFor } = await import("../helpers/confluence.js");
const { FakeConfluence, corpusPages } = await import("../helpers/fake-confluence.js");

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

it("converts through convertHtml with the wiki base as base_url, once per page version", async () => {
  const fake = await FakeConfluence.start({ flavour: "datacenter", pages: corpusPages() });
  const { client } = clientFor(fake);
  close = async () => {
    await client.close();
    await fake.close();
  };
  const cache = new TieredCache({ l1MaxBytes: 64 * 1024 * 1024 });
  const run = () => fetchConfluence({ target: { kind: "page", id: "1844969501" } }, { client, cache, signal: AbortSignal.timeout(10_000) });
  await run();
  await run();
  expect(calls).toEqual([{ baseUrl: fake.baseUrl }]);
  expect(fake.baseUrl).toMatch(/\/confluence$/);
});
