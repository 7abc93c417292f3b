/**
 * The ten SpecGate sample documents: each test document is flagged for the defect its name
 * states, at the line where it is; the standards and the "perfect" document grade high, and any
 * deduction they earn is asserted exactly.
 */
import { describe, expect, it } from "vitest";
import { applyFixes } from "../../src/core/lint/fixes.js";
import { lint } from "../../src/core/lint/linter.js";
import { readCorpus } from "../helpers/fixtures.js";

const doc = (name: string) => readCorpus("specgate-docs", name);
const brief = (r: Awaited<ReturnType<typeof lint>>) => r.violations.map((v) => [v.code, v.line, v.deduction]);

describe("speclint on the sample corpus", () => {
  it.each([
    ["standards/SpecGate-API-Design.md", 100, []],
    ["standards/SpecGate-Data-Model-Design.md", 100, []],
    ["standards/SpecGate-Performance-Design.md", 100, []],
    ["standards/SpecGate-Security-Design.md", 100, []],
    // Its rules cite outside principles (12-Factor, 마이크로서비스 …), never its own §3, and §3 names no rule.
    ["standards/SpecGate-Architecture-Design.md", 90, [["rule_spec_relation_missing", 47, 10]]],
    ["test-documents/01-API-Design-Perfect.md", 100, []],
  ] as const)("%s grades high (%i) with exactly the expected deductions", async (name, score, expected) => {
    const r = await lint(await doc(name));
    expect(brief(r)).toEqual(expected);
    expect(r.score).toBe(score);
    expect(r.grade).toBe("high");
    expect(r.stats).toMatchObject({ language: "ko", ruleset: "specgate", rules: 7, must_rules: 3 });
  });

  it("02-Architecture-Design-TitleError: the title, at line 1", async () => {
    const r = await lint(await doc("test-documents/02-Architecture-Design-TitleError.md"));
    expect(brief(r)).toEqual([
      ["title_format_mismatch", 1, 20],
      ["rule_spec_relation_missing", 47, 10], // as in the Architecture standard it is copied from
    ]);
    expect(r.violations[0]).toMatchObject({
      severity: "error",
      column: 1,
      message: expect.stringContaining("'잘못된 제목'"),
    });
    expect(r.violations[0]!.suggestion).toMatch(/^제목을 '\[프로젝트명\] \[문서유형\] 설계서' 형식으로 수정하세요/);
    expect(r.violations[0]!.fix).toBeUndefined(); // no mechanical correction of an unrelated title
    expect([r.score, r.grade]).toEqual([70, "medium"]);
  });

  it("03-Data-Model-Design-MissingRules: the missing design rules, where the section belongs (before '2. 기술 스펙', line 8)", async () => {
    const content = await doc("test-documents/03-Data-Model-Design-MissingRules.md");
    const r = await lint(content);
    expect(brief(r)).toEqual([
      ["design_rules_missing", 8, 30],
      ["no_rules_found", 8, 15],
    ]);
    expect([r.score, r.grade]).toEqual([55, "low"]);
    expect(r.violations[0]!.message).toBe(
      "'설계 규칙 (Design Rules)' 섹션이 없습니다 ('2. 기술 스펙' 앞에 추가하세요).",
    );
    // Rule-like lines inside its code blocks (RULE-API-001 in Python tests) are code, not rules.
    expect(r.stats.rules).toBe(0);
    const fixed = applyFixes(content, r.violations).output;
    expect(fixed.split("\n").slice(7, 10)).toEqual(["## 2. 설계 규칙 (Design Rules)", "### 2.1 MUST 규칙 (필수)", ""]);
    expect(brief(await lint(fixed))).toEqual([["no_rules_found", 8, 15]]);
  });

  it("04-Security-Design-MissingCode: the missing code example, at the implementation guide (line 63)", async () => {
    const r = await lint(await doc("test-documents/04-Security-Design-MissingCode.md"));
    expect(brief(r)).toEqual([["code_example_missing", 63, 5]]);
    expect(r.stats.code_blocks).toBe(0);
    expect([r.score, r.grade]).toEqual([95, "high"]);
  });

  it("05-Performance-Design-MissingHistory: the missing change history, at the end (after line 515), with a table skeleton fix", async () => {
    const content = await doc("test-documents/05-Performance-Design-MissingHistory.md");
    const r = await lint(content);
    expect(brief(r)).toEqual([["change_history_missing", 515, 5]]);
    expect(r.violations[0]!.fix).toEqual({
      start_line: 516,
      end_line: 516,
      text: "\n## 5. 변경 이력\n| 버전 | 날짜 | 변경내용 | 작성자 |\n|------|------|----------|--------|\n| 1.0 | YYYY-MM-DD | 최초 작성 | [작성자] |\n",
      description: "'변경 이력' 섹션 추가",
    });
    const fixed = applyFixes(content, r.violations);
    expect(fixed.applied).toBe(1);
    const again = await lint(fixed.output);
    expect([again.score, again.violations]).toEqual([100, []]);
  });
});
