/**
 * Applying the machine-applicable fixes of a lint result to the document they were computed on.
 *
 * Each fix replaces whole lines [start_line, end_line) with its text (an insert when the two are
 * equal). Fixes are applied in line order, inserts before a replacement at the same line; inserts
 * at the same line keep the order in which the linter listed them (so a rule's missing scope, rationale and reference come out in that
 * order). A fix that overlaps a replacement already applied is skipped — lint again and apply
 * the rest, as with ESLint's `--fix` passes.
 */
import type { LintFix, LintViolation } from "./types.js";

export interface AppliedFixes {
  output: string;
  applied: number;
  skipped: number;
}

export function applyFixes(content: string, fixes: readonly (LintFix | LintViolation)[]): AppliedFixes {
  const list = fixes
    .map((f, order) => ({ fix: "code" in f ? f.fix : f, order }))
    .filter((x): x is { fix: LintFix; order: number } => x.fix !== undefined)
    .sort((a, b) => a.fix.start_line - b.fix.start_line || isInsert(b.fix) - isInsert(a.fix) || a.order - b.order);
  const lines = content.split(/(?<=\n)/);
  const out: string[] = [];
  let next = 1; // next original line to copy
  let lastReplacedEnd = 0;
  let applied = 0;
  let skipped = 0;
  for (const { fix } of list) {
    const start = Math.max(1, fix.start_line);
    const end = Math.max(start, fix.end_line);
    if (start < next || start < lastReplacedEnd || start > lines.length + 1) {
      skipped++;
      continue;
    }
    while (next < start) out.push(lines[next++ - 1]!);
    if (start > lines.length && out.length > 0 && !out[out.length - 1]!.endsWith("\n")) out.push("\n");
    out.push(fix.text);
    if (end > start) {
      next = Math.min(end, lines.length + 1);
      lastReplacedEnd = end;
    }
    applied++;
  }
  while (next <= lines.length) out.push(lines[next++ - 1]!);
  return { output: out.join(""), applied, skipped };
}

function isInsert(fix: LintFix): number {
  return fix.end_line <= fix.start_line ? 1 : 0;
}
