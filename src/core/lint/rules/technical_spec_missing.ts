/**
 * `technical_spec_missing`: There is no technical spec section (기술 스펙 / Technical Specification).
 * The page docs/rules/technical_spec_missing.md is generated from `docs` below.
 */
import { defineRule } from "./rule.js";
import { requireSection, SECTION_MISSING } from "./shared/sections.js";

export const technicalSpecMissing = defineRule({
  code: "technical_spec_missing",
  severity: "error",
  checkTypes: ["full", "basic", "structure"],
  summary: "There is no technical spec section (기술 스펙 / Technical Specification).",
  messages: { section_missing: SECTION_MISSING },
  suggestion: {
    ko: "## 3. 기술 스펙 섹션을 추가하세요.",
    en: "Add a '## 3. Technical Specification' section.",
  },
  check(ctx) {
    requireSection(ctx, "technical_spec_section");
  },
  docs: {
    lead: "There is no technical spec section.",
    paragraphs: [
      [
        "When it fires",
        "No heading matches `기술 스펙`, `기술 사양`, `Technical Spec` or `Technical Specification` (same matching as the other sections), or the ruleset's pattern for `technical_spec_section`.",
      ],
      [
        "Where it is reported",
        "Before the implementation guide or change history heading, else before the first top-level heading numbered higher than 3, else the last line with content.",
      ],
      ["Fix", "Inserts a `## 3. 기술 스펙` heading there."],
    ],
    wrong: [
      "## 2. 설계 규칙",
      "- **RULE-API-001** (MUST): 모든 주문 API는 JSON 형식으로 응답해야 한다",
      "",
      "## 5. 변경 이력",
    ].join("\n"),
    right: [
      "## 2. 설계 규칙",
      "- **RULE-API-001** (MUST): 모든 주문 API는 JSON 형식으로 응답해야 한다",
      "",
      "## 3. 기술 스펙",
      "### 3.1 API 설계 (OpenAPI)",
      "```yaml",
      "openapi: 3.0.0",
      "```",
      "",
      "## 5. 변경 이력",
    ].join("\n"),
  },
});
