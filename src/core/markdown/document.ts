/**
 * The one model of a Markdown document that the linter and the rule extractor share.
 *
 * markdown-it (CommonMark + GFM tables) reads the block structure; inline parsing is switched
 * off because neither consumer needs an inline token tree — block text is kept as its inline
 * source and reduced to plain text on demand. That keeps parsing linear and the model small
 * (a flat array of blocks with 1-based line numbers), which matters for 10 MB documents.
 *
 * What the model guarantees its users: a heading or a `**RULE-…**` line inside a fenced or
 * indented code block is a `code` block, never a heading or a paragraph; HTML comments are
 * `html` blocks; blockquote content carries its `quoteDepth`. A GitHub alert (`> [!NOTE]`, `> [!TIP]`,
 * `> [!IMPORTANT]`, `> [!WARNING]`, `> [!CAUTION]`) is not a quotation: it is how html_to_md writes a
 * Confluence info/note/warning panel, so its content is document content (quoteDepth unchanged) and
 * its `[!TYPE]` marker line is dropped.
 */
import MarkdownItCtor, { type MarkdownIt } from "markdown-it";
import { SourceLines } from "./lines.js";

export type BlockKind = "heading" | "paragraph" | "list_item" | "code" | "table" | "html" | "hr";

export interface TableRow {
  cells: string[];
  line: number;
  header: boolean;
}

export interface Block {
  kind: BlockKind;
  /** 1-based first line. */
  line: number;
  /** 1-based last line (inclusive). */
  endLine: number;
  /**
   * Inline source of the block's own text: a heading's text, a paragraph, a list item's first
   * paragraph, the content of a code or HTML block. Markup (`**`, links) is kept; see {@link plainText}.
   */
  text: string;
  /** Index of the heading this block sits under, or -1 before the first heading. */
  section: number;
  /** Nesting depth of lists (0 = not in a list; 1 = top-level item). */
  listDepth: number;
  /** Nesting depth of blockquotes (GitHub alerts — converted Confluence panels — do not count). */
  quoteDepth: number;
  /** For list items: index of the enclosing list item block, or -1. For paragraphs inside an item: that item. */
  parent: number;
  /** Heading level (headings only). */
  level?: number;
  /** Code block language (fenced code only; "" when none). */
  lang?: string;
  /** Rows of a table, header first. */
  rows?: TableRow[];
  /** For list items: whether the list is ordered. */
  ordered?: boolean;
}

export interface Heading {
  /** Index of the heading's block in `blocks`. */
  block: number;
  level: number;
  line: number;
  /** Plain text of the heading. */
  text: string;
  /** Leading section number such as "2", "2.1", "3.2.1" when present. */
  number?: string;
  /** The text without its leading number, e.g. "설계 규칙 (Design Rules)". */
  title: string;
}

export type DocumentLanguage = "ko" | "en";

export interface MarkdownDocument {
  source: string;
  /** Number of lines in the source. */
  lineCount: number;
  /** The source's lines by number. */
  lines: SourceLines;
  blocks: Block[];
  headings: Heading[];
  /** Korean when Hangul dominates the prose (code excluded), else English. */
  language: DocumentLanguage;
}

let parser: MarkdownIt | undefined;

function getParser(): MarkdownIt {
  if (!parser) {
    parser = new MarkdownItCtor({ html: true, linkify: false, typographer: false });
    // markdown-it's `normalize` step rewrites every line break of its input, which copies the
    // whole piece (5-6 ms per MB); forParser does the same rewriting only where it changes text.
    parser.core.ruler.disable(["normalize", "inline", "linkify", "replacements", "smartquotes", "text_join"], true);
  }
  return parser;
}

/** The text as markdown-it's `normalize` step leaves it: CR and CR LF read as LF, NUL as U+FFFD. */
function forParser(text: string): string {
  if (text.includes("\r")) text = text.replace(/\r\n?/g, "\n");
  if (text.includes("\0")) text = text.replace(/\0/g, "\uFFFD");
  return text;
}

export interface ParseOptions {
  /** Documents longer than this (characters) are parsed in pieces; the model is the same. */
  chunkChars?: number;
}

/** Pieces of about this many characters keep markdown-it's token arrays small for 10 MB documents. */
const CHUNK_CHARS = 256 * 1024;

/**
 * Parses Markdown into the shared model. Pure and synchronous; linear in the input size.
 * Long documents are parsed piece by piece (see {@link parsingPieces}), so markdown-it's tokens
 * for the whole document never exist at once; the model is identical to a single parse.
 */
export function parseMarkdown(source: string, options: ParseOptions = {}): MarkdownDocument {
  const builder = new ModelBuilder();
  const lines = new SourceLines(source);
  for (const piece of parsingPieces(source, options.chunkChars ?? CHUNK_CHARS, lines)) {
    const tokens = getParser().parse(forParser(piece.text), {});
    if (piece.line > 0) {
      for (const t of tokens) {
        if (t.map) {
          t.map[0] += piece.line;
          t.map[1] += piece.line;
        }
      }
    }
    for (let i = 0; i < tokens.length; i++) builder.token(tokens, i);
  }
  return {
    source,
    lineCount: lines.length,
    lines,
    blocks: builder.blocks,
    headings: builder.headings,
    language: detectLanguage(builder.blocks),
  };
}

type Token = ReturnType<MarkdownIt["parse"]>[number];

/** markdown-it's block tokens, one at a time, → blocks and headings, with the nesting state they need. */
class ModelBuilder {
  readonly blocks: Block[] = [];
  readonly headings: Heading[] = [];
  private section = -1;
  private quoteDepth = 0;
  /** Per open blockquote: whether it is an alert (which does not add to quoteDepth). */
  private readonly quoteKinds: boolean[] = [];
  /** The next paragraph opens an alert: its `[!TYPE]` marker line is not text. */
  private alertMarker = false;
  private listDepth = 0;
  private readonly orderedStack: boolean[] = [];
  /** Block indexes of open list items. */
  private readonly itemStack: number[] = [];
  /** A list item waiting for its first paragraph. */
  private pendingItem: number | undefined;
  private table: { block: Block; header: boolean; row: string[] | undefined; rowLine: number } | undefined;

  token(tokens: readonly Token[], i: number): void {
    const t = tokens[i]!;
    switch (t.type) {
      case "heading_open":
        return this.heading(t, tokens[i + 1]);
      case "paragraph_open":
        return this.paragraph(t, tokens[i + 1]);
      case "bullet_list_open":
      case "ordered_list_open":
        this.orderedStack.push(t.type === "ordered_list_open");
        this.listDepth++;
        return;
      case "bullet_list_close":
      case "ordered_list_close":
        this.orderedStack.pop();
        this.listDepth--;
        return;
      case "list_item_open": {
        const line = firstLine(t);
        const index = this.push("list_item", line, line, "", { ordered: this.orderedStack.at(-1) ?? false });
        this.itemStack.push(index);
        this.pendingItem = index;
        return;
      }
      case "list_item_close": {
        const index = this.itemStack.pop();
        if (this.pendingItem === index) this.pendingItem = undefined;
        return;
      }
      case "blockquote_open": {
        const alert = tokens[i + 1]?.type === "paragraph_open" && ALERT_MARKER.test(tokens[i + 2]?.content ?? "");
        this.quoteKinds.push(alert);
        if (alert) this.alertMarker = true;
        else this.quoteDepth++;
        return;
      }
      case "blockquote_close":
        if (!this.quoteKinds.pop()) this.quoteDepth--;
        return;
      case "fence":
      case "code_block":
        this.pendingItem = undefined;
        this.push("code", firstLine(t), lastLine(t), t.content, {
          lang: t.type === "fence" ? (t.info.trim().split(/\s+/)[0] ?? "") : "",
        });
        return;
      case "html_block":
        this.pendingItem = undefined;
        this.push("html", firstLine(t), lastLine(t), t.content);
        return;
      case "hr":
        this.push("hr", firstLine(t), firstLine(t), "");
        return;
      default:
        return this.tableToken(t, tokens[i - 1]);
    }
  }

  /** Adds a block in the current nesting; `extra` holds the fields of its kind. */
  private push(
    kind: BlockKind,
    line: number,
    endLine: number,
    text: string,
    extra?: Pick<Block, "level" | "lang" | "rows" | "ordered">,
  ): number {
    const block: Block = {
      kind,
      line,
      endLine,
      text,
      section: this.section,
      listDepth: this.listDepth,
      quoteDepth: this.quoteDepth,
      parent: this.itemStack.length > 0 ? this.itemStack[this.itemStack.length - 1]! : -1,
    };
    if (extra) Object.assign(block, extra);
    this.blocks.push(block);
    return this.blocks.length - 1;
  }

  private heading(t: Token, inline: Token | undefined): void {
    const text = inline?.content ?? "";
    const level = Number(t.tag.slice(1));
    const line = firstLine(t);
    const index = this.push("heading", line, lastLine(t), text, { level });
    this.blocks[index]!.section = this.headings.length;
    this.section = this.headings.length;
    const plain = plainText(text);
    const numbered = /^((?:\d+\.)*\d+)\.?\s+(.*)$/s.exec(plain);
    this.headings.push({
      block: index,
      level,
      line,
      text: plain,
      ...(numbered ? { number: numbered[1]!, title: numbered[2]!.trim() } : { title: plain }),
    });
  }

  private paragraph(t: Token, inline: Token | undefined): void {
    let line = firstLine(t);
    const endLine = lastLine(t);
    if (this.alertMarker && inline) {
      this.alertMarker = false;
      const cut = inline.content.indexOf("\n");
      if (cut === -1) return; // the marker alone
      inline.content = inline.content.slice(cut + 1);
      line++;
    }
    const item = this.pendingItem === undefined ? undefined : this.blocks[this.pendingItem]!;
    if (item && item.text === "") {
      // An item's first paragraph is the item's own text.
      item.text = inline?.content ?? "";
      item.endLine = Math.max(item.endLine, endLine);
      this.pendingItem = undefined;
    } else {
      this.push("paragraph", line, endLine, inline?.content ?? "");
    }
  }

  /** Tables: rows of cell sources, the header row marked. */
  private tableToken(t: Token, previous: Token | undefined): void {
    const table = this.table;
    switch (t.type) {
      case "table_open": {
        const line = firstLine(t);
        this.pendingItem = undefined;
        const index = this.push("table", line, lastLine(t), "", { rows: [] });
        this.table = { block: this.blocks[index]!, header: false, row: undefined, rowLine: line };
        return;
      }
      case "thead_open":
      case "thead_close":
        if (table) table.header = t.type === "thead_open";
        return;
      case "tr_open":
        if (table) {
          table.row = [];
          table.rowLine = t.map ? t.map[0] + 1 : table.rowLine + 1;
        }
        return;
      case "inline":
        if (table?.row && (previous?.type === "th_open" || previous?.type === "td_open")) table.row.push(t.content);
        return;
      case "tr_close":
        if (table?.row) {
          table.block.rows!.push({ cells: table.row, line: table.rowLine, header: table.header });
          table.row = undefined;
        }
        return;
      case "table_close":
        this.table = undefined;
        return;
      default:
        return;
    }
  }
}

/** A token's 1-based first line (1 when markdown-it gives none). */
function firstLine(t: Token): number {
  return t.map ? t.map[0] + 1 : 1;
}

/** A token's 1-based last line (inclusive). */
function lastLine(t: Token): number {
  return t.map ? t.map[1] : firstLine(t);
}

/** The first line of a GitHub alert: `[!NOTE]` (what html_to_md writes for Confluence panels). */
const ALERT_MARKER = /^\[!(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*(?:\n|$)/i;

/** Markdown's escapable punctuation after a backslash (the subset writers and converters use). */
const ESCAPED = /\\([\\`*_{}[\]()#+\-.!|<>~])/g;
/** Escaped ASCII characters are parked at U+E200 + their code while emphasis is stripped. */
const ESCAPE_BASE = 0xe200;
const ESCAPED_MARK = /[\ue200-\ue27f]/g;

/** Markdown inline source → plain text: emphasis, code ticks, links, images and tags removed. */
export function plainText(inline: string): string {
  if (!/[*_`[\]<>!\\~]/.test(inline)) return inline.trim();
  return (
    inline
      // A backslash-escaped character is literal text, never emphasis or a link: set it aside
      // as a private-use character first (`src/api/\*\*` from a converted table stays `src/api/**`).
      .replace(ESCAPED, (_m, c: string) => String.fromCharCode(ESCAPE_BASE + c.charCodeAt(0)))
      // Bounded repeats: with `*`, a long line of `[` without `]` made these quadratic.
      .replace(/!\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)/g, "$1")
      .replace(/\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)/g, "$1")
      .replace(/<\/?[A-Za-z][^>\n]{0,200}>/g, "")
      .replace(/(\*\*|__|~~)(?=\S)([^*_~\n]*?\S)\1/g, "$2")
      .replace(/(^|[^\w*])([*_])(?=[^\s*_])([^*_\n]*?[^\s*_])\2(?![\w*])/g, "$1$3")
      .replace(/`+/g, "")
      .replace(ESCAPED_MARK, (c) => String.fromCharCode(c.charCodeAt(0) - ESCAPE_BASE))
      .trim()
  );
}

/** The range of blocks [start, end) under heading `h` (until the next heading of the same or a higher level). */
export function sectionBlocks(doc: MarkdownDocument, h: number): { start: number; end: number } {
  const heading = doc.headings[h];
  if (!heading) return { start: 0, end: 0 };
  let end = doc.blocks.length;
  for (let j = h + 1; j < doc.headings.length; j++) {
    if (doc.headings[j]!.level <= heading.level) {
      end = doc.headings[j]!.block;
      break;
    }
  }
  return { start: heading.block + 1, end };
}

/** The headings chain (outermost first) that contains heading `h`. */
export function headingPath(doc: MarkdownDocument, h: number): Heading[] {
  const path: Heading[] = [];
  let level = Number.POSITIVE_INFINITY;
  for (let j = h; j >= 0; j--) {
    const heading = doc.headings[j]!;
    if (heading.level < level) {
      path.unshift(heading);
      level = heading.level;
    }
  }
  return path;
}

/**
 * Cuts a long document into pieces that parse exactly as they would in place: each cut is just
 * before an ATX heading at column 0 that follows a blank line and is outside any top-level
 * fenced code block or multi-line HTML block (comment, `<pre>`, `<script>`, …). Such a line
 * closes every open list, blockquote, table and paragraph, so no block spans a cut. One scan,
 * linear in the document.
 */
export function parsingPieces(
  source: string,
  chunkChars: number,
  lines = new SourceLines(source),
): { text: string; line: number }[] {
  if (source.length <= chunkChars) return [{ text: source, line: 0 }];
  const pieces: { text: string; line: number }[] = [];
  let pieceStart = 0;
  let pieceLine = 0;
  let fence: { char: string; length: number } | undefined;
  let fenceCode = 0;
  let htmlEnd: RegExp | undefined;
  let previousBlank = true;
  // Most lines are prose: a line is only cut out of the source (and matched) when its first
  // character after up to three spaces could open or close something.
  for (let line = 0; line < lines.length; line++) {
    const at = lines.start(line + 1);
    const end = lines.end(line + 1);
    const lead = firstAfterSpaces(source, at, end);
    if (fence) {
      if (lead === fenceCode) {
        const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(source.slice(at, end));
        if (close && close[1]![0] === fence.char && close[1]!.length >= fence.length) fence = undefined;
      }
    } else if (htmlEnd) {
      if (htmlEnd.test(source.slice(at, end))) htmlEnd = undefined;
    } else {
      if (
        previousBlank &&
        at - pieceStart >= chunkChars &&
        source.charCodeAt(at) === 0x23 /* # */ &&
        /^#{1,6}(?:[ \t]|$)/.test(source.slice(at, end))
      ) {
        pieces.push({ text: source.slice(pieceStart, at), line: pieceLine });
        pieceStart = at;
        pieceLine = line;
      }
      if (lead === BACKTICK || lead === TILDE) {
        const open = /^ {0,3}(`{3,}|~{3,})(.*)$/s.exec(source.slice(at, end));
        if (open && !(open[1]![0] === "`" && open[2]!.includes("`"))) {
          fence = { char: open[1]![0]!, length: open[1]!.length };
          fenceCode = lead;
        }
      } else if (lead === LESS_THAN) htmlEnd = htmlBlockEnd(source.slice(at, end));
    }
    previousBlank = isBlank(source, at, end);
  }
  pieces.push({ text: source.slice(pieceStart), line: pieceLine });
  return pieces;
}

const BACKTICK = 0x60;
const TILDE = 0x7e;
const LESS_THAN = 0x3c;

/** The code of the character of `source[at, end)` after at most three leading spaces (-1 when none). */
function firstAfterSpaces(source: string, at: number, end: number): number {
  let i = at;
  while (i < end && i - at < 3 && source.charCodeAt(i) === 0x20) i++;
  return i < end ? source.charCodeAt(i) : -1;
}

/** Whether `source[at, end)` holds only spaces, tabs and carriage returns. */
function isBlank(source: string, at: number, end: number): boolean {
  for (let i = at; i < end; i++) {
    const c = source.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

/** For a line that opens a CommonMark HTML block of types 1-5 not closed on the same line: its end condition. */
function htmlBlockEnd(text: string): RegExp | undefined {
  const m = /^ {0,3}<(?:(script|pre|style|textarea)(?:[\s>]|$)|(!--)|(\?)|(![A-Za-z])|(!\[CDATA\[))/i.exec(text);
  if (!m) return undefined;
  const end = m[1] ? new RegExp(`</${m[1]}>`, "i") : m[2] ? /-->/ : m[3] ? /\?>/ : m[4] ? />/ : /\]\]>/;
  return end.test(text.slice(m[0].length)) ? undefined : end;
}

/** Hangul vs Latin letters in prose (headings, paragraphs, list items; code excluded). */
function detectLanguage(blocks: Block[]): DocumentLanguage {
  let hangul = 0;
  let latin = 0;
  let sampled = 0;
  for (const b of blocks) {
    if (b.kind === "code" || b.kind === "html") continue;
    const text = b.kind === "table" ? (b.rows ?? []).map((r) => r.cells.join(" ")).join(" ") : b.text;
    for (let k = 0; k < text.length; k++) {
      const c = text.charCodeAt(k);
      if (c >= 0xac00 && c <= 0xd7a3) hangul++;
      else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) latin++;
    }
    sampled += text.length;
    if (sampled > 200_000) break;
  }
  // Korean prose is dense (one syllable ≈ one word part) and mixes in English terms; weigh it up.
  return hangul * 3 >= latin && hangul > 0 ? "ko" : "en";
}
