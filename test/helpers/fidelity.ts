/**
 * What a reader of a converted page would miss, for bench/accuracy.ts and the accuracy tests: the words, code blocks,
 * images and links of a page, taken from its reference, looked for in a converter's Markdown as
 * rendered by markdown-it (CommonMark + GFM tables and strikethrough).
 *
 * The reference of a page is its known Markdown source when there is one (mark's test pages: the
 * .md that mark turned into the .html), restricted to the words the page itself shows (mark's own
 * syntax — front matter, `!!! note`, `@{user}` — never reaches the page); otherwise the page's own
 * content: its visible words, the bodies of its code macros and `<pre>`s, the pictures of its
 * `ac:image`/`<img>`, and the targets of its links (URLs, and attachments and pages that name
 * their space, which a converter can locate without knowing the wiki).
 */
import { Parser } from "htmlparser2";
import MarkdownIt from "markdown-it";
import { inputWords } from "../unit/convert/check.js";

const md = new MarkdownIt({ html: true });

export interface Content {
  words: Map<string, number>;
  code: string[];
  images: string[];
  links: string[];
}

export interface Loss {
  words: string[];
  code: number;
  codeKept: number;
  images: number;
  imagesKept: number;
  links: number;
  linksKept: number;
}

const normCode = (s: string) =>
  s
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((l) => l.replace(/[ \t]+$/, ""))
    .join("\n")
    .replace(/^\n+|\n+$/g, "");
const base = (u: string) => {
  let v = u;
  try {
    v = decodeURIComponent(u);
  } catch {
    /* keep as written */
  }
  return v.split(/[?#]/)[0]!.split("/").pop() ?? v;
};

/** Code blocks, images and links of rendered HTML (markdown-it's, or a page's own). */
function elements(html: string): Omit<Content, "words"> {
  const code: string[] = [];
  const images: string[] = [];
  const links: string[] = [];
  let inPre = 0;
  let text = "";
  const parser = new Parser(
    {
      onopentag(name, a) {
        if (name === "pre") {
          inPre++;
          text = "";
        } else if (name === "img" && a.src) images.push(a.src);
        else if (name === "a" && a.href) links.push(a.href);
      },
      ontext(t) {
        if (inPre > 0) text += t;
      },
      onclosetag(name) {
        if (name === "pre" && --inPre === 0) code.push(normCode(text));
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return { code, images, links };
}

/** What a reader gets from Markdown: its rendered words, code blocks, images and links. */
export function renderedContent(markdown: string): Content {
  const html = md.render(markdown);
  return { words: inputWords(html), ...elements(html) };
}

/** The reference of a page with a known Markdown source. */
export function referenceFromSource(source: string, page: string): Content {
  const html = md.render(source);
  const ref = elements(html);
  const shown = inputWords(page);
  const inPage = (s: string) =>
    page.includes(s) || page.includes(s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
  // Code blocks of the source that reach the page (mark's own syntax, e.g. an indented `!!! note`, does not).
  const code = ref.code.filter(
    (c) => c !== "" && c.split("\n").every((line) => line.trim() === "" || inPage(line.trim())),
  );
  // Words: the source's prose and its code that reached the page, each as often as both show it.
  const prose = inputWords(html.replace(/<pre>[\s\S]*?<\/pre>/g, " "));
  for (const c of code) for (const w of c.match(/[\p{L}\p{N}]+/gu) ?? []) prose.set(w, (prose.get(w) ?? 0) + 1);
  const words = new Map<string, number>();
  for (const [w, n] of prose) if (shown.has(w)) words.set(w, Math.min(n, shown.get(w)!));
  return {
    words,
    code,
    images: ref.images.filter((s) => inPage(base(s))),
    // Links a converter can keep: URLs, paths and anchors of the page (not mark's own `ac:` targets).
    links: ref.links.filter((h) => h !== "" && !/^ac:/i.test(h) && inPage(h)),
  };
}

/** The reference of a page from itself (storage format or HTML). */
export function referenceFromPage(page: string): Content {
  const storage = /<(?:ac|ri):/.test(page);
  const code: string[] = [];
  const images: string[] = [];
  const links: string[] = [];
  let image = 0;
  let link = 0;
  let pre = 0;
  let preText = "";
  let body = "";
  let inBody = false;
  const parser = new Parser(
    {
      onopentag(name, a) {
        if (name === "ac:image") image++;
        else if (name === "ac:link") link++;
        else if (name === "ac:plain-text-body") {
          inBody = true;
          body = "";
        } else if (name === "pre") {
          pre++;
          preText = "";
        } else if (name === "br" && pre > 0) preText += "\n";
        else if (name === "img" && a.src) images.push(a.src);
        else if (name === "a" && a.href && /^(?:https?:|mailto:)/.test(a.href)) links.push(a.href);
        else if (name === "ri:attachment" && a["ri:filename"]) (image > 0 ? images : links).push(a["ri:filename"]);
        else if (name === "ri:url" && a["ri:value"]) (image > 0 ? images : links).push(a["ri:value"]);
        else if (name === "ri:page" && link > 0 && a["ri:space-key"] && a["ri:content-title"])
          links.push(`display/${a["ri:space-key"]}/${encodeURIComponent(a["ri:content-title"]).replace(/%20/g, "+")}`);
      },
      ontext(t) {
        if (inBody) body += t;
        if (pre > 0) preText += t;
      },
      onclosetag(name) {
        if (name === "ac:image") image--;
        else if (name === "ac:link") link--;
        else if (name === "ac:plain-text-body") {
          inBody = false;
          if (normCode(body) !== "") code.push(normCode(body));
        } else if (name === "pre" && --pre === 0 && normCode(preText) !== "") code.push(normCode(preText));
      },
    },
    { recognizeCDATA: storage, recognizeSelfClosing: storage, decodeEntities: true },
  );
  parser.end(page);
  return { words: inputWords(page), code, images, links };
}

/** What of `ref` the converter's Markdown lost. Words found inside longer words are not lost (see check.ts). */
export function loss(ref: Content, markdown: string): Loss {
  const out = renderedContent(markdown);
  const words: string[] = [];
  for (const [word, n] of ref.words) {
    const got = out.words.get(word) ?? 0;
    if (got >= n) continue;
    let inside = 0;
    for (const [w, k] of out.words) if (w !== word && w.includes(word)) inside += k * (w.split(word).length - 1);
    if (got + inside < n) words.push(word);
  }
  const codes = new Set(out.code);
  const images = new Set(out.images.map(base));
  const hrefs = out.links.map((h) => {
    try {
      return decodeURI(h);
    } catch {
      return h;
    }
  });
  const linkKept = (target: string) =>
    hrefs.some((h) => h === target || h.endsWith(target) || base(h) === base(target));
  return {
    words,
    code: ref.code.length,
    codeKept: ref.code.filter((c) => codes.has(c)).length,
    images: ref.images.length,
    imagesKept: ref.images.filter((i) => images.has(base(i))).length,
    links: ref.links.length,
    linksKept: ref.links.filter(linkKept).length,
  };
}

export function lostSomething(l: Loss): boolean {
  return l.words.length > 0 || l.codeKept < l.code || l.imagesKept < l.images || l.linksKept < l.links;
}
