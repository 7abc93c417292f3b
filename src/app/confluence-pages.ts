/**
 * Confluence pages for any tool or command: the runtime's client (or the E_CONFIG error saying
 * what to set), and one page at an optional version, shaped as confluence_fetch returns it.
 * rule_diff compares two versions of a page through {@link fetchPageVersion}.
 */
import type { Config } from "../config.js";
import type { ConfluenceClient } from "../core/confluence/client.js";
import { fetchPageAtVersion, type FetchedDocument, type FetchRequest } from "../core/confluence/fetch.js";
import { resolveConfluenceSettings } from "../core/confluence/settings.js";
import { SpecGateError } from "../errors.js";
import type { ToolContext, ToolServices } from "../pipeline/tool.js";

/** The runtime's Confluence client, or the E_CONFIG error saying what to set. */
export function confluenceService(services: ToolServices, config: Config): ConfluenceClient {
  const client = services.confluence;
  if (client) return client;
  resolveConfluenceSettings(config); // throws E_CONFIG naming the missing variables
  throw new SpecGateError(
    "E_CONFIG",
    "Confluence is configured, but this server was started without its client; start it with `specgate serve` (or bootstrap()).",
  );
}

/**
 * Page `pageId` at `version` (a saved version, cached for good), or its current version when
 * `version` is undefined: Markdown with include macros expanded (unless `expandIncludes: false`),
 * `version_author`, `version_created_at`, `ancestors`. Throws the page's SpecGateError
 * (E_NOT_FOUND for a version the page never had).
 */
export async function fetchPageVersion(
  ctx: Pick<ToolContext, "services" | "config" | "cache" | "signal">,
  pageId: string,
  version?: number,
  options: Pick<FetchRequest, "format" | "expandIncludes" | "includeComments" | "bypassCache"> & {
    deadlineAt?: number;
  } = {},
): Promise<FetchedDocument> {
  const { deadlineAt, ...request } = options;
  return fetchPageAtVersion(
    pageId,
    version,
    { client: confluenceService(ctx.services, ctx.config), cache: ctx.cache, signal: ctx.signal, deadlineAt },
    request,
  );
}
