/**
 * `design_rules_insufficient`: There are fewer than 3 MUST rules. The page
 * docs/rules/design_rules_insufficient.md is generated from `docs` below.
 */
import { defineRule } from "./rule.js";
import { normalizePriority } from "../../spec/rule-terms.js";

export const designRulesInsufficient = defineRule({
  code: "design_rules_insufficient",
  severity: "warning",
  checkTypes: ["full", "basic"],
  summary: "There are fewer than 3 MUST rules.",
  messages: {
    insufficient: {
      ko: (p) => `MUST 규칙이 ${p.count}개입니다 (최소 ${p.min}개).`,
      en: (p) => `There are ${p.count} MUST rules (at least ${p.min} expected).`,
    },
  },
  suggestion: {
    ko: "MUST 규칙을 더 추가하세요.",
    en: "Add more MUST rules.",
  },
  check(ctx) {
    const { doc, statements, ruleset } = ctx;
    if (statements.length === 0 && ctx.unidentified().length === 0) return; // no_rules_found's case
    const must = statements.filter((s) => s.typeText !== undefined && normalizePriority(s.typeText) === "MUST").length;
    if (must >= ruleset.minMustRules) return;
    const at = ctx.sections.design_rules_section;
    ctx.report({
      line: (at === undefined ? undefined : doc.headings[at]!.line) ?? statements[0]?.line ?? 1,
      column: 1,
      messageId: "insufficient",
      params: { count: must, min: ruleset.minMustRules },
    });
  },
  docs: {
    lead: "Fewer than 3 MUST rules.",
    paragraphs: [
      [
        "When it fires",
        "The document has rules (standard statements or id-less rules), but fewer of type MUST than `content_checks.min_must_rules` (3, from the authoring guide's checklist). A mis-cased `(must)` counts as MUST here (it is flagged by `rule_type_mismatch`); MUST NOT does not. When there is no rule at all, `no_rules_found` fires instead.",
      ],
      ["Where it is reported", "The design rules heading, else the first rule's line."],
      ["Fix", "None."],
    ],
    wrong: [
      "### 2.1 MUST 규칙 (필수)",
      "- **RULE-API-001** (MUST): 모든 주문 API는 JSON 형식으로 응답해야 한다",
      "- **RULE-API-002** (MUST): 모든 주문 요청은 인증 토큰을 검사해야 한다",
    ].join("\n"),
    right: [
      "### 2.1 MUST 규칙 (필수)",
      "- **RULE-API-001** (MUST): 모든 주문 API는 JSON 형식으로 응답해야 한다",
      "- **RULE-API-002** (MUST): 모든 주문 요청은 인증 토큰을 검사해야 한다",
      "- **RULE-API-003** (MUST): 모든 금액은 최소 통화 단위의 정수로 전달해야 한다",
    ].join("\n"),
  },
});
