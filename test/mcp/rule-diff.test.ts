import MarkdownIt from "markdown-it";
import { afterEach, describe, expect, it } from "vitest";
import type { ConfluenceClient } from "../../src/core/confluence/client.js";
import { TOOLS } from "../../src/tools/index.js";
import { clientFor } from "../helpers/confluence.js";
import { FakeConfluence } from "../helpers/fake-confluence.js";
import { readFixtureSync } from "../helpers/fixtures.js";
import { connectInMemory, type Harness } from "../helpers/runtime.js";
import { securityDesignV1, securityDesignV2, securityDesignWithKeywords } from "../helpers/versions.js";

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

interface Out {
  from: { label: string; rules: number; page_id?: string; version?: number; title?: string };
  to: { label: string; rules: number; page_id?: string; version?: number };
  added: { rule_id: string; priority: string; description: string }[];
  removed: { rule_id: string }[];
  changed: {
    rule_id: string;
    from_rule_id?: string;
    matched_by: string;
    similarity?: number;
    fields: Record<string, { from: unknown; to: unknown }>;
  }[];
  unchanged: number;
  regenerate: string[];
  markdown: string;
}

const text = (r: Record<string, unknown>) => (r.content as { text: string }[])[0]!.text;
const call = async (args: Record<string, unknown>) => h!.client.callTool({ name: "rule_diff", arguments: args });
/** Confluence storage for a Markdown document (the converter reads it back to Markdown). */
const storage = (markdown: string) => new MarkdownIt().render(markdown.replace(/^# .*\n/, ""));

describe("rule_diff over MCP (in-process SDK client)", () => {
  it("is listed as read-only, open-world (pages), with from and to", async () => {
    h = await connectInMemory();
    const tool = (await h.client.listTools()).tools.find((t) => t.name === "rule_diff")!;
    expect(tool.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    });
    expect(Object.keys(tool.inputSchema.properties ?? {})).toEqual(["from", "to"]);
    expect(tool.outputSchema?.properties).toHaveProperty("markdown");
  });

  it("diffs two versions of the corpus' security design given as content", async () => {
    h = await connectInMemory();
    const r = await call({
      from: { content: securityDesignWithKeywords(), label: "v1" },
      to: { content: securityDesignV2(), label: "v2" },
    });
    expect(r.isError).toBeFalsy();
    const out = r.structuredContent as unknown as Out;
    expect(out.from).toEqual({ label: "v1", rules: 9 });
    expect(out.added.map((a) => a.rule_id)).toEqual(["RULE-SEC-008"]);
    expect(out.removed.map((a) => a.rule_id)).toEqual(["RULE-SEC-007"]);
    expect(out.changed[0]).toMatchObject({
      rule_id: "RULE-SEC-004",
      matched_by: "id",
      fields: { priority: { from: "SHOULD", to: "MUST" } },
    });
    expect(out.changed[1]).toMatchObject({ matched_by: "similarity", fields: { rule_id: {}, description: {} } });
    expect(out.unchanged).toBe(6);
    expect(out.regenerate).toEqual(["RULE-SEC-008", "RULE-SEC-004", out.changed[1]!.rule_id]);
    expect(JSON.parse(text(r))).toEqual(out);
    expect(out.markdown).toContain("### Rule changes: v1 → v2");
  });

  it("diffs a rules file against the document it transcribes: the patterns the document does not carry", async () => {
    h = await connectInMemory();
    const rules = (JSON.parse(readFixtureSync("rules", "standards-security.json")) as { rules: unknown[] }).rules;
    const r = await call({ from: { rules, label: "rules.json" }, to: { content: securityDesignV1() } });
    expect(r.isError).toBeFalsy();
    const out = r.structuredContent as unknown as Out;
    expect(out.added).toEqual([]);
    expect(out.removed).toEqual([]);
    const sec002 = out.changed.find((c) => c.rule_id === "RULE-SEC-002")!;
    expect(Object.keys(sec002.fields)).toEqual(["scope.file_patterns", "validation_conditions.code_patterns"]);
    expect(sec002.fields["validation_conditions.code_patterns"]!.to).toBeNull();
    expect(out.changed.length + out.unchanged).toBe(7);
  });

  it("hands spec_generate the rules to regenerate: only the files expressing added or changed rules", async () => {
    h = await connectInMemory();
    const diff = (await call({ from: { content: securityDesignWithKeywords() }, to: { content: securityDesignV2() } }))
      .structuredContent as unknown as Out;
    type Gen = { files: { path: string; rule_ids: string[] }[]; skipped: { rule_id?: string }[] };
    const generate = async (extra: Record<string, unknown>) =>
      h!.client.callTool({ name: "spec_generate", arguments: { content: securityDesignV2(), ...extra } });
    const all = (await generate({})).structuredContent as unknown as Gen;
    const some = (await generate({ only_rules: diff.regenerate })).structuredContent as unknown as Gen;
    expect(some.files.length).toBeGreaterThan(0);
    // The audit-log rule did not change: its area's Cursor rules are not regenerated.
    expect(all.files.map((f) => f.path)).toContain(".cursor/rules/specgate-ops.mdc");
    expect(some.files.map((f) => f.path)).not.toContain(".cursor/rules/specgate-ops.mdc");
    for (const f of some.files) expect(f.rule_ids.some((id) => diff.regenerate.includes(id))).toBe(true);
    // Each file kept is the whole file, as a full generation writes it.
    for (const f of some.files) expect(all.files).toContainEqual(f);
    expect(all.files.filter((f) => f.rule_ids.some((id) => diff.regenerate.includes(id)))).toEqual(some.files);
    for (const s of some.skipped) if (s.rule_id) expect(diff.regenerate).toContain(s.rule_id);
    const unknown = await generate({ only_rules: ["RULE-SEC-007"] });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toMatch(/^E_INVALID_INPUT: only_rules names rules that are not in the input: RULE-SEC-007/);
  });

  it("answers bad sides with a coded error naming the field, and keeps serving", async () => {
    h = await connectInMemory();
    const both = await call({ from: { rules: [], content: "x" }, to: { content: "x" } });
    expect(both.isError).toBe(true);
    expect(text(both)).toMatch(
      /^E_INVALID_INPUT: .*from: give exactly one of rules, content, page_id \(got rules, content\)/,
    );
    const page = await call({ from: { page_id: "12a" }, to: { page_id: "1", label: "x" } });
    expect(text(page)).toMatch(/^E_INVALID_INPUT: .*from\.page_id: must be a numeric page id/);
    const unreadable = await call({ from: { rules: [{ rule_id: "nope", priority: "MUST" }] }, to: { rules: [] } });
    expect(text(unreadable)).toMatch(/^E_INVALID_INPUT: Some rules cannot be read \(1\): from\.rules\[0\]\.rule_id/);
    const many = Array.from({ length: 1001 }, (_, i) => ({
      rule_id: `RULE-API-${String(i).padStart(4, "0")}`,
      priority: "MUST",
    }));
    const tooMany = await call({ from: { rules: many }, to: { rules: [] } });
    expect(text(tooMany)).toMatch(/^E_TOO_LARGE: `from` has 1001 rules; a diff compares at most 1000 a side/);
    const ok = await call({ from: { rules: [] }, to: { rules: [] } });
    expect(ok.isError).toBeFalsy();
    expect(text(ok)).toContain("No rule changes");
  });

  it("answers E_CONFIG for a page when Confluence is not configured", async () => {
    h = await connectInMemory();
    const r = await call({ from: { page_id: "1" }, to: { content: securityDesignV1() } });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^E_CONFIG: .*CONFLUENCE_BASE_URL/);
  });
});

describe("rule_diff with Confluence pages (fake Confluence)", () => {
  async function connectTo(f: FakeConfluence) {
    // Revalidate pages on every read (by default a page read in the last 30 s is not asked again).
    ({ client } = clientFor(f, { env: { SPECGATE_CONFLUENCE_FRESH_S: "0" } }));
    h = await connectInMemory({ env: f.env(), tools: TOOLS, runtime: { services: { confluence: client } } });
  }

  it("diffs a page's earlier content against its current version after an edit", async () => {
    fake = await FakeConfluence.start({
      flavour: "cloud",
      pages: [
        { id: "4242", title: "SpecGate 보안 설계서", spaceKey: "SEC", storage: storage(securityDesignWithKeywords()) },
      ],
    });
    await connectTo(fake);
    const before = await call({ from: { page_id: "4242" }, to: { page_id: 4242, version: 1 } });
    expect(before.isError).toBeFalsy();
    const same = before.structuredContent as unknown as Out;
    expect(same).toMatchObject({ added: [], removed: [], changed: [], unchanged: 9 });
    expect(same.to).toMatchObject({ label: "page 4242 v1", page_id: "4242", version: 1, rules: 9 });

    expect(fake.editPage("4242", { storage: storage(securityDesignV2()) })).toBe(2);
    const r = await call({ from: { content: securityDesignWithKeywords(), label: "v1" }, to: { page_id: "4242" } });
    expect(r.isError).toBeFalsy();
    const out = r.structuredContent as unknown as Out;
    expect(out.to).toMatchObject({ label: "page 4242 v2", version: 2, title: "SpecGate 보안 설계서" });
    expect(out.added.map((a) => a.rule_id)).toEqual(["RULE-SEC-008"]);
    expect(out.removed.map((a) => a.rule_id)).toEqual(["RULE-SEC-007"]);
    expect(out.changed.map((c) => c.matched_by)).toEqual(["id", "similarity"]);
    expect(out.markdown).toContain("### Rule changes: v1 → page 4242 v2");

    // The approved version against the current one: both read from Confluence.
    const versions = await call({ from: { page_id: "4242", version: 1 }, to: { page_id: "4242" } });
    expect(versions.isError).toBeFalsy();
    const between = versions.structuredContent as unknown as Out;
    expect(between.from).toMatchObject({ label: "page 4242 v1", version: 1 });
    expect(between.to).toMatchObject({ label: "page 4242 v2", version: 2 });
    expect(between.added.map((a) => a.rule_id)).toEqual(["RULE-SEC-008"]);
    expect(between.removed.map((a) => a.rule_id)).toEqual(["RULE-SEC-007"]);
    expect(between.changed.map((c) => c.matched_by)).toEqual(["id", "similarity"]);
  });

  it("answers E_NOT_FOUND for a version the page never had, and for a missing page", async () => {
    fake = await FakeConfluence.start({
      flavour: "datacenter",
      pages: [{ id: "77", title: "Design", spaceKey: "D", storage: storage(securityDesignV1()), version: 3 }],
    });
    await connectTo(fake);
    const old = await call({ from: { page_id: "77", version: 2 }, to: { page_id: "77" } });
    expect(old.isError).toBe(true);
    expect(text(old)).toMatch(/^E_NOT_FOUND: Version 2 of page 77 /);
    const missing = await call({ from: { page_id: "78" }, to: { page_id: "77" } });
    expect(text(missing)).toMatch(/^E_NOT_FOUND/);
  });
});
