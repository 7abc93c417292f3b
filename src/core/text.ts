/**
 * Linear-time string helpers for the few places where the obvious regex is not linear.
 *
 * `s.replace(/x+$/, "")` looks harmless, but the regex engine tries it at every position of a
 * run of `x` that is not at the end ("xxxx…xy"), scanning the rest of the run each time: O(n²)
 * on a multi-megabyte line. Likewise `/\([^)]*\)/g` rescans to the end of the text from every
 * "(" when no ")" follows. These helpers do the same work in one pass
 * (test/hardening/regex-audit.test.ts lists every regex of src/ and why it is linear).
 */

/** `text` without the trailing characters that are in `chars` (a set of single UTF-16 units). */
export function trimEndChars(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1]!)) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** `text` without the leading characters that are in `chars`. */
export function trimStartChars(text: string, chars: string): string {
  let start = 0;
  while (start < text.length && chars.includes(text[start]!)) start++;
  return start === 0 ? text : text.slice(start);
}

/** Each line without trailing spaces and tabs: `replace(/[ \t]+$/gm, "")` (any line terminator) in one pass. */
export function trimLineEnds(text: string): string {
  let out = "";
  let from = 0;
  let i = 0;
  while (i < text.length) {
    if (text[i] !== " " && text[i] !== "\t") {
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && (text[j] === " " || text[j] === "\t")) j++;
    if (j === text.length || LINE_TERMINATORS.includes(text[j]!)) {
      out += text.slice(from, i);
      from = j;
    }
    i = j;
  }
  return from === 0 ? text : out + text.slice(from);
}

const LINE_TERMINATORS = "\n\r\u2028\u2029";

/**
 * Removes every `(…)` and `（…）` span: the leftmost opening bracket that has a closing one after
 * it, up to that first closing one — what `replace(/\([^)]*\)|（[^）]*）/g, "")` does, in linear
 * time.
 */
export function stripParenthesized(text: string): string {
  if (!text.includes("(") && !text.includes("（")) return text;
  const pairs: Record<string, string> = { "(": ")", "（": "）" };
  const lastClose: Record<string, number> = { ")": text.lastIndexOf(")"), "）": text.lastIndexOf("）") };
  let out = "";
  let from = 0;
  let i = 0;
  while (i < text.length) {
    const close = pairs[text[i]!];
    if (close !== undefined && lastClose[close]! > i) {
      const end = text.indexOf(close, i + 1);
      out += text.slice(from, i);
      i = end + 1;
      from = i;
      continue;
    }
    i++;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Runs of white space that contain a line feed become one space: `replace(/\s*\n\s*\/g, " ")` in one pass. */
export function joinLines(text: string): string {
  if (!text.includes("\n")) return text;
  let out = "";
  let from = 0;
  let i = 0;
  while (i < text.length) {
    if (!WHITE.test(text[i]!)) {
      i++;
      continue;
    }
    let j = i;
    let newline = false;
    for (; j < text.length && WHITE.test(text[j]!); j++) if (text[j] === "\n") newline = true;
    if (newline) {
      out += `${text.slice(from, i)} `;
      from = j;
    }
    i = j;
  }
  return from === 0 ? text : out + text.slice(from);
}

const WHITE = /\s/;
