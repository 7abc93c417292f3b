/**
 * What a user checks on a converted page, as functions: did every word of the page survive, did
 * any markup leak, is the Markdown normalised. Words are compared as rendered text: the input's
 * visible text against the text of the output rendered by markdown-it, so escapes and syntax do
 * not count, and each word must appear at least as often as in the input.
 */
import { Parser } from "htmlparser2";
import MarkdownIt from "markdown-it";
import type { Configuration } from "markdownlint";
import { lint as markdownlint } from "markdownlint/sync";
import { macroRole } from "../../../src/core/convert/macros.js";

/** Storage elements whose text is not page text (parameters, ids, editor placeholders). */
const NOT_TEXT = new Set([
  "ac:parameter",
  "ac:default-parameter",
  "ac:task-id",
  "ac:task-uuid",
  "ac:task-status",
  "ac:placeholder",
  "ac:adf-attribute",
  "script",
  "style",
  "head",
  "title",
]);

const WORD = /[\p{L}\p{N}]+/gu;

function count(text: string, into: Map<string, number>): void {
  for (const m of text.matchAll(WORD)) into.set(m[0], (into.get(m[0]) ?? 0) + 1);
}

/** The words of a page's visible text, with their counts. */
export function inputWords(html: string): Map<string, number> {
  const words = new Map<string, number>();
  const storage = /<(?:ac|ri):/.test(html);
  let skip = 0;
  const stack: boolean[] = [];
  // Inside an ac:adf-extension, the converter renders a panel node and drops the fallback, or
  // renders the fallback and drops any other node; the text counted here follows the same choice.
  const adf: { panel: boolean; depth: number }[] = [];
  let text = "";
  const flush = () => {
    if (skip === 0) count(text, words);
    text = "";
  };
  const parser = new Parser(
    {
      onopentag(name, a) {
        flush();
        let skipHere = NOT_TEXT.has(name);
        if (name === "ac:structured-macro" || name === "ac:macro")
          skipHere ||= macroRole(a["ac:name"] ?? "").kind === "drop";
        if (name === "ac:adf-extension") adf.push({ panel: false, depth: 0 });
        const top = adf[adf.length - 1];
        if (name === "ac:adf-node" && top && top.depth++ === 0) {
          if (a.type === "panel") top.panel = true;
          else skipHere = true;
        }
        if (name === "ac:adf-fallback" && top?.panel) skipHere = true;
        stack.push(skipHere);
        if (skipHere) skip++;
      },
      onclosetag(name) {
        flush();
        if (stack.pop()) skip--;
        if (name === "ac:adf-extension") adf.pop();
        if (name === "ac:adf-node" && adf.length > 0) adf[adf.length - 1]!.depth--;
      },
      ontext(t) {
        text += t;
      },
    },
    { recognizeCDATA: storage, recognizeSelfClosing: storage },
  );
  parser.end(html);
  flush();
  return words;
}

const md = new MarkdownIt({ html: true });

/** The words of Markdown as a reader sees it (rendered, then its text). */
export function outputWords(markdown: string): Map<string, number> {
  return inputWords(md.render(markdown));
}

/**
 * Words of the input missing from the output (or appearing fewer times), e.g. `["foo×2"]`.
 * Every element boundary splits words, on both sides. The converter may join or split text
 * at a boundary that has no Markdown counterpart (`<ac:link>Proposal</ac:link>s` without a URL
 * reads "Proposals"), so a shortfall is forgiven when the word is found inside longer output words.
 */
export function missingWords(html: string, markdown: string): string[] {
  const have = outputWords(markdown);
  const missing: string[] = [];
  for (const [word, n] of inputWords(html)) {
    const got = have.get(word) ?? 0;
    if (got >= n) continue;
    let inside = 0;
    for (const [w, k] of have) if (w !== word && w.includes(word)) inside += k * w.split(word).length - k;
    if (got + inside < n) missing.push(n - got > 1 ? `${word}×${n - got}` : word);
  }
  return missing;
}

/** Markdown outside fenced code blocks and code spans (where anything may appear verbatim). */
export function proseOf(markdown: string): string {
  const out: string[] = [];
  let fence: string | null = null;
  let prefix = "";
  for (const line of markdown.split("\n")) {
    const m = /^((?:>[ \t]?|[ \t]|[-+*][ \t]|\d{1,9}[.)][ \t])*)(`{3,}|~{3,})/.exec(line);
    if (fence !== null) {
      // A closing fence sits in the same container as the opening one (same quote/indent prefix).
      if (line.startsWith(prefix)) {
        const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line.slice(prefix.length));
        if (close && close[1]!.startsWith(fence)) fence = null;
      }
      continue;
    }
    if (m) {
      fence = m[2]!;
      prefix = m[1]!.replace(/[-+*]|\d{1,9}[.)]/g, (x) => " ".repeat(x.length));
      out.push(`${m[1]}CODE`);
      continue;
    }
    out.push(line);
  }
  // A backtick run after an odd run of backslashes is escaped; after `\\` (an escaped backslash) it opens a code span.
  return out.join("\n").replace(/(?<!`)(?<!(?<!\\)\\(?:\\\\)*)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, "C");
}

/** Leaked markup: storage tags, CDATA markers, character references (outside code). */
export function leaks(markdown: string): string[] {
  const prose = proseOf(markdown);
  const found: string[] = [];
  for (const re of [
    /<\/?(?:ac|ri):[\w-]+/g,
    /<!\[CDATA\[/g,
    /(?<!\\)&(?:[A-Za-z][A-Za-z0-9]*|#\d+|#x[0-9A-Fa-f]+);/g,
  ]) {
    for (const m of prose.matchAll(re)) found.push(m[0]);
  }
  return found;
}

/** Departures from html-to-md-conversion.yaml's normal form (outside fenced code). */
export function normalisationProblems(markdown: string): string[] {
  if (markdown === "") return [];
  const problems: string[] = [];
  if (!markdown.endsWith("\n") || markdown.endsWith("\n\n")) problems.push("must end in exactly one newline");
  if (markdown.startsWith("\n")) problems.push("starts with a blank line");
  const prose = proseOf(markdown);
  if (/[ \t]+$/m.test(prose)) problems.push("trailing whitespace");
  if (/\n\n\n/.test(prose)) problems.push("more than one blank line in a row");
  if (/^ {0,3}(?:\*|\+) /m.test(prose)) problems.push("bullet other than -");
  // Setext headings are markdownlint's MD003 (styleProblems), which parses instead of guessing.
  if (/(?<![\\\p{L}\p{N}])_(?=\S)[^_\n]+(?<=\S)_(?![\p{L}\p{N}])/u.test(prose)) problems.push("underscore emphasis");
  return problems;
}

/** The contents of the fenced code blocks of `markdown` as a reader gets them (rendered, decoded). */
export function renderedCodeBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  let inPre = 0;
  let current: string | null = null;
  const parser = new Parser({
    onopentag(name) {
      if (name === "pre") inPre++;
      else if (name === "code" && inPre > 0) current = "";
    },
    ontext(t) {
      if (current !== null) current += t;
    },
    onclosetag(name) {
      if (name === "code" && current !== null) {
        blocks.push(current);
        current = null;
      } else if (name === "pre") inPre--;
    },
  });
  parser.end(md.render(markdown));
  return blocks;
}

/** The multi-line CDATA code bodies of a storage page (as a reader should get them: ending in a newline). */
export function codeBodies(html: string): string[] {
  const bodies: string[] = [];
  for (const m of html.matchAll(/<ac:plain-text-body><!\[CDATA\[([\s\S]*?)\]\]><\/ac:plain-text-body>/g)) {
    const body = m[1]!.replace(/\r\n?/g, "\n");
    if (body.includes("\n")) bodies.push(body.endsWith("\n") ? body : `${body}\n`);
  }
  return bodies;
}

/** The multi-line CDATA code bodies of a storage page that no rendered code block reproduces exactly. */
export function codeBodiesLost(html: string, markdown: string): string[] {
  const rendered = new Set(renderedCodeBlocks(markdown));
  return codeBodies(html)
    .filter((body) => !rendered.has(body))
    .map((body) => body.slice(0, 40));
}

/**
 * markdownlint's verdict on the style html-to-md-conversion.yaml asks for: ATX headings, `-`
 * bullets, `*`/`**` emphasis, fenced code, `---` rules, no trailing spaces, one blank line at most,
 * a final newline, well-formed pipe tables with the same number of cells in every row.
 */
const LINT_CONFIG: Configuration = {
  default: false,
  MD003: { style: "atx" },
  MD004: { style: "dash" },
  MD009: { br_spaces: 0 },
  MD012: true,
  MD018: true,
  MD019: true,
  MD023: true,
  MD030: true,
  MD035: { style: "---" },
  MD037: true,
  MD039: true,
  MD046: { style: "fenced" },
  MD047: true,
  MD048: { style: "backtick" },
  MD049: { style: "asterisk" },
  MD050: { style: "asterisk" },
  MD055: { style: "leading_and_trailing" },
  MD056: true,
};

export function styleProblems(markdown: string): string[] {
  if (markdown === "") return [];
  // markdownlint parses with micromark's directive extension, which is not GFM: in
  // ``x:abc[`] [ a` b](u)`` it reads `:abc[…]` as a directive whose label ignores code spans, and
  // then finds a link with a space inside, or emphasis inside the code. A `:` before a letter
  // (a directive name) means nothing else to GFM, so it is made a `;` for the linter.
  const result = markdownlint({ strings: { doc: markdown.replace(/:(?=[A-Za-z])/g, ";") }, config: LINT_CONFIG });
  // MD037 reads `_ a` inside a code span next to a `<br>` in a table cell as emphasis (markdown-it
  // and cmark do not); the converter never writes `_` emphasis, so only `*` reports count.
  return (result.doc ?? [])
    .filter((e) => !(e.ruleNames[0] === "MD037" && (e.errorContext ?? "").includes("_")))
    .map((e) => `${e.lineNumber}: ${e.ruleNames[0]} ${e.errorDetail ?? ""} ${e.errorContext ?? ""}`.trim());
}
