/**
 * Keyword rules: sentences of free text that state a rule with an RFC 2119 keyword or a Korean
 * modal ending (see modal.ts), in paragraphs, list items and table cells.
 *
 * Not read: code, HTML blocks and inline HTML comments, headings, blockquotes, wrong examples,
 * checklists, change-history tables, standardized statements and their detail lines, inline
 * code spans (`MUST` in backticks is a word, not a keyword), questions, past-tense narrative and
 * fragments. In descriptive sections (overview, background, motivation … see context.ts) only
 * upper-case RFC 2119 keywords are read — they are normative wherever they stand (RFC 8174);
 * the other sentences there that read like rules are turned down, and a warning names each such
 * section with its count. Sentences that looked like rules but were turned down are counted by
 * reason in `stats.rejected`.
 *
 * The priority is the keyword's. A Korean "…해야 한다" says only "is obliged to", and Korean
 * standards use it for SHOULD rules as well, so under a heading that names SHOULD (SHOULD 규칙,
 * 권장) a Korean MUST reads as SHOULD and MUST NOT as SHOULD NOT. English keywords are taken as
 * written. A keyword rule in a list item takes `적용 범위`/`근거`/`참조` details from its sub-items.
 *
 * What a sentence alone would cut short is completed: a lead-in ending in a colon takes the list
 * after it, an item that starts with its keyword (or in lower case) takes the unfinished sentence
 * that introduces its list (lists.ts), and a field marker (`**REQUIRED**.` in a specification's field table) takes
 * its field's name and the sentence that describes the field.
 */
import { parseDetail, type RuleDetail } from "../markdown/rule-statements.js";
import { plainText, type Block, type MarkdownDocument } from "../markdown/document.js";
import { parseDetailLiteral, plainInline } from "./inline.js";
import { throwIfAborted } from "../../errors.js";
import type { Priority } from "../spec/design-rule-spec.js";
import { startsAsBadExample, type BlockReason } from "./context.js";
import { introducedList, subjectLeadIn } from "./lists.js";
import { cleanSentence, detectModal, looksLikeRule, mayHoldRule, rejectReason, type Modal } from "./modal.js";
import { scopePatterns } from "./scope.js";
import { codeSpanEnds, splitSentences } from "./sentences.js";
import { meaningful, splitReferences, type DocContext } from "./standardized.js";
import type { ExtractWarning, RejectedCounts, RuleDraft } from "./types.js";

export interface KeywordScan {
  doc: MarkdownDocument;
  reasons: readonly (BlockReason | undefined)[];
  /** Blocks that are standardized statements or their details. */
  covered: ReadonlySet<number>;
  /** Table rows (by line) that are standardized statements. */
  coveredRows: ReadonlySet<number>;
  rejected: RejectedCounts;
  signal?: AbortSignal | undefined;
  /** Also read lower-case keywords (the `any-case` opt-in). */
  anyCase?: boolean | undefined;
}

const SKIPPED_KINDS = new Set(["code", "html", "heading", "hr"]);
/** A sentence that is only a field marker: `**REQUIRED**.` in a field table. */
const MARKER = /^(?:NOT )?(?:REQUIRED|RECOMMENDED|OPTIONAL)$/;
const MARKER_PRIORITY: Readonly<Record<string, Priority>> = {
  REQUIRED: "MUST",
  RECOMMENDED: "SHOULD",
  "NOT RECOMMENDED": "SHOULD NOT",
  OPTIONAL: "MAY",
};

interface Source {
  raw: string;
  line: number;
  cell: boolean;
  /** For a table cell: the row's first cell (the field a marker in this cell is about). */
  field?: string | undefined;
}

export function keywordDrafts(scan: KeywordScan, ctx: DocContext): RuleDraft[] {
  const { doc, reasons, covered, coveredRows, rejected } = scan;
  const opts = { anyCase: scan.anyCase };
  const out: RuleDraft[] = [];
  /** Per descriptive section: sentences that read like rules but were not taken there. */
  const descriptive = new Map<number, number>();
  for (let i = 0; i < doc.blocks.length; i++) {
    if ((i & 255) === 0) throwIfAborted(scan.signal);
    const b = doc.blocks[i]!;
    if (SKIPPED_KINDS.has(b.kind) || covered.has(i)) continue;
    const reason = reasons[i];
    if (reason === "code" || reason === "html" || reason === "heading") continue;
    const sources = sourcesOf(b, coveredRows, opts);
    let details: RuleDetail[] | undefined;
    for (const { raw, line, cell, field } of sources) {
      const text = stripComments(raw);
      const sentences = splitSentences(text);
      for (let k = 0; k < sentences.length; k++) {
        const sentence = sentences[k]!;
        const plain = plainSentence(sentence.text);
        if (!plain) continue;
        const clean = cleanSentence(sentence.text.includes("`") ? plainText(maskCode(sentence.text)) : plain);
        const marker = MARKER.test(clean);
        const leadIn = /[:：]\s*$/.test(sentence.text);
        const modal: Modal | undefined = marker
          ? { priority: MARKER_PRIORITY[clean]!, keyword: clean, language: "en", at: 0 }
          : detectModal(clean, { ...opts, leadIn });
        // A descriptive section turns down everything but upper-case RFC 2119 keywords; its warning
        // counts what would have been a rule anywhere else.
        const normative = reason === "non_rule_section" && modal?.language === "en" && !modal.lowerCase;
        const own = startsAsBadExample(plain)
          ? "bad_example"
          : marker
            ? undefined
            : rejectReason(plain, clean, modal, ctx.rulesSection(b.section));
        const turnedDown: keyof RejectedCounts | undefined = reason && !normative ? reason : own;
        if (turnedDown) {
          if (modal || looksLikeRule(clean)) rejected[turnedDown]++;
          if (turnedDown === "non_rule_section" && modal && !own)
            descriptive.set(b.section, (descriptive.get(b.section) ?? 0) + 1);
          continue;
        }
        if (!modal) continue;
        details ??= b.kind === "list_item" ? childDetails(doc, i) : [];
        const at = cell ? line : line + countNewlines(text, sentence.start);
        let description = plain;
        let title: string | undefined;
        if (marker) {
          // A field marker: the field's name, the marker, and the sentence that describes the field.
          const next = sentences[k + 1];
          const rest =
            next && !detectModal(cleanSentence(plainSentence(next.text)), opts) ? plainSentence(next.text) : "";
          if (rest) k++;
          description = [field ? `${field}:` : "", plainInline(sentence.text).trim(), rest].filter(Boolean).join(" ");
          title = field ? `${field} is ${clean}` : undefined;
        } else if (leadIn && k === sentences.length - 1 && !cell) {
          const items = introducedList(doc, i);
          if (items) {
            description = `${plainInline(sentence.text).replace(/\s+/g, " ").trim()} ${items}`;
            title = plain;
          }
        } else if (
          b.kind === "list_item" &&
          k === 0 &&
          modal.language === "en" &&
          ((modal.at ?? -1) === 0 || !/^\p{Lu}/u.test(plain))
        ) {
          // An item that goes on with the sentence its list's lead-in starts ("If the response has a" + "- `4xx` status code, the client SHOULD NOT …").
          const lead = subjectLeadIn(doc, i);
          if (lead) description = `${lead} ${plain}`;
        }
        out.push(draft({ sentence: description, title, modal, line: at, b, details, ctx }));
      }
    }
  }
  for (const [section, count] of descriptive) ctx.warn(descriptiveWarning(ctx, section, count));
  return out;
}

/** The texts of a block to read: its own, or each cell of a table's body rows. */
function sourcesOf(b: Block, coveredRows: ReadonlySet<number>, opts: { anyCase: boolean | undefined }): Source[] {
  const sources: Source[] = [];
  if (b.kind === "table") {
    // A table cell is all on its row's line; its `<br>`s (how html_to_md writes line breaks and
    // list items in a cell) end lines, so they can end sentences, and list markers go.
    for (const row of b.rows ?? []) {
      if (row.header || coveredRows.has(row.line)) continue;
      row.cells.forEach((cell, c) => {
        if (!mayHoldRule(cell, opts)) return;
        const field =
          c > 0
            ? plainInline(row.cells[0] ?? "")
                .replace(/\s+/g, " ")
                .trim() || undefined
            : undefined;
        sources.push({ raw: cellLines(cell), line: row.line, cell: true, field });
      });
    }
  } else if (mayHoldRule(b.text, opts) && !parseDetail(b.text.split("\n", 1)[0] ?? "", b.line)) {
    sources.push({ raw: b.text, line: b.line, cell: false });
  }
  return sources;
}

function plainSentence(text: string): string {
  return plainInline(text)
    .replace(/\s+/g, " ")
    .replace(/\s*[:：]$/, "")
    .trim();
}

function descriptiveWarning(ctx: DocContext, section: number, count: number): ExtractWarning {
  const heading = ctx.sectionHeading(section) || "(before the first heading)";
  const line = section >= 0 ? ctx.doc.headings[section]?.line : undefined;
  return {
    code: "non_rule_section",
    message: `Section "${heading}" is descriptive (overview, background, history …): ${count} sentence${count === 1 ? "" : "s"} there that read${count === 1 ? "s" : ""} like a rule ${count === 1 ? "was" : "were"} not taken. Move rules under a rules section, or write them with upper-case RFC 2119 keywords.`,
    ...(line !== undefined ? { line } : {}),
  };
}

interface DraftInput {
  sentence: string;
  title: string | undefined;
  modal: Modal;
  line: number;
  b: Block;
  details: RuleDetail[];
  ctx: DocContext;
}

function draft({ sentence, title, modal, line, b, details, ctx }: DraftInput): RuleDraft {
  const section = ctx.sectionPriority(b.section);
  let p = modal.priority;
  if (modal.language === "ko" && (section === "SHOULD" || section === "SHOULD NOT")) {
    if (p === "MUST") p = "SHOULD";
    else if (p === "MUST NOT") p = "SHOULD NOT";
  }
  const scopeText = details
    .filter((d) => d.key === "scope" && meaningful(d.value))
    .map((d) => d.value)
    .join("; ");
  const patterns = scopePatterns(scopeText || sentence);
  const anyPattern =
    patterns.file_patterns.length + patterns.package_patterns.length + patterns.annotation_patterns.length > 0;
  return {
    ruleId: undefined,
    idAsWritten: undefined,
    idQuality: "none",
    priority: p,
    form: "keyword",
    area: ctx.guessArea(sentence, b.section),
    areaGuessed: true,
    description: sentence,
    ...(title !== undefined ? { title } : {}),
    scopeText,
    patterns,
    scopeStated: scopeText !== "" || anyPattern,
    rationale: details
      .filter((d) => d.key === "rationale" && meaningful(d.value))
      .map((d) => d.value)
      .join(" "),
    references: details
      .filter((d) => d.key === "reference" && meaningful(d.value))
      .flatMap((d) => splitReferences(d.value)),
    line,
    section: b.section,
    keyword: modal.keyword,
    ...(modal.lowerCase ? { lowerCase: true } : {}),
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

/** Inline code spans (also those that wrap onto the next line) replaced by a neutral mark, so their content is never read as keywords. */
function maskCode(text: string): string {
  if (text.indexOf("`") === -1) return text;
  let out = "";
  let from = 0;
  for (const [open, close] of codeSpanEnds(text)) {
    out += `${text.slice(from, open)} ◦ `;
    from = close;
  }
  return out + text.slice(from);
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let k = text.indexOf("\n"); k !== -1 && k < end; k = text.indexOf("\n", k + 1)) n++;
  return n;
}
