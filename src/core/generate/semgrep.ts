/**
 * Semgrep: `.specgate/semgrep/specgate-rules.yml`, one rule per DesignRuleSpec rule that carries
 * code patterns. Sources, first non-empty wins: `ci_info.semgrep_rule` (Semgrep patterns or
 * regexes), then the rule's violation patterns — `validation_conditions.structural_patterns`,
 * `code_patterns` and `development_info.violation_detection.patterns`, each read by its kind
 * (structural → `pattern`, regex → `pattern-regex`; src/core/astgrep/patterns.ts). Every pattern is read as *violating* code: a
 * match is a finding. Each emitted rule passes {@link checkSemgrepRule}; a rule that does not is
 * reported in `skipped`, never written.
 */
import { stringify } from "yaml";
import type { DesignRuleSpec, Priority } from "../spec/design-rule-spec.js";
import {
  clip,
  compareRuleIds,
  expandBraces,
  headerText,
  languagesOfGlobs,
  oneLine,
  record,
  stringList,
} from "./common.js";
import { languageById } from "../astgrep/languages.js";
import { inlineFlags, toSemgrepPattern } from "../astgrep/patterns.js";
import { rulePatterns, type PatternVerdict } from "../astgrep/rules.js";
import { SEMGREP_LANGUAGES, checkSemgrepRule, regexProblem } from "./semgrep-check.js";
import type { GeneratedFile, SkippedItem } from "./types.js";

export const SEMGREP_PATH = ".specgate/semgrep/specgate-rules.yml";

const SEVERITY: Readonly<Record<Priority, string>> = {
  MUST: "ERROR",
  "MUST NOT": "ERROR",
  SHOULD: "WARNING",
  "SHOULD NOT": "WARNING",
  MAY: "INFO",
};

import { semgrepRuleId } from "./semgrep-id.js";

export { semgrepRuleId };

interface Branch {
  regex: boolean;
  value: string;
  not?: { regex: boolean; value: string };
}

interface Collected {
  source: string;
  branches: Branch[];
  languages: string[];
  messages: string[];
  problems: string[];
}

/** Regex-only syntax: escapes, `.*`, alternation, classes, groups, anchors. */
const REGEX_HINT = /\\[()[\]{}.*+?|sSdDwWbB^$/]|\.[*+?]|\[\^?|\(\?|^\^|\$$|\|/;

/** A `pattern` value is a Semgrep pattern unless it only makes sense as a regex. */
export function looksLikeRegex(pattern: string): boolean {
  return REGEX_HINT.test(pattern);
}

function branchOf(entry: unknown): Branch | undefined {
  if (typeof entry === "string") return entry.trim() ? { regex: looksLikeRegex(entry), value: entry } : undefined;
  const e = record(entry);
  if (!e) return undefined;
  const str = (k: string) => (typeof e[k] === "string" && (e[k] as string).trim() ? (e[k] as string) : undefined);
  const explicitRegex = str("pattern-regex") ?? str("pattern_regex") ?? str("regex");
  const pattern = str("pattern");
  const value = explicitRegex ?? pattern;
  if (!value) return undefined;
  const branch: Branch = { regex: explicitRegex !== undefined || looksLikeRegex(value), value };
  const notRegex = str("pattern-not-regex") ?? str("pattern_not_regex");
  const not = notRegex ?? str("pattern-not") ?? str("pattern_not");
  if (not) branch.not = { regex: notRegex !== undefined || looksLikeRegex(not), value: not };
  return branch;
}

function collect(rule: DesignRuleSpec, verdict: PatternVerdict | undefined): Collected {
  const out: Collected = { source: "", branches: [], languages: [], messages: [], problems: [] };
  const explicit = record(rule.ci_info.semgrep_rule);
  if (explicit) {
    const entries = Array.isArray(explicit.patterns) ? explicit.patterns : [];
    for (const entry of [
      ...entries,
      ...["pattern", "pattern-regex", "pattern_regex", "regex"]
        .filter((k) => typeof explicit[k] === "string")
        .map((k) => ({ [k]: explicit[k] })),
    ]) {
      const b = branchOf(entry);
      if (b) out.branches.push(b);
      const msg = record(entry)?.message;
      if (typeof msg === "string" && oneLine(msg)) out.messages.push(oneLine(msg));
    }
    for (const lang of stringList(explicit.languages).map((l) => l.trim().toLowerCase())) {
      if (SEMGREP_LANGUAGES.has(lang)) out.languages.push(lang);
      else out.problems.push(`ci_info.semgrep_rule language "${lang}" is not a Semgrep language (ignored)`);
    }
    if (out.branches.length) out.source = "ci_info.semgrep_rule";
  }
  if (!out.branches.length) {
    // Patterns from the document (and hand-written code_patterns): structural ones are Semgrep
    // patterns (`$$$ARGS` written `$...ARGS`), regexes pattern-regex. One that does not parse in
    // the rule's languages is left out with a note.
    const patterns = rulePatterns(rule);
    for (const p of patterns) {
      const problem =
        p.pattern.kind === "structural" && p.languages.length === 0
          ? "a structural pattern needs a language: give the scope file patterns with extensions (e.g. src/**/*.java) or validation_conditions.languages"
          : p.pattern.kind === "structural"
            ? p.languages.map((l) => verdict?.(p.pattern, l)).find(Boolean)
            : undefined;
      if (problem) {
        out.problems.push(`pattern ${JSON.stringify(p.pattern.text)} left out: ${problem}`);
        continue;
      }
      out.branches.push(
        p.pattern.kind === "structural"
          ? { regex: false, value: toSemgrepPattern(p.pattern.text) }
          : { regex: true, value: inlineFlags(p.pattern) },
      );
    }
    if (out.branches.length) out.source = [...new Set(patterns.map((p) => p.source))].join(", ");
    const explicit = stringList(rule.validation_conditions?.languages)
      .map((l) => languageById(l)?.semgrep)
      .filter((l): l is string => l !== undefined);
    if (explicit.length) out.languages.push(...explicit);
  }
  const seen = new Set<string>();
  out.branches = out.branches.filter((b) => {
    const key = JSON.stringify(b);
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return out;
}

function clause(b: Branch): Record<string, unknown> {
  const head = b.regex ? { "pattern-regex": b.value } : { pattern: b.value };
  if (!b.not) return head;
  return { patterns: [head, b.not.regex ? { "pattern-not-regex": b.not.value } : { "pattern-not": b.not.value }] };
}

/** One Semgrep rule object for `rule`, or the reason it cannot be expressed. */
export function semgrepRuleFor(
  rule: DesignRuleSpec,
  verdict?: PatternVerdict,
): { rule: Record<string, unknown>; notes: string[] } | { reason: string } {
  const c = collect(rule, verdict);
  if (!c.branches.length) {
    if (c.problems.length) return { reason: c.problems.join("; ") };
    return {
      reason:
        "no code pattern (ci_info.semgrep_rule, development_info.violation_detection.patterns or validation_conditions.code_patterns); the rule is still in the .mdc guidance",
    };
  }
  const notes = [...c.problems];
  const usable = c.branches.filter((b) => {
    const bad = [
      b.regex ? regexProblem(b.value) : undefined,
      b.not?.regex ? regexProblem(b.not.value) : undefined,
    ].filter(Boolean);
    if (bad.length) notes.push(`pattern dropped: ${bad.join("; ")}`);
    return bad.length === 0;
  });
  if (!usable.length) return { reason: `no usable code pattern in ${c.source}: ${notes.join("; ")}` };
  const globs = [
    ...new Set(rule.scope.file_patterns.flatMap((g) => expandBraces(oneLine(g).replace(/^\.\//, ""))).filter(Boolean)),
  ].sort();
  let languages = c.languages.length ? [...new Set(c.languages)].sort() : languagesOfGlobs(globs);
  const allRegex = usable.every((b) => b.regex && (!b.not || b.not.regex));
  if (!languages.length) {
    if (!allRegex)
      return {
        reason: `Semgrep patterns in ${c.source} need a language, and neither ci_info.semgrep_rule.languages nor the scope's file extensions name one`,
      };
    languages = ["generic"];
  }
  const base = `${rule.rule_id} (${rule.priority}): ${oneLine(rule.description)}`;
  const extra = [...new Set(c.messages)].filter((m) => m !== oneLine(rule.description));
  const out: Record<string, unknown> = {
    id: semgrepRuleId(rule.rule_id),
    message: clip(extra.length ? `${base} — ${extra.join("; ")}` : base, 1000),
    severity: SEVERITY[rule.priority],
    languages,
  };
  if (globs.length) out.paths = { include: globs };
  if (usable.length === 1) Object.assign(out, clause(usable[0]!));
  else out["pattern-either"] = usable.map(clause);
  out.metadata = { specgate_rule_id: rule.rule_id, priority: rule.priority, reliability: rule.reliability.total_score };
  const problems = checkSemgrepRule(out);
  if (problems.length) return { reason: `the Semgrep rule would be invalid: ${problems.join("; ")}` };
  return { rule: out, notes };
}

/** The Semgrep rule file for `rules` (ordered), or none when no rule has a code pattern. */
export function generateSemgrep(
  rules: readonly DesignRuleSpec[],
  source: string,
  verdict?: PatternVerdict,
): { files: GeneratedFile[]; skipped: SkippedItem[] } {
  const skipped: SkippedItem[] = [];
  const emitted: Record<string, unknown>[] = [];
  const ids: string[] = [];
  for (const rule of rules) {
    const result = semgrepRuleFor(rule, verdict);
    if ("reason" in result) {
      skipped.push({ rule_id: rule.rule_id, target: "semgrep", reason: result.reason });
      continue;
    }
    for (const note of result.notes) skipped.push({ rule_id: rule.rule_id, target: "semgrep", reason: note });
    emitted.push(result.rule);
    ids.push(rule.rule_id);
  }
  if (!emitted.length) {
    skipped.push({
      target: "semgrep",
      reason: `no Semgrep rule file: none of the ${rules.length} rules carries a usable code pattern`,
    });
    return { files: [], skipped };
  }
  const content = `# ${headerText(source)}\n${stringify({ rules: emitted }, { lineWidth: 0, minContentWidth: 0 })}`;
  return { files: [{ path: SEMGREP_PATH, content, target: "semgrep", rule_ids: ids.sort(compareRuleIds) }], skipped };
}
