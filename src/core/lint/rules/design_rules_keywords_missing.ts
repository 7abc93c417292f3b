/**
 * `design_rules_keywords_missing`: The design rules section uses none of the MUST/SHOULD/MAY
 * keywords. The page docs/rules/design_rules_keywords_missing.md is generated from `docs` below.
 */
import { defineRule } from "./rule.js";
import { sectionBlocks } from "../../markdown/document.js";
import { blockText } from "./shared/blocks.js";

export const designRulesKeywordsMissing = defineRule({
  code: "design_rules_keywords_missing",
  severity: "warning",
  checkTypes: ["full"],
  summary: "The design rules section uses none of the MUST/SHOULD/MAY keywords.",
  messages: {
    keywords_missing: {
      ko: (p) => `'${p.section}' 섹션에 규칙 유형 키워드(${p.types})가 없습니다.`,
      en: (p) => `The '${p.section}' section uses none of the rule type keywords (${p.types}).`,
    },
  },
  suggestion: {
    ko: "MUST, SHOULD, MUST NOT 키워드로 규칙을 구분하세요.",
    en: "Classify the rules with MUST, SHOULD and MUST NOT.",
  },
  check(ctx) {
    const at = ctx.sections.design_rules_section;
    if (at === undefined) return;
    const words = [...new Set(ctx.ruleset.validTypes.map((t) => t.split(" ")[0]!))];
    const keyword = new RegExp(`(?:^|[^A-Za-z])(?:${words.map(escape).join("|")})(?![A-Za-z])`);
    const { start, end } = sectionBlocks(ctx.doc, at);
    for (let i = start - 1; i < end; i++) {
      if (keyword.test(blockText(ctx.doc.blocks[i]!))) return;
    }
    const heading = ctx.doc.headings[at]!;
    ctx.report({
      line: heading.line,
      column: 1,
      messageId: "keywords_missing",
      params: { section: heading.text, types: ctx.ruleset.validTypes.join(", ") },
    });
  },
  docs: {
    lead: "The design rules section never says MUST, SHOULD or MAY.",
    paragraphs: [
      [
        "When it fires",
        "The design rules section exists, but neither its headings, nor its rules' types, nor its prose contain a rule type keyword of the ruleset (`MUST`, `SHOULD`, `MAY` as upper-case words). Typical cause: types written as `(필수)` / `(권장)` and sub-sections named `필수 규칙`.",
      ],
      ["Where it is reported", "The design rules heading."],
      ["Fix", "None."],
    ],
    wrong: [
      "## 2. 설계 규칙",
      "### 2.1 필수 규칙",
      "- **RULE-API-001** (필수): 모든 주문 API는 JSON 형식으로 응답해야 한다",
    ].join("\n"),
    right: [
      "## 2. 설계 규칙",
      "### 2.1 MUST 규칙 (필수)",
      "- **RULE-API-001** (MUST): 모든 주문 API는 JSON 형식으로 응답해야 한다",
    ].join("\n"),
  },
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
