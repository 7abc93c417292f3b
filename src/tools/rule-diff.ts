import { z } from "zod";
import { diffRuleSets, type RuleSetRef } from "../app/rule-diff.js";
import { MAX_DIFF_RULES, SIMILARITY_THRESHOLD } from "../core/diff/index.js";
import { looksLikeHtml } from "../core/extract/looks-like-html.js";
import { DesignRuleSpecSchema, LenientRuleSchema } from "../core/spec/design-rule-spec.js";
import { COSTS, documentCost } from "../pipeline/cost.js";
import { defineTool } from "../pipeline/tool.js";

/** Two pages may be fetched: confluence_fetch's deadline. */
const TIMEOUT_MS = 45_000;

const KINDS = ["rules", "content", "page_id"] as const;
const Side = z
  .strictObject({
    rules: z
      .array(LenientRuleSchema)
      .optional()
      .describe("DesignRuleSpec rules (rule_extract's output, or hand-written: rule_id and priority required)"),
    content: z.string().optional().describe("A design document (Markdown, or Confluence storage XHTML / HTML)"),
    format: z.enum(["auto", "markdown", "html"]).optional().describe("With `content`: auto (default) detects HTML"),
    page_id: z
      .union([z.string().regex(/^[0-9]{1,20}$/, "must be a numeric page id"), z.number().int().positive()])
      .transform(String)
      .optional()
      .describe("A Confluence page id, fetched as confluence_fetch does"),
    version: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("With `page_id`: the page version; default the current one"),
    label: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe("With `rules` or `content`: how this side is named in the Markdown (a page is `page ID vN`)"),
  })
  .superRefine((v, ctx) => {
    const given = KINDS.filter((k) => v[k] !== undefined);
    if (given.length !== 1)
      ctx.addIssue({
        code: "custom",
        message: `give exactly one of rules, content, page_id (got ${given.length ? given.join(", ") : "none"})`,
      });
    if (v.format !== undefined && v.content === undefined)
      ctx.addIssue({ code: "custom", path: ["format"], message: "format goes with content" });
    if (v.version !== undefined && v.page_id === undefined)
      ctx.addIssue({ code: "custom", path: ["version"], message: "version goes with page_id" });
    if (v.label !== undefined && v.page_id !== undefined)
      ctx.addIssue({ code: "custom", path: ["label"], message: "a page is named by its id and version" });
  })
  .describe("One version: `{rules}`, `{content}` or `{page_id, version?}`");

const Info = z.object({
  label: z.string(),
  rules: z.number().int().describe("Rules on this side"),
  page_id: z.string().optional(),
  version: z.number().int().optional().describe("The page version read"),
  title: z.string().optional(),
});

const Changed = z.object({
  rule_id: z.string().describe("The id in the newer version"),
  from_rule_id: z.string().optional().describe("The id in the older version, when it differs"),
  matched_by: z
    .enum(["id", "similarity"])
    .describe("similarity: a keyword rule reworded, matched by its statement's wording"),
  similarity: z.number().optional().describe("Token Jaccard index of the two statements (0-1)"),
  title: z.string(),
  fields: z
    .record(z.string(), z.object({ from: z.unknown(), to: z.unknown() }))
    .describe("Each changed field by DesignRuleSpec path: priority, description, scope.file_patterns, …"),
});

type Input = z.output<typeof Input>;
const Input = z.strictObject({ from: Side.describe("The older version"), to: Side.describe("The newer version") });

function sideCost(side: Input["from"]): number {
  if (side.page_id !== undefined) return 4 * 1024 * 1024;
  if (side.content !== undefined)
    return (
      documentCost(side.content, COSTS.extract) +
      (side.format === "html" || (side.format !== "markdown" && looksLikeHtml(side.content))
        ? side.content.length * COSTS.convert.perChar
        : 0)
    );
  return JSON.stringify(side.rules ?? []).length * 12;
}

/** The side as the use case takes it (the schema has made sure exactly one kind is given). */
function toRef(side: Input["from"]): RuleSetRef {
  if (side.page_id !== undefined) return { page_id: side.page_id, version: side.version };
  if (side.content !== undefined) return { content: side.content, format: side.format, label: side.label };
  return { rules: side.rules ?? [], label: side.label };
}

export const ruleDiff = defineTool({
  name: "rule_diff",
  title: "Rule changes between two versions of a design document",
  description:
    "Compares the rules of two versions of a design document: `from` (older) and `to` (newer), each `{rules}` (DesignRuleSpec), " +
    "`{content}` (a document, extracted as rule_extract does) or `{page_id, version?}` (a Confluence page, fetched as confluence_fetch does). " +
    "Returns added[] and removed[] rules, changed[] with each changed field as {from, to} (priority, description, scope, rationale, references, " +
    "validation_conditions such as code patterns and dependency rules), the unchanged count, `regenerate` (the added and changed rule ids, " +
    "for spec_generate's only_rules) and `markdown`, a summary for a pull request or a page comment. Rules are matched by rule id; keyword rules " +
    `(generated ids RULE-GEN-…, which change when their sentence changes) are also matched by wording: a token Jaccard index of at least ${SIMILARITY_THRESHOLD} ` +
    `(Korean compared by character pairs). At most ${MAX_DIFF_RULES} rules a side.`,
  inputSchema: Input,
  outputSchema: z.object({
    from: Info,
    to: Info,
    added: z.array(DesignRuleSpecSchema).describe("Rules only in `to`"),
    removed: z.array(DesignRuleSpecSchema).describe("Rules only in `from`"),
    changed: z.array(Changed),
    unchanged: z.number().int().describe("Rules matched with no field changed"),
    regenerate: z.array(z.string()).describe("Ids of the added and changed rules: pass as spec_generate's only_rules"),
    stats: z.object({
      from: z.number().int(),
      to: z.number().int(),
      matched_by_id: z.number().int(),
      matched_by_similarity: z.number().int(),
    }),
    markdown: z.string().describe("The changes as Markdown, for a pull request or a page comment"),
  }),
  // Reads Confluence when a side is a page; changes nothing.
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  toolset: "rules",
  timeoutMs: TIMEOUT_MS,
  resultHint: "Diff one document (or area) at a time.",
  cost: (input) => sideCost(input.from) + sideCost(input.to) + 256 * 1024,
  handler: (input, ctx) =>
    diffRuleSets(ctx, toRef(input.from), toRef(input.to), { deadlineAt: Date.now() + TIMEOUT_MS - 250 }),
  summarize: (out) => out.markdown,
});
