/**
 * The shape of a speclint result (`speclint_lint`), shared by the linter, the
 * gate (which folds a lint grade into its decision) and the CLI formatters.
 */
export type LintSeverity = "error" | "warning" | "info";
export type LintGrade = "high" | "medium" | "low";

/**
 * A mechanical fix: replace lines [start_line, end_line) (1-based; equal = insert before
 * start_line) with `text`. Fixes are independent edits of the original document; apply several
 * with `applyFixes` (src/core/lint/fixes.ts), which keeps the order of inserts at the same line.
 */
export interface LintFix {
  start_line: number;
  end_line: number;
  text: string;
  description: string;
}

export interface LintViolation {
  /** A deduction key of the ruleset, e.g. `scope_missing`. */
  code: string;
  severity: LintSeverity;
  message: string;
  /** 1-based line the violation refers to (per-rule codes: the rule's line). */
  line: number;
  column?: number;
  rule_id?: string;
  /** What to do, from the ruleset's suggestion texts. */
  suggestion: string;
  /** Points this violation deducted (suppressed ones: the points they would have deducted). */
  deduction: number;
  fix?: LintFix;
}

/** A violation silenced by a `<!-- speclint-disable… -->` comment: reported, not deducted. */
export interface SuppressedViolation extends LintViolation {
  suppression: {
    /** The directive that silenced it. */
    kind: "disable" | "disable-next-line" | "disable-file";
    /** 1-based line of the directive. */
    line: number;
    /** The text after `--` in the directive, if any. */
    justification?: string;
  };
}

export interface LintResult {
  score: number;
  grade: LintGrade;
  violations: LintViolation[];
  /**
   * Violations silenced in the document; they do not count towards the score. Always set by the
   * linter; optional so that results written by hand (e.g. a gate input) stay valid.
   */
  suppressed?: SuppressedViolation[];
  stats: Record<string, number | string>;
}
