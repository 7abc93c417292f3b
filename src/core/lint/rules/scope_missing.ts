/**
 * `scope_missing`: A rule has no scope (적용 범위 / Scope) sub-item. The page
 * docs/rules/scope_missing.md is generated from `docs` below.
 */
import { defineRule } from "./rule.js";
import { checkDetail } from "./shared/details.js";

export const scopeMissing = defineRule({
  code: "scope_missing",
  severity: "warning",
  checkTypes: ["full", "basic"],
  summary: "A rule has no scope (적용 범위 / Scope) sub-item.",
  messages: {
    scope_missing: { ko: (p) => `${p.id}에 적용 범위가 없습니다.`, en: (p) => `${p.id} has no scope.` },
  },
  suggestion: {
    ko: "'- 적용 범위: ...' 항목을 추가하세요.",
    en: "Add a '- Scope: ...' sub-item.",
  },
  check(ctx) {
    checkDetail(ctx, "scope", "scope_missing");
  },
  docs: {
    lead: "A rule does not say where it applies.",
    paragraphs: [
      [
        "When it fires",
        "Once per rule statement with no `적용 범위` / `Scope` detail (a sub-item, a line of the same paragraph, a list right after a paragraph rule, or a `Scope` column of a rule table), or whose value is only a placeholder (`[…]`, `TODO`, `TBD`, `N/A`, `-`).",
      ],
      ["Where it is reported", "The rule's line, with `rule_id`."],
      [
        "Fix",
        "Inserts `- 적용 범위: [규칙이 적용되는 범위]` after the rule's last line, indented like its other sub-items (English documents: `- Scope: [where the rule applies]`). The placeholder still counts as missing until it is filled in.",
      ],
    ],
    wrong: [
      "- **RULE-API-001** (MUST): 모든 주문 API는 JSON 형식으로 응답해야 한다",
      "  - 근거: 클라이언트 파싱의 일관성",
      "  - 참조: JSON API 스펙 v1.1",
    ].join("\n"),
    right: [
      "- **RULE-API-001** (MUST): 모든 주문 API는 JSON 형식으로 응답해야 한다",
      "  - 적용 범위: 모든 REST API 엔드포인트",
      "  - 근거: 클라이언트 파싱의 일관성",
      "  - 참조: JSON API 스펙 v1.1",
    ].join("\n"),
  },
});
