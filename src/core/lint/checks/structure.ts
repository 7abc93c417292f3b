/**
 * Document-level checks of the template's structure:
 *
 * - `parsing_error`: the content is empty (or blank), or a fenced code block is never closed and
 *   swallows headings. Reported at line 1 (or the unclosed fence); no other check runs.
 * - `title_format_mismatch`: the first heading is not a level-1 title, or `# <title text>` does
 *   not match the ruleset's title pattern. Reported at the title's line (or the first line with
 *   content when there is no title).
 * - `design_rules_missing`, `technical_spec_missing`, `change_history_missing`: no heading
 *   matches the section's names (or pattern). Reported where the section belongs: the heading
 *   it would go before, else the last line with content; the fix inserts the template skeleton.
 *   `change_history_missing` also fires, at its heading, when the section records nothing
 *   (no table row, list item or paragraph) — not in `structure` mode, which reads headings only.
 */
import type { CheckContext } from "../context.js";
import type { SectionKey } from "../ruleset/schema.js";
import { MAX_PATTERN_INPUT, historyTable, placeMissing, sectionHasContent, sectionSkeleton, usesNumbering } from "../sections.js";
import type { LintCode } from "../codes.js";

/** Returns true when the document cannot be read and no other check should run. */
export function checkParsing(ctx: CheckContext): boolean {
  if (!ctx.enabled("parsing_error")) return false;
  const { doc } = ctx;
  if (doc.source.trim() === "") {
    ctx.report({ code: "parsing_error", line: 1, messageId: "empty_document" });
    return true;
  }
  // Only a fence still open at the end of the document can be unclosed: look at the last blocks.
  for (let i = doc.blocks.length - 1; i >= 0 && doc.blocks[i]!.endLine >= doc.lineCount; i--) {
    const b = doc.blocks[i]!;
    if (b.kind !== "code" || b.lang === undefined) continue;
    const open = /^\s*(`{3,}|~{3,})/.exec(ctx.lines.get(b.line));
    if (!open) continue;
    const fence = open[1]!;
    const close = /^\s{0,3}(`{3,}|~{3,})\s*$/.exec(ctx.lines.get(b.endLine));
    const closed = close !== null && b.endLine > b.line && close[1]![0] === fence[0] && close[1]!.length >= fence.length;
    if (!closed && /^#{1,6}\s/m.test(b.text)) {
      ctx.report({ code: "parsing_error", line: b.line, column: 1, messageId: "unclosed_fence", params: { line: b.line } });
      return true;
    }
  }
  return false;
}

export function checkTitle(ctx: CheckContext): void {
  if (!ctx.enabled("title_format_mismatch")) return;
  const { doc, ruleset, lang, lines } = ctx;
  const pattern = ruleset.title.pattern;
  const placeholder = lang === "ko" ? "# [프로젝트명] [문서유형] 설계서" : "# [Project] [Type] Design Document";
  if (ctx.title === undefined) {
    const first = firstContentLine(lines);
    ctx.report({
      code: "title_format_mismatch",
      line: first,
      column: 1,
      messageId: "title_missing",
      fix: pattern.test(placeholder) ? { start_line: first, end_line: first, text: `${placeholder}\n\n`, description: lang === "ko" ? "제목 자리 추가" : "Insert a title placeholder" } : undefined,
    });
    return;
  }
  const heading = doc.headings[ctx.title]!;
  const text = heading.text.slice(0, MAX_PATTERN_INPUT);
  if (pattern.test(`# ${text}`)) return;
  const raw = lines.get(heading.line);
  const candidate = /^#\s/.test(raw) ? correctedTitle(text, pattern) : undefined;
  ctx.report({
    code: "title_format_mismatch",
    line: heading.line,
    column: 1,
    messageId: "title_wrong",
    params: { title: text },
    fix: candidate ? { start_line: heading.line, end_line: heading.line + 1, text: `${candidate}\n`, description: `→ ${candidate}` } : undefined,
  });
}

/** A mechanical correction of a near-miss title ("… 설계" → "… 설계서", "… Design" → "… Design Document"). */
function correctedTitle(text: string, pattern: RegExp): string | undefined {
  const candidates = [text.replace(/(?<!\s)\s*설계(?:\s*문서)?\s*$/, " 설계서"), text.replace(/(?<!\s)\s*Design(?:\s+Doc(?:ument)?)?\s*$/i, " Design Document")];
  return candidates.map((c) => `# ${c.trim()}`).find((c) => c !== `# ${text}` && pattern.test(c));
}

const SECTION_CODES: readonly [SectionKey, LintCode][] = [
  ["design_rules_section", "design_rules_missing"],
  ["technical_spec_section", "technical_spec_missing"],
  ["change_history_section", "change_history_missing"],
];

export function checkSections(ctx: CheckContext, headingsOnly: boolean): void {
  const { doc, ruleset, lang, lines } = ctx;
  const numbered = usesNumbering(doc);
  for (const [key, code] of SECTION_CODES) {
    const spec = ruleset.sections[key];
    if (!spec.required || !ctx.enabled(code)) continue;
    const found = ctx.sections[key];
    const name = spec.heading.replace(/^\s*(?:\d+\.)*\d+\.?\s+/, "");
    if (found === undefined) {
      const place = placeMissing(doc, key, spec, ctx.sections, lines);
      const skeleton = sectionSkeleton(key, spec, numbered, lang);
      const text = place.before ? `${skeleton}\n` : `\n${skeleton}`;
      ctx.report({
        code,
        line: place.line,
        column: 1,
        messageId: "section_missing",
        params: { section: name, where: place.before ? "before" : "end", before: place.before?.text ?? "" },
        fix: { start_line: place.insertAt, end_line: place.insertAt, text, description: lang === "ko" ? `'${name}' 섹션 추가` : `Insert the '${name}' section` },
      });
      continue;
    }
    if (key === "change_history_section" && !headingsOnly && !sectionHasContent(doc, found)) {
      const heading = doc.headings[found]!;
      const after = doc.blocks[heading.block]!.endLine + 1;
      ctx.report({
        code,
        line: heading.line,
        column: 1,
        messageId: "history_empty",
        params: { section: heading.text },
        fix: { start_line: after, end_line: after, text: `${historyTable(lang)}\n`, description: lang === "ko" ? "변경 이력 표 추가" : "Insert a change history table" },
      });
    }
  }
}

function firstContentLine(lines: { get(n: number): string; length: number }): number {
  for (let n = 1; n <= lines.length; n++) if (lines.get(n).trim() !== "") return n;
  return 1;
}
