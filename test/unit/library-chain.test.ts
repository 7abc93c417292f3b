/** The library API over the same chain: a document → generated files → a gate that lints the document itself. */
import { describe, expect, it } from "vitest";
import { extract, generate, generateFromDocument, lint, score } from "../../src/index.js";
import { readFixture } from "../helpers/fixtures.js";

describe("library: generateFromDocument and score with a document to lint", () => {
  it("gives the same files as extract + generate, and the gate folds in the document's grade", async () => {
    const doc = await readFixture("e2e", "payflow-payments-design.en.md");
    const direct = await generateFromDocument(doc, { document: "docs/payments.md", targets: ["semgrep"] });
    const { rules } = await extract(doc, { source: { id: "docs/payments.md" } });
    const viaRules = await generate(rules, { targets: ["semgrep"] });
    expect(direct.files).toEqual(viaRules.files);
    expect(direct.extraction).toMatchObject({ document: "docs/payments.md", rules: 6, standardized: 6, keyword: 0 });

    const result = await score({
      rules,
      findings: [{ rule_id: "RULE-ARCH-001", file: "src/routes/a.ts", line: 1 }],
      lint: { content: doc },
    });
    const linted = await lint(doc);
    expect(result.quality_gate).toMatchObject({ score: linted.score, grade: "high", decision: "PASS" });
    expect([result.drift_score, result.decision]).toEqual([12, "PASS"]); // 15 × 1.0 × 0.8
    const strict = await score({ rules, lint: { content: doc, check_type: "full", ruleset: "specgate" } });
    expect(strict.quality_gate!.grade).not.toBe("high"); // an English document against the Korean ruleset fails its title check
    expect(strict.quality_gate!.top!.map((t) => t.code)).toContain("title_format_mismatch");
  });
});
