/**
 * SpecGate's library API: the same core the MCP tools and the CLI use, with no server started on
 * import. Each function takes plain arguments and returns plain data; failures throw
 * SpecGateError with a stable `code`.
 */
import { convertHtml, type ConvertOptions, type ConvertResult } from "./core/convert/index.js";
import { scoreGate, type GateInput, type GateResult } from "./core/gate/index.js";

export { SpecGateError, ERROR_CODES, type ErrorCode } from "./errors.js";
export { loadConfig, type Config } from "./config.js";
export { createRuntime, type Runtime, type RuntimeOptions } from "./runtime.js";
export { createServer, type SpecGateServer, type ServerDeps } from "./server.js";
export { startHttpServer, type HttpHandle } from "./transports/http.js";
export { serveStdio, type StdioHandle } from "./transports/stdio.js";
export { TOOLS } from "./tools/index.js";
export type { ToolDefinition, ToolContext } from "./tools/types.js";
export type { ConvertOptions, ConvertResult, ConvertWarning } from "./core/convert/index.js";
export { readRules, type DesignRuleSpec, PRIORITIES, type Priority } from "./core/spec/design-rule-spec.js";
export type { LintResult, LintViolation } from "./core/lint/types.js";
export {
  generate,
  generateFiles,
  semgrepRuleId,
  TARGETS,
  type GenerateCallOptions,
  type GenerateCallResult,
  type GenerateOptions,
  type GenerateTarget,
  type GeneratedFile,
  type SkippedItem,
} from "./core/generate/index.js";

/** Confluence storage XHTML or HTML → Markdown. */
export function convert(html: string, options: ConvertOptions = {}): Promise<ConvertResult> {
  return convertHtml(html, options);
}

/**
 * The CI gate: rules + findings (SARIF 2.1.0 or a list) → Drift Score, PASS/WARNING/FAIL, areas,
 * violations with fixes and the Drift Radar Markdown. Throws SpecGateError (E_INVALID_INPUT with
 * the JSON path of malformed input). See docs/gate.md.
 */
export function score(input: GateInput, options: { signal?: AbortSignal } = {}): Promise<GateResult> {
  return scoreGate(input, options);
}
export type { GateInput, GateResult, GateViolation, Decision, Thresholds } from "./core/gate/index.js";
export { renderRadar, RADAR_MARKER, gateToSarif, gateToAnnotations } from "./core/gate/index.js";
export { buildSarifLog, type SarifLog } from "./core/report/sarif.js";
export { formatAnnotations, type Annotation } from "./core/report/github-annotations.js";
export { GitHubClient, upsertStickyComment, syncHitlIssues, type HitlDocument, type HitlOutcome } from "./core/github/index.js";
