import { z } from "zod";
import { assertItemSize } from "../errors.js";
import type { ContentFormat, DocumentOutcome } from "../core/extract/index.js";
import { looksLikeHtml } from "../core/extract/looks-like-html.js";
import { EXTRACT_RESULT_HINT, extractRules } from "../app/extract-documents.js";
import { ExtractResultSchema } from "../core/extract/schema.js";
import { COSTS, documentCost } from "../pipeline/cost.js";
import { PURE_TRANSFORM, defineTool } from "../pipeline/tool.js";

const MAX_DOCUMENTS = 100;
/** Documents extracted at once in a batch (ctx.map's own limit). */
const BATCH_CONCURRENCY = 8;

const SourceSchema = z.strictObject({
  id: z
    .string()
    .max(500)
    .optional()
    .describe("Document id (e.g. Confluence page id or file path); rules carry it as source.document"),
  title: z.string().max(1000).optional(),
  url: z.string().max(2000).optional(),
});
const FormatSchema = z
  .enum(["auto", "markdown", "html"])
  .describe("auto (default): HTML/Confluence storage XHTML is detected and converted to Markdown first");

export const ruleExtract = defineTool({
  name: "rule_extract",
  toolset: "rules",
  title: "Extract design rules (DesignRuleSpec)",
  description:
    "Extracts every rule a design document states as DesignRuleSpec JSON: standardized `**RULE-AREA-NNN** (MUST|SHOULD|MUST NOT|MAY|SHOULD NOT): …` " +
    "statements with their 적용 범위/근거/참조 (Scope/Rationale/Reference) details (plus 위반 패턴/Violation pattern written as `code`: structural " +
    "ast-grep patterns such as `console.log($$$ARGS)` go to validation_conditions.structural_patterns, regexes to code_patterns; one that parses neither " +
    "as code of the rule's language nor as a regex is set apart as invalid_patterns with a pattern_invalid warning), dependency rules stated in prose " +
    '("controllers must not depend on repositories", "서비스 계층은 컨트롤러 계층에 의존해서는 안 된다") as validation_conditions.dependency_rules, and free-text sentences with RFC 2119 keywords (MUST, SHOULD, MAY …, ' +
    'upper case; `keywords: "any-case"` also reads lower-case must/shall/should, with lower reliability) or Korean modal endings (…해야 한다, …해서는 안 된다, …권장한다, …할 수 있다), which get generated ids RULE-GEN-xxxxxxxx and lower reliability. ' +
    "Code blocks, quotes, HTML comments and wrong-example sections are never read. Each rule has a reliability score (0-100 rubric) with its breakdown, " +
    "scope patterns (file globs, packages, annotations) and drift weights for gate_score. Also reports duplicates and conflicts (MUST vs MUST NOT on the " +
    "same subject, different numbers for the same thing) with both rules' lines. Give `content` (Markdown, or HTML which is converted) or `documents` (up to 100).",
  inputSchema: z
    .strictObject({
      content: z.string().optional().describe("One document: Markdown, or Confluence storage XHTML / HTML"),
      documents: z
        .array(
          z.strictObject({
            content: z.string(),
            id: z.string().max(500).optional(),
            title: z.string().max(1000).optional(),
            url: z.string().max(2000).optional(),
            format: FormatSchema.optional(),
          }),
        )
        .min(1)
        .max(MAX_DOCUMENTS)
        .optional()
        .describe(
          `Several documents (at most ${MAX_DOCUMENTS}), extracted concurrently; duplicates and conflicts are looked for across all of them`,
        ),
      source: SourceSchema.optional().describe("Where `content` comes from; rules carry it in `source`"),
      format: FormatSchema.optional(),
      min_reliability: z
        .number()
        .min(0)
        .max(100)
        .optional()
        .describe("Leave out rules scoring below this (0-100); 90 keeps what a gate counts in full"),
      keywords: z
        .enum(["upper-case", "any-case"])
        .optional()
        .describe(
          "upper-case (default): English RFC 2119 keywords count in upper case only (RFC 8174). any-case: also lower-case must/shall/should, for design documents that do not follow RFC 2119 (KEPs, RFCs); those rules get lower reliability",
        ),
    })
    .refine((v) => (v.content === undefined) !== (v.documents === undefined), {
      message: "give exactly one of `content` or `documents`",
    })
    .refine((v) => v.source === undefined || v.content !== undefined, {
      message: "`source` goes with `content`; give each of `documents` its own id/title/url",
    }),
  outputSchema: ExtractResultSchema,
  annotations: PURE_TRANSFORM,
  batchField: "documents",
  resultHint: EXTRACT_RESULT_HINT,
  cost: (input) => {
    const docs = input.documents ?? [{ content: input.content ?? "", format: input.format }];
    // By characters, lines and rules (bench/cost.ts); HTML is converted first, which adds its own.
    const sizes = docs
      .map(
        (d) =>
          documentCost(d.content, COSTS.extract) +
          (isHtml(d.content, d.format ?? input.format) ? d.content.length * COSTS.convert.perChar : 0),
      )
      .sort((a, b) => b - a);
    return sizes.slice(0, BATCH_CONCURRENCY).reduce((a, b) => a + b, 0) + 256 * 1024;
  },
  handler: async (input, ctx) => {
    const started = performance.now();
    const min = input.min_reliability;
    const keywords = input.keywords;
    if (input.content !== undefined)
      return extractRules(ctx, input.content, {
        source: input.source,
        format: input.format,
        minReliability: min,
        keywords,
      });
    const docs = input.documents!;
    const settled = await ctx.map(
      docs,
      async (d, i) => {
        assertItemSize(d.content, ctx.config.limits.maxDocumentBytes, `documents[${i}].content`);
        return extractRules(ctx, d.content, {
          source: { id: d.id, title: d.title, url: d.url },
          format: d.format ?? input.format,
          minReliability: min,
          defaultDocument: `documents[${i}]`,
          keywords,
        });
      },
      { concurrency: BATCH_CONCURRENCY },
    );
    const { combineResults, resultDocumentName } = await import("../core/extract/index.js");
    const outcomes: DocumentOutcome[] = settled.map((s, i) => {
      const fallback = docs[i]!.id ?? docs[i]!.title ?? `documents[${i}]`;
      return s.ok
        ? { ok: true, name: resultDocumentName(s.value, fallback), result: s.value }
        : { ok: false, name: fallback, error: { code: s.error.code, message: s.error.message } };
    });
    return combineResults(outcomes, performance.now() - started);
  },
  notices: (out) => [
    ...(out.documents ?? [])
      .filter((d) => !d.ok)
      .map((d) => ({
        level: "error" as const,
        message: `${d.document}: ${d.error?.message ?? "not extracted"}`,
        data: { code: d.error?.code, document: d.document },
      })),
    ...out.warnings.map((w) => ({
      level: "warning" as const,
      message: w.message,
      data: {
        code: w.code,
        ...(w.line === undefined ? {} : { line: w.line }),
        ...(w.document === undefined ? {} : { document: w.document }),
      },
    })),
  ],
  summarize: (out) => {
    const s = out.stats;
    const head = `${s.rules} rules (${s.standardized} standardized, ${s.keyword} keyword) from ${s.documents} document${s.documents === 1 ? "" : "s"}; ${s.duplicates} duplicates, ${s.conflicts} conflicts.`;
    const failed = out.documents?.filter((d) => !d.ok) ?? [];
    const lines = out.rules
      .slice(0, 50)
      .map((r) => `- ${r.rule_id} (${r.priority}, ${r.area}, reliability ${r.reliability.total_score}): ${r.title}`);
    if (out.rules.length > 50) lines.push(`- … ${out.rules.length - 50} more in structuredContent.rules`);
    for (const d of failed) lines.push(`! ${d.document}: ${d.error?.code}: ${d.error?.message}`);
    for (const c of out.conflicts.slice(0, 10)) lines.push(`! conflict: ${c.message}`);
    return [head, ...lines].join("\n");
  },
});

function isHtml(content: string, format: ContentFormat | undefined): boolean {
  return format === "html" || ((format ?? "auto") === "auto" && looksLikeHtml(content));
}
