/**
 * Plain HTML elements (and the classes Confluence's view/export HTML marks its macros with) →
 * frames of the streaming pass. Unknown elements are transparent: their text is kept.
 */
import { Container, quoteLines } from "./container.js";
import { emoticon, emoticonFromClass } from "./emoticons.js";
import { codeBlock, codeLines, fenceLanguage, plainText } from "./escape.js";
import { absolutize } from "./links.js";
import { ListBuilder } from "./lists.js";
import { alertBlock, viewAlert, type AlertType } from "./macros.js";
import { emitMath, openMathML } from "./math.js";
import type { Frame, ListState, StreamConverter, TableState } from "./stream.js";
import { TableBuilder, type Alignment } from "./tables.js";

/** Elements whose content is not page text. */
const DROPPED = new Set([
  "script",
  "style",
  "head",
  "template",
  "title",
  "iframe",
  "object",
  "embed",
  "svg",
  "select",
  "button",
  "textarea",
  "noscript",
  "colgroup",
  "col",
  "area",
  "map",
  "audio",
  "video",
  "canvas",
]);

/** Elements that end a paragraph where they open and close (besides `p` and `div`, handled first). */
const BLOCKS = new Set([
  "section",
  "article",
  "main",
  "header",
  "footer",
  "nav",
  "aside",
  "figure",
  "figcaption",
  "address",
  "center",
  "dl",
  "dt",
  "dd",
  "form",
  "fieldset",
  "legend",
  "details",
  "summary",
  "body",
  "html",
  "hgroup",
  "search",
]);

/** One switch, most frequent tags first; unknown elements are transparent. */
export function openHtml(conv: StreamConverter, name: string, a: Record<string, string>): Frame {
  if (a.class !== undefined && conv.options.format !== "storage") {
    const frame = openViewClass(conv, name, a, a.class);
    if (frame !== null) return frame;
  }
  switch (name) {
    case "p":
      alignCell(conv, a);
      return conv.paragraph();
    case "div":
      return conv.block();
    case "li":
      return openItem(conv, undefined);
    case "strong":
    case "b":
      return conv.emphasis("strong");
    case "td":
    case "th":
      return openCell(conv, a);
    case "br":
      conv.cur.inline.lineBreak();
      return conv.noop();
    case "sup":
    case "sub":
      // GFM has no syntax for them but allows the HTML: `mc<sup>2</sup>`, `10<sup>-3</sup>`.
      if (conv.codeDepth > 0) return conv.noop();
      return conv.inline((inline, mark) =>
        inline.replace(mark, (core) => (core === "" ? "" : `<${name}>${core}</${name}>`)),
      );
    case "math":
      return openMathML(conv, a.display === "block");
    case "span":
    case "u":
    case "font":
    case "small":
    case "mark":
    case "thead":
    case "tbody":
    case "tfoot":
      return conv.noop();
    case "code":
    case "tt":
    case "kbd":
    case "samp":
      return conv.code();
    case "a":
      return openAnchor(conv, a);
    case "tr":
      return openRow(conv);
    case "ul":
    case "ol":
    case "menu":
      return openList(conv, name === "ol", a.start, false);
    case "em":
    case "i":
    case "cite":
    case "var":
    case "dfn":
      return conv.emphasis("em");
    case "h1":
    case "h2":
    case "h3":
    case "h4":
    case "h5":
    case "h6":
      return conv.heading(name.charCodeAt(1) - 48);
    case "s":
    case "del":
    case "strike":
      return conv.emphasis("del");
    case "table":
      return openTable(conv);
    case "hr":
      conv.cur.addBlock("---", "rule");
      return conv.noop();
    case "img":
      if (conv.codeDepth > 0) return conv.noop();
      conv.cur.inline.markup(
        imageMarkup(a.alt ?? a.title ?? "", a.src ? absolutize(a.src, conv.options.baseUrl, "image") : null),
      );
      return conv.noop();
    case "input":
      return checkbox(conv, a);
    case "caption":
      return openCaption(conv);
    case "blockquote":
      return conv.tooDeep
        ? conv.block()
        : conv.container("quote", (c, parent) => parent.addBlock(quoteBlock(c.finish()), "quote"));
    case "pre":
      return openPre(conv, languageOf(a));
    case "time":
      return openTime(conv, a.datetime);
    case "script":
      // MathJax 2 keeps each formula's TeX in `<script type="math/tex">`.
      if (/^math\/tex/i.test(a.type ?? ""))
        return conv.startRaw({ pre: false, resources: false }, (tex) =>
          emitMath(conv, tex, /mode=display/i.test(a.type ?? "") ? "block" : "inline"),
        );
      return conv.startSkip();
    default:
      if (BLOCKS.has(name)) return conv.block();
      if (DROPPED.has(name)) return conv.startSkip();
      return conv.noop();
  }
}

export function quoteBlock(body: string): string {
  return body === "" ? "" : quoteLines(body);
}

export function imageMarkup(alt: string, url: string | null): string {
  const label = plainText(alt, true);
  if (url === null || url === "") return label;
  return `![${label}](${url})`;
}

function openAnchor(conv: StreamConverter, a: Record<string, string>): Frame {
  if (a.href === undefined || conv.codeDepth > 0 || conv.linkDepth > 0) return conv.noop();
  const url = absolutize(a.href, conv.options.baseUrl);
  conv.linkDepth++;
  return conv.inline(
    (inline, mark) => (url === null || url === "" ? inline.replace(mark, (core) => core) : inline.link(mark, url, url)),
    () => conv.linkDepth--,
  );
}

/** `class="language-ts"`, `lang-ts`, `brush: java;` (view format), `data-language`. */
export function languageOf(a: Record<string, string>): string | undefined {
  const brush = /\bbrush:\s*([\w#+.-]+)/.exec(a["data-syntaxhighlighter-params"] ?? a.class ?? "");
  if (brush) return brush[1];
  const cls = /\b(?:language|lang)-([\w#+.-]+)/.exec(a.class ?? "");
  return cls?.[1] ?? a["data-language"] ?? a.lang;
}

function openPre(conv: StreamConverter, language: string | undefined): Frame {
  let lang = language;
  return conv.startRaw(
    { pre: true, resources: false, onElement: (name, a) => void (name === "code" && (lang ??= languageOf(a))) },
    (text) => {
      const body = text.startsWith("\n") ? text.slice(1) : text;
      conv.cur.addBlock(conv.cur.inCell ? codeLines(body) : codeBlock(body, fenceLanguage(lang)), "code");
    },
  );
}

function openTime(conv: StreamConverter, datetime: string | undefined): Frame {
  if (!datetime) return conv.noop();
  return conv.inline((inline, mark) => inline.replace(mark, (core) => (core !== "" ? core : plainText(datetime))));
}

// ---- lists ----

export function openList(conv: StreamConverter, ordered: boolean, start: string | undefined, task: boolean): Frame {
  if (conv.tooDeep) return conv.block();
  const inner = conv.container("item", () => undefined);
  const state: ListState = { list: new ListBuilder(ordered, start, task), stray: conv.cur };
  conv.lists.push(state);
  return {
    close(c) {
      flushStray(c, state);
      inner.close(c);
      c.lists.pop();
      c.cur.addBlock(state.list.render(), "list");
    },
  };
}

/** Content written directly in a list (not in an item) becomes an item, or joins the last one if it is a list. */
function flushStray(conv: StreamConverter, state: ListState): void {
  if (state.stray.isEmpty) return;
  const nestedList = state.stray.onlyList;
  const content = state.stray.finish();
  if (nestedList) state.list.appendToLast(content);
  else state.list.addItem(content);
  const fresh = new Container("item", state.stray);
  if (conv.cur === state.stray) conv.replaceCurrent(fresh);
  state.stray = fresh;
}

/** An item of the innermost list, or a lone `- item` when a `li` stands outside any list. */
export function openItem(conv: StreamConverter, checked: boolean | undefined): Frame {
  if (conv.tooDeep) return conv.block();
  const state = conv.lists[conv.lists.length - 1];
  const inList = state !== undefined && conv.cur === state.stray;
  if (inList) flushStray(conv, state);
  const item = { checked, container: conv.cur };
  conv.items.push(item);
  const frame = conv.container("item", (c, parent) => {
    conv.items.pop();
    const content = c.finish();
    if (inList) state.list.addItem(content, item.checked);
    else {
      const lone = new ListBuilder(false, undefined, false);
      lone.addItem(content, item.checked);
      parent.addBlock(lone.render(), "list");
    }
  });
  item.container = conv.cur;
  return frame;
}

/** `<input type="checkbox">` at the start of an item makes it a task item (GitHub-rendered HTML). */
function checkbox(conv: StreamConverter, a: Record<string, string>): Frame {
  if ((a.type ?? "").toLowerCase() !== "checkbox") return conv.noop();
  const item = conv.items[conv.items.length - 1];
  if (item !== undefined && item.container === conv.cur && conv.cur.isEmpty) item.checked = a.checked !== undefined;
  else conv.cur.inline.markup(a.checked !== undefined ? "\\[x\\]" : "\\[ \\]");
  return conv.noop();
}

// ---- tables ----

function openTable(conv: StreamConverter): Frame {
  if (conv.tooDeep) {
    conv.tables.push(null);
    const frame = conv.block();
    return {
      close(c) {
        c.tables.pop();
        frame.close(c);
      },
    };
  }
  const state: TableState = { builder: new TableBuilder(), caption: "", cell: null };
  conv.tables.push(state);
  const nested = conv.cur.inCell;
  return conv.container("stray", (stray, parent) => {
    conv.tables.pop();
    if (state.caption !== "") parent.addBlock(state.caption, "para");
    parent.addBlock(state.builder.render(nested), "table");
    parent.addBlock(stray.finish(), "para");
  });
}

function openRow(conv: StreamConverter): Frame {
  const state = conv.tables[conv.tables.length - 1];
  if (state === undefined || state === null) return conv.block();
  state.builder.startRow();
  return {
    close() {
      state.builder.endRow();
    },
  };
}

function openCell(conv: StreamConverter, a: Record<string, string>): Frame {
  const state = conv.tables[conv.tables.length - 1];
  if (state === undefined || state === null) return conv.block();
  const frame = conv.container("cell", (c) => {
    state.builder.addCell(c.finish(), a.colspan, a.rowspan, cell.align);
    state.cell = null;
  });
  const cell = { container: conv.cur, align: alignmentOf(a) };
  state.cell = cell;
  return frame;
}

/** `align="center"` or `style="text-align: center"` (left, center, right). */
function alignmentOf(a: Record<string, string>): Alignment | undefined {
  const value = a.align ?? /(?:^|;)\s*text-align\s*:\s*([a-z]+)/i.exec(a.style ?? "")?.[1];
  const v = value?.toLowerCase();
  return v === "left" || v === "center" || v === "right" ? v : v === "centre" ? "center" : undefined;
}

/** Confluence's editor aligns a cell through the paragraph in it: the first aligned one sets the cell's alignment. */
function alignCell(conv: StreamConverter, a: Record<string, string>): void {
  if (a.style === undefined && a.align === undefined) return;
  const cell = conv.tables[conv.tables.length - 1]?.cell;
  if (cell && cell.align === undefined && cell.container === conv.cur) cell.align = alignmentOf(a);
}

function openCaption(conv: StreamConverter): Frame {
  const state = conv.tables[conv.tables.length - 1];
  if (state === undefined || state === null) return conv.block();
  return conv.container("item", (c) => {
    state.caption = c.finish();
  });
}

// ---- Confluence view/export HTML ----

function openViewClass(conv: StreamConverter, name: string, a: Record<string, string>, cls: string): Frame | null {
  switch (name) {
    case "div": {
      const alert = viewAlert(cls);
      if (alert !== null) return openAlertContainer(conv, alert);
      if (/\bpanel\b/.test(cls) && !/\bcode\b/.test(cls)) return openAlertContainer(conv, "NOTE");
      return null;
    }
    case "span":
      // KaTeX: the formula is in the MathML annotation; its HTML rendering repeats it glyph by glyph.
      if (/\bkatex-html\b/.test(cls)) return conv.startSkip();
      if (/\bstatus-macro\b/.test(cls))
        return conv.inline((inline, mark) => inline.replace(mark, (core) => (core === "" ? "" : `**[${core}]**`)));
      if (/\bexpand-control-text\b/.test(cls)) return conv.emphasis("strong");
      if (/\baui-icon\b/.test(cls)) return conv.startSkip();
      return null;
    case "ul":
      return /\binline-task-list\b/.test(cls) ? openList(conv, false, undefined, true) : null;
    case "li": {
      const state = conv.lists[conv.lists.length - 1];
      return state?.list.task ? openItem(conv, /\bchecked\b/.test(cls)) : null;
    }
    case "a":
      if (/\b(?:user-mention|confluence-userlink)\b/.test(cls))
        return conv.inline((inline, mark) =>
          inline.replace(mark, (core) => (core === "" || core.startsWith("@") ? core : `@${core}`)),
        );
      return null;
    case "img": {
      if (!/\bemoticon\b/.test(cls)) return null;
      conv.cur.inline.markup(emoticonFromClass(cls) ?? (emoticon(a) || plainText(a.alt ?? "")));
      return conv.noop();
    }
    default:
      return null;
  }
}

/** An alert around the element's content; type and title may be known only when it closes (ADF panels). */
export function openAlertContainer(
  conv: StreamConverter,
  alert: AlertType | (() => AlertType),
  title?: () => string | undefined,
): Frame {
  if (conv.tooDeep) return conv.block();
  return conv.container("quote", (c, parent) => {
    const where = parent.inCell ? "cell" : parent.inQuote ? "quote" : "top";
    parent.addBlock(alertBlock(typeof alert === "function" ? alert() : alert, title?.(), c.finish(), where), "quote");
  });
}
