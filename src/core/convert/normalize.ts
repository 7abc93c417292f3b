/**
 * Markdown normalisation (html-to-md-conversion.yaml `post_processors`): trailing spaces removed,
 * runs of blank lines collapsed to one, exactly one final newline. Fenced code is left byte for
 * byte. The converter's output is already in this form; this is for Markdown from elsewhere.
 */
import { trimEndChars } from "../text.js";

const FENCE_OPEN = /^((?:>[ \t]?|[ \t])*)(`{3,}|~{3,})/;

export function normalizeMarkdown(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of lines) {
    if (fence !== null) {
      out.push(line);
      const m = FENCE_OPEN.exec(line);
      if (m && m[2]![0] === fence[0] && m[2]!.length >= fence.length && line.slice(m[0].length).trim() === "")
        fence = null;
      continue;
    }
    const trimmed = trimEndChars(line, " \t");
    if (trimmed === "") {
      if (out.length > 0 && out[out.length - 1] !== "") out.push("");
      continue;
    }
    const m = FENCE_OPEN.exec(trimmed);
    if (m) fence = m[2]!;
    out.push(trimmed);
  }
  while (out.length > 0 && out[out.length - 1] === "") out.pop();
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}
