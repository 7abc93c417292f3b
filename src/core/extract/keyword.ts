/**
 * Keyword rules: sentences of free text that state a rule with an RFC 2119 keyword or a Korean
 * modal ending (see modal.ts), in paragraphs, list items and table cells.
 *
 * Not read: code, HTML blocks and inline HTML comments, headings, blockquotes, wrong examples,
 * checklists, change-history tables, descriptive sections (context.ts), standardized statements
 * and their detail lines, inline code spans (`MUST` in backticks is a word, not a keyword),
 * questions, past-tense narrative and fragments. Sentences that looked like rules but were turned
 * down are counted by reason in `stats.rejected`.
 *
 * The priority is the keyword's. A Korean "…해야 한다" says only "is obliged to", and Korean
 * standards use it for SHOULD rules as well, so under a heading that names SHOULD (SHOULD 규칙,
 * 권장) a Korean MUST reads as SHOULD and MUST NOT as SHOULD NOT. English keywords are taken as
 * written. A keyword rule in a list item takes `적용 범위`/`근거`/`참조` details from its sub-items.
 */
import { parseDetail, type RuleDetail } from "../markdown/rule-statements.js";
import { plainText, type Block, type MarkdownDocument } from "../markdown/document.js";
import { parseDetailLiteral, plainInline } from "./inline.js";
import { throwIfAborted } from "../../errors.js";
import type { Priority } from "../spec/design-rule-spec.js";
import { startsAsBadExample, type BlockReason } from "./context.js";
import { cleanSentence, detectModal, looksLikeRule, mayHoldRule, rejectReason } from "./modal.js";
import { scopePatterns } from "./scope.js";
import { splitSentences } from "./sentences.js";
import { meaningful, splitReferences, type DocContext } from "./standardized.js";
import type { RejectedCounts, RuleDraft } from "./types.js";

export interface KeywordScan {
  doc: MarkdownDocument;
  reasons: readonly (BlockReason | undefined)[];
  /** Blocks that are standardized statements or their details. */
  covered: ReadonlySet<number>;
  /** Table rows (by line) that are standardized statements. */
  coveredRows: ReadonlySet<number>;
  rejected: RejectedCounts;
  signal?: AbortSignal | undefined;
}

const SKIPPED_KINDS = new Set(["code", "html", "heading", "hr"]);

export function keywordDrafts(scan: KeywordScan, ctx: DocContext): RuleDraft[] {
  const { doc, reasons, covered, coveredRows, rejected } = scan;
  const out: RuleDraft[] = [];
  for (let i = 0; i < doc.blocks.length; i++) {
    if ((i & 255) === 0) throwIfAborted(scan.signal);
    const b = doc.blocks[i]!;
    if (SKIPPED_KINDS.has(b.kind) || covered.has(i)) continue;
    const reason = reasons[i];
    if (reason === "code" || reason === "html" || reason === "heading") continue;
    // `cell`: a table cell, all on its row's line; its `<br>`s (how html_to_md writes line breaks
    // and list items in a cell) end lines, so they can end sentences, and list markers go.
    const sources: { raw: string; line: number; cell: boolean }[] = [];
    if (b.kind === "table") {
      for (const row of b.rows ?? []) {
        if (row.header || coveredRows.has(row.line)) continue;
        for (const cell of row.cells) if (mayHoldRule(cell)) sources.push({ raw: cellLines(cell), line: row.line, cell: true });
      }
    } else {
      if (!mayHoldRule(b.text) || parseDetail(b.text.split("\n", 1)[0] ?? "", b.line)) continue;
      sources.push({ raw: b.text, line: b.line, cell: false });
    }
    let details: RuleDetail[] | undefined;
    for (const { raw, line, cell } of sources) {
      const text = stripComments(raw);
      for (const sentence of splitSentences(text)) {
        const plain = plainInline(sentence.text)
          .replace(/\s+/g, " ")
          .replace(/\s*[:：]$/, "")
          .trim();
        if (!plain) continue;
        const clean = cleanSentence(sentence.text.includes("`") ? plainText(maskCode(sentence.text)) : plain);
        const modal = detectModal(clean);
        const turnedDown: keyof RejectedCounts | undefined = reason
          ? reason
          : startsAsBadExample(plain)
            ? "bad_example"
            : rejectReason(plain, clean, modal);
        if (turnedDown) {
          if (modal || looksLikeRule(clean)) rejected[turnedDown]++;
          continue;
        }
        if (!modal) continue;
        details ??= b.kind === "list_item" ? childDetails(doc, i) : [];
        out.push(draft(plain, modal.priority, modal.language, modal.keyword, cell ? line : line + countNewlines(text, sentence.start), b, details, ctx));
      }
    }
  }
  return out;
}

function draft(sentence: string, priority: Priority, language: "en" | "ko", keyword: string, line: number, b: Block, details: RuleDetail[], ctx: DocContext): RuleDraft {
  const section = ctx.sectionPriority(b.section);
  let p = priority;
  if (language === "ko" && (section === "SHOULD" || section === "SHOULD NOT")) {
    if (p === "MUST") p = "SHOULD";
    else if (p === "MUST NOT") p = "SHOULD NOT";
  }
  const scopeText = details
    .filter((d) => d.key === "scope" && meaningful(d.value))
    .map((d) => d.value)
    .join("; ");
  const patterns = scopePatterns(scopeText || sentence);
  const anyPattern = patterns.file_patterns.length + patterns.package_patterns.length + patterns.annotation_patterns.length > 0;
  return {
    ruleId: undefined,
    idAsWritten: undefined,
    idQuality: "none",
    priority: p,
    form: "keyword",
    area: ctx.guessArea(sentence, b.section),
    areaGuessed: true,
    description: sentence,
    scopeText,
    patterns,
    scopeStated: scopeText !== "" || anyPattern,
    rationale: details
      .filter((d) => d.key === "rationale" && meaningful(d.value))
      .map((d) => d.value)
      .join(" "),
    references: details.filter((d) => d.key === "reference" && meaningful(d.value)).flatMap((d) => splitReferences(d.value)),
    line,
    section: b.section,
    keyword,
  };
}

/** Detail lines (`근거: …`) among the sub-items of list item `i`. */
function childDetails(doc: MarkdownDocument, i: number): RuleDetail[] {
  const out: RuleDetail[] = [];
  for (let j = i + 1; j < doc.blocks.length; j++) {
    const c = doc.blocks[j]!;
    if (!isInside(doc.blocks, j, i)) break;
    if (c.kind !== "list_item" && c.kind !== "paragraph") continue;
    const d = parseDetailLiteral(c.text.split("\n", 1)[0] ?? "", c.line);
    if (d) out.push(d);
  }
  return out;
}

function isInside(blocks: readonly Block[], j: number, i: number): boolean {
  for (let p = blocks[j]!.parent; p >= 0; p = blocks[p]!.parent) if (p === i) return true;
  return false;
}

/** A table cell's text with its `<br>`s as line breaks, and without the list markers they start. */
function cellLines(cell: string): string {
  return cell.replace(/<br\s*\/?>/gi, "\n").replace(/(^|\n)[ \t]*(?:[-+*]|\d{1,9}[.)])[ \t]+/g, "$1");
}

/** Inline HTML comments removed, their line breaks kept (so line numbers stay right). */
export function stripComments(text: string): string {
  let at = text.indexOf("<!--");
  if (at === -1) return text;
  let out = "";
  let from = 0;
  while (at !== -1) {
    const end = text.indexOf("-->", at + 4);
    const stop = end === -1 ? text.length : end + 3;
    out += text.slice(from, at) + text.slice(at, stop).replace(/[^\n]/g, "");
    from = stop;
    at = end === -1 ? -1 : text.indexOf("<!--", from);
  }
  return out + text.slice(from);
}

/** Inline code spans replaced by a neutral mark, so their content is never read as keywords. */
function maskCode(text: string): string {
  return text.indexOf("`") === -1 ? text : text.replace(/`[^`\n]+`/g, " ◦ ");
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let k = text.indexOf("\n"); k !== -1 && k < end; k = text.indexOf("\n", k + 1)) n++;
  return n;
}
