import { describe, expect, it } from "vitest";
import { extractDocument, extractRules } from "../../src/core/extract/index.js";
import { generateFiles } from "../../src/core/generate/index.js";
import { lint } from "../../src/core/lint/linter.js";

const DOC = [
  "# PayFlow API 설계서",
  "",
  "## 2. 설계 규칙",
  "",
  "- **RULE-API-001** (MUST NOT): 컨트롤러에서 System.out.println으로 로그를 남겨서는 안 된다",
  "  - 적용 범위: `src/main/java/**/controller/**/*.java`",
  "  - 근거: 로그는 수집 파이프라인을 거쳐야 한다",
  "  - 참조: 3.1 로깅",
  "  - 위반 패턴: `System\\.out\\.println\\(`, ``printStackTrace\\(\\)``",
  "- **RULE-API-002** (MUST): 모든 응답은 표준 에러 포맷을 따라야 한다",
  "  - 적용 범위: `src/api/**`",
  "  - Violation pattern: foo\\.bar",
  "",
  "| ID | Type | Rule | Scope | Violation pattern |",
  "|---|---|---|---|---|",
  "| RULE-SEC-001 | MUST NOT | Never log passwords in plain text | src/\\*\\*/\\*.ts | `console\\.log\\(.*password` |",
  "",
].join("\n");

describe("violation patterns (위반 패턴 / Violation pattern) in rule details", () => {
  const result = extractRules(DOC, { source: { id: "api.md" } });
  const byId = (id: string) => result.rules.find((r) => r.rule_id === id)!;

  it("become validation_conditions.code_patterns, read from the code spans exactly as written", () => {
    expect(byId("RULE-API-001").validation_conditions).toEqual({
      code_patterns: ["System\\.out\\.println\\(", "printStackTrace\\(\\)"],
    });
    expect(byId("RULE-SEC-001").validation_conditions).toEqual({ code_patterns: ["console\\.log\\(.*password"] });
    expect(byId("RULE-SEC-001").scope.file_patterns).toEqual(["src/**/*.ts"]);
  });

  it("ignores a pattern written as plain text (its escapes are gone) and says so", () => {
    expect(byId("RULE-API-002").validation_conditions).toBeUndefined();
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: "pattern_not_code", line: 12 }));
    // The pattern line is a detail, not part of the rule's sentence.
    expect(byId("RULE-API-002").description).toBe("모든 응답은 표준 에러 포맷을 따라야 한다");
  });

  it("lets spec_generate emit one Semgrep rule per rule with a pattern, languages from the scope", () => {
    const { files, skipped } = generateFiles(result.rules, { targets: ["semgrep"] });
    expect(files).toHaveLength(1);
    expect(files[0]!.rule_ids).toEqual(["RULE-API-001", "RULE-SEC-001"]);
    expect(files[0]!.content).toContain("- pattern-regex: System\\.out\\.println\\(");
    expect(files[0]!.content).toMatch(
      /id: specgate\.rule-sec-001[\s\S]*languages:\n\s+- typescript[\s\S]*pattern-regex: console\\\.log\\\(\.\*password/,
    );
    expect(skipped.map((s) => s.rule_id)).toEqual(["RULE-API-002"]);
  });

  it("does not change how the linter reads a rule's scope, rationale and reference", async () => {
    const withPattern = await lint(DOC, { checkType: "basic", ruleset: "specgate" });
    const without = await lint(DOC.replace(/^\s*- (?:위반 패턴|Violation pattern):.*\n/gm, ""), {
      checkType: "basic",
      ruleset: "specgate",
    });
    expect(withPattern.violations.map((v) => [v.code, v.rule_id])).toEqual(
      without.violations.map((v) => [v.code, v.rule_id]),
    );
    expect(withPattern.violations.some((v) => v.code === "rule_id_format_mismatch")).toBe(false);
  });
});

describe("violation patterns by kind, parsed for the rule's language", () => {
  const doc = [
    "# Shop API Design Document",
    "",
    "## 2. Design Rules",
    "",
    "- **RULE-SEC-001** (MUST NOT): Request bodies must not be logged.",
    "  - Scope: `src/main/java/**/*.java`",
    "  - Violation pattern: `$LOG.info($$$ARGS, $REQ.getBody())`",
    "- **RULE-SEC-002** (MUST NOT): Passwords must not be logged.",
    "  - Scope: `src/main/java/**/*.java`",
    "  - Violation pattern: `$LOG.info($$$ARGS, password`",
    "  - Violation pattern: `password\\s*=`",
    "- **RULE-DEV-001** (MUST NOT): Do not call eval.",
    "  - Violation pattern: `eval($CODE)`",
    "",
  ].join("\n");

  it("keeps structural patterns apart from regexes, and sets aside (with a warning naming the rule) one that parses as neither", async () => {
    const result = await extractDocument(doc, { source: { id: "api.md" } });
    const byId = (id: string) => result.rules.find((r) => r.rule_id === id)!;
    expect(byId("RULE-SEC-001").validation_conditions).toEqual({
      structural_patterns: ["$LOG.info($$$ARGS, $REQ.getBody())"],
    });
    expect(byId("RULE-SEC-002").validation_conditions).toEqual({
      code_patterns: ["password\\s*="],
      invalid_patterns: [
        { pattern: "$LOG.info($$$ARGS, password", problem: expect.stringMatching(/does not parse as java/) },
      ],
    });
    // A structural pattern needs a language: the scope's file extensions give it.
    expect(byId("RULE-DEV-001").validation_conditions).toEqual({
      invalid_patterns: [{ pattern: "eval($CODE)", problem: expect.stringMatching(/needs a language/) }],
    });
    expect(result.warnings.filter((w) => w.code === "pattern_invalid").map((w) => [w.line, w.message])).toEqual([
      [
        8,
        expect.stringMatching(
          /^RULE-SEC-002: the violation pattern `\$LOG\.info\(\$\$\$ARGS, password` is not used as a check — it does not parse as java/,
        ),
      ],
      [
        12,
        expect.stringMatching(
          /^RULE-DEV-001: the violation pattern `eval\(\$CODE\)` is not used as a check — a structural pattern needs a language/,
        ),
      ],
    ]);
  });

  it("is a lint violation too, at the rule's line", async () => {
    const result = await lint(doc, { ruleset: "specgate-en" });
    expect(
      result.violations
        .filter((v) => v.code === "pattern_invalid")
        .map((v) => [v.line, v.rule_id, v.severity, v.deduction]),
    ).toEqual([
      [8, "RULE-SEC-002", "error", 5],
      [12, "RULE-DEV-001", "error", 5],
    ]);
  });
});
