/**
 * zod schemas of lint results: the `speclint_lint` output schema, and what a consumer of a lint
 * result (e.g. the gate's `lint` input) can validate against. Mirrors src/core/lint/types.ts.
 */
import { z } from "zod";
import { ERROR_CODES } from "../../errors.js";

export const LintFixSchema = z.object({
  start_line: z.number().int().min(1).describe("First line replaced (1-based)"),
  end_line: z
    .number()
    .int()
    .min(1)
    .describe("Line after the last one replaced; equal to start_line for an insertion before it"),
  text: z.string().describe("Replacement text (whole lines, with their line breaks)"),
  description: z.string(),
});

export const LintViolationSchema = z.object({
  code: z.string().describe("Lint code (a deduction key of the ruleset), e.g. scope_missing"),
  severity: z.enum(["error", "warning", "info"]),
  message: z.string().describe("What is wrong, in the document's language"),
  line: z.number().int().min(1).describe("1-based line; per-rule codes point at the rule's line"),
  column: z.number().int().min(1).optional(),
  rule_id: z.string().optional().describe("The rule concerned, for per-rule codes"),
  suggestion: z.string().describe("How to fix it (the ruleset's suggestion text)"),
  deduction: z.number().describe("Points deducted"),
  fix: LintFixSchema.optional().describe("A machine-applicable edit, where the fix is mechanical"),
});

export const SuppressedViolationSchema = LintViolationSchema.extend({
  suppression: z.object({
    kind: z.enum(["disable", "disable-next-line", "disable-file"]),
    line: z.number().int().min(1).describe("Line of the speclint-disable comment"),
    justification: z.string().optional(),
  }),
});

export const LintStatsSchema = z.record(z.string(), z.union([z.number(), z.string()]));
export const GradeSchema = z
  .enum(["high", "medium", "low"])
  .describe("high ≥ 90 (approve), medium 70-89 (human review), low < 70 (must fix); thresholds from the ruleset");

export const LintResultSchema = z.object({
  score: z.number().min(0).describe("max(0, 100 − deductions)"),
  grade: GradeSchema,
  violations: z.array(LintViolationSchema),
  suppressed: z
    .array(SuppressedViolationSchema)
    .optional()
    .describe("Violations silenced by speclint-disable comments; not deducted"),
  stats: LintStatsSchema,
});

export const BatchEntrySchema = z.discriminatedUnion("ok", [
  LintResultSchema.extend({
    index: z.number().int().min(0),
    id: z.string().optional(),
    ok: z.literal(true),
  }),
  z.object({
    index: z.number().int().min(0),
    id: z.string().optional(),
    ok: z.literal(false),
    error: z.object({ code: z.enum(ERROR_CODES), message: z.string() }),
  }),
]);
