import { afterEach, describe, expect, it } from "vitest";
import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import type { ConfluenceClient } from "../../src/core/confluence/client.js";
import { confluenceFetch } from "../../src/tools/confluence-fetch.js";
import { TOOLS } from "../../src/tools/index.js";
import { clientFor } from "../helpers/confluence.js";
import { FakeConfluence, corpusPages, syntheticPage } from "../helpers/fake-confluence.js";
import { connectInMemory, type Harness } from "../helpers/runtime.js";

let h: Harness | undefined;
let fake: FakeConfluence | undefined;
let client: ConfluenceClient | undefined;
afterEach(async () => {
  await h?.close();
  await client?.close();
  await fake?.close();
  h = undefined;
  client = undefined;
  fake = undefined;
});

type Out = {
  documents: { id: string; title: string; markdown?: string; url: string }[];
  errors: { id: string; code: string }[];
  next_cursor?: string;
  stats: { fetched: number; from_cache: number; requests: number };
};

const text = (r: Record<string, unknown>) => (r.content as { text: string }[])[0]!.text;

async function connectTo(f: FakeConfluence, tools = TOOLS) {
  ({ client } = clientFor(f));
  h = await connectInMemory({ env: f.env(), tools, runtime: { services: { confluence: client } } });
  return h;
}

describe("confluence_fetch over MCP", () => {
  it("is listed as read-only but open-world", async () => {
    h = await connectInMemory();
    const tool = (await h.client.listTools()).tools.find((t) => t.name === "confluence_fetch");
    expect(tool?.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    });
    expect(Object.keys(tool!.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining([
        "page_id",
        "page_ids",
        "url",
        "space_key",
        "title",
        "cql",
        "label",
        "limit",
        "cursor",
        "format",
        "bypass_cache",
      ]),
    );
  });

  it("answers E_CONFIG naming the variables when Confluence is not configured, and the other tools keep working", async () => {
    h = await connectInMemory();
    const r = await h.client.callTool({ name: "confluence_fetch", arguments: { page_id: "1" } });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(
      /^E_CONFIG: .*CONFLUENCE_BASE_URL.*CONFLUENCE_EMAIL \+ CONFLUENCE_API_TOKEN.*CONFLUENCE_PAT/,
    );
    const ok = await h.client.callTool({ name: "html_to_md", arguments: { html: "<p>ok</p>" } });
    expect(ok.isError).toBeFalsy();
  });

  it("fetches a corpus page as Markdown; the text is the result as JSON, its summary the Markdown", async () => {
    fake = await FakeConfluence.start({ flavour: "cloud", pages: corpusPages() });
    await connectTo(fake);
    const r = await h!.client.callTool({ name: "confluence_fetch", arguments: { url: `${fake.baseUrl}/x/HQD4bQ` } });
    expect(r.isError).toBeFalsy();
    const out = r.structuredContent as Out;
    expect(out.documents[0]).toMatchObject({ id: "1844969501", title: "지원" });
    expect(JSON.parse(text(r))).toEqual(out);
    expect(confluenceFetch.summarize!(out as never)).toBe(out.documents[0]!.markdown);
  });

  it("validates the selector: exactly one, with space_key only beside title or label", async () => {
    fake = await FakeConfluence.start({ flavour: "cloud", pages: corpusPages() });
    await connectTo(fake);
    for (const args of [
      {},
      { page_id: "1", label: "x" },
      { title: "T" },
      { space_key: "QM" },
      { page_id: "1", cursor: "abc" },
      { page_ids: [] },
      { page_id: "12ab" },
    ]) {
      const r = await h!.client.callTool({ name: "confluence_fetch", arguments: args });
      expect(r.isError, JSON.stringify(args)).toBe(true);
      expect(text(r)).toMatch(/^E_INVALID_INPUT/);
    }
    expect(fake.requests).toBe(0);
  });

  it("refuses a url on another host (SSRF) without any request", async () => {
    fake = await FakeConfluence.start({ flavour: "datacenter", pages: corpusPages() });
    await connectTo(fake);
    const r = await h!.client.callTool({
      name: "confluence_fetch",
      arguments: { url: "http://169.254.169.254/latest/meta-data/?pageId=1" },
    });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^E_INVALID_INPUT: .*only reads the configured Confluence/);
    expect(fake.requests).toBe(0);
  });

  it("sends progress notifications for a batch and keeps the order", async () => {
    const ids = Array.from({ length: 40 }, (_, i) => String(3000 + i));
    fake = await FakeConfluence.start({
      flavour: "datacenter",
      pages: ids.map((id) => syntheticPage(id)),
      latencyMs: 5,
    });
    await connectTo(fake);
    const seen: Progress[] = [];
    const r = await h!.client.callTool({ name: "confluence_fetch", arguments: { page_ids: ids } }, undefined, {
      onprogress: (p) => seen.push(p),
    });
    const out = r.structuredContent as Out;
    expect(out.documents.map((d) => d.id)).toEqual(ids);
    expect(seen.length).toBeGreaterThan(5);
    expect(seen.at(-1)).toMatchObject({ progress: 40, total: 40 });
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.progress).toBeGreaterThan(seen[i - 1]!.progress);
  });

  it("lists label results with a cursor for the rest", async () => {
    const pages = Array.from({ length: 12 }, (_, i) => syntheticPage(String(8000 + i), { spaceKey: "PAY" }));
    fake = await FakeConfluence.start({ flavour: "cloud", pages, searchPageSize: 5 });
    await connectTo(fake);
    const args = { label: "specgate:type:api-design", space_key: "PAY" };
    const first = (await h!.client.callTool({ name: "confluence_fetch", arguments: args })).structuredContent as Out;
    expect(first.documents).toHaveLength(10);
    expect(first.next_cursor).toEqual(expect.any(String));
    const rest = await h!.client.callTool({
      name: "confluence_fetch",
      arguments: { ...args, cursor: first.next_cursor },
    });
    expect((rest.structuredContent as Out).documents.map((d) => d.id)).toEqual(["8010", "8011"]);
    expect(JSON.parse(text(rest))).toEqual(rest.structuredContent);
    expect(confluenceFetch.summarize!(rest.structuredContent as never)).toMatch(/^Fetched 2 Confluence documents/);
  });

  it("ends with a clean E_TIMEOUT when the deadline is shorter than a stalled response, and serves the next call", async () => {
    fake = await FakeConfluence.start({ flavour: "cloud", pages: corpusPages() });
    await connectTo(fake, [{ ...confluenceFetch, timeoutMs: 300 }]);
    fake.fault({ kind: "stall", match: "1844969501" });
    const r = await h!.client.callTool({ name: "confluence_fetch", arguments: { page_id: "1844969501" } });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^E_TIMEOUT: /);
    await expect.poll(() => fake!.stalledSockets).toBe(0);
    // The pool sees the aborted request end on its own turn of the event loop: wait for it.
    await expect.poll(() => client!.stats()).toMatchObject({ running: 0, pending: 0, queued: 0 });
    const stats = client!.stats();
    expect(stats.free).toBe(stats.connected);
    const next = await h!.client.callTool({ name: "confluence_fetch", arguments: { page_id: "1844969501" } });
    expect(next.isError).toBeFalsy();
  });

  it("maps a wrong Data Center token to E_AUTH with the fix in the message", async () => {
    fake = await FakeConfluence.start({ flavour: "datacenter", pages: corpusPages() });
    ({ client } = clientFor(fake, { env: { CONFLUENCE_PAT: "expired" } }));
    h = await connectInMemory({ env: fake.env(), runtime: { services: { confluence: client } } });
    const r = await h.client.callTool({
      name: "confluence_fetch",
      arguments: { page_ids: ["1844969501", "27821303"] },
    });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(
      /^E_AUTH: Confluence rejected the credentials \(401\)\. Data Center needs a valid CONFLUENCE_PAT/,
    );
  });
});
