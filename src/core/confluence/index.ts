/** The Confluence domain: client, URL forms, CQL, and the fetch that confluence_fetch runs. */
export { ConfluenceClient, createConfluenceClient, type ConfluenceClientOptions } from "./client.js";
export {
  fetchConfluence,
  fetchPageAtVersion,
  SEARCH_CACHE,
  DEFAULT_LIMIT,
  MAX_LIMIT,
  type FetchDeps,
  type FetchRequest,
  type FetchResult,
  type FetchTarget,
  type FetchedDocument,
  type FetchError,
  type FetchFormat,
  type DocumentComment,
} from "./fetch.js";
export {
  expandIncludes,
  MAX_INCLUDE_DEPTH,
  type Expansion,
  type IncludedPage,
  type IncludePorts,
  type IncludeWarning,
} from "./includes.js";
export { resolveConfluenceSettings, type ConfluenceSettings, type ConfluenceAuth } from "./settings.js";
export { parsePageUrl, decodeTinyLink, encodeTinyLink, type PageLocator } from "./urls.js";
export { cqlString, labelCql, titleCql } from "./cql.js";
export { pageKey, latestKey, PAGE_CACHE, PAGE_VERSION_CACHE } from "./page-store.js";
export type { CachePolicyOf, ConfluenceCache, ConfluenceConfig, UpstreamMetrics } from "./ports.js";
export type { Flavour, PageComment, PageRecord, SearchHit } from "./types.js";
