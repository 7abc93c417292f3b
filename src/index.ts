/**
 * SpecGate's library API: the same core the MCP tools and the CLI use, with no server started on
 * import. Each function takes plain arguments and returns plain data; failures throw
 * SpecGateError with a stable `code`.
 */
import { convertHtml, type ConvertOptions, type ConvertResult } from "./core/convert/index.js";
import { lintBatch as lintBatchCore, type BatchDocument, type LintBatchResult } from "./core/lint/batch.js";
import { lint as lintCore, type LintOptions } from "./core/lint/linter.js";
import type { LintResult } from "./core/lint/types.js";

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
export type { LintResult, LintViolation, LintFix, LintSeverity, LintGrade, SuppressedViolation } from "./core/lint/types.js";
export type { LintOptions, InputFormat } from "./core/lint/linter.js";
export type { BatchDocument, BatchEntry, LintBatchResult } from "./core/lint/batch.js";
export { LINT_CODES, CHECK_TYPES, type LintCode, type CheckType } from "./core/lint/codes.js";
export { applyFixes, type AppliedFixes } from "./core/lint/fixes.js";
export { loadRuleset, type LoadRulesetOptions } from "./core/lint/ruleset/load.js";
export type { Ruleset } from "./core/lint/ruleset/compile.js";
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
 * Lints one design document (Markdown, or Confluence storage XHTML / HTML, converted first).
 * `ruleset` is a bundled name (`specgate`, `specgate-en`), a YAML file path (any path: the
 * caller is trusted, unlike a tool call) or a ruleset from {@link loadRuleset}; by default it is
 * chosen from the document's language. Throws SpecGateError for a bad ruleset or non-text content.
 */
export function lint(content: string, options: LintOptions = {}): Promise<LintResult> {
  return lintCore(content, { allowAnyPath: true, ...options });
}

/** Lints up to 100 documents concurrently; each gets its own result or error entry. */
export function lintBatch(documents: readonly BatchDocument[], options: LintOptions & { concurrency?: number } = {}): Promise<LintBatchResult> {
  return lintBatchCore(documents, { allowAnyPath: true, ...options });
}
