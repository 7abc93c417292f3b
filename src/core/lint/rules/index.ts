/**
 * The registry of lint rules, in report order (violations on the same line and column are
 * listed in this order, and so are SARIF `rules[]`). Adding a lint code = adding its module here
 * (plus its deduction in the bundled rulesets, unless the module sets `laterDeduction`); the
 * codes, default severities, check types, messages, SARIF rules and docs/rules pages follow.
 */
import { changeHistoryMissing } from "./change_history_missing.js";
import { codeExampleMissing } from "./code_example_missing.js";
import { designRulesInsufficient } from "./design_rules_insufficient.js";
import { designRulesKeywordsMissing } from "./design_rules_keywords_missing.js";
import { designRulesMissing } from "./design_rules_missing.js";
import { noRulesFound } from "./no_rules_found.js";
import { parsingError } from "./parsing_error.js";
import { patternInvalid } from "./pattern_invalid.js";
import { reasonMissing } from "./reason_missing.js";
import { referenceMissing } from "./reference_missing.js";
import type { LintRule } from "./rule.js";
import { ruleContentTooShort } from "./rule_content_too_short.js";
import { ruleIdFormatMismatch } from "./rule_id_format_mismatch.js";
import { ruleSpecRelationMissing } from "./rule_spec_relation_missing.js";
import { ruleTypeMismatch } from "./rule_type_mismatch.js";
import { scopeMissing } from "./scope_missing.js";
import { technicalSpecMissing } from "./technical_spec_missing.js";
import { titleFormatMismatch } from "./title_format_mismatch.js";

export const LINT_RULES = [
  parsingError,
  titleFormatMismatch,
  designRulesMissing,
  technicalSpecMissing,
  changeHistoryMissing,
  noRulesFound,
  ruleIdFormatMismatch,
  ruleTypeMismatch,
  scopeMissing,
  reasonMissing,
  referenceMissing,
  designRulesInsufficient,
  ruleContentTooShort,
  designRulesKeywordsMissing,
  ruleSpecRelationMissing,
  codeExampleMissing,
  patternInvalid,
] as const;

export type LintCode = (typeof LINT_RULES)[number]["code"];

const BY_CODE: ReadonlyMap<string, LintRule> = new Map(LINT_RULES.map((r) => [r.code, r as LintRule]));

/** The module of a lint code. */
export function lintRule(code: LintCode): LintRule {
  return BY_CODE.get(code)!;
}
