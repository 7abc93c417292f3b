/**
 * A unified diff (`git diff`, `diff -u`) → the lines each file gained or changed, numbered in the
 * new version. rule_check reports only findings that touch those lines, so a pull request is
 * judged on what it changed. Deleted files and removed lines have nothing to report.
 */
import { SpecGateError } from "../../errors.js";

export interface ChangedLines {
  /** New-version path → its added or changed lines (1-based). */
  files: Map<string, Set<number>>;
}

const HUNK = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Reads a unified diff; E_INVALID_INPUT when it holds no file header at all. */
export function parseDiff(text: string): ChangedLines {
  const files = new Map<string, Set<number>>();
  let current: Set<number> | undefined;
  let line = 0;
  // Lines of the hunk still to come, old and new side: inside a hunk nothing is a header.
  let oldLeft = 0;
  let newLeft = 0;
  let sawHeader = false;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, "");
    if (oldLeft > 0 || newLeft > 0) {
      const mark = raw[0];
      if (mark === "+") {
        current?.add(line);
        line++;
        newLeft--;
        continue;
      }
      if (mark === "-") {
        oldLeft--;
        continue;
      }
      if (mark === " " || raw === "") {
        line++;
        oldLeft--;
        newLeft--;
        continue;
      }
      if (mark === "\\") continue;
      // The counts were off (a hand-edited diff): this line starts something else.
      oldLeft = newLeft = 0;
    }
    if (raw.startsWith("+++ ")) {
      sawHeader = true;
      const target = diffPath(raw.slice(4), lines[i - 1]?.startsWith("--- ") ? lines[i - 1]!.slice(4) : undefined);
      current = target === undefined ? undefined : (files.get(target) ?? new Set());
      if (target !== undefined) files.set(target, current!);
      continue;
    }
    const hunk = HUNK.exec(raw);
    if (hunk) {
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      line = Number(hunk[2]);
      newLeft = hunk[3] === undefined ? 1 : Number(hunk[3]);
    }
  }
  if (!sawHeader)
    throw new SpecGateError(
      "E_INVALID_INPUT",
      "diff: no file header (`+++ b/path`) found; give a unified diff such as `git diff` prints.",
    );
  return { files };
}

/** The path a `+++` line names (`b/` dropped when `---` uses `a/`), or undefined for /dev/null. */
function diffPath(plus: string, minus: string | undefined): string | undefined {
  const name = unquote(beforeTab(plus).trim());
  if (name === "/dev/null") return undefined;
  const other = minus === undefined ? undefined : unquote(beforeTab(minus).trim());
  const prefixed = name.startsWith("b/") && (other === undefined || other === "/dev/null" || other.startsWith("a/"));
  return (prefixed ? name.slice(2) : name).replace(/^\.\//, "");
}

/** A diff header's path without the timestamp `diff -u` puts after a tab. */
function beforeTab(text: string): string {
  const tab = text.indexOf("\t");
  return tab < 0 ? text : text.slice(0, tab);
}

function unquote(name: string): string {
  if (!(name.startsWith('"') && name.endsWith('"') && name.length >= 2)) return name;
  return name.slice(1, -1).replace(/\\(["\\tn])/g, (_, c: string) => (c === "t" ? "\t" : c === "n" ? "\n" : c));
}

/** Whether a finding spanning `line`..`endLine` touches a changed line of `file`. */
export function touchesChange(changes: ChangedLines, file: string, line: number, endLine: number): boolean {
  const set = changes.files.get(file);
  if (!set || set.size === 0) return false;
  if (endLine - line > 10_000) {
    for (const n of set) if (n >= line && n <= endLine) return true;
    return false;
  }
  for (let n = line; n <= endLine; n++) if (set.has(n)) return true;
  return false;
}
