/**
 * Escaping: text from the page must read as the same text once the Markdown is rendered, and
 * nothing more. We escape only what could start Markdown syntax (GFM), so Korean prose, rule ids
 * and `snake_case` words stay as written.
 */

/**
 * HTML whitespace (plus no-break space, which Confluence sprinkles between words) that is not
 * already a single space: most text has only single spaces, and is returned untouched.
 */
const WS = /[\t\n\r\f\u00a0][\t\n\r\f \u00a0]*| [\t\n\r\f \u00a0]+/g;
const NEEDS_COLLAPSE = /[\t\n\r\f\u00a0]| {2}/;

/** Collapses runs of whitespace to one space, as a browser renders text. */
export function collapseWhitespace(text: string): string {
  return NEEDS_COLLAPSE.test(text) ? text.replace(WS, " ") : text;
}

/**
 * Inline escapes, one pass:
 * - `\` before punctuation or at the end (it would escape the next character or break the line);
 * - `` ` ``, `*` and `~` always (code spans, emphasis, GFM strikethrough, even single `~`);
 * - `_` at a word boundary (intraword `_` is never emphasis in GFM);
 * - `]` before `(`, `[`, `:` or at the end (would close a link or a reference);
 * - `!` before `[` or at the end (would turn a following link into an image);
 * - `<` before a letter, `/`, `!`, `?` or at the end (raw HTML, autolinks);
 * - `&` that would read as a character reference.
 * Non-ASCII counts as a word character, so `자동_생성` keeps its underscore as is.
 */
const TEXT_ESCAPE =
  /\\(?=[!-/:-@[-`{-~]|$)|[`*~]|(?<![A-Za-z0-9\u0080-\uffff])_|_(?![A-Za-z0-9\u0080-\uffff])|\](?=[([:]|$)|!(?=\[|$)|<(?=[A-Za-z/!?]|$)|&(?=#?[A-Za-z0-9]+;)/g;

const MAY_ESCAPE = /[\\`*~_\]!<&]/;

/** Link text also escapes every bracket (brackets must balance inside `[…]`), in the same pass. */
const LINK_TEXT_ESCAPE = new RegExp(`${TEXT_ESCAPE.source}|[[\\]]`, "g");
const MAY_ESCAPE_LINK = /[\\`*~_[\]!<&]/;

/** Escapes a run of (already whitespace-collapsed) text; `inLink` for text inside `[…]`. */
export function escapeText(text: string, inLink = false): string {
  if (inLink) return MAY_ESCAPE_LINK.test(text) ? text.replace(LINK_TEXT_ESCAPE, "\\$&") : text;
  return MAY_ESCAPE.test(text) ? text.replace(TEXT_ESCAPE, "\\$&") : text;
}

/** Collapses and escapes a plain string (macro titles, alt texts, link texts from attributes). */
export function plainText(text: string, inLink = false): string {
  return escapeText(collapseWhitespace(text).trim(), inLink);
}

/**
 * A line GFM could read as a table's delimiter row (`-:`, `--|--`, `:-`), which turns the line
 * above it into a table header. Lines starting with `|` are escaped anyway. Lines tested are
 * trimmed.
 */
export const DELIMITER_ROW = /^\|?[ \t]*:?-+:?(?:[ \t]*\|[ \t]*:?-+:?)*[ \t]*\|?$/;

/**
 * Escapes what would make a line of a paragraph start a block: ATX headings, block quotes, list
 * markers, setext underlines and thematic breaks, table rows. Table cells hold inline content
 * only, so nothing there needs it.
 */
export function escapeLineStart(line: string, inCell: boolean): string {
  if (inCell) return line;
  const c = line.charCodeAt(0);
  switch (c) {
    case 35: // # (also `#word`, which some renderers and linters take for a heading)
      return `\\${line}`;
    case 62: // >
      return `\\${line}`;
    case 45: // -
    case 43: // +
      if (line.length === 1 || line[1] === " " || line[1] === "\t" || /^([-+])\1*[ \t]*$/.test(line))
        return `\\${line}`;
      return c === 45 && DELIMITER_ROW.test(line) ? `\\${line}` : line;
    case 61: // =
      return /^=+[ \t]*$/.test(line) ? `\\${line}` : line;
    case 58: // : (`:--` or `:-:` under a paragraph line would make that line a table header)
      return DELIMITER_ROW.test(line) ? `\\${line}` : line;
    case 124: // |
      return `\\${line}`;
    default:
      if (c >= 48 && c <= 57) {
        const m = /^(\d{1,9})[.)](?=[ \t]|$)/.exec(line);
        if (m) return `${m[1]}\\${line.slice(m[1]!.length)}`;
      }
      return line;
  }
}

/** A heading's text must not end in what ATX would take for a closing sequence. */
export function escapeHeadingEnd(text: string): string {
  return text.replace(/(^|[ \t])(#+)$/, "$1\\$2");
}

/** Wraps (whitespace-collapsed) code in a code span whose fence no backtick run inside can close. */
export function codeSpan(content: string): string {
  let longest = 0;
  if (content.includes("`")) for (const run of content.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = "`".repeat(longest + 1);
  const pad =
    content.startsWith("`") || content.endsWith("`") || (content.startsWith(" ") && content.endsWith(" ")) ? " " : "";
  return `${fence}${pad}${content}${pad}${fence}`;
}

const LANGUAGE_ALIASES: Readonly<Record<string, string>> = {
  none: "",
  plain: "",
  "c#": "csharp",
  "html/xml": "xml",
  actionscript3: "actionscript",
};

/** Normalises a Confluence `language` parameter or a `language-*` class to a fence info string. */
export function fenceLanguage(language: string | undefined): string {
  if (!language) return "";
  const lower = language.trim().toLowerCase();
  const mapped = LANGUAGE_ALIASES[lower] ?? lower;
  return mapped.replace(/[^\w#+.-]/g, "");
}

/**
 * A fenced code block whose body is kept byte for byte (only CR LF line endings become LF). The
 * fence is longer than any backtick fence inside the body, so the body can never close it.
 */
export function codeBlock(body: string, language: string): string {
  let text = body.includes("\r") ? body.replace(/\r\n?/g, "\n") : body;
  if (text.endsWith("\n")) text = text.slice(0, -1);
  let longest = 2;
  if (text.includes("```"))
    for (const m of text.matchAll(/^ {0,3}(`{3,})/gm)) longest = Math.max(longest, m[1]!.length);
  const fence = "`".repeat(longest + 1);
  return text === "" ? `${fence}${language}\n${fence}` : `${fence}${language}\n${text}\n${fence}`;
}

/** True when a pipe follows an odd run of backslashes (`\|`, not `\\|`). */
function hasEscapedPipe(text: string): boolean {
  for (let i = text.indexOf("|"); i !== -1; i = text.indexOf("|", i + 1)) {
    let n = 0;
    while (text.charCodeAt(i - 1 - n) === 92) n++;
    if (n % 2 === 1) return true;
  }
  return false;
}

/**
 * Code in a table cell. The table escapes every pipe of a cell as `\|`, which GFM reads as a
 * pipe inside a code span too. But code holding `\|` would become `\\|`, which cmark-gfm and
 * micromark split as an escaped backslash and a cell boundary (markdown-it does not): such code
 * is written as a `<code>` element around escaped text instead, where `\\\|` reads as `\|`
 * for every parser.
 */
export function cellCodeSpan(content: string): string {
  // Brackets are escaped too: the code may be inside link text, where they must balance.
  return hasEscapedPipe(content) ? `<code>${escapeText(content, true)}</code>` : codeSpan(content);
}

/** Code inside a table cell cannot be fenced: one code span per non-blank line, joined with `\n`. */
export function codeLines(body: string): string {
  return body
    .split(/\r\n?|\n/)
    .filter((line) => line.trim() !== "")
    .map((line) => cellCodeSpan(line.replace(/\t/g, "    ")))
    .join("\n");
}

const URL_CHARS: Readonly<Record<string, string>> = {
  " ": "%20",
  "(": "%28",
  ")": "%29",
  "<": "%3C",
  ">": "%3E",
  "|": "%7C",
};

/**
 * Makes a URL safe as a Markdown link destination (no spaces, parentheses or angle brackets),
 * and in a table cell (no pipe: after a backslash, `\|` escaped by the table would end the cell).
 */
export function escapeUrl(url: string): string {
  return url
    .trim()
    .replace(/[\t\n\r]/g, "")
    .replace(/[ ()<>|]/g, (c) => URL_CHARS[c] ?? c);
}
