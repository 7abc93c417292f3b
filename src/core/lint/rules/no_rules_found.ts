/**
 * `no_rules_found`: The document states no rule in the form **RULE-AREA-NNN** (TYPE): text. The
 * page docs/rules/no_rules_found.md is generated from `docs` below.
 */
import { defineRule } from "./rule.js";
import { placeMissing } from "../sections.js";

export const noRulesFound = defineRule({
  code: "no_rules_found",
  severity: "error",
  checkTypes: ["full", "basic"],
  summary: "The document states no rule in the form **RULE-AREA-NNN** (TYPE): text.",
  messages: {
    no_rules: {
      ko: () => "문서에 **RULE-[영역]-[번호]** (유형) 형식의 설계 규칙이 하나도 없습니다.",
      en: () => "The document states no design rule in the form **RULE-AREA-NNN** (TYPE).",
    },
  },
  suggestion: {
    ko: "설계 규칙을 **RULE-[영역]-[번호]** (유형): [규칙] 형식으로 추가하세요.",
    en: "Add rules in the form **RULE-AREA-NNN** (TYPE): rule.",
  },
  check(ctx) {
    const { doc, ruleset } = ctx;
    if (ctx.statements.length > 0 || ctx.unidentified().length > 0) return;
    const at = ctx.sections.design_rules_section;
    const line =
      at !== undefined
        ? doc.headings[at]!.line
        : placeMissing(doc, "design_rules_section", ruleset.sections.design_rules_section, ctx.sections, ctx.lines)
            .line;
    ctx.report({ line, column: 1, messageId: "no_rules" });
  },
  docs: {
    lead: "The document states no rule in the standard form.",
    paragraphs: [
      [
        "When it fires",
        "No `RULE-…` statement anywhere in the document's prose (list items, paragraphs, table rows — never code blocks, HTML comments or quotes), and no id-less rule in the design rules section either (those are `rule_id_format_mismatch`).",
      ],
      ["Where it is reported", "The design rules heading, or where that section belongs when it is missing."],
      ["Fix", "None."],
    ],
    wrong: ["## 2. 설계 규칙", "주문 API는 일관되게 설계한다."].join("\n"),
    right: [
      "## 2. 설계 규칙",
      "- **RULE-API-001** (MUST): 모든 주문 API는 JSON 형식으로 응답해야 한다",
      "  - 적용 범위: 모든 REST API 엔드포인트",
      "  - 근거: 클라이언트 파싱의 일관성",
      "  - 참조: 3.1 API 설계 (OpenAPI)",
    ].join("\n"),
  },
});
