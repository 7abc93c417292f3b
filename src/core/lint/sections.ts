/**
 * Where the template's parts are: the title and the sections (design rules, technical spec,
 * implementation guide, change history), matched by name in Korean or English, with or without
 * numbering — and where a missing section would go.
 */
import { sectionBlocks, type Heading, type MarkdownDocument } from "../markdown/document.js";
import type { SectionSpec } from "./ruleset/compile.js";
import { SECTION_KEYS, type SectionKey } from "./ruleset/section-keys.js";
import type { Lang } from "./messages.js";
import type { SourceLines } from "../markdown/lines.js";
import { stripParenthesized } from "../text.js";

/** Patterns from rulesets only ever see this much of a heading. */
export const MAX_PATTERN_INPUT = 500;

/** The title: the document's first heading, when it is of level 1. */
export function findTitle(doc: MarkdownDocument): number | undefined {
  return doc.headings[0]?.level === 1 ? 0 : undefined;
}

/** `"Design Rules (설계 규칙)"` → `["designrules(설계규칙)", "designrules", "설계규칙"]`: compact, lower-case parts. */
function headingParts(title: string): string[] {
  const compact = (s: string) =>
    s
      .toLowerCase()
      .replace(/[\s\u00a0]+/g, "")
      .replace(/^[^\p{L}\p{N}]+/u, "");
  const parts = [compact(title), compact(stripParenthesized(title))];
  for (const m of title.matchAll(/[(（]([^)）]{1,100})[)）]/g)) parts.push(compact(m[1]!));
  return parts.filter(Boolean);
}

const compactNames = new WeakMap<SectionSpec, string[]>();

function namesOf(spec: SectionSpec): string[] {
  let names = compactNames.get(spec);
  if (!names) {
    names = spec.names.map((n) => n.toLowerCase().replace(/\s+/g, ""));
    compactNames.set(spec, names);
  }
  return names;
}

export function headingMatches(
  heading: Heading,
  spec: SectionSpec,
  parts: string[] = headingParts(heading.title),
): boolean {
  if (spec.pattern)
    return spec.pattern.test(`${"#".repeat(heading.level)} ${heading.text}`.slice(0, MAX_PATTERN_INPUT));
  return namesOf(spec).some((n) => parts.some((p) => p.startsWith(n)));
}

/**
 * The heading index of each section found: of all matching headings (the title excluded), the
 * first one of the shallowest level.
 */
export function findSections(
  doc: MarkdownDocument,
  specs: Readonly<Record<SectionKey, SectionSpec>>,
  title: number | undefined,
): Partial<Record<SectionKey, number>> {
  const out: Partial<Record<SectionKey, number>> = {};
  const parts = doc.headings.map((h) => headingParts(h.title));
  for (const key of SECTION_KEYS) {
    let best: number | undefined;
    doc.headings.forEach((h, i) => {
      if (i === title || !headingMatches(h, specs[key], parts[i])) return;
      if (best === undefined || h.level < doc.headings[best]!.level) best = i;
    });
    if (best !== undefined) out[key] = best;
  }
  return out;
}

export interface Placement {
  /** Line a fix inserts before. */
  insertAt: number;
  /** Line the violation is reported at: the heading it would go before, or the last line with content. */
  line: number;
  /** The heading it would go before, when not at the end. */
  before: Heading | undefined;
}

/**
 * Where a missing section belongs: before the first later template section present, else
 * before the first top-level heading numbered higher than the section's own number, else at
 * the end of the document.
 */
export function placeMissing(
  doc: MarkdownDocument,
  key: SectionKey,
  spec: SectionSpec,
  found: Partial<Record<SectionKey, number>>,
  lines: SourceLines,
): Placement {
  const later = SECTION_KEYS.slice(SECTION_KEYS.indexOf(key) + 1)
    .map((k) => found[k])
    .filter((i): i is number => i !== undefined)
    .sort((a, b) => a - b)[0];
  let before = later === undefined ? undefined : doc.headings[later];
  if (!before) {
    const own = Number.parseInt(spec.heading, 10);
    if (Number.isFinite(own))
      before = doc.headings.find(
        (h, i) => i > 0 && h.level <= 2 && h.number !== undefined && Number.parseInt(h.number, 10) > own,
      );
  }
  if (before) return { insertAt: before.line, line: before.line, before };
  const last = lines.lastContentLine();
  return { insertAt: last + 1, line: last, before: undefined };
}

/** Whether the document numbers its top-level sections ("## 2. …"): most level-2 headings carry a number. */
export function usesNumbering(doc: MarkdownDocument): boolean {
  const top = doc.headings.filter((h) => h.level === 2);
  return top.length > 0 && top.filter((h) => h.number !== undefined).length * 2 >= top.length;
}

/** The heading text a fix inserts: the ruleset's, without its number when the document numbers nothing. */
export function sectionHeading(spec: SectionSpec, numbered: boolean): string {
  return numbered ? spec.heading : spec.heading.replace(/^\s*(?:\d+\.)*\d+\.?\s+/, "");
}

/** The text a fix inserts for a missing section (heading plus the template's skeleton). */
export function sectionSkeleton(key: SectionKey, spec: SectionSpec, numbered: boolean, lang: Lang): string {
  const heading = `## ${sectionHeading(spec, numbered)}`;
  const n = numbered ? `${Number.parseInt(spec.heading, 10)}.` : "";
  const sub = (k: number, text: string) => `### ${numbered ? `${n}${k} ` : ""}${text}`;
  switch (key) {
    case "design_rules_section":
      return lang === "ko"
        ? [
            heading,
            sub(1, "MUST 규칙 (필수)"),
            "",
            sub(2, "SHOULD 규칙 (권장)"),
            "",
            sub(3, "금지 규칙 (Prohibited)"),
            "",
          ].join("\n")
        : [heading, sub(1, "MUST Rules"), "", sub(2, "SHOULD Rules"), "", sub(3, "MUST NOT Rules"), ""].join("\n");
    case "change_history_section":
      return [heading, historyTable(lang), ""].join("\n");
    default:
      return [heading, ""].join("\n");
  }
}

export function historyTable(lang: Lang): string {
  return lang === "ko"
    ? [
        "| 버전 | 날짜 | 변경내용 | 작성자 |",
        "|------|------|----------|--------|",
        "| 1.0 | YYYY-MM-DD | 최초 작성 | [작성자] |",
      ].join("\n")
    : [
        "| Version | Date | Change | Author |",
        "|---------|------|--------|--------|",
        "| 1.0 | YYYY-MM-DD | First version | [author] |",
      ].join("\n");
}

/** Whether a section has any content: a table row below the header, a list item or a paragraph. */
export function sectionHasContent(doc: MarkdownDocument, heading: number): boolean {
  const { start, end } = sectionBlocks(doc, heading);
  for (let i = start; i < end; i++) {
    const b = doc.blocks[i]!;
    if (b.kind === "table" && (b.rows ?? []).some((r) => !r.header && r.cells.some((c) => c.trim() !== "")))
      return true;
    if ((b.kind === "list_item" || b.kind === "paragraph") && b.text.trim() !== "") return true;
  }
  return false;
}
