/**
 * After extraction: every violation pattern a document wrote is parsed — a structural one as code
 * of the rule's language (by the ast-grep binary that will run it), a regex as a regex. One that
 * parses as neither is moved out of the rule's checks into
 * `validation_conditions.invalid_patterns` ({pattern, problem}) with a `pattern_invalid` warning
 * naming the rule, so no generated check silently matches nothing. The linter reports the same
 * problems as `pattern_invalid` violations.
 */
import { isSpecGateError } from "../../errors.js";
import { classifyPattern, patternShapeProblem } from "../astgrep/patterns.js";
import { rulePatterns } from "../astgrep/rules.js";
import { checkPatterns, type PatternCheck } from "../astgrep/validate.js";
import type { DesignRuleSpec } from "../spec/design-rule-spec.js";
import type { ExtractWarning } from "./types.js";

export interface PatternProblem {
  rule_id: string;
  line: number;
  pattern: string;
  problem: string;
}

/** The problems of the rules' patterns; `unchecked` when ast-grep is not installed here. */
export async function findPatternProblems(
  rules: readonly DesignRuleSpec[],
  signal?: AbortSignal,
): Promise<{ problems: PatternProblem[]; unchecked?: string }> {
  const problems: PatternProblem[] = [];
  const items: PatternCheck[] = [];
  const owners: { rule: DesignRuleSpec; pattern: string }[] = [];
  for (const rule of rules) {
    for (const p of rulePatterns(rule)) {
      if (p.pattern.kind === "regex") {
        const problem = patternShapeProblem(p.pattern);
        if (problem) problems.push({ rule_id: rule.rule_id, line: rule.source.line, pattern: p.pattern.text, problem });
        continue;
      }
      for (const language of p.languages.length ? p.languages : [undefined]) {
        items.push({ pattern: p.pattern, language });
        owners.push({ rule, pattern: p.pattern.text });
      }
    }
  }
  if (items.length === 0) return { problems };
  let results: (string | undefined)[];
  try {
    results = await checkPatterns(items, { signal });
  } catch (error) {
    if (isSpecGateError(error) && error.code === "E_CONFIG") return { problems, unchecked: error.message };
    throw error;
  }
  results.forEach((problem, i) => {
    const { rule, pattern } = owners[i]!;
    if (problem && !problems.some((p) => p.rule_id === rule.rule_id && p.pattern === pattern))
      problems.push({ rule_id: rule.rule_id, line: rule.source.line, pattern, problem });
  });
  return { problems };
}

/** Moves the rules' unusable patterns to `invalid_patterns` and warns about each (rules are changed in place). */
export async function verifyExtractedPatterns(
  rules: DesignRuleSpec[],
  signal?: AbortSignal,
): Promise<ExtractWarning[]> {
  const { problems, unchecked } = await findPatternProblems(rules, signal);
  const warnings: ExtractWarning[] = [];
  if (unchecked) {
    const document = rules[0]?.source.document;
    warnings.push({
      code: "pattern_unchecked",
      message: `Structural violation patterns were not parsed: ${unchecked}`,
      ...(document ? { document } : {}),
    });
  }
  for (const p of problems) {
    const rule = rules.find((r) => r.rule_id === p.rule_id)!;
    const vc = rule.validation_conditions!;
    for (const key of ["structural_patterns", "code_patterns"] as const) {
      const list = vc[key];
      if (!list) continue;
      const kept = list.filter(
        (written) => !(written.trim() === p.pattern || classifyPattern(written).text === p.pattern),
      );
      if (kept.length) vc[key] = kept;
      else delete vc[key];
    }
    const invalid = (vc.invalid_patterns as { pattern: string; problem: string }[] | undefined) ?? [];
    invalid.push({ pattern: p.pattern, problem: p.problem });
    vc.invalid_patterns = invalid;
    warnings.push({
      code: "pattern_invalid",
      message: `${p.rule_id}: the violation pattern \`${p.pattern.length > 120 ? `${p.pattern.slice(0, 117)}…` : p.pattern}\` is not used as a check — ${p.problem}. Fix it, or write a text search as /regex/.`,
      line: p.line,
      document: rule.source.document,
    });
  }
  return warnings;
}
