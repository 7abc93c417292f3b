/** What the CLI formatters receive: one entry per file linted (or that failed to lint). */
import type { LintResult } from "../types.js";

export interface FileReport {
  /** The path as the user named it (relative to the working directory when inside it), or "-" for stdin. */
  file: string;
  result?: LintResult;
  error?: { code: string; message: string };
  /** Whether the score is below the minimum (`--min-score`, default: the grade is `low`). */
  belowMinimum?: boolean;
}

export interface Totals {
  files: number;
  failed: number;
  errors: number;
  warnings: number;
  infos: number;
  suppressed: number;
  lowest: FileReport | undefined;
}

export function totals(reports: readonly FileReport[]): Totals {
  const t: Totals = {
    files: reports.length,
    failed: 0,
    errors: 0,
    warnings: 0,
    infos: 0,
    suppressed: 0,
    lowest: undefined,
  };
  for (const r of reports) {
    if (!r.result) {
      t.failed++;
      continue;
    }
    for (const v of r.result.violations) {
      if (v.severity === "error") t.errors++;
      else if (v.severity === "warning") t.warnings++;
      else t.infos++;
    }
    t.suppressed += r.result.suppressed?.length ?? 0;
    if (!t.lowest?.result || r.result.score < t.lowest.result.score) t.lowest = r;
  }
  return t;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
