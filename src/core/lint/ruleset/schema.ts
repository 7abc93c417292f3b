/**
 * The YAML shape of a ruleset (rulesets/specgate.yaml is the full example), with `extends`,
 * `language`, `content_checks`, `checks` (per-code severity or `off`) and section `names`.
 * Every key is optional in a file; a file is laid over the ruleset it extends (or over the
 * bundled ruleset of its language) and the merged result must be complete.
 *
 * Unknown keys are errors (so a typo never silently does nothing), except the informational
 * top-level sections a ruleset may carry (performance_requirements, memory_requirements,
 * check_modes, metadata), which are accepted and ignored.
 */
import { z } from "zod";
import { LINT_CODES, type LintCode } from "../codes.js";

const codeKeys = z.enum(LINT_CODES);
const informational = z.unknown().optional();

const PatternFields = {
  pattern: z.string().min(1).max(500).optional(),
  flags: z
    .string()
    .regex(/^[iu]{0,2}$/, "only the flags i and u are allowed")
    .optional(),
  description: z.string().optional(),
  example: z.string().optional(),
  weight: informational,
};

const SectionSchema = z.strictObject({
  ...PatternFields,
  names: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
  heading: z.string().trim().min(1).max(200).optional(),
  required: z.boolean().optional(),
});

const RuleFormatSchema = z.strictObject({
  ...PatternFields,
  id_pattern: z.string().min(1).max(200).optional(),
  require_bold: z.boolean().optional(),
  per_rule: informational,
});

export { SECTION_KEYS, type SectionKey } from "./section-keys.js";

const Severity = z.enum(["error", "warning", "info", "off"]);

export const RulesetFileSchema = z.strictObject({
  extends: z.string().trim().min(1).max(500).optional(),
  language: z.enum(["ko", "en"]).optional(),
  structure_checks: z
    .strictObject({
      title_format: z.strictObject({ ...PatternFields }).optional(),
      design_rules_section: SectionSchema.optional(),
      technical_spec_section: SectionSchema.optional(),
      change_history_section: SectionSchema.optional(),
      implementation_guide_section: SectionSchema.optional(),
      rule_format: RuleFormatSchema.optional(),
    })
    .optional(),
  content_checks: z
    .strictObject({
      min_rule_length: z.number().int().min(0).max(1000).optional(),
      min_must_rules: z.number().int().min(0).max(1000).optional(),
    })
    .optional(),
  quality_scoring: z
    .strictObject({
      base_score: z.number().min(0).max(1000).optional(),
      deductions: z.partialRecord(codeKeys, z.number().min(-1000).max(1000)).optional(),
      thresholds: z
        .strictObject({
          high_quality: z.number().min(0).max(1000).optional(),
          medium_quality: z.number().min(0).max(1000).optional(),
          low_quality: z.number().min(0).max(1000).optional(),
        })
        .optional(),
    })
    .optional(),
  rule_types: z
    .strictObject({
      valid_types: z.array(z.string().trim().min(1).max(40)).min(1).max(20).optional(),
      priorities: z.record(z.string(), z.number()).optional(),
    })
    .optional(),
  area_codes: z
    .strictObject({
      valid_areas: z
        .array(z.string().regex(/^[A-Z][A-Z0-9]*$/, "an upper-case area code"))
        .max(200)
        .optional(),
    })
    .optional(),
  improvement_suggestions: z.partialRecord(codeKeys, z.string().max(4000)).optional(),
  checks: z.partialRecord(codeKeys, Severity).optional(),
  performance_requirements: informational,
  memory_requirements: informational,
  check_modes: informational,
  metadata: informational,
});
export type RulesetFile = z.infer<typeof RulesetFileSchema>;

export type CheckSeverity = z.infer<typeof Severity>;

/** What `extends` resolution produces before compiling: every field the linter reads is present. */
export interface ResolvedSection {
  names: string[];
  pattern?: string | undefined;
  flags?: string | undefined;
  heading: string;
  required: boolean;
}

export type DeductionTable = Record<LintCode, number>;
