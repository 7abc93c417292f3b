/**
 * Inline Markdown → plain text that keeps code spans literally. The shared `plainText` strips
 * emphasis markers, which would eat the `**` of a glob written as code (`src/**`, `**\/*.ts`);
 * scopes and rule sentences are read through here so their paths survive.
 */
import { plainText, type MarkdownDocument } from "../markdown/document.js";
import { parseDetail, type RuleDetail } from "../markdown/rule-statements.js";

const CODE_SPAN = /(`+)([^`\n]+?)\1/g;
const HOLE = /\uE000(\d+)\uE001/g;

/** `text` with code spans replaced by placeholders, and a function that puts their content back. */
export function protectCode(raw: string): { text: string; restore(s: string): string } {
  if (raw.indexOf("`") === -1) return { text: raw, restore: (s) => s };
  const spans: string[] = [];
  const text = raw.replace(CODE_SPAN, (_m, _ticks: string, body: string) => {
    spans.push(body.trim());
    return `\uE000${spans.length - 1}\uE001`;
  });
  return { text, restore: (s) => s.replace(HOLE, (_m, n: string) => spans[Number(n)] ?? "") };
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

/** Source lines by number (1-based), indexed on first use. */
export class LineIndex {
  private starts: number[] | undefined;

  constructor(private readonly source: string) {}

  line(n: number): string {
    if (!this.starts) {
      const starts = [0];
      for (let at = this.source.indexOf("\n"); at !== -1; at = this.source.indexOf("\n", at + 1)) starts.push(at + 1);
      this.starts = starts;
    }
    const start = this.starts[n - 1];
    if (start === undefined) return "";
    const end = this.starts[n] ?? this.source.length + 1;
    return this.source.slice(start, end - 1).replace(/\r$/, "");
  }
}

/**
 * A statement detail re-read from its source line so code spans survive (list markers and
 * blockquote markers removed first). Table details are matched to their row's cells.
 */
export function literalDetail(doc: MarkdownDocument, lines: LineIndex, detail: RuleDetail, tableBlock?: number): RuleDetail {
  if (tableBlock !== undefined) {
    const row = doc.blocks[tableBlock]?.rows?.find((r) => r.line === detail.line);
    const cell = row?.cells.find((c) => plainText(c) === detail.value);
    return cell === undefined ? detail : { ...detail, value: plainInline(cell).trim() };
  }
  const raw = lines.line(detail.line).replace(/^\s*(?:>\s*)*(?:(?:[-*+]|\d+[.)])\s+)?/, "");
  if (raw.indexOf("`") === -1) return detail;
  const d = parseDetailLiteral(raw, detail.line);
  return d && d.key === detail.key ? d : detail;
}
