/**
 * Linting documents, for every entry point: speclint_lint, gate_score's `lint.content`,
 * `specgate lint` and the library. The ruleset is resolved once per call; in the server each
 * document is cached under its hash.
 */
import { createHash } from "node:crypto";
import type { CachePolicy } from "../cache/policy.js";
import type { CheckType } from "../core/lint/rules/rule.js";
import type { InputFormat } from "../core/lint/linter.js";
import type { Ruleset } from "../core/lint/ruleset/compile.js";
import type { LoadRulesetOptions } from "../core/lint/ruleset/load.js";
import { configFileIn, readConfigFile } from "../config-file.js";
import type { LintResult } from "../core/lint/types.js";
import {
  MAX_BATCH_DOCUMENTS,
  batchEntry,
  summarizeBatch,
  type BatchDocument,
  type LintBatchResult,
} from "../core/lint/batch.js";
import { mapSettled } from "../core/settled-map.js";
import { SpecGateError } from "../errors.js";
import { offloaded, type ToolContext } from "../pipeline/tool.js";
import type { Work } from "./work.js";

/** What to do when a lint result is over the result limit. */
export const LINT_RESULT_HINT = "Split the document or the batch.";

/** One document's lint result. Bump `version` when findings or their shape change. */
export const LINT_CACHE = {
  namespace: "lint",
  ttlSeconds: 1800,
  version: 3,
  lock: false,
} as const satisfies CachePolicy;

/** Violations a tool lists per document (the score counts all; `stats.omitted` tells how many were left out). */
const MAX_REPORTED = 500;

export interface LinterOptions extends LoadRulesetOptions {
  /** A bundled ruleset name, a YAML path, or a compiled ruleset. Default: by each document's language. */
  ruleset?: string | Ruleset | undefined;
  checkType?: CheckType | undefined;
  format?: InputFormat | undefined;
  /** Reported violations are capped at this many (the score counts all); default unlimited. */
  maxViolations?: number | undefined;
}

/**
 * A linter for one call or command: the ruleset loaded once, then each document linted — cached
 * ({@link LINT_CACHE}) under its hash, the ruleset's identity, the check type and the format when
 * `work` caches, and on a worker when `work` has one and the ruleset is a name a worker can load.
 */
export async function createLinter(
  work: Work,
  options: LinterOptions,
): Promise<(content: string) => Promise<LintResult>> {
  const { ruleset, checkType = "full", format = "auto", maxViolations } = options;
  // The loader brings the lint rules; a server loads them on its first lint, not at start.
  const { loadRuleset } = await import("../core/lint/ruleset/load.js");
  const named = typeof ruleset === "string" ? await loadRuleset(ruleset, options) : ruleset;
  const identity =
    named?.identity ??
    (await Promise.all([loadRuleset("specgate"), loadRuleset("specgate-en")])).map((r) => r.identity).join("|");
  // A worker reloads the ruleset by name, under the same workspace restriction as the server.
  const onWorker =
    typeof ruleset !== "object" && options.workspace !== undefined && options.allowAnyPath === false
      ? { ruleset, workspace: options.workspace, allowAnyPath: false as const }
      : undefined;
  return (content) => {
    // The linter is loaded on the first miss, not with the server.
    const local = (signal: AbortSignal) =>
      import("../core/lint/linter.js").then(({ lint }) =>
        lint(content, { ruleset: named, checkType, format, maxViolations, signal }),
      );
    const material = { h: sha256(content), r: identity, t: checkType, f: format, m: maxViolations ?? null };
    return work.cached(LINT_CACHE, material, (signal) =>
      onWorker === undefined
        ? local(signal)
        : offloaded(
            work,
            "lint",
            { content, options: { ...onWorker, checkType, format, maxViolations: maxViolations ?? Infinity } },
            { size: content.length, hint: LINT_RESULT_HINT, signal },
            () => local(signal),
          ),
    );
  };
}

/**
 * The linter of a tool call: the call's ruleset, else the one the workspace's configuration file
 * names, read only under the workspace; at most 500 violations listed per document. gate_score's
 * `lint.content` goes through here too, so a document linted by one tool is not linted again by
 * the other.
 */
export async function cachedLinter(
  ctx: ToolContext,
  ruleset: string | undefined,
  checkType: CheckType,
  format: InputFormat,
): Promise<(content: string) => Promise<LintResult>> {
  const { workspace } = ctx.config;
  return createLinter(ctx, {
    ruleset: ruleset ?? (await workspaceRuleset(workspace)),
    workspace,
    allowAnyPath: false,
    checkType,
    format,
    maxViolations: MAX_REPORTED,
  });
}

/** The `ruleset` of the configuration file directly in the workspace, if any (E_CONFIG when it is invalid). */
async function workspaceRuleset(workspace: string): Promise<string | undefined> {
  const file = await configFileIn(workspace);
  return file === undefined ? undefined : (await readConfigFile(file)).ruleset;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
}

/**
 * Lints up to {@link MAX_BATCH_DOCUMENTS} documents with bounded concurrency, the ruleset loaded
 * once; a document that fails becomes its own error entry.
 */
export async function lintBatch(
  work: Work,
  documents: readonly BatchDocument[],
  options: LinterOptions & { concurrency?: number | undefined } = {},
): Promise<LintBatchResult> {
  if (documents.length > MAX_BATCH_DOCUMENTS) {
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `A batch holds at most ${MAX_BATCH_DOCUMENTS} documents (got ${documents.length}); split it.`,
    );
  }
  const started = performance.now();
  const lintOne = await createLinter(work, options);
  const settled = await mapSettled(documents, (doc) => lintOne(doc.content), {
    concurrency: options.concurrency ?? 8,
    signal: work.signal,
  });
  const results = settled.map((outcome, index) => batchEntry(index, documents[index]!, outcome));
  return summarizeBatch(results, performance.now() - started);
}
