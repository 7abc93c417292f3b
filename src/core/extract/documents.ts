/**
 * Documents in any accepted form → rules: HTML and Confluence storage XHTML are converted to
 * Markdown first (the html_to_md converter), and the results of several documents are combined
 * into one answer with duplicates and conflicts looked for across all of them.
 */
import { convertHtml } from "../convert/index.js";
import { looksLikeHtml } from "./looks-like-html.js";
import { throwIfAborted } from "../../errors.js";
import { assertText } from "../input-text.js";
import { findConflicts, findDuplicates } from "./analysis.js";
import { countRules, extractRules } from "./extract.js";
import { verifyExtractedPatterns } from "./pattern-check.js";
import {
  emptyRejected,
  type ExtractOptions,
  type ExtractResult,
  type ExtractWarning,
  type RejectedCounts,
} from "./types.js";

export type ContentFormat = "auto" | "markdown" | "html";

export { looksLikeHtml };

/**
 * One document → rules; converts HTML first when `format` says so or `auto` detects it. Content
 * that is not text (a NUL character) is E_INVALID_INPUT, never "no rules".
 */
export async function extractDocument(
  content: string,
  options: ExtractOptions & { format?: ContentFormat | undefined } = {},
): Promise<ExtractResult> {
  throwIfAborted(options.signal);
  assertText(content, "The document");
  const format = options.format ?? "auto";
  if (format === "html" || (format === "auto" && looksLikeHtml(content))) {
    const converted = await convertHtml(content, { signal: options.signal });
    const result = await withCheckedPatterns(extractRules(converted.markdown, options), options.signal);
    const document = result.rules[0]?.source.document ?? options.source?.id ?? options.source?.title;
    const notes: ExtractWarning[] = converted.warnings.slice(0, 20).map((w) => ({
      code: "conversion",
      message: `HTML conversion: ${w.message}`,
      ...(document ? { document } : {}),
    }));
    return { ...result, warnings: [...notes, ...result.warnings] };
  }
  return withCheckedPatterns(extractRules(content, options), options.signal);
}

/** The result with its violation patterns parsed (pattern-check.ts): unusable ones set apart and warned about. */
async function withCheckedPatterns(result: ExtractResult, signal: AbortSignal | undefined): Promise<ExtractResult> {
  const warnings = await verifyExtractedPatterns(result.rules, signal);
  if (warnings.length) result.warnings.push(...warnings);
  return result;
}

/** The name a result's rules carry in `source.document` (`fallback` when it has neither rules nor warnings). */
export function resultDocumentName(result: ExtractResult, fallback: string): string {
  return result.rules[0]?.source.document ?? result.warnings.find((w) => w.document)?.document ?? fallback;
}

/** Per-document outcome of a batch, in input order. */
export type DocumentOutcome =
  | { ok: true; name: string; result: ExtractResult }
  | { ok: false; name: string; error: { code: string; message: string } };

export interface BatchResult extends ExtractResult {
  documents: {
    index: number;
    document: string;
    ok: boolean;
    rules: number;
    warnings: number;
    error?: { code: string; message: string };
  }[];
}

/**
 * Combines per-document results: rules and warnings in input order, duplicates and conflicts
 * looked for again across all documents, stats summed, one outcome entry per document.
 */
export function combineResults(outcomes: readonly DocumentOutcome[], durationMs: number): BatchResult {
  const rules = outcomes.flatMap((o) => (o.ok ? o.result.rules : []));
  const warnings = outcomes.flatMap((o) => (o.ok ? o.result.warnings : []));
  const rejected = emptyRejected();
  let lines = 0;
  let bytes = 0;
  let below = 0;
  for (const o of outcomes) {
    if (!o.ok) continue;
    const s = o.result.stats;
    lines += s.lines;
    bytes += s.bytes;
    below += s.below_min_reliability;
    for (const k of Object.keys(rejected) as (keyof RejectedCounts)[]) rejected[k] += s.rejected[k];
  }
  const duplicates = findDuplicates(rules);
  const conflicts = findConflicts(rules);
  return {
    rules,
    conflicts: conflicts.list,
    duplicates: duplicates.list,
    warnings,
    stats: {
      documents: outcomes.length,
      ...countRules(rules),
      duplicates: duplicates.total,
      conflicts: conflicts.total,
      below_min_reliability: below,
      rejected,
      lines,
      bytes,
      duration_ms: Math.round(durationMs * 100) / 100,
    },
    documents: outcomes.map((o, index) =>
      o.ok
        ? { index, document: o.name, ok: true, rules: o.result.rules.length, warnings: o.result.warnings.length }
        : { index, document: o.name, ok: false, rules: 0, warnings: 0, error: o.error },
    ),
  };
}
