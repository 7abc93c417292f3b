/**
 * Where in a document rules may be read. Every block gets a reason it is not prose that states
 * rules, or none:
 *
 * - `code`, `html` (HTML blocks, including comments), `heading`, `blockquote` — structure.
 * - `bad_example` — a section whose heading says it shows wrong examples (잘못된 예, ❌, Bad
 *   example, Don't, Anti-pattern …), the blocks after a short lead-in that says so (until the
 *   next heading or a "good example" lead-in such as ✅ / 올바른 예), and any paragraph or list
 *   item (with its sub-items) that itself starts with such a marker.
 * - `non_rule_section` — sections that describe rather than prescribe: overview/background/
 *   purpose/why (개요, 배경, 목적, 왜, Overview, Motivation …), change history, FAQ, glossary, references,
 *   checklists, and the discussion parts of design proposals (alternatives, drawbacks, prior art,
 *   open questions, future work, non-goals, user stories, test plans, graduation criteria).
 *   Only upper-case RFC 2119 keywords are read there (keyword.ts); standardized `**RULE-…**`
 *   statements are read as anywhere.
 * - `checklist` — task-list items (`- [ ]`, `- [x]`): things to verify, not rule statements.
 * - `change_history` — a table with version and date columns.
 */
import { plainText, type Block, type MarkdownDocument } from "../markdown/document.js";

export type BlockReason =
  "code" | "html" | "heading" | "blockquote" | "bad_example" | "non_rule_section" | "checklist" | "change_history";

const BAD_MARKER =
  /❌|🚫|⛔|✗|✘|잘못된 ?(?:예|규칙|작성|사용|코드|형식)|나쁜 ?예|안티 ?패턴|반례|피해야 ?할|\bbad (?:examples?|practices?|rules?|code)\b|\banti-?patterns?\b|\bdon'?t(?:s)?\b|\bdo not do\b|\bwrong (?:examples?|way|usage)\b|\bincorrect (?:examples?|usage)\b|\bcounter-?examples?\b|\bavoid(?: this)?:/i;
/** A block that starts with a marker (markup and spaces before it ignored). */
const BAD_START = new RegExp(`^[\\s*_>\\-]*(?:${BAD_MARKER.source})`, "i");
const GOOD_MARKER =
  /✅|✔|☑|올바른 ?(?:예|규칙|작성|사용|코드|형식)|좋은 ?예|권장 ?예|\bgood (?:examples?|practices?)\b|\bcorrect (?:examples?|usage)\b|\bdo:|\bdos\b/i;
const GOOD_START = new RegExp(`^[\\s*_>\\-]*(?:${GOOD_MARKER.source})`, "i");
const NON_RULE_EXACT =
  /^(?:개요|배경|목적|소개|요약|서론|왜|현황|문제점|대안|향후 ?(?:계획|과제)|overview|introduction|background|purpose|summary|abstract|motivation|why|context|problem(?: statement)?|non-goals|user stories|drawbacks|prior art|test plan|graduation criteria|implementation history|infrastructure needed)$/i;
const NON_RULE_ANY =
  /변경 ?이력|개정 ?이력|수정 ?이력|change ?(?:history|log)|changelog|revision ?history|release ?notes|\bfaq\b|자주 ?묻는|용어|glossary|체크리스트|check ?list|참고 ?(?:자료|문헌)|참조 ?자료|^references?$|^see also$|\balternatives?\b|(?:unresolved|open) questions|future (?:possibilities|work)|production readiness review/i;
const CHECKBOX = /^\[[ xX]\]\s/;

/** Heading text reduced to its words: number, emoji, markup and a trailing parenthetical removed. */
export function headingWords(title: string): string {
  return title
    .slice(0, 300)
    .replace(/^[^\p{L}\p{N}]+/u, "")
    .replace(/\s*[(（][^)）]*[)）]\s*$/, "")
    .replace(/[^\p{L}\p{N}]+$/u, "")
    .trim();
}

/** Whether a sentence or block starts with a wrong-example marker (❌, "Bad example:", "잘못된 예:"). */
export function startsAsBadExample(text: string): boolean {
  return BAD_START.test(text);
}

/**
 * The reason each block is not rule prose (undefined = it is). `reasons[i]` matches `doc.blocks[i]`.
 */
export function classifyBlocks(doc: MarkdownDocument): (BlockReason | undefined)[] {
  const { blocks, headings } = doc;
  // Per heading: inherited section reason.
  const headingReason: (BlockReason | undefined)[] = [];
  const stack: { level: number; reason: BlockReason | undefined }[] = [];
  for (const h of headings) {
    while (stack.length > 0 && stack[stack.length - 1]!.level >= h.level) stack.pop();
    const inherited = stack.length > 0 ? stack[stack.length - 1]!.reason : undefined;
    const words = headingWords(h.title);
    let own: BlockReason | undefined;
    if (BAD_MARKER.test(h.text)) own = "bad_example";
    else if (NON_RULE_EXACT.test(words) || NON_RULE_ANY.test(words)) own = "non_rule_section";
    const reason = inherited === "bad_example" ? inherited : (own ?? inherited);
    headingReason.push(reason);
    stack.push({ level: h.level, reason });
  }

  const reasons: (BlockReason | undefined)[] = new Array(blocks.length);
  let leadIn = false; // after a "bad example" lead-in, until the next heading or a good lead-in
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    if (b.kind === "heading") {
      reasons[i] = "heading";
      leadIn = false;
      continue;
    }
    if (b.kind === "code") {
      reasons[i] = "code";
      continue;
    }
    if (b.kind === "html") {
      reasons[i] = "html";
      continue;
    }
    if (b.kind === "hr") continue;
    const sectionReason = b.section >= 0 ? headingReason[b.section] : undefined;
    const parentReason = b.parent >= 0 ? reasons[b.parent] : undefined;
    if (b.quoteDepth > 0) reasons[i] = "blockquote";
    else if (sectionReason === "bad_example" || parentReason === "bad_example") reasons[i] = "bad_example";
    if (reasons[i]) continue;

    const first = b.kind === "table" ? "" : (b.text.split("\n", 1)[0] ?? "");
    if (
      first &&
      (b.kind === "paragraph" || b.kind === "list_item") &&
      (GOOD_START.test(first) || BAD_START.test(first))
    ) {
      const head = plainText(first);
      if (GOOD_START.test(head)) {
        if (b.kind === "paragraph" || /[:：]$/.test(head)) leadIn = false;
      } else if (BAD_START.test(head)) {
        // The block itself (and a list item's sub-items) is a wrong example; a short paragraph
        // or a list item ending in a colon also introduces the blocks after it.
        if ((b.kind === "paragraph" && isLeadIn(head)) || /[:：]$/.test(head)) leadIn = true;
        reasons[i] = "bad_example";
        continue;
      }
    }
    if (leadIn) {
      reasons[i] = "bad_example";
      continue;
    }
    if (b.kind === "list_item" && CHECKBOX.test(b.text)) reasons[i] = "checklist";
    else if (b.kind === "table" && isChangeHistory(b)) reasons[i] = "change_history";
    else if (sectionReason) reasons[i] = sectionReason;
    else if (parentReason === "checklist") reasons[i] = "checklist";
  }
  return reasons;
}

/** A short line that introduces what follows ("❌ 잘못된 예시:", "**Bad example**"). */
function isLeadIn(text: string): boolean {
  const t = text.trim();
  return /[:：]$/.test(t) || t.replace(/[^\p{L}\p{N}]/gu, "").length <= 24;
}

function isChangeHistory(table: Block): boolean {
  const header = table.rows?.find((r) => r.header);
  if (!header) return false;
  const names = header.cells.map((c) => plainText(c).toLowerCase()).join(" | ");
  return /버전|version|\bver\b|rev/.test(names) && /날짜|일자|date|일시/.test(names);
}
