import { afterEach, describe, expect, it } from "vitest";
import { TieredCache } from "../../src/cache/tiered-cache.js";
import { fetchPageVersion } from "../../src/app/confluence-pages.js";
import { loadConfig } from "../../src/config.js";
import { clientFor } from "../helpers/confluence.js";
import { FakeConfluence } from "../helpers/fake-confluence.js";

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe("fetchPageVersion (for rule_diff)", () => {
  it("returns two versions of a page, the old one from the cache the second time", async () => {
    const fake = await FakeConfluence.start({
      flavour: "datacenter",
      pages: [{ id: "42", title: "Auth design", spaceKey: "SEC", storage: "<p>**RULE-SEC-001** (MUST): v1</p>" }],
    });
    const { client, config } = clientFor(fake);
    close = async () => {
      await client.close();
      await fake.close();
    };
    fake.editPage("42", { storage: "<p>second</p>", author: "Choi Yuna" });
    const ctx = {
      services: { confluence: client },
      config,
      cache: new TieredCache({ l1MaxBytes: 16 * 1024 * 1024 }),
      signal: AbortSignal.timeout(20_000),
    };
    const old = await fetchPageVersion(ctx, "42", 1);
    const current = await fetchPageVersion(ctx, "42");
    expect([old.version, current.version]).toEqual([1, 2]);
    expect(old.markdown).toContain("v1");
    expect(current.markdown).toContain("second");
    expect(current.version_author).toBe("Choi Yuna");
    const before = fake.requests;
    expect((await fetchPageVersion(ctx, "42", 1)).markdown).toBe(old.markdown);
    expect(fake.requests).toBe(before);
  });

  it("answers E_CONFIG naming what to set when Confluence is not configured", async () => {
    const ctx = {
      services: {},
      config: loadConfig({ LOG_LEVEL: "silent" }),
      cache: new TieredCache({ l1MaxBytes: 1024 * 1024 }),
      signal: AbortSignal.timeout(5_000),
    };
    await expect(fetchPageVersion(ctx, "42", 1)).rejects.toMatchObject({
      code: "E_CONFIG",
      message: expect.stringContaining("CONFLUENCE_BASE_URL"),
    });
  });
});
