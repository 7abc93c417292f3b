import { describe, expect, it } from "vitest";
import { extractRules } from "../../src/core/extract/index.js";
import { readFixtureSync } from "../helpers/fixtures.js";

const md = readFixtureSync("extract-docs", "standardized-variants.md");
const result = extractRules(md, {
  source: { id: "variants.md", title: "Shop API", url: "https://wiki.example/pages/1" },
});
const rule = (line: number) => result.rules.find((r) => r.source.line === line)!;

describe("standardized statements as written in practice", () => {
  it("reads list, paragraph and table statements; skips wrong examples, unreadable types and empty sentences", () => {
    expect(result.rules.map((r) => [r.source.line, r.rule_id, r.priority, r.area])).toEqual([
      [5, "RULE-API-001", "MUST", "API"],
      [10, "RULE-API-002", "SHOULD NOT", "API"],
      [14, "RULE-API-003", "MUST", "API"],
      [15, "RULE-API-004", "MUST", "API"],
      [16, "RULE-API-005", "MUST NOT", "API"],
      [19, result.rules[5]!.rule_id, "MUST", "API"],
      [23, "RULE-DATA-001", "MUST", "DATA"],
    ]);
    expect(result.rules[5]!.rule_id).toMatch(/^RULE-GEN-[0-9A-F]{8}$/);
    expect(result.warnings.map((w) => [w.code, w.line])).toEqual([
      ["priority_inferred", 14],
      ["id_normalised", 14],
      ["priority_inferred", 15],
      ["priority_inferred", 16],
      ["priority_unknown", 17],
      ["empty_rule_text", 18],
      ["id_normalised", 19],
    ]);
    expect(result.stats.rejected.bad_example).toBe(1);
  });

  it("scores each rule by the reliability rubric, with the breakdown", () => {
    const b = (line: number) => [rule(line).reliability.total_score, Object.values(rule(line).reliability.breakdown)];
    // form, id, scope, rationale, reference, spec link
    expect(b(5)).toEqual([100, [40, 20, 15, 10, 10, 5]]); // "OpenAPI spec, §3.1" → §3 holds an OpenAPI block
    expect(b(10)).toEqual([85, [40, 20, 15, 10, 0, 0]]);
    expect(b(14)).toEqual([30, [20, 10, 0, 0, 0, 0]]); // "(must)", not bold, one digit
    expect(b(15)).toEqual([40, [20, 20, 0, 0, 0, 0]]); // "(필수)"
    expect(b(19)).toEqual([50, [40, 10, 0, 0, 0, 0]]); // sub-area id
    expect(b(23)).toEqual([100, [40, 20, 15, 10, 10, 5]]); // table; "Technical Spec" reference
  });

  it("fills drift weights from the gate's defaults so a gate can score from the rule alone", () => {
    expect(rule(5).ci_info.drift_calculation).toEqual({ rule_weight: 1, area_weight: 1, violation_points: 10 });
    expect(rule(10).ci_info.drift_calculation).toEqual({ rule_weight: 0.7, area_weight: 1, violation_points: 5 });
    expect(rule(16).ci_info.drift_calculation).toEqual({ rule_weight: 0.3, area_weight: 1, violation_points: 15 });
    expect(rule(23).ci_info.drift_calculation).toEqual({ rule_weight: 1, area_weight: 0.7, violation_points: 10 });
  });

  it("keeps where each rule came from, and the id as written when it was normalised", () => {
    expect(rule(14).source).toEqual({
      document: "variants.md",
      line: 14,
      section: "2. Design Rules",
      url: "https://wiki.example/pages/1",
      title: "Shop API",
      id_as_written: "RULE-API-3",
    });
    expect(rule(19).source.id_as_written).toBe("RULE-API-AUTH-001");
    expect(rule(5).references).toEqual(["OpenAPI spec", "§3.1"]);
    expect(rule(10).scope.text).toBe("controllers");
    expect(rule(23).scope.file_patterns).toEqual(["db/**/*.sql"]);
  });

  it("reads a sentence that wraps onto the next line, and shortens long titles at a clause", () => {
    const r = extractRules(
      [
        "- **RULE-PERF-001** (MUST): 모든 외부 호출에는 타임아웃을 두어야 하며, 타임아웃이 나면 재시도 없이 즉시 호출자에게",
        "  E_TIMEOUT으로 응답해야 한다",
        "  - 근거: 무한 대기 방지",
      ].join("\n"),
    ).rules[0]!;
    expect(r.description).toBe(
      "모든 외부 호출에는 타임아웃을 두어야 하며, 타임아웃이 나면 재시도 없이 즉시 호출자에게 E_TIMEOUT으로 응답해야 한다",
    );
    expect(r.title).toBe("모든 외부 호출에는 타임아웃을 두어야 하며");
    expect(r.rationale).toBe("무한 대기 방지");
  });

  it("drops rules below min_reliability before looking for duplicates, and counts them", () => {
    const high = extractRules(md, { minReliability: 90 });
    expect(high.rules.map((r) => r.rule_id)).toEqual(["RULE-API-001", "RULE-DATA-001"]);
    expect(high.stats.below_min_reliability).toBe(5);
  });

  it("reads a whole statement written in one table cell, with details from the other columns; a bare id in an unnamed column is a mention", () => {
    const r = extractRules(
      [
        "# PayFlow API 설계서",
        "## 2. 설계 규칙",
        "| 규칙 | 적용 범위 | 근거 |",
        "|---|---|---|",
        "| **RULE-API-001** (MUST): 모든 결제 요청은 `Idempotency-Key` 헤더를 포함해야 한다 | `src/api/**` | 재시도 안전 |",
        "",
        "## 3. 기술 스펙",
        "| 엔드포인트 | 관련 규칙 |",
        "|---|---|",
        "| POST /payments | RULE-API-001 |",
      ].join("\n"),
    );
    expect(r.rules.map((x) => [x.source.line, x.rule_id, x.priority, x.reliability.extraction_method])).toEqual([
      [5, "RULE-API-001", "MUST", "standardized"],
    ]);
    expect(r.rules[0]).toMatchObject({
      description: "모든 결제 요청은 Idempotency-Key 헤더를 포함해야 한다",
      rationale: "재시도 안전",
      scope: { text: "src/api/**", file_patterns: ["src/api/**"] },
    });
    expect(r.warnings).toEqual([]);
    expect(r.duplicates).toEqual([]);
  });
});
