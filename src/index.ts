/**
 * SpecGate's library API: the same core the MCP tools and the CLI use, with no server started on
 * import. Each function takes plain arguments and returns plain data; failures throw
 * SpecGateError with a stable `code`.
 */
import { convertHtml, type ConvertOptions, type ConvertResult } from "./core/convert/index.js";
import { extractDocument, type ContentFormat, type ExtractOptions, type ExtractResult } from "./core/extract/index.js";

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
export type { ExtractOptions, ExtractResult, ExtractSource, ExtractStats, ExtractWarning, Conflict, Duplicate, ContentFormat } from "./core/extract/index.js";
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
 * A design document (Markdown, or HTML / Confluence storage XHTML, detected unless `format`
 * says) → DesignRuleSpec rules with reliability, plus duplicates, conflicts, warnings and stats.
 * Throws SpecGateError E_CANCELLED/E_TIMEOUT when `options.signal` fires; never on content.
 */
export function extract(content: string, options: ExtractOptions & { format?: ContentFormat } = {}): Promise<ExtractResult> {
  return extractDocument(content, options);
}
