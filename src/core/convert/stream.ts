/**
 * The streaming pass: open/close/text events (tree.ts, over htmlparser2's Tokenizer) in, Markdown
 * blocks out.
 *
 * Design (RULE-PERF-005): no DOM is built. tree.ts emits open/text/close events; the converter
 * keeps a stack of frames, one per open element, and a stack of block containers (see
 * container.ts). Text goes to the current container's inline buffer; a block boundary turns that
 * buffer into a paragraph; a container's blocks are rendered when its element closes. The root's
 * blocks are the output. Memory is the input, the output, and whatever containers are open (for
 * a 10 MB page, a few hundred bytes unless a table or a macro body is open). Input can be fed in
 * any slices: the tokenizer carries partial tags across `write` calls, and text events are
 * coalesced until the next tag, so chunk boundaries never show in the output.
 *
 * Three modes change what events mean:
 * - skip: the subtree is dropped (scripts, `ac:parameter`s of dropped macros, ADF fallbacks
 *   already rendered from their ADF nodes, …);
 * - raw: text is captured verbatim for the frame that started it (code bodies, `<pre>`,
 *   parameters, task status), tags inside only contribute line breaks;
 * - normal: element handlers in html.ts and confluence.ts push frames.
 */
import { Container, atEnclosingStart, insideSameEmphasis, type ContainerKind, type OpenInline } from "./container.js";
import { openConfluence } from "./confluence.js";
import { openHtml } from "./html.js";
import type { EmphasisKind, InlineBuffer } from "./inline.js";
import type { ListBuilder } from "./lists.js";
import type { Alignment, TableBuilder } from "./tables.js";
import type { TreeHandler } from "./tree.js";
import type { Resource } from "./links.js";
import type { MacroRole } from "./macros.js";
import type { ConvertWarning, ResolvedOptions } from "./types.js";

/** What to do when the element that pushed this frame closes. */
export interface Frame {
  close(conv: StreamConverter): void;
}

/** Text captured verbatim (code bodies, parameters). */
export interface RawCapture {
  parts: string[];
  /** `<br>` inside counts as a newline (`<pre>`). */
  pre: boolean;
  /** `ri:*` inside contributes its title/filename/value (macro parameters). */
  resources: boolean;
  /** Called for elements inside (a `<code class="language-x">` in a `<pre>`). */
  onElement?: (name: string, attrs: Record<string, string>) => void;
  /** Takes the text instead of `parts` (MathML, whose TeX annotation is kept apart from its rendering). */
  onText?: (text: string) => void;
}

export interface MacroState {
  name: string;
  role: MacroRole;
  params: Map<string, string>;
  /** Pages, attachments and URLs its parameters name (`ri:*` inside an `ac:parameter`). */
  refs: Resource[];
  body: string | null;
  bodyOpened: boolean;
}

export interface LinkState {
  kind: "link" | "image";
  resource: Resource | null;
  anchor?: string | undefined;
  alt?: string | undefined;
  emitted: boolean;
  /** An image standing as a block of its own (see openImage). */
  block?: boolean;
}

export interface ListState {
  list: ListBuilder;
  stray: Container;
}

export interface ItemState {
  checked: boolean | undefined;
  container: Container;
}

export interface TableState {
  builder: TableBuilder;
  caption: string;
  /** The cell being written, while one is open: a paragraph right in it may give its alignment. */
  cell: { container: Container; align: Alignment | undefined } | null;
}

export interface AdfState {
  handled: boolean;
  depth: number;
  attrs: Map<string, string>;
}

/** Containers (list items, quotes, cells…) nested deeper than this are flattened. */
const MAX_DEPTH = 32;
/** Inline elements nested deeper than this are ignored (their text kept). */
const MAX_INLINE_DEPTH = 32;

const STRONG = 0;
const EM = 1;
const DEL = 2;
const CODE = 3;
const CUSTOM = 4;

/**
 * The frame of an inline element, also registered with its container so a block boundary inside
 * it can close and reopen it. One object per element: emphasis and code need no closure.
 */
class InlineFrame implements Frame, OpenInline {
  mark: number;
  readonly delim: string | undefined;

  constructor(
    private readonly owner: Container,
    private readonly kind: number,
    private readonly custom: ((inline: InlineBuffer, mark: number) => void) | null,
    private readonly onClose: (() => void) | undefined,
  ) {
    this.mark = owner.inline.mark();
    this.delim = kind === STRONG || kind === EM ? "*" : kind === DEL ? "~" : undefined;
    owner.openInline.push(this);
  }

  wrap(inline: InlineBuffer): void {
    const same = this.delim !== undefined && insideSameEmphasis(this.owner.openInline, this.delim, this);
    const atStart = same && atEnclosingStart(this.owner.openInline, inline, this.mark, this);
    switch (this.kind) {
      case STRONG:
        return inline.emphasis(this.mark, "strong", same, atStart);
      case EM:
        return inline.emphasis(this.mark, "em", same, atStart);
      case DEL:
        return inline.emphasis(this.mark, "del", same, atStart);
      case CODE:
        return inline.code(this.mark);
      default:
        return this.custom!(inline, this.mark);
    }
  }

  close(conv: StreamConverter): void {
    this.owner.openInline.pop();
    this.wrap(this.owner.inline);
    if (this.kind === CODE) conv.codeDepth--;
    this.onClose?.();
  }
}

const NOOP: Frame = { close() {} };
const SKIP: Frame = {
  close(conv) {
    conv.skip--;
  },
};
const BLOCK: Frame = {
  close(conv) {
    conv.cur.flushInline();
  },
};
const PARAGRAPH: Frame = {
  close(conv) {
    conv.phrasing--;
    conv.cur.flushInline();
  },
};

export class StreamConverter implements TreeHandler {
  /** The output: the root container's blocks, with their separators. */
  readonly out: string[] = [];
  cur: Container;
  skip = 0;
  raw: RawCapture | null = null;
  codeDepth = 0;
  linkDepth = 0;
  /** Open paragraphs and headings: an image outside them stands as a block of its own. */
  phrasing = 0;
  readonly macros: MacroState[] = [];
  readonly links: LinkState[] = [];
  readonly lists: ListState[] = [];
  readonly items: ItemState[] = [];
  /** Open tables, innermost last; `null` for a table flattened because it was nested too deep. */
  readonly tables: (TableState | null)[] = [];
  readonly adf: AdfState[] = [];
  private readonly stack: Frame[] = [];
  private readonly containers: Container[];
  private text = "";
  private readonly warned = new Map<string, ConvertWarning>();

  constructor(readonly options: ResolvedOptions) {
    this.cur = new Container("root", null, this.out);
    this.containers = [this.cur];
  }

  onopentag(name: string, attrs: Record<string, string>): void {
    if (this.text !== "") this.flushText();
    if (this.skip > 0) {
      this.skip++;
      this.stack.push(SKIP);
      return;
    }
    const raw = this.raw;
    if (raw !== null) {
      if (name === "br" && raw.pre) raw.parts.push("\n");
      else if (raw.resources && name.startsWith("ri:"))
        raw.parts.push(
          attrs["ri:content-title"] ??
            attrs["ri:filename"] ??
            attrs["ri:value"] ??
            attrs["ri:space-key"] ??
            attrs["ri:account-id"] ??
            attrs["ri:userkey"] ??
            "",
        );
      raw.onElement?.(name, attrs);
      this.stack.push(NOOP);
      return;
    }
    this.stack.push(name.includes(":") ? openConfluence(this, name, attrs) : openHtml(this, name, attrs));
  }

  onclosetag(): void {
    if (this.text !== "") this.flushText();
    this.stack.pop()?.close(this);
  }

  ontext(data: string): void {
    if (this.skip === 0) this.text += data;
  }

  /** Renders what is still open and returns the Markdown (empty, or ending in one newline). */
  finish(): string {
    if (this.text !== "") this.flushText();
    while (this.stack.length > 0) this.stack.pop()!.close(this);
    this.cur.flushInline();
    return this.out.length === 0 ? "" : `${this.out.join("")}\n`;
  }

  warnings(): ConvertWarning[] {
    return [...this.warned.values()];
  }

  /** Records a warning; repeats of the same code and subject only raise its count. */
  warn(code: string, subject: string, message: string): void {
    const key = `${code}\u0000${subject}`;
    const seen = this.warned.get(key);
    if (seen) seen.count = (seen.count ?? 1) + 1;
    else this.warned.set(key, { code, message, subject, count: 1 });
  }

  // ---- frame factories used by the element handlers ----

  noop(): Frame {
    return NOOP;
  }

  /** Drops the element and everything inside it. */
  startSkip(): Frame {
    this.skip++;
    return SKIP;
  }

  /** A block boundary at open and close (`p`, `div`, layout cells). */
  block(): Frame {
    this.cur.flushInline();
    return BLOCK;
  }

  /** A paragraph (`p`): a block boundary at open and close, and phrasing content inside. */
  paragraph(): Frame {
    this.cur.flushInline();
    this.phrasing++;
    return PARAGRAPH;
  }

  heading(level: number): Frame {
    this.cur.flushInline();
    this.phrasing++;
    return {
      close(conv) {
        conv.phrasing--;
        conv.cur.heading(level);
      },
    };
  }

  /**
   * True when containers are nested MAX_DEPTH deep: deeper lists, quotes, alerts and tables are
   * flattened into the current container (their text kept), because every level indents or
   * prefixes all the lines inside it and hostile nesting would make the output quadratic.
   */
  get tooDeep(): boolean {
    return this.containers.length >= MAX_DEPTH;
  }

  /** Opens a container; `done` receives it, closed, with the parent current again. */
  container(kind: ContainerKind, done: (c: Container, parent: Container) => void): Frame {
    const parent = this.cur;
    const c = new Container(kind, parent);
    this.containers.push(c);
    this.cur = c;
    return {
      close(conv) {
        conv.containers.pop();
        conv.cur = conv.containers[conv.containers.length - 1]!;
        done(c, conv.cur);
      },
    };
  }

  /** Replaces the current container (a list's stray content after it was made an item). */
  replaceCurrent(c: Container): void {
    this.containers[this.containers.length - 1] = c;
    this.cur = c;
  }

  /** Captures the element's text verbatim and hands it to `done` when it closes. */
  startRaw(capture: Omit<RawCapture, "parts">, done: (text: string) => void): Frame {
    const raw: RawCapture = { ...capture, parts: [] };
    this.raw = raw;
    return {
      close(conv) {
        conv.raw = null;
        done(raw.parts.join(""));
      },
    };
  }

  /**
   * An inline element: remembers where it started in the current container's inline buffer and
   * calls `wrap` on close, or at a block boundary inside it (see Container.takeInline).
   */
  inline(wrap: (inline: InlineBuffer, mark: number) => void, onClose?: () => void): Frame {
    return new InlineFrame(this.cur, CUSTOM, wrap, onClose);
  }

  emphasis(kind: EmphasisKind): Frame {
    if (this.codeDepth > 0 || this.cur.openInline.length >= MAX_INLINE_DEPTH) return NOOP;
    return new InlineFrame(this.cur, kind === "strong" ? STRONG : kind === "em" ? EM : DEL, null, undefined);
  }

  code(): Frame {
    if (this.codeDepth > 0 || this.cur.openInline.length >= MAX_INLINE_DEPTH) return NOOP;
    this.codeDepth++;
    return new InlineFrame(this.cur, CODE, null, undefined);
  }

  private flushText(): void {
    const t = this.text;
    this.text = "";
    if (this.raw !== null) {
      if (this.raw.onText) this.raw.onText(t);
      else this.raw.parts.push(t);
    } else this.cur.inline.text(t, this.codeDepth > 0, this.linkDepth > 0);
  }
}
