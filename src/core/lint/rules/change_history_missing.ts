/**
 * `change_history_missing`: There is no change history section (변경 이력 / Change History), or it
 * records nothing. The page docs/rules/change_history_missing.md is generated from `docs` below.
 */
import { defineRule } from "./rule.js";
import { historyTable, sectionHasContent } from "../sections.js";
import { requireSection, SECTION_MISSING } from "./shared/sections.js";

export const changeHistoryMissing = defineRule({
  code: "change_history_missing",
  severity: "warning",
  checkTypes: ["full", "basic", "structure"],
  summary: "There is no change history section (변경 이력 / Change History), or it records nothing.",
  messages: {
    section_missing: SECTION_MISSING,
    history_empty: {
      ko: (p) => `'${p.section}' 섹션에 변경 기록이 없습니다.`,
      en: (p) => `The '${p.section}' section records no changes.`,
    },
  },
  suggestion: {
    ko: "## 5. 변경 이력 섹션을 표 형식으로 추가하세요.",
    en: "Add a '## 5. Change History' table.",
  },
  check(ctx) {
    const found = requireSection(ctx, "change_history_section");
    // `structure` reads headings only: an empty section is not its business.
    if (found === undefined || ctx.checkType === "structure" || sectionHasContent(ctx.doc, found)) return;
    const heading = ctx.doc.headings[found]!;
    const after = ctx.doc.blocks[heading.block]!.endLine + 1;
    ctx.report({
      line: heading.line,
      column: 1,
      messageId: "history_empty",
      params: { section: heading.text },
      fix: {
        start_line: after,
        end_line: after,
        text: `${historyTable(ctx.lang)}\n`,
        description: ctx.lang === "ko" ? "변경 이력 표 추가" : "Insert a change history table",
      },
    });
  },
  docs: {
    lead: "There is no change history, or it records nothing.",
    checkTypeNotes: { structure: "heading only" },
    paragraphs: [
      [
        "When it fires",
        "No heading matches `변경 이력`, `Change History`, `Changelog`, `Revision History` (and the other names of the ruleset), or — except with `check_type: structure`, which reads headings only — the section has no table row below its header, no list item and no paragraph. A heading inside a code block is code, not a section.",
      ],
      [
        "Where it is reported",
        "A missing section: where it belongs (usually the end: the last line with content). An empty section: its heading.",
      ],
      [
        "Fix",
        "Inserts `## 5. 변경 이력` with a `| 버전 | 날짜 | 변경내용 | 작성자 |` table and a placeholder row (English: `| Version | Date | Change | Author |`); for an empty section, the table under its heading.",
      ],
    ],
    wrong: ["## 4. 구현 가이드", "- 테스트는 CI에서 실행한다."].join("\n"),
    right: [
      "## 4. 구현 가이드",
      "- 테스트는 CI에서 실행한다.",
      "",
      "## 5. 변경 이력",
      "| 버전 | 날짜 | 변경내용 | 작성자 |",
      "|------|------|----------|--------|",
      "| 1.0 | 2025-01-10 | 최초 작성 | 결제팀 |",
    ].join("\n"),
  },
});
