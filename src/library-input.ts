/**
 * The library API's argument check: what a tool call's arguments go through, for the functions
 * src/index.ts exports. Each function's arguments are described with the field schemas of the
 * tool that does the same work (`speclint_lint`'s `content` and `check_type` for `lint()`, …), in
 * the library's camelCase, and checked by the pipeline's {@link checkArguments}: a wrong type, an
 * unknown enum value or text with a NUL is a SpecGateError with code E_INVALID_INPUT naming the
 * argument (`Invalid arguments for lint: options.checkType: …`), never a TypeError from deep inside
 * or an empty result. Only validated, never transformed: the function gets what the caller gave.
 */
import { z } from "zod";
import { checkArguments } from "./pipeline/input.js";
import { LintFixSchema } from "./core/lint/result-schema.js";
import { DesignRuleSpecSchema } from "./core/spec/design-rule-spec.js";
import { gateScore } from "./tools/gate-score.js";
import { htmlToMd } from "./tools/html-to-md.js";
import { ruleCheck } from "./tools/rule-check.js";
import { ruleExtract } from "./tools/rule-extract.js";
import { specGenerate } from "./tools/spec-generate.js";
import { speclintLint } from "./tools/speclint-lint.js";
import type { AnyToolDefinition } from "./pipeline/tool.js";
import { CHECK_FORMATS } from "./core/check/format.js";
import { GitHubClient } from "./core/github/client.js";

/** A tool's input fields by name (its input schema is a zod object, refinements aside). */
function fields(tool: AnyToolDefinition): (name: string) => z.ZodType {
  const shape = (tool.inputSchema as unknown as z.ZodObject).shape as Record<string, z.ZodType | undefined>;
  return (name) => {
    const schema = shape[name];
    if (schema === undefined) throw new Error(`library-input: ${tool.name} has no field ${name}`);
    return schema;
  };
}

/** The schema a tool gives an optional field, as a required one. */
function required(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
}

const html = fields(htmlToMd);
const lintFields = fields(speclintLint);
const extractFields = fields(ruleExtract);
const checkFields = fields(ruleCheck);
const generateFields = fields(specGenerate);

const signal = z.instanceof(AbortSignal).optional();
/** Options objects: the known keys are checked, other keys are the caller's business. */
const options = <T extends z.ZodRawShape>(shape: T) => z.object(shape).optional();

const rulesetOptions = {
  workspace: z.string().optional(),
  allowAnyPath: z.boolean().optional(),
  baseDir: z.string().optional(),
};
const lintOptions = {
  // A bundled name or path, as the tool takes it, or a ruleset loadRuleset() returned.
  ruleset: z
    .union([
      required(lintFields("ruleset")),
      z.custom<object>(
        (v) => typeof v === "object" && v !== null && !Array.isArray(v),
        "expected a ruleset name, a path or a loaded ruleset",
      ),
    ])
    .optional(),
  checkType: lintFields("check_type"),
  format: lintFields("format"),
  maxViolations: z.number().int().min(0).optional(),
  signal,
  ...rulesetOptions,
};
const generateOptions = {
  targets: generateFields("targets"),
  project: generateFields("project"),
  source: generateFields("source"),
  onlyRules: generateFields("only_rules"),
  write: z.boolean().optional(),
  root: z.string().optional(),
  createRoot: z.boolean().optional(),
  signal,
};

/** A gate_score result, as the tool's output schema describes it (the radar may be missing: renderRadar makes it). */
const gateResult = (gateScore.outputSchema as unknown as z.ZodObject).extend({ radar_markdown: z.string().optional() });
const sarifLevel = z.enum(["error", "warning", "note", "none"]);

/** Each exported function's arguments, as one object (the names are those of its parameters). */
/** The one report shape (lint, gate and check findings) the formatters take. */
const diagnostics = z.array(
  z
    .object({
      source: z.enum(["speclint", "gate", "check"]),
      code: z.string(),
      severity: z.enum(["error", "warning", "info", "none"]),
      message: z.string(),
    })
    .passthrough(),
);

export const LIBRARY_ARGUMENTS = {
  convert: z.object({
    html: html("html"),
    options: options({
      baseUrl: html("base_url"),
      spaceKey: html("space_key"),
      pageId: html("page_id"),
      jiraBaseUrl: html("jira_base_url"),
      signal,
      chunkSize: z.number().positive().optional(),
    }),
  }),
  lint: z.object({ content: required(lintFields("content")), options: options(lintOptions) }),
  lintBatch: z.object({
    documents: required(lintFields("documents")),
    options: options({ ...lintOptions, concurrency: z.number().int().min(1).optional() }),
  }),
  extract: z.object({
    content: required(extractFields("content")),
    options: options({
      source: extractFields("source"),
      format: extractFields("format"),
      minReliability: extractFields("min_reliability"),
      keywords: extractFields("keywords"),
      defaultDocument: z.string().optional(),
      signal,
    }),
  }),
  check: z.object({
    options: z.object({
      files: checkFields("files"),
      paths: checkFields("paths"),
      diff: checkFields("diff"),
      root: z.string().optional(),
      signal,
      maxFindings: z.number().int().min(0).optional(),
    }),
  }),
  checkCandidate: z.object({ candidate: required(checkFields("candidate")), signal }),
  generate: z.object({ options: options(generateOptions) }),
  // Already-read rules, as rule_extract's output schema describes them.
  generateFiles: z.object({ rules: z.array(DesignRuleSpecSchema), options: options(generateOptions) }),
  generateFromDocument: z.object({
    content: required(generateFields("content")),
    options: options({
      ...generateOptions,
      format: generateFields("format"),
      document: z.string().optional(),
      extract: z
        .custom<(...args: unknown[]) => unknown>((v) => typeof v === "function", "expected a function")
        .optional(),
    }),
  }),
  score: z.object({ input: gateScore.inputSchema as unknown as z.ZodType, options: options({ signal }) }),
  applyFixes: z.object({
    content: z.string(),
    fixes: z.array(z.union([LintFixSchema, z.object({ code: z.string(), fix: LintFixSchema.optional() })])),
  }),
  parsePageUrl: z.object({ input: z.string(), base: z.instanceof(URL) }),
  decodeTinyLink: z.object({ code: z.string() }),
  // The formatters take SpecGate's own results; a value of another shape is refused by name too.
  renderRadar: z.object({ result: gateResult, options: options({}) }),
  gateToSarif: z.object({ result: gateResult }),
  gateToAnnotations: z.object({ result: gateResult, max: z.number().int().min(0).optional() }),
  formatCheck: z.object({ result: ruleCheck.outputSchema as unknown as z.ZodType, format: z.enum(CHECK_FORMATS) }),
  formatAnnotations: z.object({
    annotations: z.array(z.object({ level: z.enum(["error", "warning", "notice"]), message: z.string() })),
    options: options({}),
  }),
  upsertStickyComment: z.object({
    client: z.instanceof(GitHubClient),
    options: z.object({
      repository: z.string(),
      number: z.number().int().positive(),
      body: z.string(),
      marker: z.string(),
      signal,
    }),
  }),
  syncHitlIssues: z.object({
    client: z.instanceof(GitHubClient),
    options: z.object({
      repository: z.string(),
      documents: z.array(
        z.object({
          id: z.string(),
          title: z.string().optional(),
          url: z.string().optional(),
          lint: z.object({ score: z.number(), grade: z.string() }),
        }),
      ),
      signal,
    }),
  }),
  buildSarifLog: z.object({
    tool: z.object({ name: z.string(), version: z.string() }),
    rules: z.array(z.object({ id: z.string(), shortDescription: z.string(), level: sarifLevel.optional() })),
    results: z.array(z.object({ ruleId: z.string(), level: sarifLevel, message: z.string() })),
  }),
  semgrepRuleId: z.object({ ruleId: z.string() }),
  // The two rule sets are read leniently, as `generate` reads them (unreadable ones named by path).
  diffRules: z.object({
    options: options({
      signal,
      labels: z.object({ from: z.string().optional(), to: z.string().optional() }).optional(),
    }),
  }),
  gateToJunit: z.object({ result: gateResult }),
  toSarif: z.object({
    diagnostics,
    options: z.object({ tool: z.object({ name: z.string(), version: z.string() }).passthrough() }).passthrough(),
  }),
  formatSarif: z.object({
    diagnostics,
    options: z.object({ tool: z.object({ name: z.string(), version: z.string() }).passthrough() }).passthrough(),
  }),
  formatGithub: z.object({ diagnostics, options: options({}) }),
  formatJunit: z.object({
    diagnostics,
    options: z.object({ name: z.string(), files: z.array(z.string()).optional() }),
  }),
} satisfies Record<string, z.ZodType>;

export type LibraryFunction = keyof typeof LIBRARY_ARGUMENTS;

/** Throws SpecGateError E_INVALID_INPUT unless `args` fit `fn`'s arguments (see the module comment). */
export function checkLibraryArguments(fn: LibraryFunction, args: Record<string, unknown>): void {
  checkArguments(fn, LIBRARY_ARGUMENTS[fn], args, { batchField: fn === "lintBatch" ? "documents" : undefined });
}
