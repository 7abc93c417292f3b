/** The Confluence domain: client, URL forms, CQL, and the fetch that confluence_fetch runs. */
export { ConfluenceClient, createConfluenceClient, type ConfluenceClientOptions } from "./client.js";
export { fetchConfluence, DEFAULT_LIMIT, MAX_LIMIT, type FetchDeps, type FetchRequest, type FetchResult, type FetchTarget, type FetchedDocument, type FetchError, type FetchFormat } from "./fetch.js";
export { resolveConfluenceSettings, type ConfluenceSettings, type ConfluenceAuth } from "./settings.js";
export { parsePageUrl, decodeTinyLink, encodeTinyLink, type PageLocator } from "./urls.js";
export { cqlString, labelCql, titleCql } from "./cql.js";
export { pageKey, latestKey } from "./page-store.js";
export type { Flavour, PageRecord, SearchHit } from "./types.js";
