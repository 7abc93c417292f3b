/**
 * `reference_missing`: A rule has no reference (참조 / Reference) sub-item. The page
 * docs/rules/reference_missing.md is generated from `docs` below.
 */
import { defineRule } from "./rule.js";
import { checkDetail } from "./shared/details.js";

export const referenceMissing = defineRule({
  code: "reference_missing",
  severity: "info",
  checkTypes: ["full", "basic"],
  summary: "A rule has no reference (참조 / Reference) sub-item.",
  messages: {
    reference_missing: { ko: (p) => `${p.id}에 참조가 없습니다.`, en: (p) => `${p.id} has no reference.` },
  },
  suggestion: {
    ko: "'- 참조: ...' 항목을 추가하세요.",
    en: "Add a '- Reference: ...' sub-item.",
  },
  check(ctx) {
    checkDetail(ctx, "reference", "reference_missing");
  },
  docs: {
    lead: "A rule cites nothing.",
    paragraphs: [
      [
        "When it fires",
        "Once per rule statement with no `참조` / `Reference` (also `참고`, `References`, `Ref`, `See`) detail, or only a placeholder.",
      ],
      ["Where it is reported", "The rule's line, with `rule_id`."],
      [
        "Fix",
        "Inserts `- 참조: [관련 기술 스펙이나 문서]` (English: `- Reference: [related technical spec or documents]`).",
      ],
    ],
    wrong: [
      "- **RULE-DATA-001** (MUST): 모든 테이블은 기본키를 가져야 한다",
      "  - 적용 범위: 모든 데이터베이스 테이블",
      "  - 근거: 데이터 무결성",
    ].join("\n"),
    right: [
      "- **RULE-DATA-001** (MUST): 모든 테이블은 기본키를 가져야 한다",
      "  - 적용 범위: 모든 데이터베이스 테이블",
      "  - 근거: 데이터 무결성",
      "  - 참조: 3.2 데이터 모델 (ERD)",
    ].join("\n"),
  },
});
