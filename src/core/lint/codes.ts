/**
 * The lint codes and what each is, derived from the rule modules (rules/index.ts): the deduction
 * keys of the bundled rulesets, which check types run each, and its default severity.
 */
import { LINT_RULES, type LintCode } from "./rules/index.js";
import { CHECK_TYPES, type CheckType } from "./rules/rule.js";
import type { LintSeverity } from "./types.js";

export { CHECK_TYPES, type CheckType, type LintCode };

export const LINT_CODES = LINT_RULES.map((r) => r.code) as readonly LintCode[] as readonly [LintCode, ...LintCode[]];

/** Which codes each check type runs (`full` runs every code). */
export const CHECK_TYPE_CODES: Readonly<Record<CheckType, ReadonlySet<LintCode>>> = {
  full: codesOf("full"),
  basic: codesOf("basic"),
  structure: codesOf("structure"),
};

function codesOf(type: CheckType): ReadonlySet<LintCode> {
  return new Set(LINT_RULES.filter((r) => (r.checkTypes as readonly CheckType[]).includes(type)).map((r) => r.code));
}

/** Severities used when a ruleset does not set one. */
export const DEFAULT_SEVERITY: Readonly<Record<LintCode, LintSeverity>> = Object.fromEntries(
  LINT_RULES.map((r) => [r.code, r.severity]),
) as Record<LintCode, LintSeverity>;

/**
 * Deductions of codes added after ruleset version 1.0.0, used when a ruleset written
 * before them does not name them, so such rulesets keep loading.
 */
export const LATER_DEDUCTIONS: Readonly<Partial<Record<LintCode, number>>> = Object.fromEntries(
  LINT_RULES.flatMap((r) =>
    "laterDeduction" in r && r.laterDeduction !== undefined ? [[r.code, r.laterDeduction]] : [],
  ),
);

export function isLintCode(value: string): value is LintCode {
  return (LINT_CODES as readonly string[]).includes(value);
}
