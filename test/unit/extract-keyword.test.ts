import { describe, expect, it } from "vitest";
import { extractRules } from "../../src/core/extract/index.js";
import { readFixtureSync } from "../helpers/fixtures.js";

const fixture = (name: string) => readFixtureSync("extract-docs", name);
const doc = (...lines: string[]) => ["# T", "", ...lines].join("\n");
const rows = (md: string) => extractRules(md).rules.map((r) => [r.source.line, r.priority, r.description]);

describe("keyword rules in Korean free text", () => {
  const result = extractRules(fixture("keyword-ko.md"), { source: { id: "keyword-ko.md" } });

  it("finds every modal sentence with its priority and line, and nothing else", () => {
    expect(result.rules.map((r) => [r.source.line, r.priority, r.description])).toEqual([
      [10, "MUST", "모든 API 응답은 JSON 형식으로 반환해야 한다."],
      [10, "MUST", "결제 요청은 멱등 키를 포함하여야 한다."],
      [11, "MUST", "외부 API 호출에는 타임아웃을 설정해야 한다"],
      [15, "MUST NOT", "카드 번호를 로그에 남겨서는 안 된다"],
      [16, "MUST NOT", "관리자 API는 외부에 노출하면 안 된다."],
      [17, "MUST NOT", "평문 비밀번호 저장 금지"],
      [18, "MUST NOT", "결제 취소는 승인 후 7일이 지나면 할 수 없다."],
      // Under "SHOULD 규칙 (권장)" the Korean obligation endings read as SHOULD / SHOULD NOT.
      [21, "SHOULD", "목록 API는 페이지네이션을 지원해야 한다"],
      [22, "SHOULD NOT", "응답에는 추적 ID를 포함해서는 안 된다"],
      [23, "SHOULD", "재시도에는 지수 백오프를 권장한다."],
      [24, "SHOULD", "대용량 응답은 압축하는 것이 좋다."],
      [25, "MAY", "클라이언트는 ETag로 캐시할 수 있다."],
      // After "✅ 올바른 작성:" the wrong-example lead-in no longer applies.
      [40, "MUST", "모든 엔드포인트는 리소스 명사를 사용해야 한다"],
    ]);
    expect(
      result.rules.every(
        (r) =>
          r.reliability.extraction_method === "keyword" && r.rule_id.startsWith("RULE-GEN-") && r.area_guessed === true,
      ),
    ).toBe(true);
  });

  it("counts what it turned down, by reason", () => {
    expect(result.stats.rejected).toEqual({
      question: 1, // 모든 API는 버전을 URL에 포함해야 하는가?
      past_tense: 2, // …금지했다, …해야 한다고 결정했다
      too_short: 0,
      description: 0,
      bad_example: 2, // under "2.4 잘못된 예시" and after "❌ 잘못된 작성:"
      blockquote: 1,
      checklist: 1,
      non_rule_section: 3, // 1. 개요 (including "…처리해야 했다" and "…만들 수 있다")
      change_history: 1,
    });
    // Nothing in 1. 개요 would have been a rule elsewhere (a past, a consequence): no warning names it.
    expect(result.warnings.filter((w) => w.code === "non_rule_section")).toEqual([]);
  });

  it("reads sub-item details of a keyword rule: scope patterns, rationale, reference with a spec link", () => {
    const r = result.rules.find((x) => x.source.line === 11)!;
    expect(r.scope).toEqual({
      text: "src/clients/**, com.payflow.client",
      file_patterns: ["src/clients/**"],
      package_patterns: ["com.payflow.client"],
      annotation_patterns: [],
    });
    expect(r.rationale).toBe("무한 대기 방지");
    expect(r.references).toEqual(["3.1절 API 설계"]);
    expect(r.reliability).toEqual({
      total_score: 40,
      extraction_method: "keyword",
      keyword: "설정해야 한다",
      breakdown: { standardized_form: 0, rule_id: 0, scope: 15, rationale: 10, reference: 10, spec_link: 5 },
    });
    expect(r.ci_info.drift_calculation).toEqual({ rule_weight: 0.3, area_weight: 1, violation_points: 10 });
  });

  it("guesses areas from the sentence, the section and the title", () => {
    const area = (line: number) => result.rules.find((r) => r.source.line === line)!.area;
    expect(area(17)).toBe("SEC"); // 비밀번호
    expect(area(25)).toBe("PERF"); // 캐시
    expect(area(21)).toBe("API"); // the document is an API design
  });
});

describe("keyword rules in English free text (RFC 2119 upper case only)", () => {
  const result = extractRules(fixture("keyword-en.md"));

  it("finds the keyword sentences and turns down labels, lower case, questions, past tense and anti-patterns", () => {
    expect(result.rules.map((r) => [r.source.line, r.priority, r.reliability.keyword, r.description])).toEqual([
      // Upper-case RFC 2119 keywords are normative wherever they stand, an overview included.
      [4, "MUST", "MUST", "This service MUST be fast."],
      [7, "MUST", "MUST", "Write paths MUST use the LedgerWriter facade."],
      [7, "SHOULD NOT", "SHOULD NOT", "Handlers SHOULD NOT open database transactions themselves."],
      [8, "MAY", "MAY", "Clients MAY batch up to 100 writes per request, e.g. during imports."],
      [9, "SHOULD", "RECOMMENDED", "It is RECOMMENDED that readers use the replica."],
      [9, "SHOULD NOT", "NOT RECOMMENDED", "It is NOT RECOMMENDED to disable TLS between services."],
      [11, "MUST", "SHALL", "Migrations SHALL be reversible."],
      [15, "MAY", "OPTIONAL", "The audit table is OPTIONAL for test environments."],
      [23, "MUST", "MUST", "Snapshots MUST be kept for 30 days."],
      [24, "SHOULD", "SHOULD", "Tables SHOULD use snake_case."],
    ]);
    expect(result.stats.rejected).toMatchObject({ question: 1, past_tense: 1, bad_example: 2, non_rule_section: 0 });
  });

  it("reads the scope globs and links §3.2 / ERD references to the technical spec", () => {
    const r = result.rules.find((x) => x.source.line === 11)!;
    expect(r.scope.file_patterns).toEqual(["db/migrations/**", "**/*.sql"]);
    expect(r.references).toEqual(["§3.2 Schema", "ERD"]);
    expect(r.reliability.breakdown.spec_link).toBe(5);
    expect(r.area).toBe("DATA");
  });
});

describe("keyword extraction details", () => {
  it("gives the same sentence the same id on every run and in every document, whatever its spacing and case", () => {
    const a = extractRules("# A\n\n모든 응답은 JSON이어야 한다.\n").rules[0]!;
    const b = extractRules("# B\n\n## 규칙\n\n- 모든   응답은 JSON이어야 한다\n").rules[0]!;
    expect(a.rule_id).toMatch(/^RULE-GEN-[0-9A-F]{8}$/);
    expect(b.rule_id).toBe(a.rule_id);
    expect(extractRules("# A\n\n모든 응답은 JSON이어야 한다.\n").rules[0]!.rule_id).toBe(a.rule_id);
    const c = extractRules("# A\n\n모든 응답은 XML이어야 한다.\n").rules[0]!;
    expect(c.rule_id).not.toBe(a.rule_id);
  });

  it("handles an id collision deterministically: the later sentence takes a longer hash", () => {
    // These two sentences share the first 8 hex digits of their SHA-256 (442A110E).
    const md = doc("Service 40375 MUST log errors.", "", "Service 52756 MUST log errors.");
    const ids = extractRules(md).rules.map((r) => r.rule_id);
    expect(ids).toEqual(["RULE-GEN-442A110E", expect.stringMatching(/^RULE-GEN-442A110E[0-9A-F]{2}$/)]);
    expect(extractRules(md).rules.map((r) => r.rule_id)).toEqual(ids);
    // Alone, the second sentence keeps its short id.
    expect(extractRules(doc("Service 52756 MUST log errors.")).rules[0]!.rule_id).toBe("RULE-GEN-442A110E");
  });

  it("never reads inline code spans or inline HTML comments as keywords", () => {
    expect(
      rows(
        "# T\n\nUse `MUST` as the first word. The `SHOULD` rules are advice.\n\nNote <!-- Services MUST log. --> here.\n",
      ),
    ).toEqual([]);
    expect(rows("# T\n\n`config.yaml`에 설정을 두어야 한다.\n")).toEqual([
      [3, "MUST", "config.yaml에 설정을 두어야 한다."],
    ]);
  });

  it("keeps line numbers right across wrapped paragraphs and multi-line comments", () => {
    const md = [
      "# T",
      "",
      "First line without a rule.",
      "<!-- a",
      "b -->",
      "Clients MUST retry",
      "with backoff. Servers SHOULD",
      "answer quickly.",
    ].join("\n");
    expect(rows(md)).toEqual([
      [6, "MUST", "Clients MUST retry with backoff."],
      [7, "SHOULD", "Servers SHOULD answer quickly."],
    ]);
  });

  it("splits Korean lines that end a sentence without a period, and joins lines that wrap", () => {
    expect(
      rows("# T\n\n모든 API는\nJSON으로 응답해야 한다\n캐시는 5분 동안 유지하는 것이 좋다\n").map((r) => r[2]),
    ).toEqual(["모든 API는 JSON으로 응답해야 한다", "캐시는 5분 동안 유지하는 것이 좋다"]);
  });

  it("reads keyword rules in table cells, but not in header rows or change-history tables", () => {
    const md = [
      "# T",
      "",
      "| 항목 | 규칙 |",
      "|---|---|",
      "| 응답 | 모든 응답은 JSON이어야 한다 |",
      "| 로그 | 토큰을 로그에 남기면 안 된다 |",
      "",
      "| Version | Date | Change |",
      "|---|---|---|",
      "| 1.1 | 2025-01-01 | Clients MUST retry |",
    ].join("\n");
    expect(rows(md)).toEqual([
      [5, "MUST", "모든 응답은 JSON이어야 한다"],
      [6, "MUST NOT", "토큰을 로그에 남기면 안 된다"],
    ]);
  });

  it("ends lines at the <br>s html_to_md writes in a table cell, and drops the list markers they start", () => {
    // Under a heading that names rules, so the polite "…할 수 있습니다" reads as a permission.
    const md = [
      "# T",
      "",
      "## 필드 규칙",
      "",
      "| 필드 | 설명 |",
      "|---|---|",
      "| `conditions` | 적용 대상을 세부 제어합니다.<br>- `resourceTags` : 태그로 필터링할 수 있습니다.<br>- 값은 비워 두면 안 된다 |",
    ].join("\n");
    expect(rows(md)).toEqual([
      [7, "MAY", "resourceTags : 태그로 필터링할 수 있습니다."],
      [7, "MUST NOT", "값은 비워 두면 안 된다"],
    ]);
  });

  it("does not treat a lead-in paragraph that merely mentions don't as a wrong-example marker", () => {
    expect(rows("# T\n\nIf you don't know, ask.\n\n- Services MUST log errors.\n")).toEqual([
      [5, "MUST", "Services MUST log errors."],
    ]);
  });

  it("takes the strongest keyword of a sentence (by drift points)", () => {
    expect(rows("# T\n\nClients MAY cache responses and MUST NOT share tokens.\n")).toEqual([
      [3, "MUST NOT", "Clients MAY cache responses and MUST NOT share tokens."],
    ]);
  });

  it("reads …할 수 있다 as MAY only when it grants something, not when it describes what one can see or what a click leads to", () => {
    const r = extractRules(
      doc(
        "- 클라이언트는 ETag로 응답을 캐시할 수 있다.",
        "- 관리자는 감사 대상 Verb를 선택할 수 있습니다.",
        "- 목록에서 상세 정보를 확인할 수 있습니다.",
        "- 돋보기 버튼을 클릭하면 필터 정보를 볼 수 있습니다.",
        "- 버튼을 클릭하면 보고서를 복제할 수 있습니다.",
        "- + Add Section 버튼을 클릭하여 섹션을 추가할 수 있습니다.",
      ),
    );
    // The polite "…선택할 수 있습니다" outside a rules section describes what an admin can do.
    expect(r.rules.map((x) => [x.priority, x.description])).toEqual([
      ["MAY", "클라이언트는 ETag로 응답을 캐시할 수 있다."],
    ]);
    expect(r.stats.rejected.description).toBe(5);
  });

  it("turns down fragments that are only a modal", () => {
    const r = extractRules("# T\n\n| 항목 | 정책 |\n|---|---|\n| 로그 | 금지 |\n");
    expect(r.rules).toEqual([]);
    expect(r.stats.rejected.too_short).toBe(1);
  });
});
