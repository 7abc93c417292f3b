/**
 * `rule_content_too_short`: A rule's statement is too short to be specific. The page
 * docs/rules/rule_content_too_short.md is generated from `docs` below.
 */
import { defineRule } from "./rule.js";
import { locatedRules } from "./shared/rule-lines.js";

export const ruleContentTooShort = defineRule({
  code: "rule_content_too_short",
  severity: "info",
  checkTypes: ["full"],
  summary: "A rule's statement is too short to be specific.",
  messages: {
    content_short: {
      ko: (p) => `${p.id}의 규칙 내용이 너무 짧습니다 (${p.length}자, 최소 ${p.min}자).`,
      en: (p) => `The statement of ${p.id} is too short (${p.length} characters, at least ${p.min}).`,
    },
  },
  suggestion: {
    ko: "규칙 내용을 더 구체적으로 작성하세요.",
    en: "Make the rule more specific.",
  },
  check(ctx) {
    for (const { statement: s, at } of locatedRules(ctx)) {
      const length = s.text.replace(/\s+/g, "").length;
      if (length < ctx.ruleset.minRuleLength)
        ctx.report({ ...at, messageId: "content_short", params: { id: s.id, length, min: ctx.ruleset.minRuleLength } });
    }
  },
  docs: {
    lead: "A rule's statement is too short to be specific.",
    paragraphs: [
      [
        "When it fires",
        "Once per rule statement whose text after the colon has fewer non-space characters than `content_checks.min_rule_length` (10 in `specgate`, 15 in `specgate-en`).",
      ],
      ["Where it is reported", "The rule's line, with `rule_id`."],
      ["Fix", "None."],
    ],
    wrong: "- **RULE-API-001** (MUST): JSON 사용",
    right: "- **RULE-API-001** (MUST): 모든 주문 API는 JSON 형식으로 응답해야 한다",
  },
});
