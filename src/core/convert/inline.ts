/**
 * The inline buffer of one block: text and inline Markdown accumulated until the block ends.
 *
 * Inline elements (emphasis, links, code) never write an opening delimiter when they open: they
 * remember a mark (an index into `parts`) and, when they close, splice the parts since the mark
 * into one wrapped part. Only then is everything known that GFM's flanking rules need (the
 * character before, the first and last characters inside), so whitespace can be moved outside
 * the delimiters and a delimiter that would not parse falls back to the equivalent HTML tag. The
 * one thing not yet known is the character after a closing delimiter; that check is left
 * pending until the next append. Each splice costs the size of what it wraps, so a block costs
 * linear time in its size times its nesting depth.
 */
import { cellCodeSpan, codeSpan, collapseWhitespace, escapeText } from "./escape.js";

const SPACE = 32;
const NEWLINE = 10;

export type EmphasisKind = "strong" | "em" | "del";
const DELIMITERS: Readonly<Record<EmphasisKind, string>> = { strong: "**", em: "*", del: "~~" };

function isSpace(c: number): boolean {
  return c === 0 || c === SPACE || c === NEWLINE || c === 9;
}

const UNICODE_PUNCT = /[\p{P}\p{S}]/u;
const WORD_START = /^[\p{L}\p{N}]/u;
const WORD_END = /[\p{L}\p{N}]$/u;
function isPunct(c: number): boolean {
  if (c < 128) return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
  return UNICODE_PUNCT.test(String.fromCharCode(c));
}

/** A part whose closing delimiter is valid only if the next character is a space or punctuation. */
interface Pending {
  index: number;
  fallback: string;
}

export class InlineBuffer {
  /** `breakIsTag`: hard breaks will be written `<br>` (table cells). */
  constructor(private readonly breakIsTag = false) {}

  private parts: string[] = [];
  private last = 0;
  private pending: Pending | null = null;
  /**
   * Set by `splice` when the removed parts ended in a pending closing delimiter: the core as it
   * reads with that delimiter's HTML fallback. A wrapper that adds nothing after its core leaves
   * the check pending (the character after is still unknown); one that adds a delimiter settles it.
   */
  private pendingCore: string | null = null;
  /** The last part was a word-like token (a Jira key) that must not merge with a following word. */
  private spaceNext = false;
  /** `spaceNext` as it was when the content being wrapped ended: it survives the wrapping. */
  private carry = false;

  get isEmpty(): boolean {
    return this.parts.length === 0;
  }

  /** Position to pass back to `emphasis`, `link` or `code` when the element closes. */
  mark(): number {
    return this.parts.length;
  }

  /**
   * Appends page text: whitespace collapsed (never two spaces in a row, none at the start), and
   * escaped unless it is code. `inLink` also escapes brackets, which must balance in link text.
   */
  text(raw: string, code: boolean, inLink: boolean): void {
    let t = collapseWhitespace(raw);
    if (t.charCodeAt(0) === SPACE && (this.last === SPACE || this.last === NEWLINE || this.last === 0)) t = t.slice(1);
    if (t === "") return;
    if (this.spaceNext && WORD_START.test(t)) t = ` ${t}`;
    if (!code) t = escapeText(t, inLink);
    this.push(t);
  }

  /**
   * Appends Markdown made by the converter (already escaped). A `separate` token (an issue key)
   * gets a space from an adjacent word, which the page showed apart as a lozenge.
   */
  markup(md: string, separate = false): void {
    if (md === "") return;
    if (separate && WORD_END.test(String.fromCharCode(this.last))) this.push(" ");
    this.push(md);
    this.spaceNext = separate;
  }

  /** A hard line break (`<br>`): rendered per context when the block is finished. */
  lineBreak(): void {
    if (this.parts.length > 0) this.push("\n");
  }

  /**
   * Wraps everything since `mark` in emphasis; empty emphasis leaves only its whitespace.
   * `insideSame`: an enclosing emphasis uses the same delimiter character, so an opening run that
   * could also close (both flanking) might pair with the enclosing one: HTML is used instead.
   * `atEnclosingStart`: an enclosing element may write its opening delimiter (`*`, `~`, `[`) right
   * before this one once it closes, so the character before is not final.
   */
  emphasis(mark: number, kind: EmphasisKind, insideSame = false, atEnclosingStart = false): void {
    const content = this.splice(mark);
    if (content === null) return;
    const [lead, rawCore, trail] = content;
    const core = closeEscape(rawCore);
    const delim = DELIMITERS[kind];
    const before = lead === "" ? this.charBefore(mark) : lead === "\n" ? NEWLINE : SPACE;
    const first = core.charCodeAt(0);
    const lastChar = core.charCodeAt(core.length - 1);
    const delimChar = delim.charCodeAt(0);
    const opens = !(isPunct(first) && !this.space(before) && !this.punct(before)) && before !== delimChar;
    // micromark also lets a run right after `*`, `_` or `~` (escaped or not) close, and an
    // enclosing element may put its delimiter right before this one.
    const alsoCloses =
      (!this.space(before) && (!this.punct(before) || isPunct(first))) ||
      atEnclosingStart ||
      before === 42 ||
      before === 95 ||
      before === 126;
    const html = `${lead}<${kind}>${core}</${kind}>${trail}`;
    if (!opens || (insideSame && alsoCloses) || core.startsWith(delim) || core.endsWith(delim)) {
      this.push(html);
      return;
    }
    this.push(`${lead}${delim}${core}${delim}${trail}`);
    if (trail === "" && isPunct(lastChar)) this.pending = { index: this.parts.length - 1, fallback: html };
  }

  /**
   * Wraps everything since `mark` in a link. With no text inside, `fallbackText` (escaped) is
   * used, and set apart from a word that follows directly (the page never showed that text).
   */
  link(mark: number, url: string, fallbackText: string): void {
    const content = this.splice(mark);
    const [lead, rawCore, trail] = content ?? ["", "", ""];
    const core = closeEscape(rawCore);
    const text = core !== "" ? core : fallbackText;
    if (text === "") {
      if (lead + trail !== "") this.push(wsOf(lead + trail));
      return;
    }
    this.push(`${lead}[${text}](${url})${trail}`);
    if (core === "") this.spaceNext = true;
  }

  /**
   * Replaces everything since `mark` with `build(core)`, keeping the surrounding whitespace.
   * Text made up when there was no core is set apart from a word that follows directly.
   */
  replace(mark: number, build: (core: string) => string): void {
    const [lead, core, trail] = this.splice(mark) ?? ["", "", ""];
    const pendingCore = this.pendingCore;
    const built = build(core);
    const out = lead + built + trail;
    if (out !== "") this.push(out);
    if (core === "" && out !== "") this.spaceNext = true;
    // A closing delimiter at the end of the core is still last: its check stays pending.
    if (pendingCore !== null && out !== "" && trail === "" && built.endsWith(core)) {
      this.pending = { index: this.parts.length - 1, fallback: lead + build(pendingCore) + trail };
    }
  }

  /** Wraps the raw text since `mark` in a code span. */
  code(mark: number): void {
    const content = this.splice(mark);
    if (content === null) return;
    const [lead, core, trail] = content;
    // Two code spans in a row would merge their backtick runs: a space keeps them apart.
    const gap = lead === "" && this.charBefore(mark) === 96 ? " " : lead;
    const code = core.replace(/\n/g, " ");
    this.push(gap + (this.breakIsTag ? cellCodeSpan(code) : codeSpan(code)) + trail);
  }

  /**
   * True when nothing but white space was appended between `from` and `to` (two marks). Scans
   * back from `to`, so it stops at the nearest text: a run of breaks is crossed only by what
   * starts right after it.
   */
  blankBetween(from: number, to: number): boolean {
    for (let i = to - 1; i >= from; i--) if (this.parts[i]!.trim() !== "") return false;
    return true;
  }

  /** Returns the block's inline Markdown and empties the buffer. */
  take(): string {
    const out = this.parts.length === 1 ? this.parts[0]! : this.parts.join("");
    this.parts = [];
    this.last = 0;
    this.pending = null;
    return out;
  }

  /** A hard break is whitespace in a paragraph, but `<br>` (punctuation) in a table cell. */
  private space(c: number): boolean {
    return c === NEWLINE ? !this.breakIsTag : isSpace(c);
  }

  private punct(c: number): boolean {
    return c === NEWLINE ? this.breakIsTag : isPunct(c);
  }

  private push(s: string): void {
    if (this.pending !== null) {
      const c = s.charCodeAt(0);
      if (!this.space(c) && !this.punct(c)) this.parts[this.pending.index] = this.pending.fallback;
      this.pending = null;
    }
    this.parts.push(s);
    this.last = s.charCodeAt(s.length - 1);
    this.spaceNext = this.carry;
    this.carry = false;
  }

  /**
   * Removes the parts since `mark` and splits them into leading whitespace, core and trailing
   * whitespace. Returns null (after putting the whitespace back) when there is no core.
   */
  private splice(mark: number): [string, string, string] | null {
    const pending = this.pending;
    this.pendingCore = null;
    this.carry = this.spaceNext;
    const removed = this.parts.splice(mark);
    // The pending part is always the last one: if it was removed, the wrapper decides its fate;
    // otherwise nothing follows it yet and it stays pending.
    let fallback: string | null = null;
    if (pending !== null && pending.index >= mark) {
      this.pending = null;
      fallback = removed.slice(0, -1).join("") + pending.fallback;
    }
    const joined = removed.length === 1 ? removed[0]! : removed.join("");
    this.last = mark > 0 ? this.charBefore(mark) : 0;
    let start = 0;
    let end = joined.length;
    while (start < end && isSpace(joined.charCodeAt(start))) start++;
    while (end > start && isSpace(joined.charCodeAt(end - 1))) end--;
    const lead = wsOf(joined.slice(0, start));
    const trail = wsOf(joined.slice(end));
    if (start === end) {
      const ws = wsOf(joined);
      if (ws !== "" && !(ws === " " && (this.last === SPACE || this.last === 0))) this.push(ws);
      return null;
    }
    if (fallback !== null) this.pendingCore = fallback.slice(start, fallback.length - (joined.length - end));
    return [this.last === SPACE || this.last === 0 ? lead.replace(/^ /, "") : lead, joined.slice(start, end), trail];
  }

  private charBefore(mark: number): number {
    const prev = this.parts[mark - 1];
    return prev === undefined ? 0 : prev.charCodeAt(prev.length - 1);
  }
}

/**
 * A backslash that ended up last in a core (page text `a\ `, escaped while a space followed it,
 * then trimmed) would escape the closing delimiter: it is escaped itself.
 */
function closeEscape(core: string): string {
  if (core.charCodeAt(core.length - 1) !== 92) return core;
  let n = 0;
  while (core.charCodeAt(core.length - 1 - n) === 92) n++;
  return n % 2 === 1 ? `${core}\\` : core;
}

/** Whitespace collapsed to what matters: a hard break, or one space. */
function wsOf(ws: string): string {
  if (ws === "") return "";
  return ws.includes("\n") ? "\n" : " ";
}
