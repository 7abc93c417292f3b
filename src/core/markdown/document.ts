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
  blocks: Block[];
  headings: Heading[];
  /** Korean when Hangul dominates the prose (code excluded), else English. */
  language: DocumentLanguage;
}

let parser: MarkdownIt | undefined;

function getParser(): MarkdownIt {
  if (!parser) {
    parser = new MarkdownItCtor({ html: true, linkify: false, typographer: false });
    parser.core.ruler.disable(["inline", "linkify", "replacements", "smartquotes", "text_join"], true);
  }
  return parser;
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
  const blocks: Block[] = [];
  const headings: Heading[] = [];
  let section = -1;
  let quoteDepth = 0;
  /** Per open blockquote: whether it is an alert (which does not add to quoteDepth). */
  const quoteKinds: boolean[] = [];
  /** The next paragraph opens an alert: its `[!TYPE]` marker line is not text. */
  let alertMarker = false;
  let listDepth = 0;
  const orderedStack: boolean[] = [];
  const itemStack: number[] = []; // block indexes of open list items
  let pendingItem: number | undefined; // list item waiting for its first paragraph
  let table: { block: Block; header: boolean; row: string[] | undefined; rowLine: number } | undefined;

  const push = (block: Omit<Block, "section" | "listDepth" | "quoteDepth" | "parent">): number => {
    blocks.push({ ...block, section, listDepth, quoteDepth, parent: itemStack.length > 0 ? itemStack[itemStack.length - 1]! : -1 });
    return blocks.length - 1;
  };

  for (const piece of parsingPieces(source, options.chunkChars ?? CHUNK_CHARS)) {
    const tokens = getParser().parse(piece.text, {});
    if (piece.line > 0) {
      for (const t of tokens) {
        if (t.map) {
          t.map[0] += piece.line;
          t.map[1] += piece.line;
        }
      }
    }
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      const map = t.map;
      switch (t.type) {
        case "heading_open": {
          const inline = tokens[i + 1];
          const text = inline?.content ?? "";
          const level = Number(t.tag.slice(1));
          const line = map ? map[0] + 1 : 1;
          const index = push({ kind: "heading", line, endLine: map ? map[1] : line, text, level });
          blocks[index]!.section = headings.length;
          section = headings.length;
          const plain = plainText(text);
          const numbered = /^((?:\d+\.)*\d+)\.?\s+(.*)$/s.exec(plain);
          headings.push({
            block: index,
            level,
            line,
            text: plain,
            ...(numbered ? { number: numbered[1]!, title: numbered[2]!.trim() } : { title: plain }),
          });
          break;
        }
        case "paragraph_open": {
          const inline = tokens[i + 1];
          let line = map ? map[0] + 1 : 1;
          const endLine = map ? map[1] : line;
          if (alertMarker && inline) {
            alertMarker = false;
            const cut = inline.content.indexOf("\n");
            if (cut === -1) break; // the marker alone
            inline.content = inline.content.slice(cut + 1);
            line++;
          }
          if (pendingItem !== undefined && blocks[pendingItem]!.text === "") {
            // An item's first paragraph is the item's own text.
            blocks[pendingItem]!.text = inline?.content ?? "";
            blocks[pendingItem]!.endLine = Math.max(blocks[pendingItem]!.endLine, endLine);
            pendingItem = undefined;
          } else {
            push({ kind: "paragraph", line, endLine, text: inline?.content ?? "" });
          }
          break;
        }
        case "bullet_list_open":
        case "ordered_list_open":
          orderedStack.push(t.type === "ordered_list_open");
          listDepth++;
          break;
        case "bullet_list_close":
        case "ordered_list_close":
          orderedStack.pop();
          listDepth--;
          break;
        case "list_item_open": {
          const line = map ? map[0] + 1 : 1;
          const index = push({ kind: "list_item", line, endLine: line, text: "", ordered: orderedStack[orderedStack.length - 1] ?? false });
          itemStack.push(index);
          pendingItem = index;
          break;
        }
        case "list_item_close": {
          const index = itemStack.pop();
          if (pendingItem === index) pendingItem = undefined;
          break;
        }
        case "blockquote_open": {
          const alert = tokens[i + 1]?.type === "paragraph_open" && ALERT_MARKER.test(tokens[i + 2]?.content ?? "");
          quoteKinds.push(alert);
          if (alert) alertMarker = true;
          else quoteDepth++;
          break;
        }
        case "blockquote_close":
          if (!quoteKinds.pop()) quoteDepth--;
          break;
        case "fence":
        case "code_block": {
          const line = map ? map[0] + 1 : 1;
          pendingItem = undefined;
          push({ kind: "code", line, endLine: map ? map[1] : line, text: t.content, lang: t.type === "fence" ? t.info.trim().split(/\s+/)[0] ?? "" : "" });
          break;
        }
        case "html_block": {
          const line = map ? map[0] + 1 : 1;
          pendingItem = undefined;
          push({ kind: "html", line, endLine: map ? map[1] : line, text: t.content });
          break;
        }
        case "hr": {
          const line = map ? map[0] + 1 : 1;
          push({ kind: "hr", line, endLine: line, text: "" });
          break;
        }
        case "table_open": {
          const line = map ? map[0] + 1 : 1;
          pendingItem = undefined;
          const index = push({ kind: "table", line, endLine: map ? map[1] : line, text: "", rows: [] });
          table = { block: blocks[index]!, header: false, row: undefined, rowLine: line };
          break;
        }
        case "thead_open":
          if (table) table.header = true;
          break;
        case "thead_close":
          if (table) table.header = false;
          break;
        case "tr_open":
          if (table) {
            table.row = [];
            table.rowLine = map ? map[0] + 1 : table.rowLine + 1;
          }
          break;
        case "inline":
          if (table?.row && (tokens[i - 1]?.type === "th_open" || tokens[i - 1]?.type === "td_open")) table.row.push(t.content);
          break;
        case "tr_close":
          if (table?.row) {
            table.block.rows!.push({ cells: table.row, line: table.rowLine, header: table.header });
            table.row = undefined;
          }
          break;
        case "table_close":
          table = undefined;
          break;
        default:
          break;
      }
    }
  }
  return { source, lineCount: countLines(source), blocks, headings, language: detectLanguage(blocks) };
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
export function parsingPieces(source: string, chunkChars: number): { text: string; line: number }[] {
  if (source.length <= chunkChars) return [{ text: source, line: 0 }];
  const pieces: { text: string; line: number }[] = [];
  let pieceStart = 0;
  let pieceLine = 0;
  let line = 0;
  let fence: { char: string; length: number } | undefined;
  let htmlEnd: RegExp | undefined;
  let previousBlank = true;
  for (let at = 0; at < source.length; line++) {
    const nl = source.indexOf("\n", at);
    const end = nl === -1 ? source.length : nl;
    const text = source.slice(at, end);
    if (fence) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(text);
      if (close && close[1]![0] === fence.char && close[1]!.length >= fence.length) fence = undefined;
    } else if (htmlEnd) {
      if (htmlEnd.test(text)) htmlEnd = undefined;
    } else {
      if (previousBlank && at - pieceStart >= chunkChars && /^#{1,6}(?:[ \t]|$)/.test(text)) {
        pieces.push({ text: source.slice(pieceStart, at), line: pieceLine });
        pieceStart = at;
        pieceLine = line;
      }
      const open = /^ {0,3}(`{3,}|~{3,})(.*)$/s.exec(text);
      if (open && !(open[1]![0] === "`" && open[2]!.includes("`"))) fence = { char: open[1]![0]!, length: open[1]!.length };
      else htmlEnd = htmlBlockEnd(text);
    }
    previousBlank = /^[ \t\r]*$/.test(text);
    at = end + 1;
  }
  pieces.push({ text: source.slice(pieceStart), line: pieceLine });
  return pieces;
}

/** For a line that opens a CommonMark HTML block of types 1-5 not closed on the same line: its end condition. */
function htmlBlockEnd(text: string): RegExp | undefined {
  const m = /^ {0,3}<(?:(script|pre|style|textarea)(?:[\s>]|$)|(!--)|(\?)|(![A-Za-z])|(!\[CDATA\[))/i.exec(text);
  if (!m) return undefined;
  const end = m[1] ? new RegExp(`</${m[1]}>`, "i") : m[2] ? /-->/ : m[3] ? /\?>/ : m[4] ? />/ : /\]\]>/;
  return end.test(text.slice(m[0].length)) ? undefined : end;
}

function countLines(source: string): number {
  if (source.length === 0) return 0;
  let n = 1;
  let from = 0;
  for (;;) {
    const at = source.indexOf("\n", from);
    if (at === -1) break;
    n++;
    from = at + 1;
  }
  return source.endsWith("\n") ? n - 1 : n;
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
