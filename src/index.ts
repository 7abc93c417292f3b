/**
 * SpecGate's library API: the same core the MCP tools and the CLI use, with no server started on
 * import. Each function takes plain arguments and returns plain data; failures throw
 * SpecGateError with a stable `code`. Arguments are checked first against the schemas of the
 * tool doing the same work (library-input.ts): a wrong one is E_INVALID_INPUT naming it.
 */
import type { z } from "zod";
import { bootstrap } from "./bootstrap.js";
import { loadConfig, type Config } from "./config.js";
import type { FetchResult } from "./core/confluence/fetch.js";
import { convertHtml, type ConvertOptions, type ConvertResult } from "./core/convert/index.js";
import { scoreGate, type GateInput, type GateResult } from "./core/gate/index.js";
import type { Runtime } from "./runtime.js";
import { confluenceFetch } from "./tools/confluence-fetch.js";
import type { BatchDocument, LintBatchResult } from "./core/lint/batch.js";
import type { LintOptions } from "./core/lint/linter.js";
import { createLinter, lintBatch as lintBatchUseCase } from "./app/lint-documents.js";
import { extractRules } from "./app/extract-documents.js";
import { direct } from "./app/work.js";
import type { LintResult } from "./core/lint/types.js";
import type { ContentFormat, ExtractOptions, ExtractResult } from "./core/extract/index.js";
import { checkCode as checkCodeCore, type CheckOptions, type CheckResult } from "./core/check/check.js";
import { readRules as readRulesLenient, type DesignRuleSpec as Rule } from "./core/spec/design-rule-spec.js";
import { SpecGateError as LibraryError } from "./errors.js";
import { diffMarkdown, diffRules as diffRulesCore, type DiffLabels, type RuleDiff } from "./core/diff/index.js";
import { checkLibraryArguments } from "./library-input.js";
import type { GitHubClient } from "./core/github/index.js";
import {
  syncHitlIssues as syncHitlIssuesCore,
  upsertStickyComment as upsertStickyCommentCore,
  type HitlDocument,
  type HitlOutcome,
  type StickyCommentOptions,
  type StickyCommentOutcome,
} from "./core/github/index.js";
import {
  gateToAnnotations as gateToAnnotationsCore,
  gateToJunit as gateToJunitCore,
  gateToSarif as gateToSarifCore,
  renderRadar as renderRadarCore,
  type RulesIndex,
} from "./core/gate/index.js";
import type { RadarOptions } from "./core/gate/radar.js";
import {
  buildSarifLog as buildSarifLogCore,
  formatSarif as formatSarifCore,
  toSarif as toSarifCore,
  type SarifLog,
  type SarifOptions,
  type SarifResultInput,
  type SarifRuleInput,
  type SarifToolInfo,
} from "./core/report/formatters/sarif.js";
import {
  formatAnnotations as formatAnnotationsCore,
  formatGithub as formatGithubCore,
  type Annotation,
  type AnnotationOptions,
} from "./core/report/formatters/github.js";
import { formatJunit as formatJunitCore, type JunitOptions } from "./core/report/formatters/junit.js";
import type { Diagnostic } from "./core/report/diagnostic.js";
import { formatCheck as formatCheckCore, type CheckFormat } from "./core/check/format.js";
import {
  generate as generateCore,
  generateFiles as generateFilesCore,
  semgrepRuleId as semgrepRuleIdCore,
  type GenerateCallOptions,
  type GenerateCallResult,
  type GenerateOptions,
  type GenerateResult,
} from "./core/generate/index.js";
import {
  generateFromDocument as generateFromDocumentCore,
  type DocumentGenerateOptions,
  type ExtractionSummary,
} from "./core/generate/from-document.js";
import { checkCandidate as checkCandidateCore, type Candidate, type CandidateResult } from "./core/check/candidate.js";
import { applyFixes as applyFixesCore, type AppliedFixes } from "./core/lint/fixes.js";
import type { LintFix, LintViolation } from "./core/lint/types.js";
import {
  decodeTinyLink as decodeTinyLinkCore,
  parsePageUrl as parsePageUrlCore,
  type PageLocator,
} from "./core/confluence/urls.js";

export { SpecGateError, ERROR_CODES, type ErrorCode } from "./errors.js";
export { loadConfig, type Config } from "./config.js";
export { createRuntime, type Runtime, type RuntimeOptions } from "./runtime.js";
export { createServer, type SpecGateServer, type ServerDeps } from "./server.js";
export { startHttpServer, type HttpHandle } from "./transports/http.js";
/** The Redis L2 driver from a Config (pass it to createRuntime as `remoteCache`); never throws. */
export { connectRedis } from "./cache/redis/connect.js";
export type { Cache, CachePolicy, CacheStats, InvalidationResult, RemoteCacheDriver } from "./cache/types.js";
export { CACHE_KINDS, CACHE_POLICIES, type CacheKind } from "./tools/cache-policies.js";
export { serveStdio, type StdioHandle } from "./transports/stdio.js";
export { TOOLS } from "./tools/index.js";
export type { ToolDefinition, ToolContext } from "./pipeline/tool.js";
export type { ConvertOptions, ConvertResult, ConvertWarning } from "./core/convert/index.js";
export { readRules, type DesignRuleSpec, PRIORITIES, type Priority } from "./core/spec/design-rule-spec.js";
export type {
  LintResult,
  LintViolation,
  LintFix,
  LintSeverity,
  LintGrade,
  SuppressedViolation,
} from "./core/lint/types.js";
export type { LintOptions, InputFormat } from "./core/lint/linter.js";
export type { BatchDocument, BatchEntry, LintBatchResult } from "./core/lint/batch.js";
export { LINT_CODES, CHECK_TYPES, type LintCode, type CheckType } from "./core/lint/codes.js";
export type { AppliedFixes } from "./core/lint/fixes.js";
export { loadRuleset, type LoadRulesetOptions } from "./core/lint/ruleset/load.js";
export type { Ruleset } from "./core/lint/ruleset/compile.js";
export type {
  ExtractOptions,
  ExtractResult,
  ExtractSource,
  ExtractStats,
  ExtractWarning,
  Conflict,
  Duplicate,
  ContentFormat,
} from "./core/extract/index.js";
export {
  TARGETS,
  type GenerateCallOptions,
  type GenerateCallResult,
  type GenerateOptions,
  type GenerateTarget,
  type GeneratedFile,
  type SkippedItem,
} from "./core/generate/index.js";
export type { DocumentGenerateOptions, ExtractionSummary } from "./core/generate/from-document.js";
export type { FetchResult, FetchedDocument, FetchError } from "./core/confluence/fetch.js";
export type { PageLocator } from "./core/confluence/urls.js";

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
export async function convert(html: string, options: ConvertOptions = {}): Promise<ConvertResult> {
  checkLibraryArguments("convert", { html, options });
  return convertHtml(html, options);
}

/**
 * The CI gate: rules + findings (SARIF 2.1.0 or a list) → Drift Score, PASS/WARNING/FAIL, areas,
 * violations with fixes and the Drift Radar Markdown. `lint` is a speclint result or a document to
 * lint (`{ content, ruleset?, check_type? }`; a ruleset may be any YAML path, as with `lint()`).
 * Throws SpecGateError (E_INVALID_INPUT with the JSON path of malformed input). See docs/gate.md.
 */
export async function score(input: GateInput, options: { signal?: AbortSignal } = {}): Promise<GateResult> {
  checkLibraryArguments("score", { input, options });
  return scoreGate(input, { ...options, rulesets: { allowAnyPath: true } });
}
export type {
  GateInput,
  GateResult,
  GateViolation,
  Decision,
  Thresholds,
  GateLint,
  LintInput,
  LintDocumentInput,
} from "./core/gate/index.js";
export { RADAR_MARKER } from "./core/gate/index.js";
export type { SarifLog, SarifOptions } from "./core/report/formatters/sarif.js";
export type { Annotation } from "./core/report/formatters/github.js";
export type { JunitOptions } from "./core/report/formatters/junit.js";
export type { Diagnostic, DiagnosticSeverity, DiagnosticSource } from "./core/report/diagnostic.js";

/** The Drift Radar Markdown of a gate result (the PR comment). */
export function renderRadar(result: Omit<GateResult, "radar_markdown">, options: RadarOptions = {}): string {
  checkLibraryArguments("renderRadar", { result, options });
  return renderRadarCore(result, options);
}

/** A gate result as a SARIF 2.1.0 log (its violations as results). */
export function gateToSarif(result: GateResult, index?: RulesIndex): SarifLog {
  checkLibraryArguments("gateToSarif", { result });
  return gateToSarifCore(result, index);
}

/** A gate result as GitHub Actions annotations (`::error file=…::…` lines), at most `max`. */
export function gateToAnnotations(result: GateResult, max?: number): string {
  checkLibraryArguments("gateToAnnotations", { result, max });
  return max === undefined ? gateToAnnotationsCore(result) : gateToAnnotationsCore(result, max);
}

/** A SARIF 2.1.0 log from a tool, its rules and its results. */
export function buildSarifLog(
  tool: SarifToolInfo,
  rules: readonly SarifRuleInput[],
  results: readonly SarifResultInput[],
  runProperties?: Record<string, unknown>,
): SarifLog {
  checkLibraryArguments("buildSarifLog", { tool, rules, results });
  return buildSarifLogCore(tool, rules, results, runProperties);
}

/** GitHub Actions workflow-command lines for annotations (capped as GitHub shows them). */
export function formatAnnotations(annotations: readonly Annotation[], options: AnnotationOptions = {}): string {
  checkLibraryArguments("formatAnnotations", { annotations, options });
  return formatAnnotationsCore(annotations, options);
}
export { GitHubClient, type HitlDocument, type HitlOutcome } from "./core/github/index.js";

/** Creates or updates the pull-request comment that carries `marker` (one comment per marker). */
export async function upsertStickyComment(
  client: GitHubClient,
  options: StickyCommentOptions,
): Promise<StickyCommentOutcome> {
  checkLibraryArguments("upsertStickyComment", { client, options });
  return upsertStickyCommentCore(client, options);
}

/** Opens, updates or closes the human-review issues of low- and medium-grade documents. */
export async function syncHitlIssues(
  client: GitHubClient,
  options: { repository: string; documents: readonly HitlDocument[]; signal?: AbortSignal },
): Promise<HitlOutcome[]> {
  checkLibraryArguments("syncHitlIssues", { client, options });
  return syncHitlIssuesCore(client, options);
}

/** A gate result as JUnit XML (one test case per violated rule). */
export function gateToJunit(result: GateResult): string {
  checkLibraryArguments("gateToJunit", { result });
  return gateToJunitCore(result);
}

/** Diagnostics (lint, gate or check findings in the one report shape) as a SARIF 2.1.0 log. */
export function toSarif(diagnostics: readonly Diagnostic[], options: SarifOptions): SarifLog {
  checkLibraryArguments("toSarif", { diagnostics, options });
  return toSarifCore(diagnostics, options);
}

/** Diagnostics as SARIF 2.1.0 JSON text. */
export function formatSarif(diagnostics: readonly Diagnostic[], options: SarifOptions): string {
  checkLibraryArguments("formatSarif", { diagnostics, options });
  return formatSarifCore(diagnostics, options);
}

/** Diagnostics as GitHub Actions annotations. */
export function formatGithub(diagnostics: readonly Diagnostic[], options: AnnotationOptions = {}): string {
  checkLibraryArguments("formatGithub", { diagnostics, options });
  return formatGithubCore(diagnostics, options);
}

/** Diagnostics as JUnit XML, one test suite per file. */
export function formatJunit(diagnostics: readonly Diagnostic[], options: JunitOptions): string {
  checkLibraryArguments("formatJunit", { diagnostics, options });
  return formatJunitCore(diagnostics, options);
}

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
      ...(options.onProgress
        ? { sendProgress: async (done: number, total: number | undefined) => options.onProgress!(done, total) }
        : {}),
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
export async function lint(content: string, options: LintOptions = {}): Promise<LintResult> {
  checkLibraryArguments("lint", { content, options });
  const { signal, ...rest } = options;
  return (await createLinter(direct(signal), { allowAnyPath: true, ...rest }))(content);
}

/** Lints up to 100 documents concurrently; each gets its own result or error entry. */
export async function lintBatch(
  documents: readonly BatchDocument[],
  options: LintOptions & { concurrency?: number } = {},
): Promise<LintBatchResult> {
  checkLibraryArguments("lintBatch", { documents, options });
  const { signal, ...rest } = options;
  return lintBatchUseCase(direct(signal), documents, { allowAnyPath: true, ...rest });
}

/**
 * A design document (Markdown, or HTML / Confluence storage XHTML, detected unless `format`
 * says) → DesignRuleSpec rules with reliability, plus duplicates, conflicts, warnings and stats.
 * Throws SpecGateError E_CANCELLED/E_TIMEOUT when `options.signal` fires; never on content.
 */
export async function extract(
  content: string,
  options: ExtractOptions & { format?: ContentFormat } = {},
): Promise<ExtractResult> {
  checkLibraryArguments("extract", { content, options });
  const { signal, ...rest } = options;
  return extractRules(direct(signal), content, rest);
}

export type { Candidate, CandidateResult } from "./core/check/candidate.js";

/** rule_check's `candidate` loop: a pattern tried on its violating and compliant examples. */
export async function checkCandidate(
  candidate: Candidate,
  rule?: Rule,
  signal?: AbortSignal,
): Promise<CandidateResult> {
  checkLibraryArguments("checkCandidate", { candidate, signal });
  return checkCandidateCore(candidate, rule, signal);
}

/** DesignRuleSpec rules (read leniently) → the files of each target; `write` puts them under `root`. */
export async function generate(input: unknown, options: GenerateCallOptions = {}): Promise<GenerateCallResult> {
  checkLibraryArguments("generate", { options });
  return generateCore(input, options);
}

/** Already-read DesignRuleSpec rules → the files of each target, in memory. */
export function generateFiles(rules: readonly Rule[], options: GenerateOptions = {}): GenerateResult {
  checkLibraryArguments("generateFiles", { rules, options });
  return generateFilesCore(rules, options);
}

/** A design document → its rules → the files of each target, as spec_generate with `content` does. */
export async function generateFromDocument(
  content: string,
  options: DocumentGenerateOptions = {},
): Promise<GenerateCallResult & { extraction: ExtractionSummary }> {
  checkLibraryArguments("generateFromDocument", { content, options });
  return generateFromDocumentCore(content, options);
}

/** The Semgrep rule id SpecGate generates for a DesignRuleSpec rule id. */
export function semgrepRuleId(ruleId: string): string {
  checkLibraryArguments("semgrepRuleId", { ruleId });
  return semgrepRuleIdCore(ruleId);
}

export type { ChangedRule, FieldChange, RuleDiff } from "./core/diff/index.js";
export { MAX_DIFF_RULES, SIMILARITY_THRESHOLD } from "./core/diff/index.js";

/**
 * Rule changes between two versions of a rule set (each read leniently, as `generate` reads
 * them): added, removed and changed rules, with a Markdown summary. See docs/rule-diff.md.
 */
export async function diffRules(
  from: unknown,
  to: unknown,
  options: { signal?: AbortSignal; labels?: DiffLabels } = {},
): Promise<RuleDiff & { markdown: string }> {
  checkLibraryArguments("diffRules", { options });
  const diff = await diffRulesCore(readRulesStrict(from), readRulesStrict(to), { signal: options.signal });
  return { ...diff, markdown: diffMarkdown(diff, options.labels) };
}

/** Applies lint fixes (or violations carrying them) to `content`; overlapping ones are skipped. */
export function applyFixes(content: string, fixes: readonly (LintFix | LintViolation)[]): AppliedFixes {
  checkLibraryArguments("applyFixes", { content, fixes });
  return applyFixesCore(content, fixes);
}

/** A Confluence page URL (any form: /spaces/…/pages/ID, viewpage.action, /display/, /x/ tiny links) → what to fetch. */
export function parsePageUrl(input: string, base: URL): PageLocator {
  checkLibraryArguments("parsePageUrl", { input, base });
  return parsePageUrlCore(input, base);
}

/** A Confluence tiny-link code (`/x/HQD4bQ`) → the page id. */
export function decodeTinyLink(code: string): string {
  checkLibraryArguments("decodeTinyLink", { code });
  return decodeTinyLinkCore(code);
}
export type { CheckOptions, CheckResult, Finding } from "./core/check/check.js";
export { CHECK_FORMATS, type CheckFormat } from "./core/check/format.js";

/** A check result as text: stylish, JSON, SARIF or GitHub annotations. */
export function formatCheck(result: CheckResult, format: CheckFormat): string {
  checkLibraryArguments("formatCheck", { result, format });
  return formatCheckCore(result, format);
}

/**
 * rule_check's use case: DesignRuleSpec rules (read leniently, as `generate` reads them) run on
 * code — editor buffers (`files`), globs under `root` (`paths`) and/or a unified `diff` — through
 * the same ast-grep rules spec_generate's astgrep target writes. See docs/rule-check.md.
 */
export async function check(rules: unknown, options: CheckOptionsInput): Promise<CheckResult> {
  checkLibraryArguments("check", { options });
  const read = readRulesStrict(rules);
  return checkCodeCore(read, { ...options, root: options.root ?? process.cwd() });
}

export type CheckOptionsInput = Omit<CheckOptions, "root"> & { root?: string };

/** Rules read leniently; unreadable ones are E_INVALID_INPUT naming their path. */
function readRulesStrict(input: unknown): Rule[] {
  const { rules, issues } = readRulesLenient(input);
  if (issues.length)
    throw new LibraryError(
      "E_INVALID_INPUT",
      `Some rules cannot be read: ${issues
        .slice(0, 5)
        .map((i) => `${i.path}: ${i.message}`)
        .join("; ")}.`,
    );
  return rules;
}
