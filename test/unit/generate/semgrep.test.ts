import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { semgrepRuleId } from "../../../src/core/generate/index.js";
import { looksLikeRegex } from "../../../src/core/generate/semgrep.js";
import { checkSemgrepRule, generateFiles, readRulesFile } from "./generate-api.js";
import { semgrepSchema } from "./helpers.js";

function semgrepOf(raw: unknown[]) {
  const { rules, issues } = readRulesFile(raw);
  expect(issues).toEqual([]);
  const result = generateFiles(rules, { targets: ["semgrep"] });
  const file = result.files[0];
  return { result, doc: file ? (parse(file.content) as { rules: Record<string, any>[] }) : undefined, file };
}

describe("Semgrep target", () => {
  it("maps priority to severity: MUST/MUST NOT → ERROR, SHOULD/SHOULD NOT → WARNING, MAY → INFO", () => {
    const raw = ["MUST", "MUST NOT", "SHOULD", "SHOULD NOT", "MAY"].map((priority, i) => ({
      rule_id: `RULE-SEC-00${i + 1}`,
      priority,
      description: `rule ${i}`,
      validation_conditions: { code_patterns: ["eval\\("] },
    }));
    const { doc } = semgrepOf(raw);
    expect(doc!.rules.map((r) => r.severity)).toEqual(["ERROR", "ERROR", "WARNING", "WARNING", "INFO"]);
    expect(doc!.rules.map((r) => r.id)).toEqual([
      "specgate.rule-sec-001",
      "specgate.rule-sec-002",
      "specgate.rule-sec-003",
      "specgate.rule-sec-004",
      "specgate.rule-sec-005",
    ]);
  });

  it("takes languages from the scope's extensions (braces expanded), paths.include from file_patterns, regexes as pattern-regex", () => {
    const { doc } = semgrepOf([
      {
        rule_id: "RULE-API-010",
        priority: "MUST NOT",
        description: "No verbs in URLs",
        scope: { file_patterns: ["src/**/*.{ts,tsx}", "api/**/*.py", "docs/**"] },
        validation_conditions: { code_patterns: ["@Get\\(['\"]/get"] },
      },
    ]);
    const rule = doc!.rules[0]!;
    expect(rule.languages).toEqual(["python", "typescript"]);
    expect(rule.paths).toEqual({ include: ["api/**/*.py", "docs/**", "src/**/*.ts", "src/**/*.tsx"] });
    expect(rule["pattern-regex"]).toBe("@Get\\(['\"]/get");
    expect(rule.metadata).toEqual({ specgate_rule_id: "RULE-API-010", priority: "MUST NOT", reliability: 100 });
    expect(rule.message).toBe("RULE-API-010 (MUST NOT): No verbs in URLs");
  });

  it("uses generic for regex-only rules without a known language, and skips Semgrep patterns that have none", () => {
    const { doc, result } = semgrepOf([
      {
        rule_id: "RULE-OPS-001",
        priority: "MUST",
        description: "no latest tags",
        scope: { file_patterns: ["deploy/**"] },
        validation_conditions: { code_patterns: [":latest\\b"] },
      },
      {
        rule_id: "RULE-OPS-002",
        priority: "MUST",
        description: "x",
        ci_info: { semgrep_rule: { patterns: [{ pattern: "os.system($X)" }] } },
      },
    ]);
    expect(doc!.rules.map((r) => [r.id, r.languages])).toEqual([["specgate.rule-ops-001", ["generic"]]]);
    expect(result.skipped).toContainEqual(
      expect.objectContaining({
        rule_id: "RULE-OPS-002",
        target: "semgrep",
        reason: expect.stringMatching(/need a language/),
      }),
    );
  });

  it("prefers ci_info.semgrep_rule over violation_detection over code_patterns, and keeps pattern-not", () => {
    const { doc } = semgrepOf([
      {
        rule_id: "RULE-SEC-010",
        priority: "MUST",
        description: "Use prepared statements",
        scope: { file_patterns: ["**/*.java"] },
        ci_info: {
          semgrep_rule: {
            languages: ["Java", "klingon"],
            patterns: [
              {
                pattern: "$DB.executeQuery($Q)",
                pattern_not: "$DB.prepareStatement($Q)",
                message: "Use PreparedStatement",
              },
            ],
          },
        },
        development_info: { violation_detection: { patterns: ["never-used"] } },
        validation_conditions: { code_patterns: ["never-used-either"] },
      },
    ]);
    const rule = doc!.rules[0]!;
    expect(rule.languages).toEqual(["java"]);
    expect(rule.patterns).toEqual([{ pattern: "$DB.executeQuery($Q)" }, { "pattern-not": "$DB.prepareStatement($Q)" }]);
    expect(rule.message).toBe("RULE-SEC-010 (MUST): Use prepared statements — Use PreparedStatement");
    expect(JSON.stringify(rule)).not.toContain("never-used");
  });

  it("drops a pattern that does not compile and reports it; a rule with only bad patterns is skipped", () => {
    const { doc, result } = semgrepOf([
      {
        rule_id: "RULE-SEC-020",
        priority: "MUST",
        description: "a",
        validation_conditions: { code_patterns: ["good\\d+", "/bad([/"] },
      },
      {
        rule_id: "RULE-SEC-021",
        priority: "MUST",
        description: "b",
        validation_conditions: { code_patterns: ["/(unclosed/"] },
      },
    ]);
    expect(doc!.rules.map((r) => r.id)).toEqual(["specgate.rule-sec-020"]);
    expect(doc!.rules[0]!["pattern-regex"]).toBe("good\\d+");
    expect(result.skipped).toContainEqual(
      expect.objectContaining({ rule_id: "RULE-SEC-020", reason: expect.stringMatching(/pattern dropped/) }),
    );
    expect(result.skipped).toContainEqual(
      expect.objectContaining({ rule_id: "RULE-SEC-021", reason: expect.stringMatching(/no usable code pattern/) }),
    );
  });

  it("writes no file when no rule has a code pattern, and says so", () => {
    const { file, result } = semgrepOf([{ rule_id: "RULE-DEV-001", priority: "SHOULD", description: "Write docs" }]);
    expect(file).toBeUndefined();
    expect(result.skipped).toContainEqual({ target: "semgrep", reason: expect.stringMatching(/no Semgrep rule file/) });
  });

  it("reads Semgrep patterns and regexes apart", () => {
    expect(looksLikeRegex("$DB.executeQuery($Q)")).toBe(false);
    expect(looksLikeRegex("subprocess.run(..., shell=True, ...)")).toBe(false);
    expect(looksLikeRegex('@GetMapping\\("/get.*"\\)')).toBe(true);
    expect(looksLikeRegex("getUserData|getUserInfo")).toBe(true);
    expect(semgrepRuleId("RULE-GEN-AB12CD")).toBe("specgate.rule-gen-ab12cd");
  });

  it("own checks catch what the published schema lets through (unknown language, unknown key)", () => {
    const rule = {
      id: "x.y",
      message: "m",
      severity: "ERROR",
      languages: ["javaa"],
      "pattern-regex": "a",
      paterns: [],
    };
    expect(semgrepSchema()({ rules: [rule] })).toBe(true);
    expect(checkSemgrepRule(rule)).toEqual(['unknown key "paterns"', 'language "javaa" is not a Semgrep language']);
    const noSeverity = { id: "x", message: "m", languages: ["java"], pattern: "a" };
    expect(semgrepSchema()({ rules: [noSeverity] })).toBe(false);
    expect(checkSemgrepRule(noSeverity)).toContain("severity undefined is not ERROR, WARNING or INFO");
  });
});
