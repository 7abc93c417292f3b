/**
 * The example design document of docs/examples is written to the template users are told to copy
 * (docs/template.md): the standard English ruleset finds nothing to fix in it, and rule_extract
 * reads every rule with its priority, full reliability and the checks its details carry. The
 * template's skeletons (docs/template.md, docs/template.ko.md) have the structure the rulesets ask
 * for; what is left to the writer is exactly the placeholders.
 */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { extract, lint } from "../../src/index.js";

const doc = (name: string) => readFile(new URL(`../../docs/${name}`, import.meta.url), "utf8");
const example = () => doc("examples/payment-api.md");
/** The copy-and-fill skeleton: the one ````markdown block of a template page. */
const skeleton = async (name: string) => /^````markdown\n([\s\S]*?)^````$/m.exec(await doc(name))?.[1] ?? "";

describe("docs/examples/payment-api.md", () => {
  it("lints clean with the standard English ruleset", async () => {
    const result = await lint(await example(), { ruleset: "specgate-en" });
    expect(result.violations).toEqual([]);
    expect(result).toMatchObject({ score: 100, grade: "high" });
  });

  it("gives its eight rules, each with its priority, full reliability and the checks its details state", async () => {
    const { rules, warnings, duplicates, conflicts } = await extract(await example(), {
      source: { id: "docs/examples/payment-api.md" },
    });
    expect(rules.map((r) => [r.rule_id, r.priority, r.area, r.reliability.total_score])).toEqual([
      ["RULE-API-001", "MUST", "API", 100],
      ["RULE-API-002", "MUST", "API", 100],
      ["RULE-API-003", "MUST", "API", 100],
      ["RULE-DATA-001", "MUST", "DATA", 100],
      ["RULE-PERF-001", "SHOULD", "PERF", 100],
      ["RULE-API-004", "SHOULD", "API", 100],
      ["RULE-SEC-001", "MUST NOT", "SEC", 100],
      ["RULE-ARCH-001", "MUST NOT", "ARCH", 100],
    ]);
    const byId = new Map(rules.map((r) => [r.rule_id, r]));
    expect(byId.get("RULE-DATA-001")?.validation_conditions?.structural_patterns).toEqual(["parseFloat($AMOUNT)"]);
    expect(byId.get("RULE-SEC-001")?.validation_conditions?.code_patterns).toEqual([
      "console\\.(log|info|warn|error)\\(.*(cardNumber|cvc|password)",
    ]);
    expect(byId.get("RULE-ARCH-001")?.validation_conditions?.dependency_rules).toEqual([
      { from: "controller", to: "repository", direction: "forbidden" },
    ]);
    expect(byId.get("RULE-API-003")?.source).toMatchObject({
      document: "docs/examples/payment-api.md",
      section: "2. Design Rules > 2.1 MUST Rules",
    });
    expect([warnings, duplicates, conflicts]).toEqual([[], [], []]);
  });

  it("is written to the template, whose skeletons pass the structure checks and leave only the placeholders to fill", async () => {
    for (const [name, ruleset, placeholders] of [
      [
        "template.md",
        "specgate-en",
        ["design_rules_insufficient", "reason_missing", "reference_missing", "scope_missing"],
      ],
      [
        "template.ko.md",
        "specgate",
        ["design_rules_insufficient", "reason_missing", "reference_missing", "rule_content_too_short", "scope_missing"],
      ],
    ] as const) {
      const content = await skeleton(name);
      expect(content, name).toMatch(/^# /);
      expect((await lint(content, { ruleset, checkType: "structure" })).violations, name).toEqual([]);
      const full = await lint(content, { ruleset });
      expect([...new Set(full.violations.map((v) => v.code))].sort(), name).toEqual(placeholders);
    }
  });
});
