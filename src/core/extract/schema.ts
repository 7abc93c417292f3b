/**
 * The zod shape of rule_extract's result: the MCP tool's output schema and the published
 * `schemas/rule-extract-result.schema.json` are both generated from it.
 */
import { z } from "zod";
import { DesignRuleSpecSchema, PRIORITIES } from "../spec/design-rule-spec.js";

const RuleRefSchema = z.object({
  rule_id: z.string(),
  priority: z.enum(PRIORITIES),
  document: z.string(),
  line: z.number().int(),
  text: z.string().describe("The rule's sentence"),
});

export const DuplicateSchema = z.object({
  kind: z.enum(["same_id", "same_text"]),
  identical: z.boolean().describe("Same id and the same sentence (a copy); false when two different rules share an id"),
  message: z.string(),
  rules: z.tuple([RuleRefSchema, RuleRefSchema]).describe("The first occurrence and the repeat"),
});

export const ConflictSchema = z.object({
  kind: z
    .enum(["polarity", "number"])
    .describe("polarity: one rule requires what the other forbids; number: different values for the same thing"),
  subject: z.string().describe("The normalised words both rules are about"),
  message: z.string(),
  rules: z.tuple([RuleRefSchema, RuleRefSchema]),
  values: z.tuple([z.string(), z.string()]).optional().describe("For number conflicts: the two values as written"),
});

export const ExtractWarningSchema = z.object({
  code: z
    .string()
    .describe(
      "no_rules, priority_inferred, priority_unknown, id_normalised, empty_rule_text, pattern_not_code, conversion",
    ),
  message: z.string(),
  line: z.number().int().optional(),
  document: z.string().optional(),
});

const count = z.number().int().min(0);

export const ExtractStatsSchema = z.object({
  documents: count,
  rules: count,
  standardized: count,
  keyword: count,
  by_priority: z.record(z.string(), count),
  by_area: z.record(z.string(), count),
  duplicates: count.describe("All duplicates found (the list stops at 1000)"),
  conflicts: count.describe("All conflicts found (the list stops at 1000)"),
  below_min_reliability: count,
  rejected: z
    .object({
      question: count,
      past_tense: count,
      too_short: count,
      description: count,
      bad_example: count,
      blockquote: count,
      checklist: count,
      non_rule_section: count,
      change_history: count,
    })
    .describe("Sentences that read like rules but were not taken, by reason"),
  lines: count,
  bytes: count,
  duration_ms: z.number().min(0),
});

export const DocumentOutcomeSchema = z.object({
  index: z.number().int().min(0).describe("Position in documents[]"),
  document: z.string().describe("The name its rules carry in source.document"),
  ok: z.boolean(),
  rules: count.describe("Rules taken from this document"),
  warnings: count,
  error: z.object({ code: z.string(), message: z.string() }).optional().describe("Why this document could not be read"),
});

export const ExtractResultSchema = z.object({
  rules: z.array(DesignRuleSpecSchema),
  conflicts: z.array(ConflictSchema),
  duplicates: z.array(DuplicateSchema),
  warnings: z.array(ExtractWarningSchema),
  stats: ExtractStatsSchema,
  documents: z
    .array(DocumentOutcomeSchema)
    .optional()
    .describe("Batch calls only: one entry per input document, in input order"),
});
