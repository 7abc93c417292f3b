import { z } from "zod";
import type { CachePolicy } from "../cache/policy.js";
import { COSTS } from "../pipeline/cost.js";
import { PURE_TRANSFORM, defineTool, offloaded } from "../pipeline/tool.js";

/** Whole conversions, keyed by the input and its options. Bump `version` when the Markdown changes. */
export const CONVERT_CACHE = {
  namespace: "convert",
  ttlSeconds: 1800,
  version: 1,
  lock: false,
} as const satisfies CachePolicy;

const RESULT_HINT = "Convert the page in parts.";

/** Inputs at least this long take the distributed single-flight lock on a miss. */
const LOCK_ABOVE_CHARS = 1024 * 1024;

const WarningSchema = z.object({
  code: z
    .string()
    .describe(
      "Stable warning code: unknown_macro, unknown_element, adf_fallback, diagram_not_converted, include_not_expanded, unresolved_link",
    ),
  message: z.string(),
  subject: z.string().optional().describe("The macro or element concerned"),
  count: z.number().int().optional().describe("How many times it occurred in the page"),
});

export const htmlToMd = defineTool({
  name: "html_to_md",
  toolset: "confluence",
  title: "Convert Confluence/HTML to Markdown",
  description:
    "Converts a Confluence page body (storage-format XHTML with ac:/ri: macros, view/export HTML, or plain HTML; detected automatically) " +
    "to GitHub-flavoured Markdown, keeping code blocks byte for byte, tables (spans expanded), info/note/tip/warning panels (as GitHub alerts), " +
    "status lozenges, Jira keys, task lists, links, images and mentions. Unknown macros keep their text and are listed in warnings. " +
    "Use it before speclint_lint or rule_extract when you have HTML. Inputs up to 10 MB.",
  inputSchema: z.strictObject({
    html: z.string().describe("Confluence storage XHTML, Confluence view HTML, or plain HTML"),
    base_url: z
      .string()
      .url()
      .optional()
      .describe(
        "The wiki's base URL (e.g. https://acme.atlassian.net/wiki) to make page and attachment links absolute",
      ),
    space_key: z
      .string()
      .min(1)
      .optional()
      .describe("Space key of the page: page links that name no space point there"),
    page_id: z
      .string()
      .min(1)
      .optional()
      .describe("Id of the page: its attachments and images link to their download URLs"),
    jira_base_url: z
      .string()
      .url()
      .optional()
      .describe("Jira server URL (e.g. https://acme.atlassian.net): Jira macros become links to /browse/KEY"),
  }),
  outputSchema: z.object({
    markdown: z.string(),
    warnings: z
      .array(WarningSchema)
      .describe("What could not be converted exactly, e.g. unknown macros (their text is kept)"),
    stats: z.object({
      input_bytes: z.number().int(),
      output_bytes: z.number().int(),
      duration_ms: z.number(),
      chunks: z.number().int().describe("Slices of input parsed between yields to the event loop"),
      format: z.enum(["storage", "view", "html"]),
    }),
  }),
  annotations: PURE_TRANSFORM,
  timeoutMs: 20_000,
  // Streaming: the input (2 bytes a character at worst), the output and its parts, nothing page-sized
  // besides. Measured (bench/cost.ts): RSS grows 12-19 bytes per character of a storage page.
  cost: (input) => input.html.length * COSTS.convert.perChar + 256 * 1024,
  cache: {
    policy: CONVERT_CACHE,
    // In key order: a key whose members are ordered is hashed without sorting them.
    key: (input) => ({
      base_url: input.base_url ?? null,
      html: input.html,
      jira_base_url: input.jira_base_url ?? null,
      page_id: input.page_id ?? null,
      space_key: input.space_key ?? null,
    }),
    // A multi-megabyte page costs a few hundred milliseconds of CPU: across replicas, convert it once.
    lock: (input) => input.html.length >= LOCK_ABOVE_CHARS,
  },
  resultHint: RESULT_HINT,
  handler: (input, ctx) => {
    const options = {
      baseUrl: input.base_url,
      spaceKey: input.space_key,
      pageId: input.page_id,
      jiraBaseUrl: input.jira_base_url,
    };
    return offloaded(
      ctx,
      "convert",
      { html: input.html, options },
      { size: input.html.length, hint: RESULT_HINT, signal: ctx.signal },
      // The converter is loaded on the first call, not with the server.
      () =>
        import("../core/convert/index.js").then(({ convertHtml }) =>
          convertHtml(input.html, { ...options, signal: ctx.signal }),
        ),
    );
  },
  notices: (out) =>
    out.warnings.map((w) => ({
      level: "warning",
      message: w.message,
      data: {
        code: w.code,
        ...(w.subject === undefined ? {} : { subject: w.subject }),
        ...(w.count === undefined ? {} : { count: w.count }),
      },
    })),
  summarize: (out) =>
    out.markdown.length <= 64 * 1024
      ? out.markdown
      : `Converted ${out.stats.input_bytes} bytes of ${out.stats.format} HTML to ${out.stats.output_bytes} bytes of Markdown (${out.warnings.length} warnings); the Markdown is in structuredContent.markdown.`,
});
