/**
 * Open/close/text events from htmlparser2's Tokenizer, for the streaming converter.
 *
 * htmlparser2's own Parser does this too, but keeps its open-element stack with `unshift` and
 * finds a closing tag's element with `indexOf`: every tag costs the nesting depth, so hostile
 * nesting (100 000 unclosed `<span>` in 600 KB) took seconds and 10 MB would take minutes. Here
 * the stack grows at its end and a count per tag name answers "is it open?" at once, so each tag
 * costs O(1) besides the elements it closes. The tree rules are HTML's, as far as the converter
 * needs them: void elements, the implied closes of `p`, `li`, `dt`/`dd`, table parts and options,
 * `</p>` and `</br>` without an open element, and (for storage format) self-closing tags and CDATA.
 *
 * The converter holds the whole input, so every Tokenizer index is an offset into it: slices
 * never need buffers, even when a token straddles two `write` calls.
 */
import { Tokenizer, type TokenizerCallbacks } from "htmlparser2";

/** What the tree builder calls: one close per open, in nesting order. */
export interface TreeHandler {
  onopentag(name: string, attrs: Record<string, string>): void;
  onclosetag(): void;
  ontext(text: string): void;
}

export interface TreeOptions {
  /** `<![CDATA[…]]>` is text (storage format); otherwise it is a comment and dropped. */
  cdata: boolean;
  /** `<x/>` closes `x` (storage format is XHTML); otherwise only void elements are empty. */
  selfClosing: boolean;
  /** Lower-case attribute names (HTML); storage format's are lower case already. */
  lowerCaseAttributes: boolean;
}

const VOID = new Set([
  "area",
  "base",
  "basefont",
  "br",
  "col",
  "command",
  "embed",
  "frame",
  "hr",
  "img",
  "input",
  "isindex",
  "keygen",
  "link",
  "meta",
  "param",
  "source",
  "track",
  "wbr",
]);

/** Elements that end an open `p` (HTML's "close a p element" list). */
const ENDS_P = new Set(["p"]);
const CELL = new Set(["th", "td"]);
const ROW = new Set(["tr", "th", "td"]);
const SECTION = new Set(["thead", "tbody", "tfoot", "tr", "th", "td"]);
const DEF = new Set(["dt", "dd"]);

/** For an opening tag: which open elements (on top of the stack) it closes first. */
const CLOSES = new Map<string, ReadonlySet<string>>([
  ["li", new Set(["li", "p"])],
  ["dt", DEF],
  ["dd", DEF],
  ["tr", ROW],
  ["th", CELL],
  ["td", CELL],
  ["thead", SECTION],
  ["tbody", SECTION],
  ["tfoot", SECTION],
  ["option", new Set(["option"])],
  ["optgroup", new Set(["optgroup", "option"])],
  ["rt", new Set(["rt", "rp"])],
  ["rp", new Set(["rt", "rp"])],
]);
for (const block of [
  "address",
  "article",
  "aside",
  "blockquote",
  "details",
  "dialog",
  "div",
  "dl",
  "fieldset",
  "figcaption",
  "figure",
  "footer",
  "form",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hgroup",
  "hr",
  "main",
  "menu",
  "nav",
  "ol",
  "p",
  "pre",
  "section",
  "table",
  "ul",
]) {
  if (!CLOSES.has(block)) CLOSES.set(block, ENDS_P);
}

export class TreeBuilder implements TokenizerCallbacks {
  private readonly tokenizer: Tokenizer;
  /** Open elements, innermost last. */
  private readonly stack: string[] = [];
  /** How many of each tag name are open. */
  private readonly open = new Map<string, number>();
  private tag = "";
  private attrs: Record<string, string> = {};
  private attrName = "";
  private attrValue = "";

  constructor(
    private readonly html: string,
    private readonly handler: TreeHandler,
    private readonly options: TreeOptions,
  ) {
    this.tokenizer = new Tokenizer({ xmlMode: false, decodeEntities: true }, this);
  }

  /** Parses the next slice of `html` (slices must be written in order, without gaps). */
  write(slice: string): void {
    this.tokenizer.write(slice);
  }

  /** Ends the input: whatever is still open is closed. */
  end(): void {
    this.tokenizer.end();
  }

  // ---- Tokenizer callbacks ----

  ontext(start: number, endIndex: number): void {
    this.handler.ontext(this.html.slice(start, endIndex));
  }

  ontextentity(codepoint: number): void {
    this.handler.ontext(String.fromCodePoint(codepoint));
  }

  oncdata(start: number, endIndex: number, endOffset: number): void {
    if (this.options.cdata) this.handler.ontext(this.html.slice(start, endIndex - endOffset));
  }

  onopentagname(start: number, endIndex: number): void {
    const name = this.html.slice(start, endIndex).toLowerCase();
    const closes = CLOSES.get(name);
    if (closes !== undefined) {
      while (this.stack.length > 0 && closes.has(this.stack[this.stack.length - 1]!)) this.pop();
    }
    if (!VOID.has(name)) this.push(name);
    this.tag = name;
    this.attrs = {};
  }

  onattribname(start: number, endIndex: number): void {
    const name = this.html.slice(start, endIndex);
    this.attrName = this.options.lowerCaseAttributes ? name.toLowerCase() : name;
  }

  onattribdata(start: number, endIndex: number): void {
    this.attrValue += this.html.slice(start, endIndex);
  }

  onattribentity(codepoint: number): void {
    this.attrValue += String.fromCodePoint(codepoint);
  }

  onattribend(): void {
    if (!Object.prototype.hasOwnProperty.call(this.attrs, this.attrName)) this.attrs[this.attrName] = this.attrValue;
    this.attrValue = "";
  }

  onopentagend(): void {
    this.emitOpen();
  }

  onselfclosingtag(): void {
    const name = this.tag;
    this.emitOpen();
    if (this.options.selfClosing && !VOID.has(name) && this.stack[this.stack.length - 1] === name) this.pop();
  }

  onclosetag(start: number, endIndex: number): void {
    const name = this.html.slice(start, endIndex).toLowerCase();
    if (VOID.has(name)) {
      if (name === "br") {
        this.handler.onopentag("br", {});
        this.handler.onclosetag();
      }
      return;
    }
    if ((this.open.get(name) ?? 0) > 0) {
      while (this.pop() !== name);
    } else if (name === "p") {
      this.handler.onopentag("p", {});
      this.handler.onclosetag();
    }
  }

  onend(): void {
    while (this.stack.length > 0) this.pop();
  }

  oncomment(): void {}
  ondeclaration(): void {}
  onprocessinginstruction(): void {}

  private emitOpen(): void {
    const name = this.tag;
    if (name === "") return;
    this.tag = "";
    this.handler.onopentag(name, this.attrs);
    if (VOID.has(name)) this.handler.onclosetag();
  }

  private push(name: string): void {
    this.stack.push(name);
    this.open.set(name, (this.open.get(name) ?? 0) + 1);
  }

  private pop(): string {
    const name = this.stack.pop()!;
    this.open.set(name, this.open.get(name)! - 1);
    this.handler.onclosetag();
    return name;
  }
}
