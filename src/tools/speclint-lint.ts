import { assertItemSize } from "../errors.js";
import { z } from "zod";
import { MAX_BATCH_DOCUMENTS, batchEntry, summarizeBatch } from "../core/lint/batch.js";
import { CHECK_TYPES } from "../core/lint/rules/rule.js";
import {
  BatchEntrySchema,
  GradeSchema,
  type LintResultSchema,
  LintStatsSchema,
  LintViolationSchema,
  SuppressedViolationSchema,
} from "../core/lint/result-schema.js";
import { LINT_RESULT_HINT, cachedLinter } from "../app/lint-documents.js";
import { COSTS, documentCost } from "../pipeline/cost.js";
import { PURE_TRANSFORM, defineTool } from "../pipeline/tool.js";

const Input = z
  .strictObject({
    content: z
      .string()
      .optional()
      .describe("One design document: Markdown, or Confluence storage XHTML / HTML (converted to Markdown first)"),
    documents: z
      .array(
        z.strictObject({
          id: z.string().max(500).optional().describe("Your id for the document, echoed in its result"),
          content: z.string(),
        }),
      )
      .min(1)
      .max(MAX_BATCH_DOCUMENTS)
      .optional()
      .describe(
        `Several documents (at most ${MAX_BATCH_DOCUMENTS}), linted concurrently; each gets its own result or error entry`,
      ),
    check_type: z
      .enum(CHECK_TYPES)
      .default("full")
      .describe(
        "full: every check; basic: required structure (sections, rule form and details); structure: headings only",
      ),
    ruleset: z
      .string()
      .min(1)
      .max(500)
      .optional()
      .describe(
        "A bundled ruleset (specgate, specgate-en) or a YAML ruleset path under the workspace; default: chosen by the document's language",
      ),
    format: z
      .enum(["auto", "markdown", "html"])
      .default("auto")
      .describe("How to read content; auto detects Confluence storage format and HTML"),
  })
  .superRefine((v, issue) => {
    if ((v.content === undefined) === (v.documents === undefined))
      issue.addIssue({ code: "custom", path: ["content"], message: "give exactly one of content or documents" });
  });

const Output = z.object({
  score: z
    .number()
    .min(0)
    .describe("Single document: its score 0-100. Batch: the lowest score among the linted documents"),
  grade: GradeSchema,
  violations: z.array(LintViolationSchema).optional().describe("Single document only: the violations, in line order"),
  suppressed: z
    .array(SuppressedViolationSchema)
    .optional()
    .describe("Single document only: violations silenced in the document"),
  stats: LintStatsSchema.describe(
    "Single: language, ruleset, check_type, lines, rules, violations, deducted… Batch: documents, linted, failed, min/mean/max score",
  ),
  results: z
    .array(BatchEntrySchema)
    .optional()
    .describe(
      "Batch only: one entry per document, in input order ({ok: true, score, grade, violations…} or {ok: false, error})",
    ),
});

export const speclintLint = defineTool({
  name: "speclint_lint",
  toolset: "lint",
  title: "Lint a design document",
  description:
    "Checks a design document against the SpecGate template (title '# <Project> <Type> 설계서' / 'Design Document', sections 설계 규칙/Design Rules, " +
    "기술 스펙/Technical Spec, 변경 이력/Change History, rules as **RULE-AREA-NNN** (TYPE): text with scope, rationale and reference) and returns a " +
    "0-100 score, a grade (high ≥ 90 approve, medium 70-89 human review, low < 70 must fix) and violations with line, message, suggestion and, " +
    "where mechanical, a fix. Give `content` (Markdown or Confluence/HTML) or `documents[]` (up to 100). Korean or English documents.",
  inputSchema: Input,
  outputSchema: Output,
  annotations: PURE_TRANSFORM,
  // The parse model and markdown-it's tokens: by characters, lines and rules (bench/cost.ts).
  batchField: "documents",
  resultHint: LINT_RESULT_HINT,
  cost: (input) =>
    (input.content === undefined ? 0 : documentCost(input.content, COSTS.lint)) +
    (input.documents ?? []).reduce((n, d) => n + documentCost(d.content, COSTS.lint), 0) +
    512 * 1024,
  handler: async (input, ctx) => {
    const started = performance.now();
    const lintOne = await cachedLinter(ctx, input.ruleset, input.check_type, input.format);
    if (input.content !== undefined) return lintOne(input.content);
    const documents = input.documents!;
    const limit = ctx.config.limits.maxDocumentBytes;
    const settled = await ctx.map(
      documents,
      async (doc, i) => {
        assertItemSize(doc.content, limit, `documents[${i}].content`);
        return lintOne(doc.content);
      },
      { concurrency: 8 },
    );
    return summarizeBatch(
      settled.map((outcome, i) => batchEntry(i, documents[i]!, outcome)),
      performance.now() - started,
    );
  },
  summarize: (out) => (out.results ? summarizeBatchText(out) : summarizeOne(out as z.infer<typeof LintResultSchema>)),
});

function summarizeOne(r: z.infer<typeof LintResultSchema>): string {
  const head = `Score ${r.score}/100 (${r.grade}), ${r.violations.length} violation${r.violations.length === 1 ? "" : "s"}${r.suppressed?.length ? `, ${r.suppressed.length} suppressed` : ""}.`;
  const lines = r.violations
    .slice(0, 30)
    .map(
      (v) =>
        `- line ${v.line}: ${v.code} (${v.severity}, -${v.deduction})${v.rule_id ? ` ${v.rule_id}` : ""}: ${v.message}`,
    );
  const more =
    r.violations.length > 30 ? [`- … and ${r.violations.length - 30} more in structuredContent.violations`] : [];
  return [head, ...lines, ...more].join("\n");
}

function summarizeBatchText(out: z.infer<typeof Output>): string {
  const s = out.stats;
  const head = `Linted ${s.linted}/${s.documents} documents (${s.failed} failed): lowest score ${out.score} (${out.grade}), mean ${s.mean_score}.`;
  const lines = (out.results ?? []).map((r) => {
    const name = r.id ?? `#${r.index}`;
    return r.ok
      ? `- ${name}: ${r.score}/100 (${r.grade}), ${r.violations.length} violations`
      : `- ${name}: ${r.error.code}: ${r.error.message}`;
  });
  return [head, ...lines].join("\n");
}
