import { z } from "zod";
import { fetchConfluence, MAX_LIMIT, type FetchRequest, type FetchTarget } from "../core/confluence/fetch.js";
import { confluenceService } from "../app/confluence-pages.js";
import { defineTool } from "../pipeline/tool.js";

/** Under the MCP client's usual 60 s request timeout, with room for the answer to travel. */
const TIMEOUT_MS = 45_000;

const PageId = z
  .union([z.string().regex(/^[0-9]{1,20}$/, "must be a numeric page id"), z.number().int().positive()])
  .transform(String);
const SELECTORS = ["page_id", "page_ids", "url", "title", "cql", "label"] as const;

const Input = z
  .strictObject({
    page_id: PageId.optional().describe('One page id, e.g. "1844969501"'),
    page_ids: z
      .array(PageId)
      .min(1)
      .max(MAX_LIMIT)
      .optional()
      .describe("Up to 100 page ids, fetched concurrently; the output keeps their order"),
    url: z
      .string()
      .min(1)
      .max(4096)
      .optional()
      .describe(
        "A page URL on the configured Confluence: /wiki/spaces/KEY/pages/ID/…, /pages/viewpage.action?pageId=ID, /display/KEY/Title, or a tiny link /x/CODE",
      ),
    space_key: z.string().min(1).max(255).optional().describe("Space key: required with title, optional with label"),
    title: z.string().min(1).max(255).optional().describe("Exact page title (with space_key)"),
    cql: z
      .string()
      .min(1)
      .max(4000)
      .optional()
      .describe('A CQL query, e.g. \'label = "specgate:status:approved" AND space = "PAY"\''),
    label: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .describe("A label, e.g. specgate:type:api-design (optionally with space_key)"),
    limit: z
      .number()
      .int()
      .min(1)
      .max(MAX_LIMIT)
      .optional()
      .describe("Results per call for cql/label (default 10, at most 100)"),
    cursor: z
      .string()
      .min(1)
      .max(8192)
      .optional()
      .describe("next_cursor from a previous call with the same cql/label, for the next results"),
    format: z
      .enum(["markdown", "storage", "both"])
      .default("markdown")
      .describe("markdown (default), storage (the XHTML), or both"),
    bypass_cache: z
      .boolean()
      .default(false)
      .describe("Read everything from Confluence, ignoring cached pages and searches"),
    version: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("With page_id: that version of the page (a historical version; kept in the cache for good)"),
    expand_includes: z
      .boolean()
      .default(true)
      .describe(
        "Write the content of include / excerpt-include macros into the Markdown (default true; up to 3 levels deep). false leaves a placeholder naming the page",
      ),
    include_comments: z
      .boolean()
      .default(false)
      .describe("Add the page's footer and inline comments (author display name, time, Markdown, resolved)"),
  })
  .superRefine((v, ctx) => {
    const given = SELECTORS.filter((k) => v[k] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: "custom",
        message: `give exactly one of page_id, page_ids, url, space_key + title, cql, label (got ${given.length ? given.join(", ") : "none"})`,
      });
    }
    if (v.title !== undefined && v.space_key === undefined)
      ctx.addIssue({ code: "custom", path: ["space_key"], message: "title needs space_key" });
    if (v.space_key !== undefined && v.title === undefined && v.label === undefined)
      ctx.addIssue({ code: "custom", path: ["space_key"], message: "space_key goes with title or label" });
    if (v.version !== undefined && v.page_id === undefined)
      ctx.addIssue({ code: "custom", path: ["version"], message: "version goes with page_id" });
    if (v.cursor !== undefined && v.cql === undefined && v.label === undefined)
      ctx.addIssue({ code: "custom", path: ["cursor"], message: "cursor pages through cql or label results" });
  });

const Document = z.object({
  id: z.string(),
  title: z.string(),
  space_key: z.string(),
  version: z.number().int(),
  labels: z.array(z.string()),
  url: z.string().describe("Absolute web URL of the page"),
  updated_at: z.string().describe("ISO 8601 time of this version"),
  version_created_at: z.string().describe("ISO 8601 time this version was saved"),
  version_author: z.string().optional().describe("Display name of the version's author"),
  ancestors: z
    .array(z.object({ id: z.string(), title: z.string() }))
    .optional()
    .describe("The pages above this one, root first"),
  markdown: z
    .string()
    .optional()
    .describe(
      "GitHub-flavoured Markdown starting with '# <title>'; included content sits between <!-- specgate:include {…} --> and <!-- /specgate:include --> comments",
    ),
  storage: z.string().optional().describe("The storage-format XHTML"),
  included_pages: z
    .array(
      z.object({
        id: z.string(),
        title: z.string(),
        url: z.string(),
        version: z.number().int(),
        macro: z.enum(["include", "excerpt-include"]),
        included_by: z.string().describe("Id of the page whose macro included it"),
      }),
    )
    .optional()
    .describe("Pages whose content (or excerpt) is in the Markdown"),
  warnings: z
    .array(z.object({ code: z.string(), message: z.string(), subject: z.string() }))
    .optional()
    .describe(
      "Includes left as placeholders: include_limit (over 50 included pages), include_missing, include_forbidden, include_cycle, include_too_deep, include_no_excerpt, include_failed",
    ),
  comments: z
    .array(
      z.object({
        id: z.string(),
        kind: z.enum(["footer", "inline"]),
        author: z.string().describe("Display name"),
        created: z.string(),
        markdown: z.string(),
        resolved: z.boolean(),
        anchor: z.string().optional().describe("Inline comments: the page text the comment is on"),
        parent_id: z.string().optional().describe("Replies: the comment answered"),
      }),
    )
    .optional()
    .describe("With include_comments"),
});

const Output = z.object({
  documents: z.array(Document),
  next_cursor: z.string().optional().describe("Pass back as cursor (with the same cql/label) for more results"),
  errors: z
    .array(z.object({ id: z.string(), code: z.string(), message: z.string() }))
    .describe("Pages that could not be fetched; the others are in documents"),
  stats: z.object({
    fetched: z.number().int(),
    from_cache: z.number().int(),
    duration_ms: z.number(),
    retries: z.number().int(),
    requests: z.number().int().describe("HTTP requests made to Confluence by this call"),
  }),
});

type Input = z.output<typeof Input>;

export const confluenceFetch = defineTool({
  name: "confluence_fetch",
  toolset: "confluence",
  title: "Fetch Confluence pages",
  description:
    "Fetches Confluence pages (Cloud or Data Center) as Markdown that starts with '# <title>', ready for speclint_lint and rule_extract. " +
    "Give exactly one of: page_id; page_ids (≤100, fetched concurrently); url (any page URL form or tiny link on the configured site); " +
    "space_key + title; cql; or label (+ space_key), e.g. label 'specgate:type:api-design'. cql/label return `limit` results (default 10) " +
    "and a next_cursor for more. `version` (with page_id) fetches a historical version. Include and excerpt-include macros are expanded (expand_includes: false keeps placeholders); include_comments adds footer and inline comments. Pages are cached and revalidated by version. In a batch, a failing page is reported in errors[] and the others are still returned (only a 401 fails the whole call).",
  inputSchema: Input,
  outputSchema: Output,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  timeoutMs: TIMEOUT_MS,
  resultHint: "Fetch fewer pages per call (`page_ids`, or a lower `limit`).",
  cost: (input) => {
    const pages =
      input.page_ids?.length ?? (input.cql !== undefined || input.label !== undefined ? (input.limit ?? 10) : 1);
    return 1024 * 1024 + Math.min(pages, 8) * 4 * 1024 * 1024 + pages * 256 * 1024;
  },
  handler: (input, ctx) =>
    fetchConfluence(toRequest(input), {
      client: confluenceService(ctx.services, ctx.config),
      cache: ctx.cache,
      signal: ctx.signal,
      deadlineAt: Date.now() + TIMEOUT_MS - 250,
      map: ctx.map,
      progress: ctx.progress,
    }),
  notices: (out) => [
    ...out.errors.map((e) => ({
      level: "warning" as const,
      message: `page ${e.id}: ${e.message}`,
      data: { code: e.code, id: e.id },
    })),
    ...out.documents.flatMap((d) =>
      (d.warnings ?? []).map((w) => ({
        level: "warning" as const,
        message: `page ${d.id}: ${w.message}`,
        data: { code: w.code, id: d.id, subject: w.subject },
      })),
    ),
  ],
  summarize: (out) => {
    const only = out.documents.length === 1 && out.errors.length === 0 ? out.documents[0] : undefined;
    if (only?.markdown !== undefined && only.markdown.length <= 64 * 1024) return only.markdown;
    const lines = out.documents.map((d) => `- ${d.id} v${d.version} ${d.title} (${d.space_key}) ${d.url}`);
    const errors = out.errors.map((e) => `- ${e.id}: ${e.code}: ${e.message}`);
    return [
      `Fetched ${out.stats.fetched} Confluence documents (${out.stats.from_cache} from cache); the content is in structuredContent.documents[].`,
      ...lines,
      ...(errors.length ? [`${errors.length} failed:`, ...errors] : []),
      ...(out.next_cursor ? [`More results: call again with cursor "${out.next_cursor}".`] : []),
    ].join("\n");
  },
});

function toRequest(input: Input): FetchRequest {
  let target: FetchTarget;
  if (input.page_id !== undefined) target = { kind: "page", id: input.page_id, version: input.version };
  else if (input.page_ids !== undefined) target = { kind: "pages", ids: input.page_ids };
  else if (input.url !== undefined) target = { kind: "url", url: input.url };
  else if (input.title !== undefined) target = { kind: "title", spaceKey: input.space_key!, title: input.title };
  else if (input.cql !== undefined) target = { kind: "cql", cql: input.cql };
  else target = { kind: "label", label: input.label!, spaceKey: input.space_key };
  return {
    target,
    limit: input.limit,
    cursor: input.cursor,
    format: input.format,
    bypassCache: input.bypass_cache,
    expandIncludes: input.expand_includes,
    includeComments: input.include_comments,
  };
}
