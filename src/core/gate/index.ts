/**
 * The CI gate: Drift Score, PASS/WARNING/FAIL and the Drift Radar (`gate_score`).
 * See docs/gate.md for the formula, the mapping of findings to rules and the decisions.
 */
export {
  scoreGate,
  MAX_FINDINGS,
  DEFAULT_MAX_LISTED,
  type GateInput,
  type GateOptions,
  type FindingSource,
} from "./score.js";
export {
  resolveQualityGate,
  isLintDocument,
  MAX_QUALITY_TOP,
  type GateLint,
  type LintInput,
  type LintDocumentInput,
  type LintRunner,
} from "./quality.js";
export {
  DEFAULT_THRESHOLDS,
  DEFAULT_VIOLATION_POINTS,
  AREA_WEIGHTS,
  OTHER_AREA_WEIGHT,
  RULE_WEIGHT_BANDS,
  MANDATORY_PRIORITIES,
  resolveThresholds,
  decide,
  weightsFor,
} from "./formula.js";
export { indexRules, semgrepIdFor, RulesIndex } from "./rules-index.js";
export { readSarif, isSarifLog } from "./sarif-reader.js";
export { readFindingList } from "./list-reader.js";
export { fingerprintOf, readBaseline } from "./baseline.js";
export { renderRadar, RADAR_MARKER, MAX_RADAR_CHARS } from "./radar.js";
export { gateToSarif, gateToAnnotations, gateToJunit, gateToText, gateDiagnostics, verdictLine } from "./report.js";
export type * from "./types.js";
