/**
 * Block containers. The page root, a list item, a table cell, a block quote or alert: each
 * collects finished Markdown blocks, in order, separated the way its context needs. A container
 * is rendered once, when its element closes, and handed to its parent as one block; the root's
 * blocks are the output itself. So nothing but open containers is ever held, and a block is
 * copied once per container it is nested in.
 */
import { escapeHeadingEnd, escapeLineStart } from "./escape.js";
import { InlineBuffer } from "./inline.js";

export type BlockKind = "para" | "heading" | "list" | "code" | "table" | "quote" | "rule";
export type ContainerKind = "root" | "item" | "cell" | "quote" | "stray";

/** An inline element open in a container: it wraps its part of the buffer when it closes. */
export interface OpenInline {
  mark: number;
  /** The delimiter character of an emphasis (`*` or `~`), for nested emphasis checks. */
  readonly delim?: string | undefined;
  wrap(inline: InlineBuffer): void;
}

/** True when an inline element enclosing `frame` in `open` is emphasis with the same delimiter character. */
export function insideSameEmphasis(open: readonly OpenInline[], delim: string, frame?: OpenInline): boolean {
  for (const f of open) {
    if (f === frame) return false;
    if (f.delim === delim) return true;
  }
  return false;
}

/**
 * True when an inline element enclosing `frame` in `open` has nothing but white space before
 * `mark`: when it closes, its opening delimiter may come right before what starts at `mark`.
 */
export function atEnclosingStart(
  open: readonly OpenInline[],
  inline: InlineBuffer,
  mark: number,
  frame?: OpenInline,
): boolean {
  for (const f of open) {
    if (f === frame) return false;
    if (inline.blankBetween(f.mark, mark)) return true;
  }
  return false;
}

export class Container {
  readonly inline: InlineBuffer;
  /** Inline elements opened in this container and not yet closed (outermost first). */
  readonly openInline: OpenInline[] = [];
  /** Inside a table cell (at any depth): blocks are flattened onto one line. */
  readonly inCell: boolean;
  /** Inside a block quote: alerts cannot be written as GitHub alerts. */
  readonly inQuote: boolean;
  private readonly parts: string[];
  private lastKind: BlockKind | null = null;

  constructor(
    readonly kind: ContainerKind,
    parent: Container | null,
    out?: string[],
  ) {
    this.parts = out ?? [];
    this.inCell = kind === "cell" || (parent?.inCell ?? false);
    this.inline = new InlineBuffer(this.inCell);
    this.inQuote = kind === "quote" || (parent?.inQuote ?? false);
  }

  get isEmpty(): boolean {
    return this.parts.length === 0 && this.inline.isEmpty;
  }

  /** True when everything in it is one list (a list written directly inside another list). */
  get onlyList(): boolean {
    return this.parts.length === 1 && this.lastKind === "list" && this.inline.isEmpty;
  }

  /** Appends a finished block, after turning pending inline text into a paragraph. */
  addBlock(text: string, kind: BlockKind): void {
    this.flushInline();
    if (text === "") return;
    if (this.parts.length > 0) this.parts.push(this.separator(kind, text));
    this.parts.push(text);
    this.lastKind = kind;
  }

  /** Ends the current paragraph, if any (a block boundary). */
  flushInline(): void {
    if (this.inline.isEmpty) return;
    const text = paragraph(this.takeInline(), this.inCell);
    if (text === "") return;
    if (this.parts.length > 0) this.parts.push(this.separator("para"));
    this.parts.push(text);
    this.lastKind = "para";
  }

  /** Turns the pending inline text into a heading of `level`. */
  heading(level: number): void {
    if (this.inline.isEmpty) return;
    const text = this.takeInline().replace(/\s+/g, " ").trim();
    if (text === "") return;
    // A table cell has no headings: bold text, unless it holds emphasis of its own (`**` would nest).
    if (this.inCell) this.addBlock(/(?<!\\)[*_]|<\/?strong>/.test(text) ? text : `**${text}**`, "para");
    else this.addBlock(`${"#".repeat(level)} ${escapeHeadingEnd(text)}`, "heading");
  }

  /** The container's Markdown (its blocks joined). */
  finish(): string {
    this.flushInline();
    const text = this.parts.length === 1 ? this.parts[0]! : this.parts.join("");
    return this.kind === "cell" ? flattenCell(text) : text;
  }

  /**
   * Takes the inline buffer, closing inline elements still open at this block boundary and
   * reopening them (empty) for what follows: `<strong>a<p>b</p></strong>` gives `**a**` and `**b**`.
   */
  private takeInline(): string {
    const open = this.openInline;
    for (let i = open.length - 1; i >= 0; i--) open[i]!.wrap(this.inline);
    const raw = this.inline.take();
    for (const frame of open) frame.mark = 0;
    return raw;
  }

  /** A list right after an item's paragraph stays tight, unless its first line is only list markers. */
  private separator(kind: BlockKind, text = ""): string {
    if (this.kind === "cell") return "\n";
    if (
      this.kind === "item" &&
      kind === "list" &&
      (this.lastKind === "para" || this.lastKind === "heading") &&
      !startsWithBareMarker(text)
    )
      return "\n";
    return "\n\n";
  }
}

/**
 * A paragraph from inline Markdown: hard breaks (`\n`) become `\` + newline (or `<br>` in a
 * table cell), lines are trimmed and escaped where they could start a block.
 */
export function paragraph(raw: string, inCell: boolean): string {
  if (!raw.includes("\n")) return lineOf(raw.trim(), inCell);
  const lines: string[] = [];
  for (const line of raw.split("\n")) {
    const trimmed = line.trim();
    if (trimmed !== "") lines.push(lineOf(trimmed, inCell));
  }
  return lines.join(inCell ? "<br>" : "\\\n");
}

function lineOf(line: string, inCell: boolean): string {
  if (line === "") return line;
  let out = escapeLineStart(line, inCell);
  if (out.charCodeAt(out.length - 1) === 92) {
    let n = 0;
    while (out.charCodeAt(out.length - 1 - n) === 92) n++;
    if (n % 2 === 1) out += "\\";
  }
  return out;
}

/** A table cell's blocks on one line: every non-blank line joined with `<br>`. */
export function flattenCell(text: string): string {
  if (!text.includes("\n")) return text.trim();
  const lines: string[] = [];
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed !== "") lines.push(trimmed);
  }
  return lines.join("<br>");
}

const LIST_MARKER = /^(?:[-+*]|\d{1,9}[.)])$/;

/**
 * True when the first line of `text` is only container markers ending in a list marker (`-`,
 * `- -`, `1. -`, `> -`: an item whose content starts on the next line, such as a rule). Right
 * under a paragraph line, micromark reads that `-` as paragraph text and the rule below as its
 * setext underline.
 */
export function startsWithBareMarker(text: string): boolean {
  const nl = text.indexOf("\n");
  const tokens = (nl === -1 ? text : text.slice(0, nl)).split(/[ \t]+/);
  if (!LIST_MARKER.test(tokens[tokens.length - 1]!)) return false;
  return tokens.every((t) => t === ">" || LIST_MARKER.test(t));
}

/**
 * Prefixes every line with `> ` (a bare `>` on blank lines). Lines are split at `\n` only: a
 * regex `^` with the `m` flag would also start a line after U+2028/U+2029, which Markdown reads
 * as ordinary characters, and put a stray `> ` in the middle of the text.
 */
export function quoteLines(text: string): string {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) lines[i] = lines[i] === "" ? ">" : `> ${lines[i]}`;
  return lines.join("\n");
}

/** Indents every line but the first by `width` spaces (blank lines stay empty). */
export function indentRest(text: string, width: number): string {
  if (!text.includes("\n")) return text;
  return text.replace(/\n(?=[^\n])/g, `\n${" ".repeat(width)}`);
}
