/**
 * The lint codes: the deduction keys of reference/speclint-rules.yaml plus `pattern_invalid` (a
 * violation pattern that parses neither as code of its rule's language nor as a regex), what kind
 * of check each is, which check types run it, and its default severity.
 */
import type { LintSeverity } from "./types.js";

export const LINT_CODES = [
  "parsing_error",
  "title_format_mismatch",
  "design_rules_missing",
  "technical_spec_missing",
  "change_history_missing",
  "no_rules_found",
  "rule_id_format_mismatch",
  "rule_type_mismatch",
  "scope_missing",
  "reason_missing",
  "reference_missing",
  "design_rules_insufficient",
  "rule_content_too_short",
  "design_rules_keywords_missing",
  "rule_spec_relation_missing",
  "code_example_missing",
  "pattern_invalid",
] as const;
export type LintCode = (typeof LINT_CODES)[number];

export const CHECK_TYPES = ["full", "basic", "structure"] as const;
export type CheckType = (typeof CHECK_TYPES)[number];

/** Codes reported once per offending rule statement, at the statement's line. */
export const PER_RULE_CODES: ReadonlySet<LintCode> = new Set([
  "rule_id_format_mismatch",
  "rule_type_mismatch",
  "scope_missing",
  "reason_missing",
  "reference_missing",
  "rule_content_too_short",
]);

/** `structure`: headings only. */
const STRUCTURE: readonly LintCode[] = ["parsing_error", "title_format_mismatch", "design_rules_missing", "technical_spec_missing", "change_history_missing"];
/** `basic`: the template's required structure — sections, plus rules in the standard form with their details. */
const BASIC: readonly LintCode[] = [
  ...STRUCTURE,
  "no_rules_found",
  "rule_id_format_mismatch",
  "rule_type_mismatch",
  "scope_missing",
  "reason_missing",
  "reference_missing",
  "design_rules_insufficient",
];

/** Which codes each check type runs (`full` runs every code). */
export const CHECK_TYPE_CODES: Readonly<Record<CheckType, ReadonlySet<LintCode>>> = {
  structure: new Set(STRUCTURE),
  basic: new Set(BASIC),
  full: new Set(LINT_CODES),
};

/** Severities used when a ruleset does not set one. */
export const DEFAULT_SEVERITY: Readonly<Record<LintCode, LintSeverity>> = {
  parsing_error: "error",
  title_format_mismatch: "error",
  design_rules_missing: "error",
  technical_spec_missing: "error",
  change_history_missing: "warning",
  no_rules_found: "error",
  rule_id_format_mismatch: "warning",
  rule_type_mismatch: "warning",
  scope_missing: "warning",
  reason_missing: "warning",
  reference_missing: "info",
  design_rules_insufficient: "warning",
  rule_content_too_short: "info",
  design_rules_keywords_missing: "warning",
  rule_spec_relation_missing: "warning",
  code_example_missing: "warning",
  pattern_invalid: "error",
};

/**
 * Deductions of codes added after the reference ruleset (1.0), used when a ruleset written
 * before them does not name them, so such rulesets keep loading.
 */
export const LATER_DEDUCTIONS: Readonly<Partial<Record<LintCode, number>>> = { pattern_invalid: 5 };

export function isLintCode(value: string): value is LintCode {
  return (LINT_CODES as readonly string[]).includes(value);
}
