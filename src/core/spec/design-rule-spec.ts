/**
 * DesignRuleSpec: the machine-readable form of one design rule (schemas/design-rule-spec.schema.json;
 * examples in test/fixtures/reference/DesignRuleSpec_Examples.json).
 *
 * Defined once here with zod. `rule_extract` produces the strict {@link DesignRuleSpecSchema};
 * `spec_generate` and `gate_score` accept hand-written rule files through the lenient
 * {@link readRules}, where only `rule_id` and `priority` are required. The JSON Schema published
 * in `schemas/design-rule-spec.schema.json` is generated from this file (`npm run schemas`).
 */
import { z } from "zod";
import {
  areaFromRuleId,
  normalizePriority,
  PRIORITIES,
  RELIABILITY_MAX,
  RULE_ID_PATTERN,
  shortTitle,
} from "./rule-terms.js";

export * from "./rule-terms.js";

const PrioritySchema = z.enum(PRIORITIES);
const AreaSchema = z.string().regex(/^[A-Z][A-Z0-9]*$/, "an upper-case area code such as API, DATA, ARCH, SEC, PERF");

export const ScopeSchema = z.looseObject({
  text: z.string().describe("The scope as written in the document"),
  file_patterns: z.array(z.string()).describe("Globs of files the rule applies to, e.g. src/api/**"),
  package_patterns: z.array(z.string()).describe("Packages/modules, e.g. com.example.api"),
  annotation_patterns: z.array(z.string()).describe("Annotations/decorators, e.g. @RestController"),
});

export const ReliabilityBreakdownSchema = z.object({
  standardized_form: z.number().min(0).max(40),
  rule_id: z.number().min(0).max(20),
  scope: z.number().min(0).max(15),
  rationale: z.number().min(0).max(10),
  reference: z.number().min(0).max(10),
  spec_link: z.number().min(0).max(5),
});

export const ReliabilitySchema = z.looseObject({
  total_score: z.number().min(0).max(100),
  extraction_method: z.enum(["standardized", "keyword"]),
  breakdown: ReliabilityBreakdownSchema,
  keyword: z
    .string()
    .optional()
    .describe(
      "Keyword rules: the RFC 2119 keyword or Korean ending that made the sentence a rule, e.g. MUST NOT or 해야 한다",
    ),
  keyword_case: z
    .enum(["lower"])
    .optional()
    .describe(
      "Keyword rules found by a lower-case keyword (rule_extract's any-case opt-in): read with lower reliability",
    ),
});

export const SourceSchema = z.looseObject({
  document: z.string().describe("Document id, title or path"),
  line: z.number().int().min(1).describe("1-based line of the rule in the Markdown"),
  section: z.string().optional().describe("The heading the rule sits under"),
  url: z.string().optional(),
  title: z.string().optional().describe("The document's title, when known"),
  id_as_written: z.string().optional().describe("The rule id as the document wrote it, when it had to be normalised"),
});

const ViolationPointsSchema = z.union([z.number().min(0), z.partialRecord(PrioritySchema, z.number().min(0))]);

export const DriftCalculationSchema = z.looseObject({
  rule_weight: z.number().min(0).optional(),
  area_weight: z.number().min(0).optional(),
  violation_points: ViolationPointsSchema.optional(),
});

export const DependencyRuleSchema = z.looseObject({
  from: z.string().describe("A layer (controller, service, repository…) or a package (com.acme.shop.web)"),
  to: z.string(),
  direction: z
    .enum(["allowed", "forbidden"])
    .describe("forbidden: `from` must not depend on `to`; allowed: `from` may depend on `to`"),
});

/**
 * A class-naming condition (ArchUnit): classes selected by package and/or annotation must have a
 * simple name with the given suffix/prefix, or a fully-qualified name matching `name_pattern`.
 * Every field is optional so hand-written rules stay readable; `spec_generate` reports a
 * condition it cannot express in `skipped`.
 */
export const NamingRuleSchema = z.looseObject({
  package: z.string().optional().describe("ArchUnit package pattern of the classes, e.g. ..controller.."),
  annotated_with: z
    .string()
    .optional()
    .describe("Annotation of the classes, e.g. @RestController or a fully-qualified name"),
  name_suffix: z.string().optional(),
  name_prefix: z.string().optional(),
  name_pattern: z.string().optional().describe("Regular expression the fully-qualified class name must match"),
});

/** An annotation condition (ArchUnit): selected classes must (or must not) carry `annotation`. */
export const AnnotationRuleSchema = z.looseObject({
  package: z.string().optional(),
  name_suffix: z.string().optional().describe("Selects classes whose simple name ends with this, e.g. Controller"),
  annotation: z.string().optional(),
  forbidden: z.boolean().optional().describe("True: the classes must NOT carry the annotation"),
});

export const ValidationConditionsSchema = z.looseObject({
  http_methods: z.array(z.string()).optional(),
  code_patterns: z
    .array(z.string())
    .optional()
    .describe(
      "Violation patterns: regexes (or /regex/), or structural ast-grep patterns recognised by their syntax (docs/rule-extract.md)",
    ),
  structural_patterns: z
    .array(z.string())
    .optional()
    .describe("Structural (ast-grep) violation patterns, e.g. console.log($$$ARGS)"),
  languages: z
    .array(z.string())
    .optional()
    .describe(
      "Languages the patterns are written in (ast-grep names: java, typescript, python…); default: from the scope's file extensions",
    ),
  invalid_patterns: z
    .array(z.looseObject({ pattern: z.string(), problem: z.string() }))
    .optional()
    .describe(
      "Violation patterns the document wrote that parse neither as code of the rule's language nor as a regex: not used as checks",
    ),
  dependency_rules: z.array(DependencyRuleSchema).optional(),
  naming_rules: z.array(NamingRuleSchema).optional(),
  annotation_rules: z.array(AnnotationRuleSchema).optional(),
});

export const CiInfoSchema = z.looseObject({
  drift_calculation: DriftCalculationSchema.optional(),
  semgrep_rule: z.looseObject({}).optional(),
  archunit_rule: z.looseObject({}).optional(),
});

/** One rule, as `rule_extract` returns it. Extra keys from richer rule files are kept. */
export const DesignRuleSpecSchema = z.looseObject({
  rule_id: z.string().regex(RULE_ID_PATTERN, "RULE-AREA-NNN"),
  priority: PrioritySchema,
  area: AreaSchema,
  area_guessed: z.boolean().optional().describe("True when the area was inferred from words, not read from the id"),
  title: z.string(),
  description: z.string(),
  scope: ScopeSchema,
  rationale: z.string(),
  references: z.array(z.string()),
  reliability: ReliabilitySchema,
  source: SourceSchema,
  validation_conditions: ValidationConditionsSchema.optional(),
  development_info: z.looseObject({}).optional(),
  ci_info: CiInfoSchema.extend({ drift_calculation: DriftCalculationSchema }),
});

export type DesignRuleSpec = z.infer<typeof DesignRuleSpecSchema>;
export type ReliabilityBreakdown = z.infer<typeof ReliabilityBreakdownSchema>;
export type DriftCalculation = z.infer<typeof DriftCalculationSchema>;
export type DependencyRule = z.infer<typeof DependencyRuleSchema>;
export type NamingRule = z.infer<typeof NamingRuleSchema>;
export type AnnotationRule = z.infer<typeof AnnotationRuleSchema>;

/**
 * The lenient input shape: what a person writes by hand. Only `rule_id` and `priority` are
 * required; everything else is filled in by {@link normalizeRule}.
 */
export const LenientRuleSchema = z.looseObject({
  rule_id: z.string().trim().min(1),
  priority: z.string().trim().min(1),
  area: z.string().optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  scope: z
    .union([
      z.string(),
      z.looseObject({
        text: z.string().optional(),
        file_patterns: z.array(z.string()).optional(),
        package_patterns: z.array(z.string()).optional(),
        annotation_patterns: z.array(z.string()).optional(),
      }),
    ])
    .optional(),
  rationale: z.string().optional(),
  references: z.union([z.array(z.string()), z.string()]).optional(),
  reliability: z
    .union([
      z.number(),
      z.looseObject({ total_score: z.number().optional(), extraction_method: z.string().optional() }),
    ])
    .optional(),
  source: z.looseObject({ document: z.string().optional(), line: z.number().optional() }).optional(),
  ci_info: z.looseObject({ drift_calculation: DriftCalculationSchema.optional() }).optional(),
});
export type LenientRule = z.infer<typeof LenientRuleSchema>;

export interface RuleReadIssue {
  /** JSON path of the offending value, e.g. `rules[3].priority`. */
  path: string;
  message: string;
}

/**
 * Reads rules written by hand or by another tool: an array of rules, `{ rules: [...] }`
 * (rule_extract's output) or DesignRuleSpec_Examples' `{ examples: [...] }`. Returns the
 * normalised rules and an issue per rule that could not be read (never throws on bad rules).
 */
export function readRules(input: unknown, basePath = "rules"): { rules: DesignRuleSpec[]; issues: RuleReadIssue[] } {
  let list: unknown = input;
  if (list && typeof list === "object" && !Array.isArray(list)) {
    const obj = list as Record<string, unknown>;
    list = Array.isArray(obj.rules) ? obj.rules : Array.isArray(obj.examples) ? obj.examples : [obj];
  }
  const issues: RuleReadIssue[] = [];
  const rules: DesignRuleSpec[] = [];
  if (!Array.isArray(list)) {
    return { rules, issues: [{ path: basePath, message: "expected an array of rules" }] };
  }
  list.forEach((raw, index) => {
    const path = `${basePath}[${index}]`;
    const parsed = LenientRuleSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      issues.push({
        path: [path, ...(issue?.path ?? []).map(String)].join("."),
        message: issue?.message ?? "invalid rule",
      });
      return;
    }
    const result = normalizeRule(parsed.data);
    if ("error" in result) issues.push({ path: `${path}.${result.field}`, message: result.error });
    else rules.push(result.rule);
  });
  return { rules, issues };
}

/** Fills every field a lenient rule leaves out. */
export function normalizeRule(rule: LenientRule): { rule: DesignRuleSpec } | { field: string; error: string } {
  const ruleId = rule.rule_id.trim().toUpperCase();
  if (!RULE_ID_PATTERN.test(ruleId)) return { field: "rule_id", error: `"${rule.rule_id}" is not a RULE-AREA-NNN id` };
  const priority = normalizePriority(rule.priority);
  if (!priority) {
    return { field: "priority", error: `"${rule.priority}" is not one of ${PRIORITIES.join(", ")}` };
  }
  const area = (rule.area?.trim().toUpperCase() || areaFromRuleId(ruleId)) ?? "GEN";
  const description = rule.description?.trim() || rule.title?.trim() || ruleId;
  const scopeIn = typeof rule.scope === "string" ? { text: rule.scope } : (rule.scope ?? {});
  const reliabilityIn =
    typeof rule.reliability === "number" ? { total_score: rule.reliability } : (rule.reliability ?? {});
  const total = clamp(reliabilityIn.total_score ?? 100, 0, 100);
  const method = reliabilityIn.extraction_method === "keyword" ? "keyword" : "standardized";
  const {
    rule_id: _id,
    priority: _p,
    area: _a,
    scope: _s,
    reliability: _r,
    source: _src,
    ci_info: _ci,
    ...rest
  } = rule;
  const normalized = {
    ...rest,
    rule_id: ruleId,
    priority,
    area,
    title: rule.title?.trim() || shortTitle(description),
    description,
    scope: {
      ...scopeIn,
      text: scopeIn.text ?? "",
      file_patterns: scopeIn.file_patterns ?? [],
      package_patterns: scopeIn.package_patterns ?? [],
      annotation_patterns: scopeIn.annotation_patterns ?? [],
    },
    rationale: rule.rationale ?? "",
    references: typeof rule.references === "string" ? [rule.references] : (rule.references ?? []),
    reliability: {
      ...(typeof rule.reliability === "object" ? rule.reliability : {}),
      total_score: total,
      extraction_method: method,
      breakdown:
        typeof rule.reliability === "object" && isBreakdown((rule.reliability as Record<string, unknown>).breakdown)
          ? ((rule.reliability as Record<string, unknown>).breakdown as ReliabilityBreakdown)
          : scaleBreakdown(total),
    },
    source: {
      ...(rule.source ?? {}),
      document: rule.source?.document ?? "",
      line: Math.max(1, Math.trunc(rule.source?.line ?? 1)),
    },
    ci_info: { ...(rule.ci_info ?? {}), drift_calculation: rule.ci_info?.drift_calculation ?? {} },
  };
  const checked = DesignRuleSpecSchema.safeParse(normalized);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return { field: (issue?.path ?? []).map(String).join(".") || "rule", error: issue?.message ?? "invalid rule" };
  }
  return { rule: checked.data };
}

function isBreakdown(value: unknown): boolean {
  return ReliabilityBreakdownSchema.safeParse(value).success;
}

/** A breakdown consistent with a total given by hand (each criterion scaled alike). */
function scaleBreakdown(total: number): ReliabilityBreakdown {
  const f = total / 100;
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    standardized_form: round(RELIABILITY_MAX.standardized_form * f),
    rule_id: round(RELIABILITY_MAX.rule_id * f),
    scope: round(RELIABILITY_MAX.scope * f),
    rationale: round(RELIABILITY_MAX.rationale * f),
    reference: round(RELIABILITY_MAX.reference * f),
    spec_link: round(RELIABILITY_MAX.spec_link * f),
  };
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}
