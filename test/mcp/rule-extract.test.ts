import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { SpecGateError } from "../../src/errors.js";
import { ruleExtract } from "../../src/tools/rule-extract.js";
import type { ToolContext } from "../../src/pipeline/tool.js";
import { connectInMemory, type Harness } from "../helpers/runtime.js";
import { readCorpusSync } from "../helpers/fixtures.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

interface Out {
  rules: { rule_id: string; priority: string; source: { document: string; line: number; url?: string } }[];
  duplicates: { kind: string; rules: { line: number; document: string }[] }[];
  conflicts: unknown[];
  warnings: { code: string }[];
  stats: { rules: number; documents: number };
  documents?: { index: number; document: string; ok: boolean; rules: number; error?: { code: string } }[];
}

const api = () => readCorpusSync("specgate-docs", "standards", "SpecGate-API-Design.md");

describe("rule_extract over MCP (in-process SDK client)", () => {
  it("is listed with input/output schemas and pure-transform annotations", async () => {
    h = await connectInMemory();
    const { tools } = await h.client.listTools();
    const tool = tools.find((t) => t.name === "rule_extract")!;
    expect(tool.inputSchema.type).toBe("object");
    expect(Object.keys(tool.inputSchema.properties ?? {})).toEqual([
      "content",
      "documents",
      "source",
      "format",
      "min_reliability",
      "keywords",
    ]);
    expect(tool.inputSchema.additionalProperties).toBe(false);
    expect(tool.outputSchema?.type).toBe("object");
    expect(tool.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
  });

  it("extracts one document with its source; the text is the result as JSON", async () => {
    h = await connectInMemory();
    const result = await h.client.callTool({
      name: "rule_extract",
      arguments: {
        content: api(),
        source: { id: "1844969501", title: "SpecGate API 설계서", url: "https://wiki.example/pages/1844969501" },
      },
    });
    expect(result.isError).toBeFalsy();
    const out = result.structuredContent as unknown as Out;
    expect(out.rules.map((r) => r.rule_id)).toEqual([
      "RULE-API-001",
      "RULE-API-002",
      "RULE-API-003",
      "RULE-API-004",
      "RULE-API-005",
      "RULE-API-006",
      "RULE-API-007",
    ]);
    expect(out.rules[0]!.source).toMatchObject({
      document: "1844969501",
      line: 10,
      url: "https://wiki.example/pages/1844969501",
    });
    expect(out.documents).toBeUndefined();
    // Under 64 KB the text is the whole result as JSON, for clients that pass only text on.
    const text = (result.content as { text: string }[])[0]!.text;
    expect(JSON.parse(text)).toEqual(result.structuredContent);
    // The summary is what larger results' text starts with.
    const summary = ruleExtract.summarize!(out as never);
    expect(summary.split("\n")[0]).toBe(
      "7 rules (7 standardized, 0 keyword) from 1 document; 0 duplicates, 0 conflicts.",
    );
    expect(summary).toContain(
      "- RULE-API-006 (MUST NOT, API, reliability 95): 도구 간 직접적인 의존성을 가져서는 안 된다",
    );
  });

  it("converts HTML input first", async () => {
    h = await connectInMemory();
    const html =
      "<h1>Pay API 설계서</h1><h2>2. 설계 규칙</h2><ul><li><strong>RULE-API-001</strong> (MUST): 모든 응답은 JSON이어야 한다<ul><li>근거: 일관성</li></ul></li></ul><pre><code>- **RULE-API-002** (MUST): code only</code></pre>";
    const result = await h.client.callTool({ name: "rule_extract", arguments: { content: html } });
    const out = result.structuredContent as unknown as Out;
    expect(out.rules.map((r) => [r.rule_id, r.priority])).toEqual([["RULE-API-001", "MUST"]]);
  });

  it("extracts documents[] concurrently: per-document outcomes, duplicates across documents with both lines", async () => {
    h = await connectInMemory();
    const docs = [
      { id: "std", content: api() },
      { id: "copy", content: readCorpusSync("specgate-docs", "test-documents", "01-API-Design-Perfect.md") },
      {
        id: "empty",
        content: readCorpusSync("specgate-docs", "test-documents", "03-Data-Model-Design-MissingRules.md"),
      },
      { content: "# Notes\n\nClients MUST retry.\n" },
    ];
    const result = await h.client.callTool({ name: "rule_extract", arguments: { documents: docs } });
    expect(result.isError).toBeFalsy();
    const out = result.structuredContent as unknown as Out;
    expect(out.documents!.map((d) => [d.index, d.document, d.ok, d.rules])).toEqual([
      [0, "std", true, 7],
      [1, "copy", true, 7],
      [2, "empty", true, 0],
      [3, "Notes", true, 1],
    ]);
    expect(out.stats).toMatchObject({ documents: 4, rules: 15 });
    expect(out.duplicates).toHaveLength(7);
    expect(out.duplicates[0]!.rules.map((r) => `${r.document}:${r.line}`)).toEqual(["std:10", "copy:10"]);
    expect(out.warnings.map((w) => w.code)).toEqual(["no_rules"]);
  });

  it("refuses both or neither of content/documents, more than 100 documents, and unknown fields — then keeps serving", async () => {
    h = await connectInMemory();
    const call = (args: Record<string, unknown>) => h!.client.callTool({ name: "rule_extract", arguments: args });
    for (const args of [
      {},
      { content: "x", documents: [{ content: "y" }] },
      { documents: Array.from({ length: 101 }, () => ({ content: "x" })) },
      { content: "x", extra: 1 },
      { documents: [{ content: "x" }], source: { id: "a" } },
    ]) {
      const bad = await call(args);
      expect(bad.isError).toBe(true);
      expect((bad.content as { text: string }[])[0]!.text).toMatch(/^E_INVALID_INPUT: /);
    }
    const ok = await call({ content: "# T\n\nClients MUST retry.\n" });
    expect(ok.isError).toBeFalsy();
  });

  it("keywords: any-case reads lower-case keywords (lower reliability); the default and an unknown value behave as documented", async () => {
    h = await connectInMemory();
    const content = "# Controller design\n\nThe controller must retry failed syncs.\n";
    const call = (args: Record<string, unknown>) =>
      h!.client.callTool({ name: "rule_extract", arguments: { content, ...args } });
    expect(((await call({})).structuredContent as unknown as Out).rules).toEqual([]);
    const any = (await call({ keywords: "any-case" })).structuredContent as unknown as {
      rules: { priority: string; reliability: { keyword_case?: string; total_score: number } }[];
    };
    expect(any.rules.map((r) => [r.priority, r.reliability.keyword_case])).toEqual([["MUST", "lower"]]);
    expect(any.rules[0]!.reliability.total_score).toBeLessThanOrEqual(19);
    const bad = await call({ keywords: "lower" });
    expect(bad.isError).toBe(true);
    expect((bad.content as { text: string }[])[0]!.text).toMatch(/^E_INVALID_INPUT/);
  });

  it("answers a repeated call from the cache with the same result", async () => {
    h = await connectInMemory();
    const args = { content: api(), source: { id: "a" } };
    const first = await h.client.callTool({ name: "rule_extract", arguments: args });
    const second = await h.client.callTool({ name: "rule_extract", arguments: args });
    expect(second.structuredContent).toEqual(first.structuredContent);
    expect(h.specgate.runtime.cache.stats().byKind.extract).toMatchObject({ misses: 1, l1Hits: 1 });
  });
});

describe("rule_extract handler: a document that fails does not fail the batch", () => {
  it("reports the failing document with its error code and extracts the others", async () => {
    let calls = 0;
    const ctx = {
      signal: new AbortController().signal,
      config: loadConfig({}),
      map: async <T, R>(items: readonly T[], fn: (item: T, i: number) => Promise<R>) =>
        Promise.all(
          items.map(async (item, i) => {
            try {
              return { ok: true as const, value: await fn(item, i) };
            } catch (error) {
              return { ok: false as const, error: error as SpecGateError };
            }
          }),
        ),
      cached: async <T>(_kind: string, material: { content: string }, compute: (s: AbortSignal) => Promise<T>) => {
        calls++;
        if (material.content.includes("BROKEN")) throw new SpecGateError("E_UPSTREAM", "the converter failed");
        return compute(new AbortController().signal);
      },
    } as unknown as ToolContext;
    const out = await ruleExtract.handler(
      { documents: [{ content: "# A\n\nClients MUST retry.\n" }, { id: "b.md", content: "BROKEN" }] },
      ctx,
    );
    expect(calls).toBe(2);
    expect(out.documents).toEqual([
      { index: 0, document: "A", ok: true, rules: 1, warnings: 0 },
      {
        index: 1,
        document: "b.md",
        ok: false,
        rules: 0,
        warnings: 0,
        error: { code: "E_UPSTREAM", message: "the converter failed" },
      },
    ]);
    expect(out.rules).toHaveLength(1);
  });
});
