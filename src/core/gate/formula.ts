/**
 * The Drift Score formula (docs/gate.md), in one place:
 *
 *   drift = min(100, Σ violation_points[priority] × rule_weight × area_weight), one decimal
 *
 * Arithmetic is exact: each finding's points are held as integer micro-points (1e-6), summed as
 * integers, capped, and rounded half-up to tenths once at the end. So 4 × 2.45 is 9.8, never
 * 9.799999 or 10.0, and the decision is taken on the score that is shown.
 */
import { SpecGateError } from "../../errors.js";
import type { DesignRuleSpec, Priority } from "../spec/design-rule-spec.js";
import type { Decision, Formula, Thresholds, Weights } from "./types.js";

export const DEFAULT_VIOLATION_POINTS: Readonly<Record<Priority, number>> = Object.freeze({
  MUST: 10,
  SHOULD: 5,
  "MUST NOT": 15,
  MAY: 0,
  "SHOULD NOT": 5,
});

/** Reliability bands, highest first: reliability ≥ min → weight. */
export const RULE_WEIGHT_BANDS: readonly { min_reliability: number; rule_weight: number }[] = Object.freeze([
  { min_reliability: 90, rule_weight: 1.0 },
  { min_reliability: 70, rule_weight: 0.7 },
  { min_reliability: 0, rule_weight: 0.3 },
]);

export const AREA_WEIGHTS: Readonly<Record<string, number>> = Object.freeze({
  API: 1.0,
  SEC: 0.9,
  ARCH: 0.8,
  DATA: 0.7,
  PERF: 0.6,
});
export const OTHER_AREA_WEIGHT = 0.5;
export const SCORE_CAP = 100;
export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({ fail: 50, warn: 30 });
/** The priorities whose violations "after fix" assumes fixed: the mandatory ones. */
export const MANDATORY_PRIORITIES: readonly Priority[] = Object.freeze(["MUST", "MUST NOT"]);

const MICRO = 1_000_000;
/** Sums stop growing past this (far above the cap) so custom weights cannot lose integer precision. */
const SATURATION = 1e15;

export function ruleWeightFor(reliability: number): number {
  for (const band of RULE_WEIGHT_BANDS) if (reliability >= band.min_reliability) return band.rule_weight;
  return RULE_WEIGHT_BANDS[RULE_WEIGHT_BANDS.length - 1]!.rule_weight;
}

export function areaWeightFor(area: string): number {
  return AREA_WEIGHTS[area] ?? OTHER_AREA_WEIGHT;
}

/** The weights a rule is scored with, and which of them the rule overrides. */
export function weightsFor(rule: DesignRuleSpec): { weights: Weights; overrides: (keyof Weights)[] } {
  const dc = rule.ci_info?.drift_calculation ?? {};
  const overrides: (keyof Weights)[] = [];
  let points = DEFAULT_VIOLATION_POINTS[rule.priority];
  const vp = dc.violation_points;
  if (typeof vp === "number") {
    points = vp;
    overrides.push("violation_points");
  } else if (vp && typeof vp === "object" && typeof vp[rule.priority] === "number") {
    points = vp[rule.priority]!;
    overrides.push("violation_points");
  }
  let ruleWeight = ruleWeightFor(rule.reliability.total_score);
  if (typeof dc.rule_weight === "number") {
    ruleWeight = dc.rule_weight;
    overrides.push("rule_weight");
  }
  let areaWeight = areaWeightFor(rule.area);
  if (typeof dc.area_weight === "number") {
    areaWeight = dc.area_weight;
    overrides.push("area_weight");
  }
  return { weights: { violation_points: points, rule_weight: ruleWeight, area_weight: areaWeight }, overrides };
}

/** One finding's points in integer micro-points. */
export function microPoints(w: Weights): number {
  const v = Math.round(w.violation_points * w.rule_weight * w.area_weight * MICRO);
  return Number.isFinite(v) ? Math.min(Math.max(v, 0), SATURATION) : SATURATION;
}

/** Adds micro-points without leaving the exact-integer range. */
export function addMicro(a: number, b: number): number {
  const s = a + b;
  return s > SATURATION ? SATURATION : s;
}

/** Micro-points → a plain number, exact to six decimals (for a violation's `points`). */
export function fromMicro(micro: number): number {
  return micro / MICRO;
}

/** Micro-points → a score: capped at `cap` (Infinity for none), rounded half-up to one decimal. */
export function toScore(micro: number, cap = SCORE_CAP): number {
  const capped = Math.min(micro, cap * MICRO);
  const tenths = Math.floor((capped + MICRO / 20) / (MICRO / 10));
  return tenths / 10;
}

export function decide(score: number, t: Thresholds): Decision {
  if (score >= t.fail) return "FAIL";
  if (score >= t.warn) return "WARNING";
  return "PASS";
}

/** Worst of several decisions. */
export function worst(...decisions: Decision[]): Decision {
  if (decisions.includes("FAIL")) return "FAIL";
  if (decisions.includes("WARNING")) return "WARNING";
  return "PASS";
}

/**
 * Fills and checks thresholds: numbers in 0..100 with `warn` ≤ `fail`. Throws E_INVALID_INPUT
 * naming the bad field.
 */
export function resolveThresholds(
  input: { fail?: number | undefined; warn?: number | undefined } | undefined,
  path = "thresholds",
): Thresholds {
  const fail = input?.fail ?? DEFAULT_THRESHOLDS.fail;
  const warn = input?.warn ?? Math.min(DEFAULT_THRESHOLDS.warn, fail);
  for (const [name, value] of [
    ["fail", fail],
    ["warn", warn],
  ] as const) {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > SCORE_CAP) {
      throw new SpecGateError(
        "E_INVALID_INPUT",
        `${path}.${name} must be a number from 0 to 100 (got ${String(value)}).`,
        {
          details: { path: `${path}.${name}` },
        },
      );
    }
  }
  if (warn > fail) {
    throw new SpecGateError("E_INVALID_INPUT", `${path}.warn (${warn}) must not be above ${path}.fail (${fail}).`, {
      details: { path: `${path}.warn` },
    });
  }
  return { fail, warn };
}

export function describeFormula(thresholds: Thresholds, rulesWithOverrides: number): Formula {
  return {
    expression:
      "drift_score = min(100, Σ over counted findings of violation_points[priority] × rule_weight × area_weight), rounded half-up to one decimal",
    violation_points: { ...DEFAULT_VIOLATION_POINTS },
    rule_weight_bands: RULE_WEIGHT_BANDS.map((b) => ({ ...b })),
    area_weights: { ...AREA_WEIGHTS },
    other_area_weight: OTHER_AREA_WEIGHT,
    cap: SCORE_CAP,
    rounding: "exact sum, capped at 100, then half-up to one decimal; decisions use the rounded score",
    thresholds: { ...thresholds },
    rules_with_overrides: rulesWithOverrides,
  };
}
