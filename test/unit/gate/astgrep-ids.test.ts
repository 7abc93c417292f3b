/** gate_score maps the rule ids of the ast-grep rules spec_generate writes back to their rules, as it maps Semgrep's. */
import { describe, expect, it } from "vitest";
import { astGrepRulesFor } from "../../../src/core/astgrep/rules.js";
import { scoreGate } from "../../../src/core/gate/index.js";
import { readRules } from "../../../src/core/spec/design-rule-spec.js";

describe("ast-grep rule ids in the gate", () => {
  it("maps every id the translation gives, one rule or several per DesignRuleSpec rule, keyword rules included", async () => {
    const { rules } = readRules([
      {
        rule_id: "RULE-DEV-001",
        priority: "MUST NOT",
        scope: { file_patterns: ["src/**/*.java"] },
        validation_conditions: { structural_patterns: ["System.out.println($$$A)"] },
      },
      {
        rule_id: "RULE-ARCH-001",
        priority: "MUST NOT",
        validation_conditions: { dependency_rules: [{ from: "controller", to: "repository", direction: "forbidden" }] },
      },
      {
        rule_id: "RULE-GEN-1A2B3C4D",
        priority: "SHOULD",
        reliability: 60,
        validation_conditions: { code_patterns: ["TODO"], languages: ["typescript", "tsx"] },
      },
    ]);
    const ids = rules.flatMap((r) => astGrepRulesFor(r).rules.map((a) => a.id));
    expect(ids).toContain("specgate.rule-dev-001");
    expect(ids).toContain("specgate.rule-arch-001.java");
    expect(ids).toContain("specgate.rule-gen-1a2b3c4d.tsx");
    const sarif = {
      version: "2.1.0",
      runs: [
        {
          tool: { driver: { name: "ast-grep", version: "0.51.1" } },
          results: ids.map((ruleId, i) => ({
            ruleId,
            level: "error",
            message: { text: ruleId },
            locations: [
              { physicalLocation: { artifactLocation: { uri: `src/F${i}.java` }, region: { startLine: 1 } } },
            ],
          })),
        },
      ],
    };
    const gate = await scoreGate({ rules, sarif });
    expect(gate.unmapped).toEqual([]);
    expect(gate.stats.violations).toBe(ids.length);
    expect(new Set(gate.violations.map((v) => v.rule_id))).toEqual(
      new Set(["RULE-DEV-001", "RULE-ARCH-001", "RULE-GEN-1A2B3C4D"]),
    );
  });
});
