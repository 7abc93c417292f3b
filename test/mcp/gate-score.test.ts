import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { gateScore } from "../../src/tools/gate-score.js";
import { connectInMemory, type Harness } from "../helpers/runtime.js";
import { fixturePath, readCorpus } from "../helpers/fixtures.js";

const FIX = fixturePath("gate");
const load = async (name: string): Promise<unknown> => JSON.parse(await readFile(path.join(FIX, name), "utf8"));

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("gate_score over MCP (in-process SDK client)", () => {
  it("is listed as a pure transform with input and output schemas", async () => {
    h = await connectInMemory();
    const { tools } = await h.client.listTools();
    const tool = tools.find((t) => t.name === "gate_score")!;
    expect(tool).toBeDefined();
    expect(tool.inputSchema.required).toEqual(["rules"]);
    expect(Object.keys(tool.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(["rules", "findings", "sarif", "lint", "thresholds", "baseline", "repository", "commit"]),
    );
    expect(tool.outputSchema?.required).toEqual(
      expect.arrayContaining([
        "drift_score",
        "decision",
        "areas",
        "violations",
        "suppressed",
        "unmapped",
        "formula",
        "radar_markdown",
      ]),
    );
    expect(tool.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
  });

  it("scores SARIF from two producers plus a lint result and returns structured content the client validates", async () => {
    h = await connectInMemory();
    const rules = ((await load("rules.json")) as { rules: unknown[] }).rules;
    const result = await h.client.callTool({
      name: "gate_score",
      arguments: {
        rules,
        sarif: [await load("semgrep.sarif"), await load("codeql.sarif")],
        lint: { score: 65, grade: "low", violations: [] },
        thresholds: { fail: 60, warn: 15 },
      },
    });
    expect(result.isError).toBeFalsy();
    const out = result.structuredContent as {
      drift_score: number;
      decision: string;
      drift_decision: string;
      violations: { rule_id: string }[];
      radar_markdown: string;
    };
    expect(out.drift_score).toBe(17.3);
    expect(out.drift_decision).toBe("WARNING");
    expect(out.decision).toBe("FAIL"); // the document grade is low
    expect(out.violations.map((v) => v.rule_id)).toEqual(["RULE-API-001", "RULE-ARCH-001", "RULE-PERF-002"]);
    expect(JSON.parse((result.content as { text: string }[])[0]!.text)).toEqual(result.structuredContent);
    const text = gateScore.summarize!(result.structuredContent as never);
    expect(text.startsWith("FAIL: Drift Score 17.3/100 (FAIL ≥ 60, WARNING ≥ 15)")).toBe(true);
    expect(text).toContain("<!-- specgate:drift-radar -->");
  });

  it("answers malformed SARIF with E_INVALID_INPUT naming the JSON path, and keeps serving", async () => {
    h = await connectInMemory();
    const bad = await h.client.callTool({
      name: "gate_score",
      arguments: {
        rules: [{ rule_id: "RULE-API-001", priority: "MUST" }],
        findings: {
          version: "2.1.0",
          runs: [
            {
              tool: { driver: { name: "x" } },
              results: [{ ruleId: "RULE-API-001", level: "fatal", message: { text: "m" } }],
            },
          ],
        },
      },
    });
    expect(bad.isError).toBe(true);
    expect((bad.content as { text: string }[])[0]!.text).toMatch(
      /^E_INVALID_INPUT: Malformed SARIF: findings\.runs\[0\]\.results\[0\]\.level/,
    );
    expect((bad._meta as Record<string, { details: { path: string } }>)["specgate/error"]!.details.path).toBe(
      "findings.runs[0].results[0].level",
    );
    const missing = await h.client.callTool({
      name: "gate_score",
      arguments: { rules: [{ rule_id: "RULE-API-001" }] },
    });
    expect((missing.content as { text: string }[])[0]!.text).toMatch(/E_INVALID_INPUT.*rules\[0\]\.priority/);
    const good = await h.client.callTool({
      name: "gate_score",
      arguments: { rules: [{ rule_id: "RULE-API-001", priority: "MUST" }], findings: [{ rule_id: "RULE-API-001" }] },
    });
    expect((good.structuredContent as { drift_score: number }).drift_score).toBe(10);
  });

  it("lints a design document given as lint.content, through speclint_lint's cache, and folds its grade into the decision", async () => {
    h = await connectInMemory();
    const rules = ((await load("rules.json")) as { rules: unknown[] }).rules;
    const doc = await readCorpus("specgate-docs", "test-documents", "02-Architecture-Design-TitleError.md");
    const linted = await h.client.callTool({ name: "speclint_lint", arguments: { content: doc } });
    const lintOut = linted.structuredContent as {
      score: number;
      grade: string;
      violations: { code: string; line: number }[];
    };
    expect(lintOut.grade).toBe("medium");

    const result = await h.client.callTool({
      name: "gate_score",
      arguments: { rules, sarif: await load("semgrep.sarif"), lint: { content: doc, id: "docs/architecture.md" } },
    });
    expect(result.isError).toBeFalsy();
    const out = result.structuredContent as {
      decision: string;
      drift_decision: string;
      quality_gate: {
        score: number;
        grade: string;
        decision: string;
        violations: number;
        document: string;
        top: { code: string; line: number }[];
      };
      radar_markdown: string;
    };
    expect(out.drift_decision).toBe("PASS");
    expect(out.decision).toBe("WARNING");
    expect(out.quality_gate).toMatchObject({
      score: lintOut.score,
      grade: "medium",
      decision: "WARNING",
      violations: lintOut.violations.length,
      document: "docs/architecture.md",
    });
    expect(out.quality_gate.top.map((t) => [t.code, t.line])).toEqual(lintOut.violations.map((v) => [v.code, v.line]));
    expect(out.radar_markdown).toContain("What to fix first in the design document docs/architecture.md:");
    // Linted once: the gate's call was answered from the lint cache speclint_lint filled.
    expect(h.specgate.runtime.cache.stats().byKind.lint).toMatchObject({ misses: 1, l1Hits: 1 });

    // Both gates pass: PASS; a low grade: FAIL whatever the drift.
    const good = await h.client.callTool({
      name: "gate_score",
      arguments: {
        rules,
        lint: { content: await readCorpus("specgate-docs", "test-documents", "01-API-Design-Perfect.md") },
      },
    });
    expect(good.structuredContent).toMatchObject({
      decision: "PASS",
      quality_gate: { grade: "high", decision: "PASS" },
    });
    const low = await h.client.callTool({
      name: "gate_score",
      arguments: {
        rules,
        lint: {
          content: await readCorpus("specgate-docs", "test-documents", "03-Data-Model-Design-MissingRules.md"),
          check_type: "full",
        },
      },
    });
    expect(low.structuredContent).toMatchObject({
      decision: "FAIL",
      drift_decision: "PASS",
      quality_gate: { grade: "low", decision: "FAIL" },
    });
  });

  it("refuses a lint value that is both a result and a document, or a document that is not text", async () => {
    h = await connectInMemory();
    const rules = [{ rule_id: "RULE-API-001", priority: "MUST" }];
    const both = await h.client.callTool({
      name: "gate_score",
      arguments: { rules, lint: { score: 90, content: "# Doc" } },
    });
    expect(both.isError).toBe(true);
    expect((both.content as { text: string }[])[0]!.text).toMatch(
      /^E_INVALID_INPUT: lint is either a speclint result .* or a document to lint .*, not both/,
    );
    const notText = await h.client.callTool({ name: "gate_score", arguments: { rules, lint: { content: 42 } } });
    expect((notText.content as { text: string }[])[0]!.text).toMatch(/^E_INVALID_INPUT: .*lint/);
    const badRuleset = await h.client.callTool({
      name: "gate_score",
      arguments: { rules, lint: { content: "# Doc", ruleset: "../../etc/passwd" } },
    });
    expect(badRuleset.isError).toBe(true);
    expect((badRuleset.content as { text: string }[])[0]!.text).toMatch(/^E_(FORBIDDEN|NOT_FOUND|INVALID_INPUT)/);
  });
});
