/**
 * Inline Markdown → plain text that keeps code spans literally. The shared `plainText` strips
 * emphasis markers, which would eat the `**` of a glob written as code (`src/**`, `**\/*.ts`);
 * scopes and rule sentences are read through here so their paths survive.
 */
import { plainText, type MarkdownDocument } from "../markdown/document.js";
import { parseDetail, type RuleDetail } from "../markdown/rule-statements.js";
import type { SourceLines } from "../markdown/lines.js";

const HOLE = /\uE000(\d+)\uE001/g;

/**
 * `text` with code spans replaced by placeholders, and a function that puts their content back.
 * A code span opens with a run of backticks and closes at the next run of the same length on the
 * same line (CommonMark); found in one pass over the runs, so long backtick runs stay linear.
 */
export function protectCode(raw: string): { text: string; restore(s: string): string } {
  if (raw.indexOf("`") === -1) return { text: raw, restore: (s) => s };
  const spans: string[] = [];
  let out = "";
  let from = 0;
  for (const line of codeSpans(raw)) {
    out += `${raw.slice(from, line.open)}\uE000${spans.length}\uE001`;
    spans.push(raw.slice(line.bodyStart, line.bodyEnd).trim());
    from = line.close;
  }
  const text = out + raw.slice(from);
  return { text, restore: (s) => s.replace(HOLE, (_m, n: string) => spans[Number(n)] ?? "") };
}

/** Code spans of `raw`: [open, close) of the whole span and the body between the backtick runs. */
function codeSpans(raw: string): { open: number; close: number; bodyStart: number; bodyEnd: number }[] {
  // Backtick runs, each with its line number.
  const runs: { at: number; length: number; line: number }[] = [];
  let line = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 96) {
      let j = i;
      while (j < raw.length && raw.charCodeAt(j) === 96) j++;
      runs.push({ at: i, length: j - i, line });
      i = j - 1;
    }
  }
  // For each run, the next run of the same length on the same line (right to left, one map).
  const next = new Array<number>(runs.length).fill(-1);
  const seen = new Map<string, number>();
  for (let k = runs.length - 1; k >= 0; k--) {
    const key = `${runs[k]!.line}:${runs[k]!.length}`;
    next[k] = seen.get(key) ?? -1;
    seen.set(key, k);
  }
  const spans: { open: number; close: number; bodyStart: number; bodyEnd: number }[] = [];
  for (let k = 0; k < runs.length; k++) {
    const m = next[k]!;
    if (m === -1) continue;
    const a = runs[k]!;
    const b = runs[m]!;
    if (b.at > a.at + a.length)
      spans.push({ open: a.at, close: b.at + b.length, bodyStart: a.at + a.length, bodyEnd: b.at });
    k = m;
  }
  return spans;
}

/** The contents of the code spans of `raw`, as written (trimmed), in order. */
export function codeSpanTexts(raw: string): string[] {
  if (raw.indexOf("`") === -1) return [];
  return codeSpans(raw)
    .map((s) => raw.slice(s.bodyStart, s.bodyEnd).trim())
    .filter(Boolean);
}

/** plainText, with code span content kept as written. */
export function plainInline(raw: string): string {
  const p = protectCode(raw);
  return p.restore(plainText(p.text));
}

/** A detail line (`적용 범위: \`src/**\``) read with its code spans intact. */
export function parseDetailLiteral(raw: string, line: number): RuleDetail | undefined {
  const p = protectCode(raw);
  const d = parseDetail(p.text, line);
  return d && { ...d, value: p.restore(d.value) };
}

/**
 * A statement detail re-read from its source line so code spans survive (list markers and
 * blockquote markers removed first). Table details are matched to their row's cells.
 */
export function literalDetail(
  doc: MarkdownDocument,
  lines: SourceLines,
  detail: RuleDetail,
  tableBlock?: number,
): RuleDetail {
  if (tableBlock !== undefined) {
    const row = doc.blocks[tableBlock]?.rows?.find((r) => r.line === detail.line);
    const cell = row?.cells.find((c) => plainText(c) === detail.value);
    return cell === undefined ? detail : { ...detail, value: plainInline(cell).trim() };
  }
  const raw = lines.get(detail.line).replace(/^\s*(?:>\s*)*(?:(?:[-*+]|\d+[.)])\s+)?/, "");
  if (raw.indexOf("`") === -1) return detail;
  const d = parseDetailLiteral(raw, detail.line);
  return d && d.key === detail.key ? d : detail;
}
