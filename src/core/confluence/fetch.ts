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
import pLimit from "p-limit";
import type { Cache } from "../../cache/types.js";
import { SpecGateError, toSpecGateError, type ErrorCode } from "../../errors.js";
import type { ConfluenceClient } from "./client.js";
import { labelCql } from "./cql.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { loadPageById, loadSearchHit, markdownOf, revalidateBatch, type Loaded, type PageStoreOptions } from "./page-store.js";
import type { CallTally, PageRecord, RequestOptions, SearchHit, SearchPage, SearchPosition } from "./types.js";

export type FetchTarget =
  | { kind: "page"; id: string }
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
}

export interface FetchedDocument {
  id: string;
  title: string;
  space_key: string;
  version: number;
  labels: string[];
  url: string;
  updated_at: string;
  markdown?: string;
  storage?: string;
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

type Settled<R> = { ok: true; value: R } | { ok: false; error: SpecGateError };
/** Bounded, ordered, per-item-settled map (the tool passes `ctx.map`, which also reports progress). */
export type SettledMap = <T, R>(items: readonly T[], fn: (item: T, index: number) => Promise<R>, options?: { concurrency?: number }) => Promise<Settled<R>[]>;

export interface FetchDeps {
  client: ConfluenceClient;
  cache: Cache;
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
  const store: PageStoreOptions = { client, cache, bypass: req.bypassCache ?? false, freshMs: deps.freshMs ?? client.settings.freshMs, request, verified: new Set() };
  const finish = (documents: FetchedDocument[], errors: FetchError[], fromCache: number, next?: string): FetchResult => ({
    documents,
    ...(next ? { next_cursor: next } : {}),
    errors,
    stats: { fetched: documents.length, from_cache: fromCache, duration_ms: Math.round(performance.now() - started), retries: tally.retries, requests: tally.requests },
  });
  // On Cloud, Jira lives on the same site; a Data Center's Jira is elsewhere and unknown here.
  const jiraBaseUrl = client.flavour === "cloud" ? client.settings.baseUrl.origin : undefined;
  const toDocument = (record: PageRecord) => shape(record, format, { cache, wikiBase: client.wikiBase, jiraBaseUrl, signal });
  const t = req.target;

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

async function loadSingle(t: Extract<FetchTarget, { kind: "page" | "url" | "title" }>, store: PageStoreOptions): Promise<Loaded> {
  if (t.kind === "page") return loadPageById(t.id, "page", store);
  if (t.kind === "title") return loadByTitle(t.spaceKey, t.title, store);
  const locator = store.client.parseUrl(t.url);
  return locator.kind === "id" ? loadPageById(locator.id, locator.type ?? "page", store) : loadByTitle(locator.spaceKey, locator.title, store);
}

async function loadByTitle(spaceKey: string, title: string, store: PageStoreOptions): Promise<Loaded> {
  // "Not found" is thrown inside the lookup so it is never cached: a page created a moment ago is found.
  const hit = await cachedLookup(store, { title: [spaceKey, title] }, async (request) => {
    const found = await store.client.findByTitle(spaceKey, title, request);
    if (found) return found;
    throw new SpecGateError("E_NOT_FOUND", `No page titled "${title}" in space ${spaceKey} (or the account cannot see it). Titles must match exactly.`);
  });
  return loadSearchHit(hit, store);
}

function loadItem(item: Item, store: PageStoreOptions): Promise<Loaded> {
  if (!item.hit) return loadPageById(item.id, "page", store);
  if (item.hit.type !== "page" && item.hit.type !== "blogpost") {
    return Promise.reject(new SpecGateError("E_INVALID_INPUT", `Content ${item.id} is a ${item.hit.type}; confluence_fetch reads pages and blog posts. Add "type = page" to the CQL.`));
  }
  return loadSearchHit(item.hit, store);
}

/** Up to `limit` results from `from`, following the server's paging as needed; cached briefly. */
function searchCached(cql: string, limit: number, from: SearchPosition | undefined, store: PageStoreOptions): Promise<SearchPage> {
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
 * Search-like lookups are cached for the freshness window (so they never hold a version longer
 * than a page revalidation would), single-flight across identical concurrent calls.
 */
async function cachedLookup<T>(store: PageStoreOptions, material: Record<string, unknown>, run: (request: RequestOptions) => Promise<T>): Promise<T> {
  if (store.freshMs <= 0) return run(store.request);
  const { value } = await store.cache.getOrCompute(
    "confluence_search",
    { base: store.client.wikiBase, ...material },
    (signal) => run({ ...store.request, signal: AbortSignal.any([signal, store.request.signal]) }),
    { bypass: store.bypass, signal: store.request.signal, ttlMs: store.freshMs },
  );
  return value;
}

async function shape(record: PageRecord, format: FetchFormat, o: Parameters<typeof markdownOf>[1]): Promise<FetchedDocument> {
  const doc: FetchedDocument = {
    id: record.id,
    title: record.title,
    space_key: record.spaceKey,
    version: record.version,
    labels: record.labels,
    url: record.url,
    updated_at: record.updatedAt,
  };
  if (format !== "storage") doc.markdown = await markdownOf(record, o);
  if (format !== "markdown") doc.storage = record.storage;
  return doc;
}

const defaultMap: SettledMap = async (items, fn, options) => {
  const limit = pLimit(Math.max(1, options?.concurrency ?? 8));
  return Promise.all(
    items.map((item, index) =>
      limit(async () => {
        try {
          return { ok: true as const, value: await fn(item, index) };
        } catch (error) {
          return { ok: false as const, error: toSpecGateError(error) };
        }
      }),
    ),
  );
};
