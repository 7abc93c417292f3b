import { z } from "zod";
import { convertHtml } from "../core/convert/index.js";
import { PURE_TRANSFORM, defineTool } from "./types.js";

/** Inputs at least this long take the distributed single-flight lock on a miss. */
const LOCK_ABOVE_CHARS = 1024 * 1024;

const WarningSchema = z.object({
  code: z.string().describe("Stable warning code, e.g. unknown_macro"),
  message: z.string(),
  subject: z.string().optional().describe("The macro or element concerned"),
  count: z.number().int().optional(),
});

export const htmlToMd = defineTool({
  name: "html_to_md",
  title: "Convert Confluence/HTML to Markdown",
  description:
    "Converts a Confluence page body (storage-format XHTML with ac:/ri: macros, view/export HTML, or plain HTML; detected automatically) " +
    "to GitHub-flavoured Markdown, keeping code blocks, tables, panels, status lozenges, task lists, links and mentions. " +
    "Use it before speclint_lint or rule_extract when you have HTML. Inputs up to 10 MB.",
  inputSchema: z.strictObject({
    html: z.string().describe("Confluence storage XHTML, Confluence view HTML, or plain HTML"),
    base_url: z.string().url().optional().describe("The wiki's base URL (e.g. https://acme.atlassian.net/wiki) to make page and attachment links absolute"),
  }),
  outputSchema: z.object({
    markdown: z.string(),
    warnings: z.array(WarningSchema).describe("What could not be converted exactly, e.g. unknown macros (their text is kept)"),
    stats: z.object({
      input_bytes: z.number().int(),
      output_bytes: z.number().int(),
      duration_ms: z.number(),
      chunks: z.number().int(),
      format: z.enum(["storage", "view", "html"]),
    }),
  }),
  annotations: PURE_TRANSFORM,
  timeoutMs: 20_000,
  cost: (input) => input.html.length * 8 + 256 * 1024,
  cache: {
    kind: "convert",
    key: (input) => ({ html: input.html, base_url: input.base_url ?? null }),
    // Converting a multi-megabyte page costs seconds: across replicas, convert it once.
    lock: (input) => input.html.length >= LOCK_ABOVE_CHARS,
  },
  handler: (input, ctx) => convertHtml(input.html, { baseUrl: input.base_url, signal: ctx.signal }),
  summarize: (out) =>
    out.markdown.length <= 64 * 1024
      ? out.markdown
      : `Converted ${out.stats.input_bytes} bytes of ${out.stats.format} HTML to ${out.stats.output_bytes} bytes of Markdown (${out.warnings.length} warnings); the Markdown is in structuredContent.markdown.`,
});
