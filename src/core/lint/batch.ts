/**
 * Batches: up to 100 documents linted concurrently, each with its own result or its own error
 * entry — one bad document never fails the batch and no document is dropped. The MCP tool runs
 * items through `ctx.map`; the library uses {@link lintBatch} (same result shape).
 */
import type { ErrorCode, SpecGateError } from "../../errors.js";
import type { LintGrade, LintResult } from "./types.js";

export const MAX_BATCH_DOCUMENTS = 100;

export interface BatchDocument {
  id?: string | undefined;
  content: string;
}

export type BatchEntry =
  | ({ index: number; id?: string; ok: true } & LintResult)
  | { index: number; id?: string; ok: false; error: { code: ErrorCode; message: string } };

export interface LintBatchResult {
  /** The lowest score among the documents linted (0 when none could be linted). */
  score: number;
  /** The grade of that lowest-scoring document. */
  grade: LintGrade;
  results: BatchEntry[];
  stats: Record<string, number | string>;
}

/** One entry per document, in input order. */
export function batchEntry(
  index: number,
  doc: BatchDocument,
  outcome: { ok: true; value: LintResult } | { ok: false; error: SpecGateError },
): BatchEntry {
  const id = doc.id === undefined ? {} : { id: doc.id };
  return outcome.ok
    ? { index, ...id, ok: true, ...outcome.value }
    : { index, ...id, ok: false, error: { code: outcome.error.code, message: outcome.error.message } };
}

/** Top-level score, grade and stats of a batch. */
export function summarizeBatch(results: BatchEntry[], durationMs: number): LintBatchResult {
  const linted = results.filter((r): r is Extract<BatchEntry, { ok: true }> => r.ok);
  const worst = linted.reduce<(typeof linted)[number] | undefined>(
    (w, r) => (w === undefined || r.score < w.score ? r : w),
    undefined,
  );
  const scores = linted.map((r) => r.score);
  return {
    score: worst?.score ?? 0,
    grade: worst?.grade ?? "low",
    results,
    stats: {
      documents: results.length,
      linted: linted.length,
      failed: results.length - linted.length,
      min_score: worst?.score ?? 0,
      mean_score: scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10) / 10 : 0,
      max_score: scores.length ? Math.max(...scores) : 0,
      high: linted.filter((r) => r.grade === "high").length,
      medium: linted.filter((r) => r.grade === "medium").length,
      low: linted.filter((r) => r.grade === "low").length,
      violations: linted.reduce((n, r) => n + r.violations.length, 0),
      duration_ms: Math.round(durationMs * 100) / 100,
    },
  };
}
