/**
 * Every fault the fake Confluence can produce, hitting 20 pages of a 100-page confluence_fetch
 * batch through the real pipeline: the other 80 pages come back correct and in order, each
 * faulted page either recovers (transient faults are retried) or gets its own error entry with
 * the right code, the call ends within its deadline, and afterwards no request is left running
 * in the undici pool and no stalled socket is left open on the server.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { loadConfig } from "../../src/config.js";
import { ConfluenceClient } from "../../src/core/confluence/client.js";
import { resolveConfluenceSettings } from "../../src/core/confluence/settings.js";
import { FakeConfluence, syntheticPage, type Fault } from "../helpers/fake-confluence.js";
import { patient } from "../helpers/patience.js";
import { connectInMemory, type Harness } from "../helpers/runtime.js";

const IDS = Array.from({ length: 100 }, (_, i) => String(810_000 + i));
/** The 20 faulted pages: every fifth. */
const HIT = IDS.filter((_, i) => i % 5 === 2);
const HIT_RE = new RegExp(`/(${HIT.join("|")})(?:\\b|\\?)`);

let fake: FakeConfluence | undefined;
let client: ConfluenceClient | undefined;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  await client?.close();
  await fake?.close();
  h = client = fake = undefined;
});

/**
 * `requestTimeoutMs` is the per-request timeout: short where the fault is a stall (only the
 * timeout can end it), patient elsewhere, so that a busy machine's slow request is not mistaken
 * for the fault under test.
 */
async function setup(flavour: "cloud" | "datacenter", requestTimeoutMs = patient(400)) {
  fake = await FakeConfluence.start({ flavour, pages: IDS.map((id) => syntheticPage(id)), latencyMs: 2 });
  const env = {
    ...fake.env(),
    SPECGATE_CONFLUENCE_TIMEOUT_MS: String(requestTimeoutMs),
    SPECGATE_CONFLUENCE_FRESH_S: "0",
  };
  client = new ConfluenceClient({
    settings: resolveConfluenceSettings(loadConfig(env)),
    backoff: { baseMs: 20, capMs: 100 },
  });
  h = await connectInMemory({ env, runtime: { services: { confluence: client } } });
  return { fake, client, h };
}

interface Outcome {
  documents: { id: string; markdown: string }[];
  errors: { id: string; code: string }[];
}

async function fetchBatch(harness: Harness): Promise<CallToolResult> {
  return (await harness.client.callTool(
    { name: "confluence_fetch", arguments: { page_ids: IDS, bypass_cache: true } },
    undefined,
    { timeout: 120_000 },
  )) as CallToolResult;
}

/** A fault kind, how often it strikes each hit page, and what the hit pages end as. */
const FAULTS: [string, Omit<Fault, "match">, RegExp][] = [
  ["429 once each, then fine", { kind: "429", retryAfter: "0", times: 1 }, /^ok$/],
  ["503 throughout", { kind: "503", times: Infinity }, /^E_UPSTREAM$/],
  ["500 throughout", { kind: "500", times: Infinity }, /^E_UPSTREAM$/],
  ["500 once each, then fine", { kind: "500", times: 1 }, /^ok$/],
  ["connection resets", { kind: "reset", times: Infinity }, /^E_UPSTREAM$/],
  ["stalled bodies", { kind: "stall", times: Infinity }, /^(E_TIMEOUT|E_UPSTREAM)$/],
  ["no headers at all", { kind: "stall-headers", times: Infinity }, /^(E_TIMEOUT|E_UPSTREAM)$/],
  ["truncated bodies", { kind: "truncate", times: Infinity }, /^E_UPSTREAM$/],
  ["truncated once each, then fine", { kind: "truncate", times: 1 }, /^ok$/],
  ["slow bodies", { kind: "slow-body", chunkDelayMs: 30, times: Infinity }, /^ok$/],
  ["an HTML login page instead of JSON", { kind: "html", times: Infinity }, /^E_UPSTREAM$/],
  [
    "redirects to another host",
    { kind: "redirect", location: "http://169.254.169.254/latest/meta-data", times: Infinity },
    /^E_UPSTREAM$/,
  ],
  ["403 on those pages", { kind: "403", times: Infinity }, /^E_FORBIDDEN$/],
  ["404 on those pages", { kind: "404", times: Infinity }, /^E_NOT_FOUND$/],
];

describe.each(["cloud", "datacenter"] as const)("a 100-page batch under faults (%s)", (flavour) => {
  // Stalls exercise the HTTP layer, which both flavours share: once is enough (they take seconds).
  for (const [name, fault, expected] of FAULTS.filter(([, f]) => flavour === "cloud" || !f.kind.startsWith("stall"))) {
    it(name, async () => {
      const { fake: f, client: c, h: harness } = await setup(flavour, fault.kind.startsWith("stall") ? 400 : undefined);
      // "Once each": one fault per page; otherwise one fault that hits every request for any of them.
      if (fault.times === 1) for (const id of HIT) f.fault({ ...fault, match: new RegExp(`/${id}\\b`) } as Fault);
      else f.fault({ ...fault, match: HIT_RE } as Fault);
      const result = await fetchBatch(harness);
      expect(result.isError, JSON.stringify(result.content).slice(0, 300)).toBeFalsy();
      const out = result.structuredContent as unknown as Outcome;
      // Every page is accounted for once, in input order.
      const seen = [...out.documents.map((d) => d.id), ...out.errors.map((e) => e.id)];
      expect(seen.sort()).toEqual([...IDS].sort());
      expect(out.documents.map((d) => d.id)).toEqual(IDS.filter((id) => out.documents.some((d) => d.id === id)));
      // The pages nothing touched are all there, with the right content.
      for (const id of IDS.filter((x) => !HIT.includes(x))) {
        const doc = out.documents.find((d) => d.id === id);
        expect(doc, `page ${id}`).toBeDefined();
        expect(doc!.markdown).toContain(`# Page ${id} API 설계서`);
        expect(doc!.markdown).toContain(`{"id": ${id}}`);
      }
      // The hit pages recovered or failed with the expected code, each on its own.
      for (const id of HIT) {
        const error = out.errors.find((e) => e.id === id);
        expect(error?.code ?? "ok", `page ${id}`).toMatch(expected);
      }
      // Nothing left behind. (A batch past the tool's deadline would have ended in E_TIMEOUT.)
      await expect.poll(() => c.stats(), { timeout: 30_000 }).toMatchObject({ running: 0, pending: 0, queued: 0 });
      await expect.poll(() => f.stalledSockets, { timeout: 30_000 }).toBe(0);
      expect(c.stats().connected).toBeLessThanOrEqual(harness.config.confluence.concurrency);
      // And the next call is served normally.
      f.clearFaults();
      const again = await harness.client.callTool({ name: "confluence_fetch", arguments: { page_id: HIT[0]! } });
      expect(again.isError).toBeFalsy();
    });
  }
});

describe("a 429 storm", () => {
  it("pauses the whole batch as Confluence asks, then reports the pages it kept refusing as E_RATE_LIMITED", async () => {
    const { fake: f, client: c, h: harness } = await setup("cloud");
    const refused = HIT.slice(0, 6);
    f.fault({ kind: "429", retryAfter: "1", times: Infinity, match: new RegExp(`/(${refused.join("|")})\\b`) });
    const result = await fetchBatch(harness);
    expect(result.isError, JSON.stringify(result.content).slice(0, 300)).toBeFalsy();
    const out = result.structuredContent as unknown as Outcome;
    expect(out.documents).toHaveLength(94);
    expect(out.errors.map((e) => [e.id, e.code])).toEqual(refused.map((id) => [id, "E_RATE_LIMITED"]));
    await expect.poll(() => c.stats(), { timeout: 30_000 }).toMatchObject({ running: 0, pending: 0, queued: 0 });
  });
});

describe("deadlines", () => {
  it("a batch whose every page stalls ends at the caller's deadline, leaving nothing running", async () => {
    const { fake: f, client: c, h: harness } = await setup("cloud", 400);
    f.fault({ kind: "stall", times: Infinity });
    const result = (await harness.specgate.runtime.pipeline.call(
      harness.specgate.runtime.pipeline && (await import("../../src/tools/confluence-fetch.js")).confluenceFetch,
      { page_ids: IDS, bypass_cache: true },
      { signal: AbortSignal.timeout(1500) },
    )) as CallToolResult;
    // Every page stalls for ever: only the deadline can have ended the call.
    const text = (result.content[0] as { text: string }).text;
    if (result.isError) expect(text).toMatch(/^E_(TIMEOUT|CANCELLED): /);
    else
      expect(
        (result.structuredContent as unknown as Outcome).errors.every((e) =>
          /E_(TIMEOUT|CANCELLED|UPSTREAM)/.test(e.code),
        ),
      ).toBe(true);
    await expect.poll(() => c.stats(), { timeout: 30_000 }).toMatchObject({ running: 0, pending: 0, queued: 0 });
    await expect.poll(() => f.stalledSockets, { timeout: 30_000 }).toBe(0);
  });
});
