/**
 * A DesignRuleSpec rule as ast-grep rules: the one translation both `spec_generate`'s astgrep
 * target (rule files for CI) and `rule_check` (the same rules, run here) use, so the IDE and CI
 * find the same things.
 *
 * What becomes a check, per language of the rule (`validation_conditions.languages`, else the
 * extensions of its scope's file patterns):
 * - structural patterns (`validation_conditions.structural_patterns`, and any pattern of
 *   `code_patterns` / `development_info.violation_detection.patterns` that reads as structural —
 *   see patterns.ts) → `rule: {pattern}`;
 * - regexes → the smallest syntax node of the language whose text the regex finds;
 * - forbidden `validation_conditions.dependency_rules` → import statements of the `from` layer's
 *   files that name the `to` layer (imports.ts).
 * Ids: `specgate.rule-api-001` (as for Semgrep), with `.<language>` (and `-2`, `-3`…) when a rule
 * needs several ast-grep rules; every id contains the RULE id, which is how gate_score maps them.
 */
import type { DesignRuleSpec, Priority } from "../spec/design-rule-spec.js";
import { semgrepRuleId } from "../generate/semgrep-id.js";
import { expandBraces, oneLine, record, stringList } from "../generate/common.js";
import { scopePatterns } from "../extract/scope.js";
import { trimEndChars } from "../text.js";
import { importLanguages, importRule, layerOf } from "./imports.js";
import { DEFAULT_LANGUAGES, languageById, languageOfPath, languagesOfGlobs, LANGUAGES } from "./languages.js";
import {
  astGrepRegexProblem,
  classifyPattern,
  inlineFlags,
  patternShapeProblem,
  type ClassifiedPattern,
} from "./patterns.js";

export interface AstGrepRule {
  id: string;
  language: string;
  severity: "error" | "warning" | "info";
  message: string;
  note?: string;
  url?: string;
  files?: string[];
  utils?: Record<string, unknown>;
  rule: Record<string, unknown>;
  metadata: {
    specgate_rule_id: string;
    priority: Priority;
    check: "structural" | "regex" | "dependency";
    pattern?: string;
    dependency?: string;
  };
}

export interface RulePattern {
  pattern: ClassifiedPattern;
  /** The field it came from. */
  source: string;
  /** Languages it is checked in (empty: none known). */
  languages: string[];
}

/** Looks up whether a pattern parses in a language: a problem, or undefined (see validate.ts). */
export type PatternVerdict = (pattern: ClassifiedPattern, language: string) => string | undefined;

export interface RuleTranslation {
  rules: AstGrepRule[];
  /** Parts of the rule left out, and why. */
  notes: string[];
}

const SEVERITY: Readonly<Record<Priority, AstGrepRule["severity"]>> = {
  MUST: "error",
  "MUST NOT": "error",
  SHOULD: "warning",
  "SHOULD NOT": "warning",
  MAY: "info",
};

/** The ast-grep id of a rule: the Semgrep id (`specgate.rule-api-001`). */
export function astGrepRuleId(ruleId: string): string {
  return semgrepRuleId(ruleId);
}

/**
 * Scope globs as ast-grep reads them: braces expanded, `./` dropped, sorted. A hand-written rule
 * whose scope is only text (`"scope": "web/**\/*.ts"`) gets the globs that text names.
 */
export function ruleGlobs(rule: DesignRuleSpec): string[] {
  const written = rule.scope.file_patterns.length
    ? rule.scope.file_patterns
    : scopePatterns(rule.scope.text).file_patterns;
  return [...new Set(written.flatMap((g) => expandBraces(oneLine(g).replace(/^\.\//, ""))).filter(Boolean))].sort();
}

/** The rule's languages: `validation_conditions.languages`, else its scope's extensions. */
export function ruleLanguages(rule: DesignRuleSpec): string[] {
  const explicit = stringList(rule.validation_conditions?.languages)
    .map((l) => languageById(l)?.id)
    .filter((l): l is string => l !== undefined);
  if (explicit.length) return [...new Set(explicit)];
  return languagesOfGlobs(ruleGlobs(rule), (g) => [g]);
}

/** Every violation pattern of a rule, classified, with the languages it is checked in. */
export function rulePatterns(rule: DesignRuleSpec): RulePattern[] {
  const languages = ruleLanguages(rule);
  const out: RulePattern[] = [];
  const seen = new Set<string>();
  const add = (raw: string, source: string, forceStructural: boolean) => {
    const classified = forceStructural
      ? { kind: "structural" as const, text: raw.trim(), reason: "metavariable" as const }
      : classifyPattern(raw);
    const key = `${classified.kind}\0${inlineFlags(classified)}`;
    if (!classified.text || seen.has(key)) return;
    seen.add(key);
    const langs = classified.kind === "regex" && languages.length === 0 ? [...DEFAULT_LANGUAGES] : languages;
    out.push({ pattern: classified, source, languages: langs });
  };
  const vc = rule.validation_conditions;
  for (const p of stringList(vc?.structural_patterns)) add(p, "validation_conditions.structural_patterns", true);
  for (const p of stringList(vc?.code_patterns)) add(p, "validation_conditions.code_patterns", false);
  for (const p of stringList(record(record(rule.development_info)?.violation_detection)?.patterns))
    add(p, "development_info.violation_detection.patterns", false);
  return out;
}

/** The ast-grep rules of one DesignRuleSpec rule (possibly none, with notes saying why). */
export function astGrepRulesFor(rule: DesignRuleSpec, verdict?: PatternVerdict): RuleTranslation {
  const notes: string[] = [];
  const rules: AstGrepRule[] = [];
  const globs = ruleGlobs(rule);
  const base = {
    severity: SEVERITY[rule.priority],
    message: `${rule.rule_id} (${rule.priority}): ${oneLine(rule.description)}`.slice(0, 1000),
    ...(rule.rationale.trim() ? { note: oneLine(rule.rationale).slice(0, 1000) } : {}),
    ...(typeof rule.source.url === "string" && /^https?:\/\//.test(rule.source.url) ? { url: rule.source.url } : {}),
  };
  const meta = (check: AstGrepRule["metadata"]["check"], extra: Partial<AstGrepRule["metadata"]>) => ({
    specgate_rule_id: rule.rule_id,
    priority: rule.priority,
    check,
    ...extra,
  });
  for (const p of rulePatterns(rule)) {
    if (p.languages.length === 0) {
      notes.push(
        `structural pattern ${JSON.stringify(p.pattern.text)} has no language: give the scope file patterns with extensions (e.g. src/**/*.java) or validation_conditions.languages`,
      );
      continue;
    }
    for (const language of p.languages) {
      const problem = verdict
        ? verdict(p.pattern, language)
        : (patternShapeProblem(p.pattern) ?? astGrepRegexProblem(p.pattern));
      if (problem) {
        notes.push(`pattern ${JSON.stringify(p.pattern.text)} left out: ${problem}`);
        continue;
      }
      const lang = languageById(language)!;
      const files = globsFor(globs, language);
      if (p.pattern.kind === "structural") {
        rules.push({
          id: "",
          language,
          ...base,
          ...(files ? { files } : {}),
          rule: { pattern: p.pattern.text },
          metadata: meta("structural", { pattern: p.pattern.text }),
        });
        continue;
      }
      if (!lang.regexKinds) {
        notes.push(
          `regex ${JSON.stringify(p.pattern.text)} is not checked in ${language} by ast-grep (Semgrep's pattern-regex checks it)`,
        );
        continue;
      }
      const regex = inlineFlags(p.pattern);
      rules.push({
        id: "",
        language,
        ...base,
        ...(files ? { files } : {}),
        utils: { "code-unit": { any: lang.regexKinds.map((kind) => ({ kind })) } },
        rule: { matches: "code-unit", regex, not: { has: { matches: "code-unit", regex, stopBy: "end" } } },
        metadata: meta("regex", { pattern: p.pattern.text }),
      });
    }
  }
  for (const d of rule.validation_conditions?.dependency_rules ?? []) {
    if (d.direction !== "forbidden") continue;
    const from = layerOf(d.from);
    const to = layerOf(d.to);
    if (!from || !to) {
      notes.push(`dependency ${JSON.stringify(d.from)} → ${JSON.stringify(d.to)} names no layer or package`);
      continue;
    }
    const scoped = ruleLanguages(rule);
    const langs = importLanguages(to).filter((l) => scoped.length === 0 || scoped.includes(l));
    for (const language of langs) {
      rules.push({
        id: "",
        language,
        ...base,
        message: `${base.message} (${d.from} → ${d.to})`.slice(0, 1000),
        files: from.files,
        rule: importRule(language, to)!,
        metadata: meta("dependency", { dependency: `${d.from} -> ${d.to}` }),
      });
    }
  }
  assignIds(rule.rule_id, rules);
  return { rules, notes };
}

/** Scope globs that can hold files of `language` (those naming its extension, or none); undefined = every file. */
function globsFor(globs: readonly string[], language: string): string[] | undefined {
  if (globs.length === 0) return undefined;
  const fitting = globs.filter((g) => {
    const lang = languageOfPath(trimEndChars(g, "*"));
    return lang === undefined ? !/\.[A-Za-z0-9]+$/.test(g) : lang.id === language;
  });
  return fitting.length ? fitting : globs.slice();
}

function assignIds(ruleId: string, rules: AstGrepRule[]): void {
  const base = astGrepRuleId(ruleId);
  if (rules.length === 1) {
    rules[0]!.id = base;
    return;
  }
  const count = new Map<string, number>();
  for (const r of rules) {
    const n = (count.get(r.language) ?? 0) + 1;
    count.set(r.language, n);
    r.id = `${base}.${r.language}${n > 1 ? `-${n}` : ""}`;
  }
}

/** Languages ast-grep knows, for messages. */
export const KNOWN_LANGUAGE_IDS: readonly string[] = LANGUAGES.map((l) => l.id);
