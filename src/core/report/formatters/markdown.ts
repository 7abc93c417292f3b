/**
 * Safe Markdown building blocks for reports built from untrusted text (finding messages, file
 * paths, rule texts): nothing a producer writes can open a table cell, a link, raw HTML, math or
 * a new block. All functions are linear in their input.
 */
import { trimEndChars } from "../../text.js";

/** Characters that start or end inline Markdown constructs (GitHub flavour, including `$` math and `~~`). */
const INLINE_SPECIAL = /[\\`*_[\]<>|~&$!#]/g;

/** One line of plain text: whitespace collapsed, specials escaped, cut at `max` characters. */
export function inline(text: string, max = 500): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const cut = flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  return cut.replace(INLINE_SPECIAL, (c) => `\\${c}`);
}

/** A code span that holds any text (fence longer than the longest backtick run inside). */
export function codeSpan(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const body = flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  const fence = "`".repeat(longestRun(body, "`") + 1);
  const pad = body.startsWith("`") || body.endsWith("`") ? " " : "";
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** A link whose destination is wrapped in `<…>` so parentheses and spaces cannot end it early. */
export function link(textMarkdown: string, url: string): string {
  if (/[<>\s]/.test(url)) return textMarkdown;
  return `[${textMarkdown}](<${url}>)`;
}

/** A fenced code block that no line inside can close; `lang` is kept only if it is a plain word. */
export function fencedCode(code: string, lang = "", maxChars = 1500): string {
  const body = code.length > maxChars ? `${code.slice(0, maxChars)}\n…` : code;
  const fence = "`".repeat(Math.max(3, longestRun(body, "`") + 1));
  const info = /^[A-Za-z0-9_+-]{1,20}$/.test(lang) ? lang : "";
  return `${fence}${info}\n${trimEndChars(body.replace(/\r\n?/g, "\n"), "\n")}\n${fence}`;
}

/** Fence language from a file extension, for code examples next to a finding. */
export function langOfFile(file: string | undefined): string {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(file ?? "")?.[1]?.toLowerCase() ?? "";
  const map: Record<string, string> = {
    java: "java",
    kt: "kotlin",
    ts: "ts",
    tsx: "tsx",
    js: "js",
    jsx: "jsx",
    py: "python",
    go: "go",
    rb: "ruby",
    cs: "csharp",
    rs: "rust",
    php: "php",
    scala: "scala",
    swift: "swift",
    sql: "sql",
    yaml: "yaml",
    yml: "yaml",
  };
  return map[ext] ?? "";
}

/** A pipe table; cells are expected to be escaped with {@link inline} already. */
export function table(
  header: readonly string[],
  align: readonly ("l" | "r")[],
  rows: readonly (readonly string[])[],
): string {
  const sep = align.map((a) => (a === "r" ? "---:" : "---"));
  return [header, sep, ...rows].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

function longestRun(text: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ch) best = Math.max(best, ++run);
    else run = 0;
  }
  return best;
}
