/**
 * `parsing_error`: The document cannot be read: it is empty, or an unclosed code fence swallows
 * its headings. The page docs/rules/parsing_error.md is generated from `docs` below.
 */
import { defineRule } from "./rule.js";

export const parsingError = defineRule({
  code: "parsing_error",
  severity: "error",
  checkTypes: ["full", "basic", "structure"],
  summary: "The document cannot be read: it is empty, or an unclosed code fence swallows its headings.",
  messages: {
    empty_document: { ko: () => "문서가 비어 있습니다.", en: () => "The document is empty." },
    unclosed_fence: {
      ko: (p) => `${p.line}행의 코드 블록이 닫히지 않아 뒤의 제목과 내용이 모두 코드로 읽힙니다.`,
      en: (p) => `The code block opened at line ${p.line} is never closed, so every heading after it is read as code.`,
    },
  },
  halts: true,
  suggestion: {
    ko: "문서 내용을 확인하고 올바른 형식으로 작성하세요.",
    en: "Check the document's content and write it in the standard form.",
  },
  check(ctx) {
    const { doc } = ctx;
    if (doc.source.trim() === "") {
      ctx.report({ line: 1, messageId: "empty_document" });
      return;
    }
    // Only a fence still open at the end of the document can be unclosed: look at the last blocks.
    for (let i = doc.blocks.length - 1; i >= 0 && doc.blocks[i]!.endLine >= doc.lineCount; i--) {
      const b = doc.blocks[i]!;
      if (b.kind !== "code" || b.lang === undefined) continue;
      const open = /^\s*(`{3,}|~{3,})/.exec(ctx.lines.get(b.line));
      if (!open) continue;
      const fence = open[1]!;
      const close = /^\s{0,3}(`{3,}|~{3,})\s*$/.exec(ctx.lines.get(b.endLine));
      const closed =
        close !== null && b.endLine > b.line && close[1]![0] === fence[0] && close[1]!.length >= fence.length;
      if (!closed && /^#{1,6}\s/m.test(b.text)) {
        ctx.report({ line: b.line, column: 1, messageId: "unclosed_fence", params: { line: b.line } });
        return;
      }
    }
  },
  docs: {
    lead: "The document cannot be read as a design document.",
    paragraphs: [
      [
        "When it fires",
        "The content is empty (or only whitespace), or a fenced code block is opened and never closed *and* the unclosed block swallows at least one heading-like line (`# …`). When it fires, no other check runs: the score is 0 anyway, and findings about a misread document would only mislead. Content with NUL characters is not a lint finding but an `E_INVALID_INPUT` error (a batch reports it as that document's error entry).",
      ],
      ["Where it is reported", "Line 1 for an empty document; the opening fence's line for an unclosed fence."],
      ["Fix", "None."],
    ],
    wrong: [
      "# PayFlow API 설계서",
      "",
      "## 4. 구현 가이드",
      "```ts",
      'app.post("/orders", createOrder);',
      "",
      "## 5. 변경 이력",
      "| 버전 | 날짜 | 변경내용 | 작성자 |",
    ].join("\n"),
    right: [
      "# PayFlow API 설계서",
      "",
      "## 4. 구현 가이드",
      "```ts",
      'app.post("/orders", createOrder);',
      "```",
      "",
      "## 5. 변경 이력",
      "| 버전 | 날짜 | 변경내용 | 작성자 |",
    ].join("\n"),
  },
});
