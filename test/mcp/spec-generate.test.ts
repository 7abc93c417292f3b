import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { specGenerate } from "../../src/tools/spec-generate.js";
import { readCorpus } from "../helpers/fixtures.js";
import { connectInMemory, type Harness } from "../helpers/runtime.js";
import { fixtureJson } from "../unit/generate/helpers.js";

let h: Harness | undefined;
let dir: string | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

type Out = {
  files: { path: string; content: string; target: string; rule_ids: string[] }[];
  skipped: { rule_id?: string; target: string; reason: string; path?: string }[];
  written: string[];
  unchanged: string[];
  extraction?: {
    document: string;
    rules: number;
    standardized: number;
    keyword: number;
    rule_ids: string[];
    warnings: { code: string; message: string }[];
  };
};
const text = (r: Record<string, unknown>) => (r.content as { text: string }[])[0]!.text;
const rules = () => (fixtureJson("standards-performance") as { rules: unknown[] }).rules;

describe("spec_generate over MCP (in-process SDK client)", () => {
  it("is listed with schemas and honest annotations: spec_generate previews (read-only), spec_write writes", async () => {
    h = await connectInMemory();
    const { tools } = await h.client.listTools();
    const tool = tools.find((t) => t.name === "spec_generate")!;
    const write = tools.find((t) => t.name === "spec_write")!;
    expect(tool.inputSchema.required ?? []).toEqual([]);
    expect(Object.keys(tool.inputSchema.properties ?? {})).toEqual([
      "rules",
      "content",
      "format",
      "targets",
      "project",
      "source",
      "archunit",
      "workflow",
      "only_rules",
    ]);
    expect(write.inputSchema).toEqual(tool.inputSchema);
    expect(write.outputSchema).toEqual(tool.outputSchema);
    expect(tool.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
    expect(write.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
      openWorldHint: false,
    });
    expect(tool.description).toMatch(/never written; spec_write/);
    expect(write.description).toMatch(/only if SpecGate generated it/);
  });

  it("returns the files for the requested targets without writing (a preview)", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "specgate-mcp-"));
    h = await connectInMemory({ env: { SPECGATE_WORKSPACE: dir } });
    const result = await h.client.callTool({
      name: "spec_generate",
      arguments: { rules: rules(), targets: ["mdc", "semgrep"] },
    });
    expect(result.isError).toBeFalsy();
    const out = result.structuredContent as Out;
    expect(out.files.map((f) => f.path)).toEqual([
      ".cursor/rules/specgate-overview.mdc",
      ".cursor/rules/specgate-perf.mdc",
      ".specgate/semgrep/specgate-rules.yml",
    ]);
    expect(out.files[2]!.rule_ids).toEqual(["RULE-PERF-002", "RULE-PERF-006", "RULE-PERF-007"]);
    expect(out.skipped.filter((s) => s.target === "semgrep").map((s) => s.rule_id)).toEqual([
      "RULE-PERF-001",
      "RULE-PERF-003",
      "RULE-PERF-004",
      "RULE-PERF-005",
    ]);
    expect(out.written).toEqual([]);
    // Under 64 KB the text is the result as JSON. The summary (the text of larger results) is for
    // people: what was generated, what was skipped and why, then every file in a fenced block.
    expect(JSON.parse(text(result))).toEqual(out);
    const shown = specGenerate.summarize!(out as never);
    expect(shown.split("\n").slice(0, 7)).toEqual([
      "Generated 3 files (a preview: nothing written; spec_write writes them under the workspace).",
      expect.stringMatching(
        /^Skipped semgrep — RULE-PERF-001, RULE-PERF-003, RULE-PERF-004, RULE-PERF-005: no code pattern /,
      ),
      "",
      "- .cursor/rules/specgate-overview.mdc (mdc, 7 rules)",
      "- .cursor/rules/specgate-perf.mdc (mdc, 7 rules)",
      "- .specgate/semgrep/specgate-rules.yml (semgrep, 3 rules)",
      "",
    ]);
    for (const f of out.files)
      expect(shown).toContain(
        `## ${f.path}\n\n\`\`\`${f.path.endsWith(".mdc") ? "markdown" : "yaml"}\n${f.content.trimEnd()}\n\`\`\``,
      );
    expect(() => JSON.parse(shown)).toThrow();
  });

  it("spec_write writes under SPECGATE_WORKSPACE and never overwrites a file it did not generate", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "specgate-mcp-"));
    await mkdir(path.join(dir, ".github/workflows"), { recursive: true });
    await writeFile(path.join(dir, ".github/workflows/design-guard.yml"), "name: mine\n");
    h = await connectInMemory({ env: { SPECGATE_WORKSPACE: dir } });
    const result = await h.client.callTool({
      name: "spec_write",
      arguments: { rules: rules(), project: "SpecGate" },
    });
    expect(result.isError).toBeFalsy();
    const out = result.structuredContent as Out;
    expect(out.written).toContain(".cursor/rules/specgate-perf.mdc");
    expect(out.written).not.toContain(".github/workflows/design-guard.yml");
    expect(out.skipped).toContainEqual(
      expect.objectContaining({ path: ".github/workflows/design-guard.yml", target: "workflow" }),
    );
    expect(await readFile(path.join(dir, ".github/workflows/design-guard.yml"), "utf8")).toBe("name: mine\n");
    const mdc = out.files.find((f) => f.path === ".cursor/rules/specgate-perf.mdc")!;
    expect(await readFile(path.join(dir, mdc.path), "utf8")).toBe(mdc.content);
  });

  it("spec_generate never writes, and says where `write` went", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "specgate-mcp-"));
    h = await connectInMemory({ env: { SPECGATE_WORKSPACE: dir } });
    const refused = await h.client.callTool({
      name: "spec_generate",
      arguments: { rules: rules(), write: true, targets: ["mdc"] },
    });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/^E_INVALID_INPUT: .*spec_write \(same arguments\) writes them/);
    const preview = await h.client.callTool({ name: "spec_generate", arguments: { rules: rules(), targets: ["mdc"] } });
    expect((preview.structuredContent as Out).written).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it("answers unreadable rules and bad options with E_INVALID_INPUT, then keeps serving", async () => {
    h = await connectInMemory();
    const bad = await h.client.callTool({
      name: "spec_generate",
      arguments: { rules: [{ rule_id: "RULE-API-001", priority: "PERHAPS" }] },
    });
    expect(bad.isError).toBe(true);
    expect((bad.content as { text: string }[])[0]!.text).toMatch(/^E_INVALID_INPUT: .*rules\[0\]\.priority/);
    const target = await h.client.callTool({
      name: "spec_generate",
      arguments: { rules: rules(), targets: ["eslint"] },
    });
    expect((target.content as { text: string }[])[0]!.text).toMatch(/^E_INVALID_INPUT/);
    const branch = await h.client.callTool({
      name: "spec_generate",
      arguments: { rules: rules(), workflow: { branches: ["main\nrun: x"] } },
    });
    expect((branch.content as { text: string }[])[0]!.text).toMatch(/^E_INVALID_INPUT: Workflow options/);
    const good = await h.client.callTool({
      name: "spec_generate",
      arguments: { rules: [{ rule_id: "RULE-API-001", priority: "must" }], targets: ["mdc"] },
    });
    expect(good.isError).toBeFalsy();
  });

  it("takes a design document as `content`: extracts its rules first, and the headers name the document", async () => {
    h = await connectInMemory();
    const doc = await readCorpus("specgate-docs", "standards", "SpecGate-Performance-Design.md");
    const result = await h.client.callTool({
      name: "spec_generate",
      arguments: { content: doc, targets: ["mdc", "workflow"] },
    });
    expect(result.isError).toBeFalsy();
    const out = result.structuredContent as Out;
    const extracted = await h.client.callTool({ name: "rule_extract", arguments: { content: doc } });
    const rules = (extracted.structuredContent as { rules: { rule_id: string; source: { document: string } }[] }).rules;
    expect(out.extraction).toMatchObject({
      document: rules[0]!.source.document,
      rules: rules.length,
      rule_ids: rules.map((r) => r.rule_id),
    });
    expect(out.extraction!.document).toMatch(/설계서/); // the document's # title
    expect(out.files.map((f) => f.path)).toEqual([
      ".cursor/rules/specgate-overview.mdc",
      ".cursor/rules/specgate-perf.mdc",
      ".github/workflows/design-guard.yml",
      ".specgate/rules.json",
    ]);
    expect(out.files.find((f) => f.path.endsWith("design-guard.yml"))!.content.split("\n")[0]).toBe(
      `# generated by SpecGate from ${out.extraction!.document}, do not edit`,
    );
    // The same files as from rule_extract's rules: the two ways agree.
    const viaRules = await h.client.callTool({
      name: "spec_generate",
      arguments: { rules, targets: ["mdc", "workflow"] },
    });
    expect((viaRules.structuredContent as Out).files).toEqual(out.files);

    const named = await h.client.callTool({
      name: "spec_generate",
      arguments: { content: doc, targets: ["workflow"], source: "confluence:12345" },
    });
    const namedOut = named.structuredContent as Out;
    expect(namedOut.extraction!.document).toBe("confluence:12345");
    expect(namedOut.files[0]!.content.split("\n")[0]).toBe(
      "# generated by SpecGate from confluence:12345, do not edit",
    );
    expect(JSON.parse(namedOut.files[1]!.content).rules[0].source.document).toBe("confluence:12345");
  });

  it("reads Confluence storage XHTML as `content`, and reports a document without rules instead of failing", async () => {
    h = await connectInMemory();
    const xhtml =
      "<h1>Shop API 설계서</h1><h2>2. 설계 규칙</h2><ul><li><strong>RULE-API-001</strong> (MUST): 모든 엔드포인트는 버전 접두사를 가져야 한다" +
      '<ul><li>적용 범위: <code>src/api/**/*.ts</code></li><li>위반 패턴: <code>router\\.(get|post)\\("/(?!v\\d)</code></li></ul></li></ul>';
    const result = await h.client.callTool({
      name: "spec_generate",
      arguments: { content: xhtml, targets: ["semgrep"] },
    });
    expect(result.isError).toBeFalsy();
    const out = result.structuredContent as Out;
    expect(out.extraction).toMatchObject({ document: "Shop API 설계서", rule_ids: ["RULE-API-001"] });
    expect(out.files[0]!.content).toContain('pattern-regex: router\\.(get|post)\\("/(?!v\\d)');

    const empty = await h.client.callTool({
      name: "spec_generate",
      arguments: { content: "# Notes\n\nNothing to enforce here.\n", targets: ["mdc", "semgrep"] },
    });
    expect(empty.isError).toBeFalsy();
    const emptyOut = empty.structuredContent as Out;
    expect(emptyOut.files).toEqual([]);
    expect(emptyOut.skipped).toEqual([
      { target: "mdc", reason: "no rules were found in the document (see extraction.warnings)" },
      { target: "semgrep", reason: "no rules were found in the document (see extraction.warnings)" },
    ]);
    expect(emptyOut.extraction!.warnings.map((w) => w.code)).toEqual(["no_rules"]);
  });

  it("wants exactly one of `rules` or `content`, with a message that says so", async () => {
    h = await connectInMemory();
    for (const args of [{}, { rules: rules(), content: "# Doc" }]) {
      const r = await h.client.callTool({ name: "spec_generate", arguments: args });
      expect(r.isError).toBe(true);
      expect(text(r)).toMatch(
        /^E_INVALID_INPUT: .*give exactly one of `rules` \(DesignRuleSpec\) or `content` \(a design document\)/,
      );
    }
    const format = await h.client.callTool({ name: "spec_generate", arguments: { rules: rules(), format: "html" } });
    expect(text(format)).toMatch(/^E_INVALID_INPUT: .*`format` goes with `content`/);
  });
});
