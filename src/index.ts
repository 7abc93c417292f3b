/**
 * SpecGate's library API: the same core the MCP tools and the CLI use, with no server started on
 * import. Each function takes plain arguments and returns plain data; failures throw
 * SpecGateError with a stable `code`.
 */
import type { z } from "zod";
import { bootstrap } from "./bootstrap.js";
import { loadConfig, type Config } from "./config.js";
import type { FetchResult } from "./core/confluence/fetch.js";
import { convertHtml, type ConvertOptions, type ConvertResult } from "./core/convert/index.js";
import { scoreGate, type GateInput, type GateResult } from "./core/gate/index.js";
import type { Runtime } from "./runtime.js";
import { confluenceFetch } from "./tools/confluence-fetch.js";
import { lintBatch as lintBatchCore, type BatchDocument, type LintBatchResult } from "./core/lint/batch.js";
import { lint as lintCore, type LintOptions } from "./core/lint/linter.js";
import type { LintResult } from "./core/lint/types.js";
import { extractDocument, type ContentFormat, type ExtractOptions, type ExtractResult } from "./core/extract/index.js";
import { checkCode as checkCodeCore, type CheckOptions, type CheckResult } from "./core/check/check.js";
import { readRules as readRulesLenient, type DesignRuleSpec as Rule } from "./core/spec/design-rule-spec.js";
import { SpecGateError as LibraryError } from "./errors.js";


export { SpecGateError, ERROR_CODES, type ErrorCode } from "./errors.js";
export { loadConfig, type Config } from "./config.js";
export { createRuntime, type Runtime, type RuntimeOptions } from "./runtime.js";
export { createServer, type SpecGateServer, type ServerDeps } from "./server.js";
export { startHttpServer, type HttpHandle } from "./transports/http.js";
/** The Redis L2 driver from a Config (pass it to createRuntime as `remoteCache`); never throws. */
export { connectRedis } from "./cache/redis/connect.js";
export type { Cache, CacheKind, CacheStats, InvalidationResult, RemoteCacheDriver } from "./cache/types.js";
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
export { generateFromDocument, type DocumentGenerateOptions, type ExtractionSummary } from "./core/generate/from-document.js";
export type { FetchResult, FetchedDocument, FetchError } from "./core/confluence/fetch.js";
export { parsePageUrl, decodeTinyLink, type PageLocator } from "./core/confluence/urls.js";

/** confluence_fetch's arguments (snake_case, as the MCP tool takes them). */
export type FetchPagesInput = z.input<typeof confluenceFetch.inputSchema>;

export interface FetchPagesOptions {
  /** A runtime to reuse (its cache, Confluence client and limits); otherwise one is made and closed. */
  runtime?: Runtime;
  /** Config for a new runtime; default: loaded from `env`. */
  config?: Config;
  /** Environment for a new runtime's config; default: process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number | undefined) => void;
}

/** Confluence storage XHTML or HTML → Markdown. */
export function convert(html: string, options: ConvertOptions = {}): Promise<ConvertResult> {
  return convertHtml(html, options);
}

/**
 * The CI gate: rules + findings (SARIF 2.1.0 or a list) → Drift Score, PASS/WARNING/FAIL, areas,
 * violations with fixes and the Drift Radar Markdown. `lint` is a speclint result or a document to
 * lint (`{ content, ruleset?, check_type? }`; a ruleset may be any YAML path, as with `lint()`).
 * Throws SpecGateError (E_INVALID_INPUT with the JSON path of malformed input). See docs/gate.md.
 */
export function score(input: GateInput, options: { signal?: AbortSignal } = {}): Promise<GateResult> {
  return scoreGate(input, { ...options, rulesets: { allowAnyPath: true } });
}
export type { GateInput, GateResult, GateViolation, Decision, Thresholds, GateLint, LintInput, LintDocumentInput } from "./core/gate/index.js";
export { renderRadar, RADAR_MARKER, gateToSarif, gateToAnnotations } from "./core/gate/index.js";
export { buildSarifLog, type SarifLog } from "./core/report/sarif.js";
export { formatAnnotations, type Annotation } from "./core/report/github-annotations.js";
export { GitHubClient, upsertStickyComment, syncHitlIssues, type HitlDocument, type HitlOutcome } from "./core/github/index.js";

/**
 * Fetches Confluence pages as confluence_fetch does (same validation, cache, limits and
 * deadline). Throws SpecGateError: E_CONFIG when Confluence is not configured, E_AUTH,
 * E_NOT_FOUND, E_TIMEOUT… Per-page failures of a batch are in `errors`.
 */
export async function fetchPages(input: FetchPagesInput, options: FetchPagesOptions = {}): Promise<FetchResult> {
  const runtime = options.runtime ?? (await bootstrap(options.config ?? loadConfig(options.env ?? process.env)));
  try {
    const { output } = await runtime.pipeline.execute<FetchResult>(confluenceFetch, input, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { sendProgress: async (done: number, total: number | undefined) => options.onProgress!(done, total) } : {}),
    });
    return output;
  } finally {
    if (!options.runtime) await runtime.close();
  }
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

/**
 * A design document (Markdown, or HTML / Confluence storage XHTML, detected unless `format`
 * says) → DesignRuleSpec rules with reliability, plus duplicates, conflicts, warnings and stats.
 * Throws SpecGateError E_CANCELLED/E_TIMEOUT when `options.signal` fires; never on content.
 */
export function extract(content: string, options: ExtractOptions & { format?: ContentFormat } = {}): Promise<ExtractResult> {
  return extractDocument(content, options);
}

export { checkCandidate, type Candidate, type CandidateResult } from "./core/check/candidate.js";
export type { CheckOptions, CheckResult, Finding } from "./core/check/check.js";
export { formatCheck, CHECK_FORMATS, type CheckFormat } from "./core/check/format.js";

/**
 * rule_check's use case: DesignRuleSpec rules (read leniently, as `generate` reads them) run on
 * code — editor buffers (`files`), globs under `root` (`paths`) and/or a unified `diff` — through
 * the same ast-grep rules spec_generate's astgrep target writes. See docs/rule-check.md.
 */
export async function check(rules: unknown, options: CheckOptionsInput): Promise<CheckResult> {
  const read = readRulesStrict(rules);
  return checkCodeCore(read, { ...options, root: options.root ?? process.cwd() });
}

export type CheckOptionsInput = Omit<CheckOptions, "root"> & { root?: string };

/** Rules read leniently; unreadable ones are E_INVALID_INPUT naming their path. */
function readRulesStrict(input: unknown): Rule[] {
  const { rules, issues } = readRulesLenient(input);
  if (issues.length) throw new LibraryError("E_INVALID_INPUT", `Some rules cannot be read: ${issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`).join("; ")}.`);
  return rules;
}
