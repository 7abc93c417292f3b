/**
 * confluence_fetch's work, free of MCP: resolve the target (ids, a URL, a title, CQL or a label)
 * to pages, load each through the cache (src/core/confluence/page-store.ts), convert to
 * Markdown, and shape the documents.
 *
 * Batches (page_ids, cql, label; up to 100) run with bounded concurrency, keep input order and
 * report each page's failure as its own error entry — except a 401, which means the credentials
 * are wrong for every page: the rest is abandoned and the call fails with E_AUTH. Single
 * targets (page_id, url, space_key + title) fail the call with the page's error.
 */
import { setMaxListeners } from "node:events";
import { mapSettled, type Settled } from "../settled-map.js";
import { SpecGateError, toSpecGateError, type ErrorCode } from "../../errors.js";
import type { ConfluenceClient } from "./client.js";
import { labelCql } from "./cql.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import type { CachePolicyOf, ConfluenceCache } from "./ports.js";
import { expandIncludes, type IncludedPage, type IncludePorts, type IncludeWarning } from "./includes.js";
import {
  convertedPage,
  convertStorage,
  loadPageById,
  loadPageVersion,
  loadSearchHit,
  markdownOf,
  PAGE_CACHE,
  PAGE_VERSION_CACHE,
  revalidateBatch,
  type Loaded,
  type MarkdownOptions,
  type PageStoreOptions,
} from "./page-store.js";
import type { CallTally, PageRecord, RequestOptions, SearchHit, SearchPage, SearchPosition } from "./types.js";

export type FetchTarget =
  | { kind: "page"; id: string; version?: number | undefined }
  | { kind: "pages"; ids: readonly string[] }
  | { kind: "url"; url: string }
  | { kind: "title"; spaceKey: string; title: string }
  | { kind: "cql"; cql: string }
  | { kind: "label"; label: string; spaceKey?: string | undefined };

export type FetchFormat = "markdown" | "storage" | "both";

export interface FetchRequest {
  target: FetchTarget;
  /** Search results per call (cql, label): default 10, at most 100. */
  limit?: number | undefined;
  cursor?: string | undefined;
  format?: FetchFormat | undefined;
  bypassCache?: boolean | undefined;
  /** Expand include and excerpt-include macros (default true). */
  expandIncludes?: boolean | undefined;
  /** Add each page's footer and inline comments (default false). */
  includeComments?: boolean | undefined;
}

export interface FetchedDocument {
  id: string;
  title: string;
  space_key: string;
  version: number;
  labels: string[];
  url: string;
  updated_at: string;
  /** ISO 8601 time this version was saved (the same instant as updated_at). */
  version_created_at: string;
  /** Display name of the version's author, when Confluence gave it. */
  version_author?: string;
  /** The pages above this one, root first, when Confluence gave them. */
  ancestors?: { id: string; title: string }[];
  markdown?: string;
  storage?: string;
  /** Pages whose content (or excerpt) include macros put into the Markdown. */
  included_pages?: IncludedPage[];
  /** What could not be included (missing, forbidden, cycles, too deep). */
  warnings?: IncludeWarning[];
  comments?: DocumentComment[];
}

export interface DocumentComment {
  id: string;
  kind: "footer" | "inline";
  author: string;
  created: string;
  markdown: string;
  resolved: boolean;
  anchor?: string;
  parent_id?: string;
}

export interface FetchError {
  id: string;
  code: ErrorCode;
  message: string;
}

export interface FetchResult {
  documents: FetchedDocument[];
  next_cursor?: string;
  errors: FetchError[];
  stats: { fetched: number; from_cache: number; duration_ms: number; retries: number; requests: number };
}

/** Bounded, ordered, per-item-settled map (the tool passes `ctx.map`, which also reports progress). */
export type SettledMap = <T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
  options?: { concurrency?: number },
) => Promise<Settled<R>[]>;

export interface FetchDeps {
  client: ConfluenceClient;
  cache: ConfluenceCache;
  signal: AbortSignal;
  /** Epoch ms of the call's deadline: no retry wait may end after it. */
  deadlineAt?: number | undefined;
  map?: SettledMap;
  progress?: (done: number, total?: number, message?: string) => void;
  /** Override of the client's freshness window (ms). */
  freshMs?: number;
}

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 100;
const MAX_SEARCH_REQUESTS = 20;

type Item = { id: string; hit?: SearchHit };

/** Fetches what `req` names. Throws a SpecGateError for single targets and call-wide failures. */
export async function fetchConfluence(req: FetchRequest, deps: FetchDeps): Promise<FetchResult> {
  const started = performance.now();
  const tally: CallTally = { requests: 0, retries: 0 };
  const stop = new AbortController();
  const signal = AbortSignal.any([deps.signal, stop.signal]);
  // Every request in flight listens to this one signal (up to a batch of 100, with retries).
  setMaxListeners(4 * MAX_LIMIT, signal);
  const request: RequestOptions = { signal, deadlineAt: deps.deadlineAt, tally };
  const { client, cache } = deps;
  const format = req.format ?? "markdown";
  const store: PageStoreOptions = {
    client,
    cache,
    bypass: req.bypassCache ?? false,
    freshMs: deps.freshMs ?? client.settings.freshMs,
    request,
    verified: new Set(),
  };
  const finish = (
    documents: FetchedDocument[],
    errors: FetchError[],
    fromCache: number,
    next?: string,
  ): FetchResult => ({
    documents,
    ...(next ? { next_cursor: next } : {}),
    errors,
    stats: {
      fetched: documents.length,
      from_cache: fromCache,
      duration_ms: Math.round(performance.now() - started),
      retries: tally.retries,
      requests: tally.requests,
    },
  });
  // On Cloud, Jira lives on the same site; a Data Center's Jira is elsewhere and unknown here.
  const jiraBaseUrl = client.flavour === "cloud" ? client.settings.baseUrl.origin : undefined;
  const md: MarkdownOptions = { cache, wikiBase: client.wikiBase, jiraBaseUrl, signal };
  const extras: DocumentExtras = {
    md,
    store,
    expandIncludes: req.expandIncludes ?? true,
    includeComments: req.includeComments ?? false,
  };
  const toDocument = (record: PageRecord) => shape(record, format, extras);
  const t = req.target;

  if (t.kind === "page" && t.version !== undefined) {
    const loaded = await loadPageVersion(t.id, t.version, store);
    return finish([await toDocument(loaded.record)], [], loaded.fromCache ? 1 : 0);
  }
  if (t.kind === "page" || t.kind === "url" || t.kind === "title") {
    const loaded = await loadSingle(t, store);
    return finish([await toDocument(loaded.record)], [], loaded.fromCache ? 1 : 0);
  }

  let items: Item[];
  let next: string | undefined;
  if (t.kind === "pages") {
    items = t.ids.map((id) => ({ id }));
    await revalidateBatch(t.ids, store);
  } else {
    const cql = t.kind === "cql" ? t.cql : labelCql(t.label, t.spaceKey);
    const limit = Math.min(MAX_LIMIT, Math.max(1, req.limit ?? DEFAULT_LIMIT));
    const page = await searchCached(cql, limit, req.cursor ? decodeCursor(req.cursor, cql) : undefined, store);
    items = page.hits.map((hit) => ({ id: hit.id, hit }));
    if (page.next) next = encodeCursor(cql, page.next);
  }
  deps.progress?.(0, items.length, `fetching ${items.length} pages`);

  const map = deps.map ?? defaultMap;
  let authFailure: SpecGateError | undefined;
  const settled = await map(
    items,
    async (item) => {
      try {
        const loaded = await loadItem(item, store);
        return { doc: await toDocument(loaded.record), fromCache: loaded.fromCache };
      } catch (error) {
        const e = toSpecGateError(error, signal);
        if (e.code === "E_AUTH" && !authFailure) {
          authFailure = e;
          stop.abort(e);
        }
        throw e;
      }
    },
    { concurrency: client.concurrency },
  );
  if (deps.signal.aborted) throw toSpecGateError(deps.signal.reason, deps.signal);
  if (authFailure) throw authFailure;

  const documents: FetchedDocument[] = [];
  const errors: FetchError[] = [];
  let fromCache = 0;
  settled.forEach((s, i) => {
    if (s.ok) {
      documents.push(s.value.doc);
      if (s.value.fromCache) fromCache++;
    } else errors.push({ id: items[i]!.id, code: s.error.code, message: s.error.message });
  });
  return finish(documents, errors, fromCache, next);
}

async function loadSingle(
  t: Extract<FetchTarget, { kind: "page" | "url" | "title" }>,
  store: PageStoreOptions,
): Promise<Loaded> {
  if (t.kind === "page") return loadPageById(t.id, "page", store);
  if (t.kind === "title") return loadByTitle(t.spaceKey, t.title, store);
  const locator = store.client.parseUrl(t.url);
  return locator.kind === "id"
    ? loadPageById(locator.id, locator.type ?? "page", store)
    : loadByTitle(locator.spaceKey, locator.title, store);
}

async function loadByTitle(spaceKey: string, title: string, store: PageStoreOptions): Promise<Loaded> {
  // "Not found" is thrown inside the lookup so it is never cached: a page created a moment ago is found.
  const hit = await cachedLookup(store, { title: [spaceKey, title] }, async (request) => {
    const found = await store.client.findByTitle(spaceKey, title, request);
    if (found) return found;
    throw new SpecGateError(
      "E_NOT_FOUND",
      `No page titled "${title}" in space ${spaceKey} (or the account cannot see it). Titles must match exactly.`,
    );
  });
  return loadSearchHit(hit, store);
}

function loadItem(item: Item, store: PageStoreOptions): Promise<Loaded> {
  if (!item.hit) return loadPageById(item.id, "page", store);
  if (item.hit.type !== "page" && item.hit.type !== "blogpost") {
    return Promise.reject(
      new SpecGateError(
        "E_INVALID_INPUT",
        `Content ${item.id} is a ${item.hit.type}; confluence_fetch reads pages and blog posts. Add "type = page" to the CQL.`,
      ),
    );
  }
  return loadSearchHit(item.hit, store);
}

/** Up to `limit` results from `from`, following the server's paging as needed; cached briefly. */
function searchCached(
  cql: string,
  limit: number,
  from: SearchPosition | undefined,
  store: PageStoreOptions,
): Promise<SearchPage> {
  return cachedLookup(store, { cql, limit, from: from ?? null }, async (request) => {
    const hits: SearchHit[] = [];
    let position = from;
    for (let i = 0; i < MAX_SEARCH_REQUESTS; i++) {
      const page = await store.client.search(cql, limit - hits.length, position, request);
      hits.push(...page.hits);
      position = page.next;
      if (!position || hits.length >= limit || page.hits.length === 0) break;
    }
    return { hits, ...(position ? { next: position } : {}) };
  });
}

/**
 * Search and title lookups. Each call gives the freshness window as the TTL; 60 s is the bound
 * for an entry written without one.
 */
export const SEARCH_CACHE = {
  namespace: "confluence_search",
  ttlSeconds: 60,
  version: 1,
  lock: false,
} as const satisfies CachePolicyOf;

/**
 * Search-like lookups are cached for the freshness window (so they never hold a version longer
 * than a page revalidation would), single-flight across identical concurrent calls.
 */
async function cachedLookup<T>(
  store: PageStoreOptions,
  material: Record<string, unknown>,
  run: (request: RequestOptions) => Promise<T>,
): Promise<T> {
  if (store.freshMs <= 0) return run(store.request);
  const { value } = await store.cache.getOrCompute(
    SEARCH_CACHE,
    { base: store.client.wikiBase, ...material },
    (signal) => run({ ...store.request, signal: AbortSignal.any([signal, store.request.signal]) }),
    { bypass: store.bypass, signal: store.request.signal, ttlMs: store.freshMs },
  );
  return value;
}

interface DocumentExtras {
  md: MarkdownOptions;
  store: PageStoreOptions;
  expandIncludes: boolean;
  includeComments: boolean;
}

async function shape(record: PageRecord, format: FetchFormat, x: DocumentExtras): Promise<FetchedDocument> {
  const doc: FetchedDocument = {
    id: record.id,
    title: record.title,
    space_key: record.spaceKey,
    version: record.version,
    labels: record.labels,
    url: record.url,
    updated_at: record.updatedAt,
    version_created_at: record.updatedAt,
    ...(record.versionAuthor ? { version_author: record.versionAuthor } : {}),
    ...(record.ancestors ? { ancestors: record.ancestors } : {}),
  };
  if (format !== "storage") {
    if (x.expandIncludes) {
      const expanded = await expandIncludes(record, includePorts(x));
      doc.markdown = expanded.markdown;
      if (expanded.included.length > 0) doc.included_pages = expanded.included;
      if (expanded.warnings.length > 0) doc.warnings = expanded.warnings;
    } else doc.markdown = await markdownOf(record, x.md);
  }
  if (format !== "markdown") doc.storage = record.storage;
  if (x.includeComments) doc.comments = await commentsOf(record, x);
  return doc;
}

/** Include targets through the same page store (cache, revalidation, single flight) as the pages asked for. */
function includePorts(x: DocumentExtras): IncludePorts {
  return {
    load: async (ref, from) => {
      if (ref.contentId) return (await loadPageById(ref.contentId, "page", x.store)).record;
      return (await loadByTitle(ref.spaceKey ?? from.spaceKey, ref.title ?? "", x.store)).record;
    },
    converted: (record) => convertedPage(record, x.md),
    convert: (record, storage, includes) => convertStorage(record, storage, x.md, includes),
    memo: async (record, fingerprint, render) => {
      // Readable, so `page:<id>:*` drops it with the page's other keys.
      const key = `page:${record.id}:v${record.version}:expanded:${fingerprint}`;
      const policy = record.historical ? PAGE_VERSION_CACHE : PAGE_CACHE;
      if (!x.store.bypass) {
        const hit = await x.md.cache.get<string>(policy, key);
        if (hit) return hit.value;
      }
      const markdown = await render();
      await x.md.cache.set(policy, key, markdown);
      return markdown;
    },
  };
}

/** The page's comments, read-only, as Markdown; cached for the freshness window like a search. */
async function commentsOf(record: PageRecord, x: DocumentExtras): Promise<DocumentComment[]> {
  const comments = await cachedLookup(x.store, { comments: record.id }, (request) =>
    x.store.client.getComments(record.id, request),
  );
  const out: DocumentComment[] = [];
  for (const c of comments) {
    const markdown = (await convertStorage(record, c.storage, x.md)).trim();
    out.push({
      id: c.id,
      kind: c.kind,
      author: c.author,
      created: c.created,
      markdown,
      resolved: c.resolved,
      ...(c.anchor !== undefined ? { anchor: c.anchor } : {}),
      ...(c.parentId !== undefined ? { parent_id: c.parentId } : {}),
    });
  }
  return out;
}

/**
 * One page, at version `version` (a historical version, cached for good) or the current one,
 * shaped as confluence_fetch returns it (Markdown with includes expanded unless told otherwise).
 * For callers that compare versions of a page (rule_diff); throws the page's SpecGateError.
 */
export async function fetchPageAtVersion(
  pageId: string,
  version: number | undefined,
  deps: FetchDeps,
  options: Pick<FetchRequest, "format" | "expandIncludes" | "includeComments" | "bypassCache"> = {},
): Promise<FetchedDocument> {
  const result = await fetchConfluence({ target: { kind: "page", id: pageId, version }, ...options }, deps);
  return result.documents[0]!;
}

const defaultMap: SettledMap = (items, fn, options) =>
  mapSettled(items, fn, { concurrency: options?.concurrency ?? 8 });
