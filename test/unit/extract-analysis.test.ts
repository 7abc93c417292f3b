import { describe, expect, it } from "vitest";
import { extractRules, subjectOf } from "../../src/core/extract/index.js";

const doc = (...lines: string[]) => ["# T 설계서", "", ...lines].join("\n");

describe("duplicates", () => {
  it("reports the same id twice with both lines, telling a copy from a collision; keeps both rules", () => {
    const r = extractRules(
      doc(
        "- **RULE-API-001** (MUST): 모든 API는 JSON으로 응답해야 한다",
        "- **RULE-API-002** (MUST): 모든 API는 버전을 가져야 한다",
        "- **RULE-API-001** (MUST): 모든 API는 JSON으로 응답해야 한다",
        "- **RULE-API-002** (SHOULD): 응답은 압축해야 한다",
      ),
      { source: { id: "a.md" } },
    );
    expect(r.rules.map((x) => x.rule_id)).toEqual(["RULE-API-001", "RULE-API-002", "RULE-API-001", "RULE-API-002"]);
    expect(r.duplicates.map((d) => [d.kind, d.identical, d.rules[0].line, d.rules[1].line])).toEqual([
      ["same_id", true, 3, 5],
      ["same_id", false, 4, 6],
    ]);
    expect(r.duplicates[1]!.message).toBe(
      "RULE-API-002 names two different rules (a.md:4 and a.md:6); give one of them a new id.",
    );
    expect(r.stats.duplicates).toBe(2);
  });

  it("reports the same sentence under different ids, and a keyword sentence that repeats a standardized rule", () => {
    const r = extractRules(
      doc(
        "- **RULE-SEC-001** (MUST): 토큰은 환경변수로 관리해야 한다",
        "- **RULE-SEC-009** (SHOULD): 토큰은 환경변수로 관리해야 한다.",
        "",
        "## 4. 구현 가이드",
        "",
        "토큰은 환경변수로   관리해야 한다.",
      ),
    );
    expect(
      r.duplicates.map((d) => [d.kind, d.rules[0].rule_id, d.rules[0].line, d.rules[1].rule_id, d.rules[1].line]),
    ).toEqual([
      ["same_text", "RULE-SEC-001", 3, "RULE-SEC-009", 4],
      ["same_text", "RULE-SEC-001", 3, r.rules[2]!.rule_id, 8],
    ]);
    expect(r.duplicates[0]!.message).toContain("with different priorities (MUST vs SHOULD)");
  });
});

describe("conflicts", () => {
  it("MUST vs MUST NOT on the same subject (Korean), with both lines", () => {
    const r = extractRules(
      doc(
        "- **RULE-SEC-001** (MUST): API 토큰은 평문으로 저장해야 한다",
        "",
        "## 4. 구현",
        "",
        "평문으로 API 토큰을 저장해서는 안 된다.",
      ),
    );
    expect(r.conflicts).toHaveLength(1);
    const c = r.conflicts[0]!;
    expect(c.kind).toBe("polarity");
    expect(c.rules.map((x) => [x.rule_id.slice(0, 9), x.priority, x.line])).toEqual([
      ["RULE-SEC-", "MUST", 3],
      ["RULE-GEN-", "MUST NOT", 7],
    ]);
    expect(c.subject).toBe("api 저장 토큰 평문");
  });

  it("MUST vs MUST NOT in English, across word order and plural", () => {
    const r = extractRules(doc("Services MUST cache responses.", "", "All services MUST NOT cache the response."));
    expect(r.conflicts.map((c) => [c.kind, c.subject, c.rules[0].line, c.rules[1].line])).toEqual([
      ["polarity", "cache response service", 3, 5],
    ]);
  });

  it("contradictory numbers for the same thing: cache 30 s vs 5 min, in English and in Korean", () => {
    const en = extractRules(doc("Responses MUST be cached for 30 s.", "", "Responses SHOULD be cached for 5 min."));
    expect(en.conflicts.map((c) => [c.kind, c.values, c.rules[0].line, c.rules[1].line])).toEqual([
      ["number", ["30 s", "5 min"], 3, 5],
    ]);
    const ko = extractRules(
      doc(
        "- 캐시 TTL은 30초로 설정해야 한다",
        "- 캐시 TTL은 5분으로 설정해야 한다",
        "- 캐시 TTL은 30초로 설정해야 한다",
      ),
    );
    expect(ko.conflicts.map((c) => [c.kind, c.values, c.rules[0].line, c.rules[1].line])).toEqual([
      ["number", ["30초", "5분"], 3, 4],
    ]);
    expect(ko.duplicates).toHaveLength(1); // the third line repeats the first: a duplicate, not a conflict
  });

  it("the same value in other units is no conflict; neither are different subjects or MAY vs SHOULD NOT", () => {
    expect(
      extractRules(doc("Responses MUST be cached for 60 s.", "", "Responses MUST be cached for 1 min.")).conflicts,
    ).toEqual([]);
    expect(
      extractRules(doc("- 모든 도구는 비동기 함수로 구현해야 한다", "- 모든 도구는 동기 함수로 구현해서는 안 된다"))
        .conflicts,
    ).toEqual([]);
    expect(
      extractRules(doc("Clients MAY poll the status.", "", "Clients SHOULD NOT poll the status.")).conflicts,
    ).toEqual([]);
    expect(
      extractRules(doc("Clients MUST poll the status.", "", "Clients SHOULD NOT poll the status.")).conflicts,
    ).toHaveLength(1);
  });

  it("normalises subjects: particles, verb endings, quantifiers and quantities", () => {
    expect(subjectOf("모든 API 토큰은 평문으로 저장해서는 안 된다")).toEqual({
      key: "api 저장 토큰 평문",
      quantities: [],
    });
    expect(subjectOf("메모리 사용량은 1GB를 초과해서는 안 된다")).toEqual({
      key: "메모리 사용량 초과",
      quantities: [{ dim: "size", value: 1024 ** 3, text: "1GB" }],
    });
    expect(subjectOf("Every client MUST retry at most 3 times.")).toEqual({
      key: "client most retry",
      quantities: [{ dim: "count", value: 3, text: "3 times" }],
    });
  });
});
