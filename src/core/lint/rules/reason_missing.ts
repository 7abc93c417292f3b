/**
 * `reason_missing`: A rule has no rationale (근거 / Rationale) sub-item. The page
 * docs/rules/reason_missing.md is generated from `docs` below.
 */
import { defineRule } from "./rule.js";
import { checkDetail } from "./shared/details.js";

export const reasonMissing = defineRule({
  code: "reason_missing",
  severity: "warning",
  checkTypes: ["full", "basic"],
  summary: "A rule has no rationale (근거 / Rationale) sub-item.",
  messages: {
    reason_missing: { ko: (p) => `${p.id}에 근거가 없습니다.`, en: (p) => `${p.id} has no rationale.` },
  },
  suggestion: {
    ko: "'- 근거: ...' 항목을 추가하세요.",
    en: "Add a '- Rationale: ...' sub-item.",
  },
  check(ctx) {
    checkDetail(ctx, "rationale", "reason_missing");
  },
  docs: {
    lead: "A rule does not say why it exists.",
    paragraphs: [
      [
        "When it fires",
        "Once per rule statement with no `근거` / `Rationale` (also `이유`, `Reason`, `Why`) detail, or only a placeholder.",
      ],
      ["Where it is reported", "The rule's line, with `rule_id`."],
      ["Fix", "Inserts `- 근거: [규칙이 필요한 이유]` (English: `- Rationale: [why the rule is needed]`)."],
    ],
    wrong: [
      "- **RULE-SEC-001** (MUST): 모든 API 토큰은 환경변수로만 관리해야 한다",
      "  - 적용 범위: 모든 외부 서비스 토큰",
      "  - 참조: OWASP Secrets Management",
    ].join("\n"),
    right: [
      "- **RULE-SEC-001** (MUST): 모든 API 토큰은 환경변수로만 관리해야 한다",
      "  - 적용 범위: 모든 외부 서비스 토큰",
      "  - 근거: 코드에 하드코딩된 토큰 노출 방지",
      "  - 참조: OWASP Secrets Management",
    ].join("\n"),
  },
});
