/**
 * The authoring loop for a rule that has no pattern yet: an assistant proposes a pattern with
 * code examples that violate the rule and code that complies; the answer says whether the pattern
 * matches every violating example and none of the compliant ones (with the matches), so the
 * pattern can be proven before it is handed to spec_generate as `validation_conditions`.
 *
 * The candidate runs through the same translation and engine as every rule (rules.ts, scan.ts).
 */
import { SpecGateError } from "../../errors.js";
import { languageById } from "../astgrep/languages.js";
import { classifyPattern, inlineFlags, type PatternKind } from "../astgrep/patterns.js";
import { astGrepRulesFor } from "../astgrep/rules.js";
import { checkPatterns } from "../astgrep/validate.js";
import { normalizeRule, type DesignRuleSpec } from "../spec/design-rule-spec.js";
import { checkBuffers } from "../astgrep/lsp.js";
import { rulesYaml } from "./scan.js";

export interface Candidate {
  rule_id: string;
  pattern: string;
  language: string;
  examples: { violating: readonly string[]; compliant: readonly string[] };
}

export interface ExampleOutcome {
  index: number;
  matched: boolean;
  matches: { line: number; column: number; end_line: number; snippet: string }[];
}

export interface CandidateResult {
  rule_id: string;
  pattern: string;
  kind: PatternKind;
  language: string;
  /** Whether the pattern parses (as code of the language, or as a regex). */
  valid: boolean;
  problem?: string;
  /** Every violating example matched and no compliant one. */
  passes: boolean;
  violating: ExampleOutcome[];
  compliant: ExampleOutcome[];
  /** What to add to the rule (DesignRuleSpec) so spec_generate and rule_check run the pattern. */
  hand_off?: {
    validation_conditions: { structural_patterns?: string[]; code_patterns?: string[]; languages: string[] };
  };
}

export async function checkCandidate(
  candidate: Candidate,
  rule: DesignRuleSpec | undefined,
  signal?: AbortSignal,
): Promise<CandidateResult> {
  const language = languageById(candidate.language);
  if (!language)
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `candidate.language: "${candidate.language}" is not a language ast-grep parses (e.g. java, typescript, python, go, kotlin, csharp).`,
    );
  const pattern = classifyPattern(candidate.pattern);
  const base = { rule_id: candidate.rule_id, pattern: candidate.pattern, kind: pattern.kind, language: language.id };
  const [problem] = await checkPatterns([{ pattern, language: language.id }], { signal });
  const empty = (list: readonly string[]) => list.map((_, index) => ({ index, matched: false, matches: [] }));
  if (problem)
    return {
      ...base,
      valid: false,
      problem,
      passes: false,
      violating: empty(candidate.examples.violating),
      compliant: empty(candidate.examples.compliant),
    };

  // A regex is handed off in the form that reads back as a regex (slashes only when needed).
  const regex = inlineFlags(pattern);
  const conditions =
    pattern.kind === "structural"
      ? { structural_patterns: [pattern.text] }
      : {
          code_patterns: [classifyPattern(regex).kind === "regex" ? regex : `/${pattern.text}/${pattern.flags ?? ""}`],
        };
  const probe = normalizeRule({
    rule_id: candidate.rule_id,
    priority: rule?.priority ?? "MUST NOT",
    description: rule?.description ?? candidate.rule_id,
    validation_conditions: { ...conditions, languages: [language.id] },
  });
  if ("error" in probe) throw new SpecGateError("E_INVALID_INPUT", `candidate.${probe.field}: ${probe.error}`);
  const translated = astGrepRulesFor(probe.rule);
  if (translated.rules.length === 0)
    return {
      ...base,
      valid: false,
      problem: translated.notes.join("; "),
      passes: false,
      violating: empty(candidate.examples.violating),
      compliant: empty(candidate.examples.compliant),
    };

  const ext = language.extensions[0]!;
  const examples = [
    ...candidate.examples.violating.map((content, i) => ({ path: `violating/example-${i + 1}.${ext}`, content })),
    ...candidate.examples.compliant.map((content, i) => ({ path: `compliant/example-${i + 1}.${ext}`, content })),
  ];
  const matches = await checkBuffers(rulesYaml(translated.rules), examples, signal);
  const outcomes = (kind: string, list: readonly string[]) =>
    list.map((_, index) => {
      const mine = matches
        .filter((m) => m.file === `${kind}/example-${index + 1}.${ext}`)
        .map((m) => ({ line: m.line, column: m.column, end_line: m.endLine, snippet: m.snippet }));
      return { index, matched: mine.length > 0, matches: mine };
    });
  const violating = outcomes("violating", candidate.examples.violating);
  const compliant = outcomes("compliant", candidate.examples.compliant);
  return {
    ...base,
    valid: true,
    passes: violating.every((o) => o.matched) && compliant.every((o) => !o.matched),
    violating,
    compliant,
    hand_off: { validation_conditions: { ...conditions, languages: [language.id] } },
  };
}
