/**
 * `code_example_missing`: The document has no code example (a fenced code block other than a
 * diagram). The page docs/rules/code_example_missing.md is generated from `docs` below.
 */
import { defineRule } from "./rule.js";

/** Fence languages of diagrams: a diagram is not a code example. */
const DIAGRAMS = new Set(["mermaid", "plantuml", "puml", "dot", "graphviz", "ditaa"]);

export const codeExampleMissing = defineRule({
  code: "code_example_missing",
  severity: "warning",
  checkTypes: ["full"],
  summary: "The document has no code example (a fenced code block other than a diagram).",
  messages: {
    code_missing: {
      ko: () => "문서에 코드 예제(``` 코드 블록)가 없습니다.",
      en: () => "The document has no code example (``` code block).",
    },
  },
  suggestion: {
    ko: "코드 예제를 ```코드블록``` 형식으로 추가하세요.",
    en: "Add a code example in a fenced code block.",
  },
  check(ctx) {
    const { doc } = ctx;
    if (
      doc.blocks.some((b) => b.kind === "code" && b.text.trim() !== "" && !DIAGRAMS.has((b.lang ?? "").toLowerCase()))
    )
      return;
    const at = ctx.sections.implementation_guide_section ?? ctx.sections.technical_spec_section;
    const line = at === undefined ? ctx.lines.lastContentLine() : doc.headings[at]!.line;
    ctx.report({ line, column: 1, messageId: "code_missing" });
  },
  docs: {
    lead: "The document has no code example.",
    paragraphs: [
      [
        "When it fires",
        "No non-empty code block (fenced or indented) other than a diagram (`mermaid`, `plantuml`, `puml`, `dot`, `graphviz`, `ditaa`).",
      ],
      [
        "Where it is reported",
        "The implementation guide heading, else the technical spec heading, else the last line with content.",
      ],
      ["Fix", "None."],
    ],
    wrong: ["## 4. 구현 가이드", "### 4.1 코드 예시", "*코드 블록이 없습니다.*"].join("\n"),
    right: [
      "## 4. 구현 가이드",
      "### 4.1 코드 예시",
      "```ts",
      'app.post("/orders", requireIdempotencyKey, createOrder);',
      "```",
    ].join("\n"),
  },
});
