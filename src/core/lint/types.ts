/**
 * The shape of a speclint result (PRODUCT.md §2 `speclint_lint`), shared by the linter, the
 * gate (which folds a lint grade into its decision) and the CLI formatters.
 */
export type LintSeverity = "error" | "warning" | "info";
export type LintGrade = "high" | "medium" | "low";

/** A mechanical fix: replace lines [start_line, end_line) (1-based; equal = insert) with `text`. */
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
  /** Points this violation deducted. */
  deduction: number;
  fix?: LintFix;
}

export interface LintResult {
  score: number;
  grade: LintGrade;
  violations: LintViolation[];
  stats: Record<string, number | string>;
}
