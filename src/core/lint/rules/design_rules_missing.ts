/**
 * `design_rules_missing`: There is no design rules section (설계 규칙 / Design Rules). The page
 * docs/rules/design_rules_missing.md is generated from `docs` below.
 */
import { defineRule } from "./rule.js";
import { requireSection, SECTION_MISSING } from "./shared/sections.js";

export const designRulesMissing = defineRule({
  code: "design_rules_missing",
  severity: "error",
  checkTypes: ["full", "basic", "structure"],
  summary: "There is no design rules section (설계 규칙 / Design Rules).",
  messages: { section_missing: SECTION_MISSING },
  suggestion: {
    ko: "## 2. 설계 규칙 섹션을 추가하세요.",
    en: "Add a '## 2. Design Rules' section.",
  },
  check(ctx) {
    requireSection(ctx, "design_rules_section");
  },
  docs: {
    lead: "There is no design rules section.",
    paragraphs: [
      [
        "When it fires",
        "No heading (other than the title) matches the section's names — `설계 규칙` or `Design Rules`, case- and space-insensitive, with or without a number (`## 2. 설계 규칙 (Design Rules)`, `## Design Rules`, `## 설계규칙`), the name at the start of the heading or in its parentheses — or, if the ruleset sets `structure_checks.design_rules_section.pattern`, no `## heading` line matches that pattern. A ruleset can turn the section into an optional one with `required: false`.",
      ],
      [
        "Where it is reported",
        "Where the section belongs: before the first later template section present (technical spec, implementation guide, change history), else before the first top-level heading numbered higher than 2, else the document's last line with content.",
      ],
      [
        "Fix",
        "Inserts `## 2. 설계 규칙 (Design Rules)` with its MUST / SHOULD / 금지 sub-headings there (without numbers when the document numbers no section).",
      ],
    ],
    wrong: ["# PayFlow API 설계서", "", "## 1. 개요", "주문 API.", "", "## 2. 기술 스펙"].join("\n"),
    right: [
      "# PayFlow API 설계서",
      "",
      "## 1. 개요",
      "주문 API.",
      "",
      "## 2. 설계 규칙 (Design Rules)",
      "### 2.1 MUST 규칙 (필수)",
      "- **RULE-API-001** (MUST): 모든 주문 API는 JSON 형식으로 응답해야 한다",
      "",
      "## 3. 기술 스펙",
    ].join("\n"),
  },
});
