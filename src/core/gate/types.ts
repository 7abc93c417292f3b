/**
 * The shapes of the CI gate (`gate_score`): what goes in, what a finding becomes
 * once read, and the result the tool, the CLI and the library all return.
 */
import type { LintGrade } from "../lint/types.js";
import type { Priority } from "../spec/design-rule-spec.js";

/** SARIF result levels; `none` is kept as given (it still counts when the result maps to a rule). */
export type Level = "error" | "warning" | "note" | "none";
export type Decision = "PASS" | "WARNING" | "FAIL";
export type RadarLang = "en" | "ko";

/** Why a finding does not count. */
export type SuppressionReason =
  /** A non-empty SARIF `suppressions` array (not every entry `rejected`). */
  | "suppressed"
  /** SARIF `baselineState: "unchanged"` — the finding existed before this change. */
  | "baseline_unchanged"
  /** SARIF `baselineState: "absent"` — the finding is gone. */
  | "baseline_absent"
  /** Matched an entry of the `baseline` input. */
  | "baseline";

/** A finding as read from a source, before it is matched to a rule. */
export interface RawFinding {
  /** Which input it came from, e.g. `sarif[0]` or `findings`. */
  source: string;
  /** The SARIF `tool.driver.name`, when known. */
  tool?: string | undefined;
  /** The rule reference as the producer wrote it: SARIF `ruleId`, or `rule_id` of a list item. */
  ref: string;
  /** `properties["specgate/rule_id"]` of the result (or of its rule descriptor). */
  explicitRuleId?: string | undefined;
  file?: string | undefined;
  line?: number | undefined;
  column?: number | undefined;
  message: string;
  level: Level;
  /** Where the level came from: the result, its rule's defaultConfiguration, or the default. */
  levelSource: "result" | "rule" | "default";
  /** Set when the producer itself marks the finding as not counting. */
  suppression?: Exclude<SuppressionReason, "baseline"> | undefined;
  /** The producer's own fingerprints, as `name=value` strings (SARIF partialFingerprints/fingerprints). */
  fingerprints: string[];
  /**
   * A finding about the design document (SpecGate's own lint SARIF, tool `speclint`), not about
   * code: it never maps to a rule, whatever rule id it names; the document's grade is what `lint` is for.
   */
  document?: true | undefined;
}

export interface Thresholds {
  /** FAIL at or above this score. Default 50. */
  fail: number;
  /** WARNING at or above this score (and below `fail`). Default 30. */
  warn: number;
}

export interface Weights {
  violation_points: number;
  rule_weight: number;
  area_weight: number;
}

export interface GateViolation {
  rule_id: string;
  priority: Priority;
  area: string;
  title: string;
  file?: string;
  line?: number;
  column?: number;
  message: string;
  level: Level;
  /** violation_points × rule_weight × area_weight, exact to 1e-6. */
  points: number;
  weights: Weights;
  /** Which weights came from the rule's `ci_info.drift_calculation` instead of the defaults. */
  overrides: (keyof Weights)[];
  /** What to do, from the rule (pr_comment.fix_guidance, realtime guide, fix suggestions, or its text). */
  fix: string;
  code_example?: string;
  /** Stable id of this finding across runs (rule, file, message; not the line). See docs/gate.md. */
  fingerprint: string;
  /** GitHub link to the line, when repository and commit are known and the path is relative. */
  url?: string;
  source: string;
  tool?: string;
  /** The producer's rule id when it differs from `rule_id` (e.g. a Semgrep id). */
  producer_rule_id?: string;
}

export interface GateSuppressed {
  rule_id?: string;
  producer_rule_id: string;
  file?: string;
  line?: number;
  message: string;
  reason: SuppressionReason;
  source: string;
  tool?: string;
}

export interface GateUnmapped {
  producer_rule_id: string;
  file?: string;
  line?: number;
  message: string;
  /** Why no rule was found, e.g. `RULE-API-009 is not among the rules given`. */
  reason: string;
  source: string;
  tool?: string;
}

export interface GateArea {
  area: string;
  /** The area's share of the drift score: the sum of its violations' points, capped at 100, one decimal. */
  score: number;
  area_weight: number;
  /** Counted violations in this area. */
  count: number;
  rules: number;
  /** The rules with the most points in this area (at most three). */
  top: { rule_id: string; count: number; points: number }[];
}

export interface QualityGate {
  score: number;
  grade: LintGrade;
  decision: Decision;
  violations: number;
  /** The document's name, when the gate linted a document given with an `id`. */
  document?: string;
  /** The costliest problems (at most 5), when the violations are speclint's. */
  top?: { code: string; line: number; message: string; rule_id?: string }[];
}

export interface Formula {
  expression: string;
  violation_points: Record<Priority, number>;
  rule_weight_bands: { min_reliability: number; rule_weight: number }[];
  area_weights: Record<string, number>;
  other_area_weight: number;
  cap: number;
  rounding: string;
  thresholds: Thresholds;
  /** Rules whose `ci_info.drift_calculation` overrides a default. */
  rules_with_overrides: number;
}

export interface GateResult {
  /** 0-100, one decimal. */
  drift_score: number;
  /** The overall decision: the worse of the drift gate and the quality gate. */
  decision: Decision;
  drift_decision: Decision;
  /** The sum before the cap at 100, one decimal. */
  raw_score: number;
  quality_gate?: QualityGate;
  /** The drift score if every violation of a mandatory rule (MUST, MUST NOT) were fixed. */
  after_fix: { drift_score: number; decision: Decision; fixed: number; priorities: Priority[] };
  thresholds: Thresholds;
  areas: GateArea[];
  violations: GateViolation[];
  suppressed: GateSuppressed[];
  unmapped: GateUnmapped[];
  formula: Formula;
  stats: GateStats;
  /** Things the caller should know (duplicate rules, lists cut, nothing to score). */
  warnings: string[];
  radar_markdown: string;
}

export interface GateStats {
  /** Every result or list item read. */
  findings: number;
  violations: number;
  suppressed: number;
  unmapped: number;
  /** SARIF results of kind pass / notApplicable / informational: not violations. */
  not_failures: number;
  /** How many entries each list shows (lists keep the `max_listed` most relevant). */
  listed: { violations: number; suppressed: number; unmapped: number };
  rules: number;
  /** Producer rule ids whose findings mapped to no rule, most findings first (at most 20). */
  unmapped_rules: { producer_rule_id: string; count: number; reason: string }[];
  sources: { source: string; tool?: string; results: number }[];
}
