/**
 * A merged ruleset object → the compiled {@link Ruleset} the checks read: regexes built (and
 * refused when they could backtrack catastrophically), deductions as positive magnitudes,
 * severities per code, section matchers. Errors are E_INVALID_INPUT naming the key.
 */
import { SpecGateError } from "../../../errors.js";
import { DEFAULT_SEVERITY, LATER_DEDUCTIONS, LINT_CODES, type LintCode } from "../codes.js";
import type { LintSeverity } from "../types.js";
import { SECTION_KEYS, type CheckSeverity, type RulesetFile, type SectionKey } from "./schema.js";

export interface SectionSpec {
  key: SectionKey;
  /** Names matched against a heading's title (number stripped), case- and space-insensitively. */
  names: string[];
  /** When set, matched against `#… <heading text>` instead of the names. */
  pattern: RegExp | undefined;
  /** The heading text fixes insert, e.g. "5. 변경 이력". */
  heading: string;
  required: boolean;
}

export interface Ruleset {
  /** A bundled name (`specgate`) or the file the ruleset was read from. */
  name: string;
  /** Name plus a hash of the merged content: part of lint cache keys. */
  identity: string;
  language: "ko" | "en";
  baseScore: number;
  /** Positive points per code. */
  deductions: Readonly<Record<LintCode, number>>;
  thresholds: { high: number; medium: number; low: number };
  severities: Readonly<Record<LintCode, LintSeverity | "off">>;
  title: { pattern: RegExp; example: string };
  sections: Readonly<Record<SectionKey, SectionSpec>>;
  idPattern: RegExp;
  requireBold: boolean;
  validTypes: readonly string[];
  /** Empty: any area. */
  validAreas: readonly string[];
  minRuleLength: number;
  minMustRules: number;
  suggestions: Readonly<Partial<Record<LintCode, string>>>;
}

const invalid = (source: string, key: string, message: string) =>
  new SpecGateError("E_INVALID_INPUT", `Ruleset ${source}: \`${key}\` ${message}.`, {
    details: { ruleset: source, key },
  });

/**
 * Builds a RegExp from ruleset text, refusing what could backtrack catastrophically on user
 * text: a quantified group that itself contains a quantifier (`(a+)+`, `(\w*)*`), and
 * backreferences. Inputs these patterns see are also capped in length by the checks.
 */
export function compilePattern(pattern: string, flags: string | undefined, source: string, key: string): RegExp {
  const problem = unsafePattern(pattern);
  if (problem) throw invalid(source, key, `is not allowed: ${problem}`);
  try {
    return new RegExp(pattern, flags ?? "");
  } catch (error) {
    throw invalid(source, key, `is not a valid regular expression (${(error as Error).message})`);
  }
}

function unsafePattern(pattern: string): string | undefined {
  // One frame per open group: whether something inside it is quantified, and whether it has
  // alternatives (`(a|a)*` is as exponential as `(a+)+`).
  const stack: { quantified: boolean; alternatives: boolean }[] = [{ quantified: false, alternatives: false }];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      if (!inClass && /[1-9k]/.test(pattern[i + 1] ?? "")) return "backreferences can make matching exponential";
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") inClass = true;
    else if (c === "(") stack.push({ quantified: false, alternatives: false });
    else if (c === "|") stack[stack.length - 1]!.alternatives = true;
    else if (c === ")") {
      const inner = stack.pop()!;
      if (stack.length === 0) return "unbalanced parentheses";
      if (isQuantifier(pattern, i + 1)) {
        if (inner.quantified)
          return "a repeated group contains a repetition (nested quantifiers backtrack catastrophically)";
        if (inner.alternatives)
          return "a repeated group has alternatives (overlapping alternatives backtrack catastrophically)";
        stack[stack.length - 1]!.quantified = true;
      } else if (inner.quantified) stack[stack.length - 1]!.quantified = true;
    } else if (isQuantifier(pattern, i)) {
      if (c === "{" || c === "*" || c === "+") stack[stack.length - 1]!.quantified = true;
    }
  }
  return undefined;
}

function isQuantifier(pattern: string, i: number): boolean {
  const c = pattern[i];
  if (c === "*" || c === "+") return true;
  if (c === "{") return /^\{\d+(,\d*)?\}/.test(pattern.slice(i, i + 12));
  return false;
}

/** Compiles a merged, complete ruleset object. */
export function compileRuleset(file: RulesetFile, name: string, identity: string): Ruleset {
  const sc = file.structure_checks ?? {};
  const q = file.quality_scoring ?? {};
  const need = <T>(value: T | undefined, key: string): T => {
    if (value === undefined) throw invalid(name, key, "is required");
    return value;
  };

  const deductions = {} as Record<LintCode, number>;
  const severities = {} as Record<LintCode, LintSeverity | "off">;
  for (const code of LINT_CODES) {
    deductions[code] = Math.abs(
      need(q.deductions?.[code] ?? LATER_DEDUCTIONS[code], `quality_scoring.deductions.${code}`),
    );
    const s: CheckSeverity | undefined = file.checks?.[code];
    severities[code] = s ?? DEFAULT_SEVERITY[code];
  }
  const high = need(q.thresholds?.high_quality, "quality_scoring.thresholds.high_quality");
  const medium = need(q.thresholds?.medium_quality, "quality_scoring.thresholds.medium_quality");
  const low = q.thresholds?.low_quality ?? 0;
  if (!(high > medium))
    throw invalid(
      name,
      "quality_scoring.thresholds.high_quality",
      `(${high}) must be above medium_quality (${medium})`,
    );
  if (!(medium >= low))
    throw invalid(
      name,
      "quality_scoring.thresholds.medium_quality",
      `(${medium}) must not be below low_quality (${low})`,
    );

  const titleFormat = need(sc.title_format, "structure_checks.title_format");
  const title = {
    pattern: compilePattern(
      need(titleFormat.pattern, "structure_checks.title_format.pattern"),
      titleFormat.flags,
      name,
      "structure_checks.title_format.pattern",
    ),
    example: titleFormat.example ?? "",
  };

  const sections = {} as Record<SectionKey, SectionSpec>;
  for (const key of SECTION_KEYS) {
    const s = need(sc[key], `structure_checks.${key}`);
    const names = s.names ?? [];
    if (names.length === 0 && !s.pattern)
      throw invalid(name, `structure_checks.${key}.names`, "needs at least one name (or a pattern)");
    sections[key] = {
      key,
      names,
      pattern: s.pattern ? compilePattern(s.pattern, s.flags, name, `structure_checks.${key}.pattern`) : undefined,
      heading: need(s.heading, `structure_checks.${key}.heading`),
      required: s.required ?? key !== "implementation_guide_section",
    };
  }

  const rf = sc.rule_format ?? {};
  const validTypes = need(file.rule_types?.valid_types, "rule_types.valid_types").map((t) => t.replace(/\s+/g, " "));
  return {
    name,
    identity,
    language: file.language ?? "ko",
    baseScore: q.base_score ?? 100,
    deductions,
    thresholds: { high, medium, low },
    severities,
    title,
    sections,
    idPattern: compilePattern(
      rf.id_pattern ?? "^RULE-[A-Z]+-[0-9]{3}$",
      undefined,
      name,
      "structure_checks.rule_format.id_pattern",
    ),
    requireBold: rf.require_bold ?? true,
    validTypes,
    validAreas: file.area_codes?.valid_areas ?? [],
    minRuleLength: file.content_checks?.min_rule_length ?? 10,
    minMustRules: file.content_checks?.min_must_rules ?? 3,
    suggestions: Object.fromEntries(Object.entries(file.improvement_suggestions ?? {}).map(([k, v]) => [k, tidy(v)])),
  };
}

/** YAML block scalars keep trailing spaces and newlines; suggestions are shown as trimmed lines. */
function tidy(text: string): string {
  return text
    .split("\n")
    .map((l) => l.trimEnd())
    .join("\n")
    .trim();
}
