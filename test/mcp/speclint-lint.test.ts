/** speclint_lint through a real SDK client linked in memory to a real server. */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { speclintLint } from "../../src/tools/speclint-lint.js";
import { connectInMemory, type Harness } from "../helpers/runtime.js";
import { readCorpus } from "../helpers/fixtures.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Out = {
  score: number;
  grade: string;
  violations?: {
    code: string;
    line: number;
    rule_id?: string;
    severity: string;
    suggestion: string;
    deduction: number;
  }[];
  stats: Record<string, number | string>;
  results?: (
    | { index: number; id?: string; ok: true; score: number; grade: string; violations: { code: string }[] }
    | { index: number; id?: string; ok: false; error: { code: string; message: string } }
  )[];
};
const text = (r: Record<string, unknown>) => (r.content as { text: string }[])[0]!.text;
/** The readable summary: the text of a result over 64 KB (smaller ones are their own JSON text). */
const summary = (r: Record<string, unknown>) => {
  expect(JSON.parse(text(r))).toEqual(r.structuredContent);
  return speclintLint.summarize!(r.structuredContent as never);
};

describe("speclint_lint over MCP", () => {
  it("is listed with its schemas and read-only, idempotent, closed-world annotations", async () => {
    h = await connectInMemory();
    const tool = (await h.client.listTools()).tools.find((t) => t.name === "speclint_lint")!;
    expect(tool.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
    expect(Object.keys(tool.inputSchema.properties ?? {}).sort()).toEqual([
      "check_type",
      "content",
      "documents",
      "format",
      "ruleset",
    ]);
    expect(tool.outputSchema?.type).toBe("object");
  });

  it("lints one document: score, grade, violations with lines and suggestions, and a text summary", async () => {
    h = await connectInMemory();
    const content = await readCorpus("specgate-docs", "test-documents/02-Architecture-Design-TitleError.md");
    const r = await h.client.callTool({ name: "speclint_lint", arguments: { content } });
    expect(r.isError).toBeFalsy();
    const out = r.structuredContent as Out;
    expect([out.score, out.grade]).toEqual([70, "medium"]);
    expect(out.violations!.map((v) => [v.code, v.line, v.severity, v.deduction])).toEqual([
      ["title_format_mismatch", 1, "error", 20],
      ["rule_spec_relation_missing", 47, "warning", 10],
    ]);
    expect(out.violations![0]!.suggestion).toMatch(/^제목을/);
    expect(out.results).toBeUndefined();
    expect(summary(r).split("\n")[0]).toBe("Score 70/100 (medium), 2 violations.");
    expect(summary(r)).toContain("- line 1: title_format_mismatch (error, -20): 제목 '잘못된 제목'");
  });

  it("lints a batch concurrently: one result per document in order, a broken one as its own error entry, progress reported", async () => {
    h = await connectInMemory();
    const good = await readCorpus("specgate-docs", "test-documents/01-API-Design-Perfect.md");
    const missingRules = await readCorpus("specgate-docs", "test-documents/03-Data-Model-Design-MissingRules.md");
    const progress: number[] = [];
    const r = await h.client.callTool(
      {
        name: "speclint_lint",
        arguments: {
          documents: [
            { id: "perfect", content: good },
            { id: "binary", content: "# PayFlow API 설계서\u0000\u0001" },
            { id: "empty", content: "" },
            { id: "rules", content: missingRules },
            {
              content:
                "<h1>PayFlow API 설계서</h1><h2>설계 규칙</h2><ul><li><strong>RULE-API-001</strong> (MUST): 모든 응답은 JSON 형식이어야 한다</li></ul>",
            },
          ],
        },
      },
      undefined,
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(r.isError).toBeFalsy();
    const out = r.structuredContent as Out;
    expect(out.results!.map((e) => [e.index, e.id ?? null, e.ok, e.ok ? e.score : e.error.code])).toEqual([
      [0, "perfect", true, 100],
      [1, "binary", false, "E_INVALID_INPUT"],
      [2, "empty", true, 0],
      [3, "rules", true, 55],
      [4, null, true, expect.any(Number)],
    ]);
    const html = out.results![4]! as Extract<NonNullable<Out["results"]>[number], { ok: true }> & {
      stats: Record<string, unknown>;
    };
    expect(html.stats.format).toBe("html");
    expect([out.score, out.grade]).toEqual([0, "low"]);
    expect(out.stats).toMatchObject({ documents: 5, linted: 4, failed: 1, min_score: 0, max_score: 100 });
    expect(out.violations).toBeUndefined();
    expect(summary(r)).toContain("- binary: E_INVALID_INPUT: The document is not text");
    expect(progress.at(-1)).toBe(5);
  });

  it("caches per document: the same content again is served from the lint cache", async () => {
    h = await connectInMemory();
    const content = await readCorpus("specgate-docs", "standards/SpecGate-Security-Design.md");
    const first = await h.client.callTool({ name: "speclint_lint", arguments: { content } });
    const second = await h.client.callTool({
      name: "speclint_lint",
      arguments: { documents: [{ content }, { content }] },
    });
    const hits = h.specgate.runtime.cache.stats().byKind.lint!;
    expect(hits.l1Hits + hits.shared).toBeGreaterThanOrEqual(2);
    expect(hits.misses).toBe(1);
    expect((second.structuredContent as Out).results![0]).toMatchObject({
      ok: true,
      score: (first.structuredContent as Out).score,
    });
    // Another check type is another cache entry.
    await h.client.callTool({ name: "speclint_lint", arguments: { content, check_type: "structure" } });
    expect(h.specgate.runtime.cache.stats().byKind.lint!.misses).toBe(2);
  });

  it("uses a ruleset from the workspace; refuses paths outside it and names the bad key of a broken one", async () => {
    const workspace = await mkdtemp(path.join(tmpdir(), "speclint-mcp-"));
    await writeFile(
      path.join(workspace, "team.yaml"),
      "extends: specgate\nchecks:\n  rule_spec_relation_missing: off\n",
    );
    await writeFile(path.join(workspace, "broken.yaml"), "quality_scoring:\n  deductions: { scope_mising: -2 }\n");
    h = await connectInMemory({ env: { SPECGATE_WORKSPACE: workspace } });
    const content = await readCorpus("specgate-docs", "standards/SpecGate-Architecture-Design.md");
    const team = await h.client.callTool({ name: "speclint_lint", arguments: { content, ruleset: "team.yaml" } });
    expect((team.structuredContent as Out).score).toBe(100);
    const outside = await h.client.callTool({
      name: "speclint_lint",
      arguments: { content, ruleset: "../../../etc/team.yaml" },
    });
    expect(outside.isError).toBe(true);
    expect(text(outside)).toMatch(/^E_FORBIDDEN: /);
    const broken = await h.client.callTool({ name: "speclint_lint", arguments: { content, ruleset: "broken.yaml" } });
    expect(text(broken)).toMatch(
      /^E_INVALID_INPUT: Ruleset .*broken\.yaml: `quality_scoring\.deductions\.scope_mising` is not a known key\./,
    );
  });

  it("answers bad arguments with E_INVALID_INPUT and keeps serving", async () => {
    h = await connectInMemory();
    const both = await h.client.callTool({
      name: "speclint_lint",
      arguments: { content: "# a", documents: [{ content: "# b" }] },
    });
    expect(text(both)).toMatch(/^E_INVALID_INPUT: .*content: give exactly one of content or documents/);
    const tooMany = await h.client.callTool({
      name: "speclint_lint",
      arguments: { documents: Array.from({ length: 101 }, () => ({ content: "# x" })) },
    });
    expect(text(tooMany)).toMatch(/^E_INVALID_INPUT: .*documents/);
    const badType = await h.client.callTool({
      name: "speclint_lint",
      arguments: { content: "# x", check_type: "everything" },
    });
    expect(text(badType)).toMatch(/^E_INVALID_INPUT: .*check_type/);
    const ok = await h.client.callTool({ name: "speclint_lint", arguments: { content: "# PayFlow API 설계서\n" } });
    expect(ok.isError).toBeFalsy();
  });
});
