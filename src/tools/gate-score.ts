import { COSTS, documentCost } from "../pipeline/cost.js";
import { z } from "zod";
import { CHECK_TYPES } from "../core/lint/rules/rule.js";
import { PRIORITIES } from "../core/spec/design-rule-spec.js";
import { estimateInputBytes } from "../pipeline/input.js";
import { cachedLinter } from "../app/lint-documents.js";
import type { CachePolicy } from "../cache/policy.js";
import { PURE_TRANSFORM, defineTool } from "../pipeline/tool.js";

/**
 * Reserved for gate results. gate_score caches no whole call (see `cost` below) and the
 * documents it lints go through speclint_lint's per-document cache (`lint`); `gate` stays a
 * namespace cache_invalidate accepts.
 */
export const GATE_CACHE = {
  namespace: "gate",
  ttlSeconds: 1800,
  version: 1,
  lock: false,
} as const satisfies CachePolicy;

const Decision = z.enum(["PASS", "WARNING", "FAIL"]);
const Level = z.enum(["error", "warning", "note", "none"]);
const Priority = z.enum(PRIORITIES);
const Json = z.record(z.string(), z.unknown());
const Weights = z.object({ violation_points: z.number(), rule_weight: z.number(), area_weight: z.number() });
const Thresholds = z.object({ fail: z.number(), warn: z.number() });

const Violation = z.object({
  rule_id: z.string(),
  priority: Priority,
  area: z.string(),
  title: z.string(),
  file: z.string().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  message: z.string(),
  level: Level,
  points: z.number().describe("violation_points × rule_weight × area_weight"),
  weights: Weights,
  overrides: z
    .array(z.enum(["violation_points", "rule_weight", "area_weight"]))
    .describe("Weights taken from the rule's ci_info.drift_calculation"),
  fix: z.string().describe("How to fix it, from the rule"),
  code_example: z.string().optional(),
  fingerprint: z.string().describe("Stable across runs (rule, file, message); usable in `baseline`"),
  url: z.string().optional(),
  source: z.string(),
  tool: z.string().optional(),
  producer_rule_id: z.string().optional(),
});
const LintResultInput = z
  .looseObject({
    score: z.number().min(0).max(100),
    grade: z.enum(["high", "medium", "low"]).optional(),
    violations: z.array(z.unknown()).optional(),
  })
  .describe("A speclint_lint result (its structuredContent)");
const LintDocumentInput = z
  .strictObject({
    content: z.string().describe("The design document: Markdown, or Confluence storage XHTML / HTML"),
    ruleset: z
      .string()
      .min(1)
      .max(500)
      .optional()
      .describe("specgate, specgate-en or a YAML ruleset under the workspace; default by the document's language"),
    check_type: z.enum(CHECK_TYPES).optional().describe("Default full"),
    format: z.enum(["auto", "markdown", "html"]).optional().describe("Default auto (detects HTML)"),
    id: z.string().max(500).optional().describe("The document's name, echoed in quality_gate.document"),
  })
  .describe("A design document to lint first, as speclint_lint does");
const Located = {
  file: z.string().optional(),
  line: z.number().int().optional(),
  message: z.string(),
  source: z.string(),
  tool: z.string().optional(),
};

export const gateScore = defineTool({
  name: "gate_score",
  toolset: "gate",
  title: "Score the CI gate (Drift Score)",
  description:
    "Scores how far code drifts from its design rules: maps findings (a SARIF 2.1.0 log from Semgrep, CodeQL or any tool, or a list " +
    "[{rule_id, file, line, message}]) to DesignRuleSpec rules and returns the Drift Score 0-100 (Σ points[MUST 10, SHOULD 5, MUST NOT 15] × " +
    "rule weight by reliability × area weight, capped at 100), PASS/WARNING/FAIL (FAIL ≥ 50, WARNING ≥ 30, configurable), per-area scores, " +
    "each violation with its fix, and the Drift Radar PR comment in Markdown. Give `lint` (a speclint_lint result, or {content} to lint the " +
    "design document here) to fold the document-quality grade into the decision (medium → WARNING, low → FAIL); `baseline` (a previous SARIF, gate result or fingerprint list) to count only new findings.",
  inputSchema: z.strictObject({
    rules: z
      .array(
        z.looseObject({
          rule_id: z.string().describe("RULE-AREA-NNN"),
          priority: z.string().describe("MUST, SHOULD, MUST NOT, MAY or SHOULD NOT"),
        }),
      )
      .min(1)
      .describe("DesignRuleSpec rules (rule_extract output); only rule_id and priority are required"),
    findings: z
      .union([Json, z.array(Json)])
      .optional()
      .describe("A SARIF 2.1.0 log, or a list of {rule_id, file?, line?, message?, level?}"),
    sarif: z
      .union([Json, z.array(Json)])
      .optional()
      .describe("One SARIF 2.1.0 log or several (e.g. Semgrep and CodeQL); scored together with `findings`"),
    lint: z
      .union([LintResultInput, LintDocumentInput])
      .optional()
      .describe(
        "The document-quality gate: a speclint_lint result, or {content, ruleset?, check_type?} to lint the document here. Grade medium → WARNING, low → FAIL",
      ),
    thresholds: z
      .strictObject({ fail: z.number().min(0).max(100).optional(), warn: z.number().min(0).max(100).optional() })
      .optional()
      .describe("Default {fail: 50, warn: 30}"),
    baseline: z
      .union([Json, z.array(z.unknown())])
      .optional()
      .describe(
        "Findings that already existed (SARIF log, findings list, previous gate_score result, or fingerprint strings): matches do not count",
      ),
    repository: z.string().optional().describe("owner/name, for links to the code"),
    commit: z.string().optional().describe("Commit SHA the findings are about, for links"),
    server_url: z
      .string()
      .url()
      .optional()
      .describe("GitHub web URL (default https://github.com; GitHub Enterprise: its URL)"),
    lang: z.enum(["auto", "en", "ko"]).optional().describe("Drift Radar language; auto follows the rules' language"),
    max_listed: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .optional()
      .describe("Entries listed per list (default 1000); all findings are scored"),
  }),
  outputSchema: z.object({
    drift_score: z.number(),
    decision: Decision.describe("Overall: the worse of the drift gate and the document-quality gate"),
    drift_decision: Decision,
    raw_score: z.number().describe("The sum before the cap at 100"),
    quality_gate: z
      .object({
        score: z.number(),
        grade: z.enum(["high", "medium", "low"]),
        decision: Decision,
        violations: z.number().int(),
        document: z.string().optional(),
        top: z
          .array(
            z.object({ code: z.string(), line: z.number().int(), message: z.string(), rule_id: z.string().optional() }),
          )
          .optional()
          .describe("The costliest document problems (at most 5)"),
      })
      .optional()
      .describe("The document-quality gate, when `lint` was given"),
    after_fix: z.object({
      drift_score: z.number(),
      decision: Decision,
      fixed: z.number().int(),
      priorities: z.array(Priority),
    }),
    thresholds: Thresholds,
    areas: z.array(
      z.object({
        area: z.string(),
        score: z.number(),
        area_weight: z.number(),
        count: z.number().int(),
        rules: z.number().int(),
        top: z.array(z.object({ rule_id: z.string(), count: z.number().int(), points: z.number() })),
      }),
    ),
    violations: z.array(Violation).describe("Most points first; at most max_listed"),
    suppressed: z.array(
      z.object({
        rule_id: z.string().optional(),
        producer_rule_id: z.string(),
        reason: z.enum(["suppressed", "baseline_unchanged", "baseline_absent", "baseline"]),
        ...Located,
      }),
    ),
    unmapped: z.array(z.object({ producer_rule_id: z.string(), reason: z.string(), ...Located })),
    formula: z.object({
      expression: z.string(),
      violation_points: z.record(z.string(), z.number()),
      rule_weight_bands: z.array(z.object({ min_reliability: z.number(), rule_weight: z.number() })),
      area_weights: z.record(z.string(), z.number()),
      other_area_weight: z.number(),
      cap: z.number(),
      rounding: z.string(),
      thresholds: Thresholds,
      rules_with_overrides: z.number().int(),
    }),
    stats: z.object({
      findings: z.number().int(),
      violations: z.number().int(),
      suppressed: z.number().int(),
      unmapped: z.number().int(),
      not_failures: z.number().int(),
      listed: z.object({ violations: z.number().int(), suppressed: z.number().int(), unmapped: z.number().int() }),
      rules: z.number().int(),
      unmapped_rules: z.array(z.object({ producer_rule_id: z.string(), count: z.number().int(), reason: z.string() })),
      sources: z.array(z.object({ source: z.string(), tool: z.string().optional(), results: z.number().int() })),
    }),
    warnings: z.array(z.string()),
    radar_markdown: z
      .string()
      .describe("The Drift Radar PR comment (≤ 65,000 characters, starts with <!-- specgate:drift-radar -->)"),
  }),
  annotations: PURE_TRANSFORM,
  timeoutMs: 20_000,
  // A document in `lint` is linted here: about 24 bytes per character at the peak (speclint_lint).
  resultHint: "Score fewer findings per call.",
  cost: (input) =>
    estimateInputBytes(input) * 4 +
    64 * 1024 +
    (typeof input.lint?.content === "string" ? documentCost(input.lint.content, COSTS.lint) + 512 * 1024 : 0),
  // No whole-call cache: hashing the findings costs about as much as scoring them (docs/gate.md).
  // A document to lint goes through speclint_lint's per-document cache.
  // The scorer is loaded on the first call, not with the server.
  handler: async (input, ctx) =>
    (await import("../core/gate/index.js")).scoreGate(input, {
      signal: ctx.signal,
      lintDocument: async (doc) =>
        (await cachedLinter(ctx, doc.ruleset, doc.check_type ?? "full", doc.format ?? "auto"))(doc.content),
    }),
  notices: (out) => out.warnings.map((message) => ({ level: "warning", message })),
  summarize: (out) => {
    const q = out.quality_gate
      ? `; document quality ${out.quality_gate.score}/100 (${out.quality_gate.grade}) → ${out.quality_gate.decision}`
      : "";
    return `${out.decision}: Drift Score ${out.drift_score.toFixed(1)}/100 (FAIL ≥ ${out.thresholds.fail}, WARNING ≥ ${out.thresholds.warn}), ${out.stats.violations} violations, ${out.stats.suppressed} suppressed, ${out.stats.unmapped} unmapped${q}.\n\n${out.radar_markdown}`;
  },
});
