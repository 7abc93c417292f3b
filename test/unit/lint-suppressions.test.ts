/** `<!-- speclint-disable… -->` comments: suppressed violations are reported apart and not deducted. */
import { describe, expect, it } from "vitest";
import { lint } from "../../src/core/lint/linter.js";

const base = [
  "# 잘못된 제목", // 1: title_format_mismatch
  "",
  "## 설계 규칙",
  "- **RULE-API-001** (MUST): 모든 주문 API는 JSON으로 응답해야 한다", // 4: scope, rationale, reference missing
  "- **RULE-API-002** (MUST): 모든 주문 요청은 인증 토큰을 검사해야 한다", // 5: same
  "- **RULE-API-003** (MUST): 모든 금액은 정수로 전달해야 한다", // 6: same
  "",
  "## 기술 스펙",
  "```ts",
  "createOrder();",
  "```",
  "",
  "## 변경 이력",
  "| 버전 | 날짜 |",
  "|---|---|",
  "| 1.0 | 2025-01-10 |",
  "",
];
/** Inserts a line before each given (1-based) line of `base`. */
const withLines = (inserts: Record<number, string>) =>
  base.flatMap((l, i) => (inserts[i + 1] !== undefined ? [inserts[i + 1]!, l] : [l])).join("\n");
const shown = (r: Awaited<ReturnType<typeof lint>>) => r.violations.map((v) => `${v.code}@${v.line}`);

describe("speclint suppressions", () => {
  it("without suppressions every defect counts", async () => {
    const r = await lint(base.join("\n"));
    expect(r.violations).toHaveLength(11);
    expect(r.score).toBe(100 - 20 - 3 * 5 - 10);
  });

  it("disable-file silences a code everywhere, with its justification, and restores the points", async () => {
    const content = withLines({
      1: "<!-- speclint-disable-file reference_missing rule_spec_relation_missing -- 참조는 사내 위키에서 관리 -->",
    });
    const r = await lint(content);
    expect(r.violations.map((v) => v.code)).not.toContain("reference_missing");
    expect(r.suppressed!.map((v) => `${v.code}@${v.line}`)).toEqual([
      "reference_missing@5",
      "reference_missing@6",
      "reference_missing@7",
      "rule_spec_relation_missing@9",
    ]);
    expect(r.suppressed![0]!.suppression).toEqual({
      kind: "disable-file",
      line: 1,
      justification: "참조는 사내 위키에서 관리",
    });
    expect(r.score).toBe(100 - 20 - 3 * 4);
    expect(r.stats.suppressed).toBe(4);
  });

  it("disable-next-line silences the next non-blank line only; no code means every code", async () => {
    const content = withLines({ 5: "<!-- speclint-disable-next-line -->" });
    const r = await lint(content);
    expect(r.suppressed!.map((v) => `${v.code}@${v.line}`)).toEqual([
      "scope_missing@6",
      "reason_missing@6",
      "reference_missing@6",
    ]);
    // Directive at 5: the rules now sit at 4, 6 and 7.
    expect(shown(r)).toContain("scope_missing@4");
    expect(shown(r)).toContain("scope_missing@7");
    const titled = await lint(
      withLines({ 1: "<!-- speclint-disable-next-line title_format_mismatch -- 레거시 제목 -->\n" }),
    );
    expect(titled.suppressed!.map((v) => [v.code, v.line, v.suppression.kind])).toEqual([
      ["title_format_mismatch", 3, "disable-next-line"],
    ]);
  });

  it("disable … enable covers a range; enabling one code keeps the others disabled", async () => {
    const content = withLines({
      4: "<!-- speclint-disable scope_missing, reason_missing -->",
      6: "<!-- speclint-enable scope_missing -->",
    });
    // disable at 4, rules at 5 and 6, enable (scope_missing only) at 7, rule at 8.
    const r = await lint(content);
    expect(r.suppressed!.map((v) => `${v.code}@${v.line}`)).toEqual([
      "scope_missing@5",
      "reason_missing@5",
      "scope_missing@6",
      "reason_missing@6",
      "reason_missing@8",
    ]);
    expect(shown(r)).toEqual(expect.arrayContaining(["scope_missing@8", "reference_missing@5", "reference_missing@8"]));
    expect(shown(r)).not.toContain("reason_missing@8");
  });

  it("a directive inside a code block is code, not a directive", async () => {
    const content = base.join("\n").replace("createOrder();", "<!-- speclint-disable-file -->");
    const r = await lint(content);
    expect(r.suppressed).toEqual([]);
    expect(r.violations).toHaveLength(11);
  });
});
