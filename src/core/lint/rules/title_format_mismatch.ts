/**
 * `title_format_mismatch`: The title is missing or not '# <Project> <Type> 설계서' ('… Design
 * Document' in English). The page docs/rules/title_format_mismatch.md is generated from `docs`
 * below.
 */
import { defineRule } from "./rule.js";
import { MAX_PATTERN_INPUT } from "../sections.js";

export const titleFormatMismatch = defineRule({
  code: "title_format_mismatch",
  severity: "error",
  checkTypes: ["full", "basic", "structure"],
  summary: "The title is missing or not '# <Project> <Type> 설계서' ('… Design Document' in English).",
  messages: {
    title_missing: {
      ko: () => "문서 제목(# …)이 없습니다. 첫 제목은 '# <프로젝트명> <문서유형> 설계서' 형식이어야 합니다.",
      en: () => "The document has no title (# …); the first heading must be '# <Project> <Type> Design Document'.",
    },
    title_wrong: {
      ko: (p) => `제목 '${p.title}'이(가) '[프로젝트명] [문서유형] 설계서' 형식이 아닙니다.`,
      en: (p) => `The title '${p.title}' does not follow '<Project> <Type> Design Document'.`,
    },
  },
  suggestion: {
    ko: "제목을 '[프로젝트명] [문서유형] 설계서' 형식으로 수정하세요.",
    en: "Rename the title to '<Project> <Type> Design Document'.",
  },
  check(ctx) {
    const { doc, ruleset, lang, lines } = ctx;
    const pattern = ruleset.title.pattern;
    const placeholder = lang === "ko" ? "# [프로젝트명] [문서유형] 설계서" : "# [Project] [Type] Design Document";
    if (ctx.title === undefined) {
      const first = firstContentLine(lines);
      ctx.report({
        line: first,
        column: 1,
        messageId: "title_missing",
        fix: pattern.test(placeholder)
          ? {
              start_line: first,
              end_line: first,
              text: `${placeholder}\n\n`,
              description: lang === "ko" ? "제목 자리 추가" : "Insert a title placeholder",
            }
          : undefined,
      });
      return;
    }
    const heading = doc.headings[ctx.title]!;
    const text = heading.text.slice(0, MAX_PATTERN_INPUT);
    if (pattern.test(`# ${text}`)) return;
    const raw = lines.get(heading.line);
    const candidate = /^#\s/.test(raw) ? correctedTitle(text, pattern) : undefined;
    ctx.report({
      line: heading.line,
      column: 1,
      messageId: "title_wrong",
      params: { title: text },
      fix: candidate
        ? {
            start_line: heading.line,
            end_line: heading.line + 1,
            text: `${candidate}\n`,
            description: `→ ${candidate}`,
          }
        : undefined,
    });
  },
  docs: {
    lead: "The title is missing or does not follow `# <Project> <Type> 설계서` (English: `# <Project> <Type> Design Document`).",
    paragraphs: [
      [
        "When it fires",
        "The document's first heading is not a level-1 heading (no title), or `# ` + the title's plain text does not match the ruleset's `structure_checks.title_format.pattern`. The bundled `specgate` pattern wants a project (one word, or anything in `[brackets]`), a document type (one or more words, or `[brackets]`) and `설계서`: `# [PayFlow] API 설계서`, `# PayFlow API 설계서` and `# MyProject 데이터 모델 설계서` pass; `# API 설계`, `# API 설계서` (no project) and `# 잘못된 제목` fail. `specgate-en` wants `Design Document` instead (case-insensitive).",
      ],
      ["Where it is reported", "The title's line; for a missing title, the first line with content."],
      [
        "Fix",
        "A near miss is corrected (`# PayFlow API 설계` → `# PayFlow API 설계서`, `# PayFlow API Design` → `# PayFlow API Design Document`); a missing title gets a `# [프로젝트명] [문서유형] 설계서` placeholder. Unrelated titles have no mechanical fix.",
      ],
    ],
    wrong: "# API 설계",
    right: "# PayFlow API 설계서",
  },
});

/** A mechanical correction of a near-miss title ("… 설계" → "… 설계서", "… Design" → "… Design Document"). */
function correctedTitle(text: string, pattern: RegExp): string | undefined {
  const candidates = [
    text.replace(/(?<!\s)\s*설계(?:\s*문서)?\s*$/, " 설계서"),
    text.replace(/(?<!\s)\s*Design(?:\s+Doc(?:ument)?)?\s*$/i, " Design Document"),
  ];
  return candidates.map((c) => `# ${c.trim()}`).find((c) => c !== `# ${text}` && pattern.test(c));
}

function firstContentLine(lines: { get(n: number): string; length: number }): number {
  for (let n = 1; n <= lines.length; n++) if (lines.get(n).trim() !== "") return n;
  return 1;
}
