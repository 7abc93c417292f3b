/**
 * The words and numbers of a DesignRuleSpec that need no schema library: priorities, area codes,
 * rule ids, the reliability rubric's maxima and the gate's default weights. The linter and the
 * extractor use these; the zod schemas that validate whole rules are in ./design-rule-spec.ts,
 * which re-exports everything here.
 */
import type { DriftCalculation, ReliabilityBreakdown } from "./design-rule-spec.js";

export const PRIORITIES = ["MUST", "SHOULD", "MUST NOT", "MAY", "SHOULD NOT"] as const;
export type Priority = (typeof PRIORITIES)[number];

/** The area codes of the standard template; other upper-case codes are accepted (weight 0.5). */
export const KNOWN_AREAS = ["API", "DATA", "ARCH", "SEC", "PERF", "UI", "TEST", "DEV", "OPS"] as const;

/** `RULE-AREA-NNN`: the standard id. Generated ids of keyword rules are `RULE-GEN-<hash>`. */
export const RULE_ID_PATTERN = /^RULE-([A-Z][A-Z0-9]*)-([0-9]{3,}|[0-9A-Z]{4,12})$/;
export const STANDARD_RULE_ID = /^RULE-[A-Z]+-[0-9]{3}$/;

/** The maximum of each reliability criterion (the reliability rubric: 40/20/15/10/10/5). */
export const RELIABILITY_MAX: ReliabilityBreakdown = {
  standardized_form: 40,
  rule_id: 20,
  scope: 15,
  rationale: 10,
  reference: 10,
  spec_link: 5,
};

/** "must not", "MUST_NOT", "must-not" → "MUST NOT"; `undefined` when it is no priority. */
export function normalizePriority(value: string): Priority | undefined {
  const p = value
    .trim()
    .toUpperCase()
    .replace(/[\s_-]+/g, " ");
  if (p === "SHALL" || p === "REQUIRED") return "MUST";
  if (p === "SHALL NOT") return "MUST NOT";
  if (p === "RECOMMENDED") return "SHOULD";
  if (p === "NOT RECOMMENDED") return "SHOULD NOT";
  if (p === "OPTIONAL") return "MAY";
  return (PRIORITIES as readonly string[]).includes(p) ? (p as Priority) : undefined;
}

/** The area named by a rule id (`RULE-API-001` → `API`), or undefined. */
export function areaFromRuleId(ruleId: string): string | undefined {
  return /^RULE-([A-Z][A-Z0-9]*)-/i.exec(ruleId.trim())?.[1]?.toUpperCase();
}

/** A title from a rule sentence: the first clause, at most ~60 characters, cut at a word. */
export function shortTitle(sentence: string, max = 60): string {
  const clean = sentence.replace(/\s+/g, " ").trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Drift points per violation of a rule of each priority (docs/gate.md). */
export const VIOLATION_POINTS: Readonly<Record<Priority, number>> = {
  MUST: 10,
  SHOULD: 5,
  "MUST NOT": 15,
  MAY: 0,
  "SHOULD NOT": 5,
};

/** Drift weight of each area (the gate's defaults); any other area weighs {@link DEFAULT_AREA_WEIGHT}. */
export const AREA_WEIGHTS: Readonly<Record<string, number>> = { API: 1.0, SEC: 0.9, ARCH: 0.8, DATA: 0.7, PERF: 0.6 };
export const DEFAULT_AREA_WEIGHT = 0.5;

/** Rule weight from reliability: 1.0 at 90 and above, 0.7 from 70, 0.3 below. */
export function ruleWeightFor(totalScore: number): number {
  return totalScore >= 90 ? 1.0 : totalScore >= 70 ? 0.7 : 0.3;
}

/** The default `ci_info.drift_calculation` of a rule, so a gate can score it from the rule alone. */
export function defaultDriftCalculation(
  priority: Priority,
  area: string,
  totalScore: number,
): Required<Pick<DriftCalculation, "rule_weight" | "area_weight">> & { violation_points: number } {
  return {
    rule_weight: ruleWeightFor(totalScore),
    area_weight: AREA_WEIGHTS[area] ?? DEFAULT_AREA_WEIGHT,
    violation_points: VIOLATION_POINTS[priority],
  };
}
