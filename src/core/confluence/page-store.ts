/**
 * Pages through the shared cache (policy {@link PAGE_CACHE}: namespace `confluence_page`, 3600 s,
 * locked), with revalidation.
 *
 * Keys are readable so they can be invalidated by pattern (`page:123:*`):
 *   page:<id>:v<version>   the page record (storage body, metadata, Markdown once converted)
 *   page:<id>:latest       { version, type, checkedAt }: the last version seen, and when
 *
 * A page asked for by id is served from the cache only if its `latest` entry was checked within
 * the freshness window; past it, one version-only request revalidates it (and the body is
 * fetched again only if the version moved). So an edited page is never served stale for longer
 * than the window. Search results carry versions, so pages found by CQL/label need no extra
 * revalidation. `bypass` skips every read (the results are still stored).
 */
import type { IncludedContent, IncludeRef } from "../convert/index.js";
import type { ConfluenceClient } from "./client.js";
import type { CachePolicyOf, ConfluenceCache } from "./ports.js";
import type { ContentType, PageRecord, RequestOptions, SearchHit, SearchPosition } from "./types.js";

export interface PageStoreOptions {
  client: ConfluenceClient;
  cache: ConfluenceCache;
  bypass: boolean;
  freshMs: number;
  request: RequestOptions;
  /** Ids whose version this call has already confirmed (by {@link revalidateBatch}). */
  verified?: Set<string>;
}

export interface Loaded {
  record: PageRecord;
  fromCache: boolean;
}

interface Latest {
  version: number;
  type: ContentType;
  /** Epoch ms of the last time Confluence confirmed this version. */
  checkedAt: number;
}

/**
 * Page records, `latest` entries and in-flight fetches. Locked: a miss is an upstream request, so
 * N instances missing the same page send one. Bump `version` when {@link PageRecord} changes.
 */
export const PAGE_CACHE = {
  namespace: "confluence_page",
  ttlSeconds: 3600,
  version: 2,
  lock: true,
} as const satisfies CachePolicyOf;

/**
 * Pages fetched at a version number (`version`): a version never changes once saved, so the
 * record is kept for 30 days (the longest anything is kept; memory pressure may drop it sooner).
 * Same readable keys as {@link PAGE_CACHE} (`page:<id>:v<version>`), so `page:<id>:*` clears both.
 */
export const PAGE_VERSION_CACHE = {
  namespace: "confluence_page_version",
  ttlSeconds: 30 * 24 * 3600,
  version: 1,
  lock: true,
} as const satisfies CachePolicyOf;

export const pageKey = (id: string, version: number): string => `page:${id}:v${version}`;
export const latestKey = (id: string): string => `page:${id}:latest`;

/** The page `id`, from the cache when it is known current, else from Confluence. */
export async function loadPageById(id: string, type: ContentType, o: PageStoreOptions): Promise<Loaded> {
  if (!o.bypass) {
    const latest = (await o.cache.get<Latest>(PAGE_CACHE, latestKey(id)))?.value;
    if (latest) {
      let version = latest.version;
      const now = o.client.now();
      if (now - latest.checkedAt >= o.freshMs && !o.verified?.has(id)) {
        version = await o.client.getVersion(id, latest.type, o.request);
        await o.cache.set(PAGE_CACHE, latestKey(id), { version, type: latest.type, checkedAt: now } satisfies Latest);
      }
      const cached = (await o.cache.get<PageRecord>(PAGE_CACHE, pageKey(id, version)))?.value;
      if (cached) return { record: cached, fromCache: true };
      return { record: await fetchAndStore(id, type, o, version), fromCache: false };
    }
  }
  return { record: await fetchAndStore(id, type, o), fromCache: false };
}

/**
 * Version `version` of page `id`: from the cache when any caller fetched it before (a version is
 * immutable, so no revalidation), else one request for every concurrent caller.
 */
export async function loadPageVersion(id: string, version: number, o: PageStoreOptions): Promise<Loaded> {
  let fetched = false;
  const { value } = await o.cache.getOrCompute<PageRecord>(
    PAGE_VERSION_CACHE,
    pageKey(id, version),
    async (signal) => {
      fetched = true;
      const record = await o.client.getPageAt(id, version, {
        ...o.request,
        signal: AbortSignal.any([signal, o.request.signal]),
      });
      return { ...record, historical: true };
    },
    { bypass: o.bypass, signal: o.request.signal },
  );
  return { record: value, fromCache: !fetched };
}

/**
 * Revalidates the stale cached pages of a batch with CQL (`id in (…)`, versions only): a few
 * search requests instead of one version request per page. Pages the search does not return
 * (deleted, restricted) stay stale and are revalidated one by one, which reports their error.
 * Any failure here only means falling back to that.
 */
export async function revalidateBatch(ids: readonly string[], o: PageStoreOptions): Promise<void> {
  if (o.bypass) return;
  const now = o.client.now();
  const stale: string[] = [];
  for (const id of new Set(ids)) {
    if (!/^[0-9]{1,20}$/.test(id)) continue;
    const latest = (await o.cache.get<Latest>(PAGE_CACHE, latestKey(id)))?.value;
    if (latest && now - latest.checkedAt >= o.freshMs) stale.push(id);
  }
  if (stale.length < 2) return;
  try {
    for (let i = 0; i < stale.length; i += BATCH_IDS) {
      const chunk = stale.slice(i, i + BATCH_IDS);
      const cql = `id in (${chunk.join(", ")})`;
      let from: SearchPosition | undefined;
      for (let n = 0; n < 10; n++) {
        const page = await o.client.search(cql, chunk.length, from, o.request);
        for (const hit of page.hits) {
          if (hit.version > 0 && (hit.type === "page" || hit.type === "blogpost")) {
            await o.cache.set(PAGE_CACHE, latestKey(hit.id), {
              version: hit.version,
              type: hit.type,
              checkedAt: now,
            } satisfies Latest);
            o.verified?.add(hit.id);
          }
        }
        from = page.next;
        if (!from || page.hits.length === 0) break;
      }
    }
  } catch (error) {
    if (o.request.signal.aborted) throw error;
  }
}

const BATCH_IDS = 100;

/** The page a search found, at the version the search reported (fetched if not cached). */
export async function loadSearchHit(hit: SearchHit, o: PageStoreOptions): Promise<Loaded> {
  const type: ContentType = hit.type === "blogpost" ? "blogpost" : "page";
  if (!o.bypass && hit.version > 0) {
    const cached = (await o.cache.get<PageRecord>(PAGE_CACHE, pageKey(hit.id, hit.version)))?.value;
    if (cached) return { record: cached, fromCache: true };
  }
  return { record: await fetchAndStore(hit.id, type, o, hit.version), fromCache: false };
}

async function fetchAndStore(
  id: string,
  type: ContentType,
  o: PageStoreOptions,
  expectedVersion = 0,
): Promise<PageRecord> {
  const checkedAt = o.client.now();
  const record = await fetchOnce(id, type, o, expectedVersion);
  await o.cache.set(PAGE_CACHE, pageKey(record.id, record.version), record);
  await o.cache.set(PAGE_CACHE, latestKey(record.id), {
    version: record.version,
    type: record.type,
    checkedAt,
  } satisfies Latest);
  return record;
}

/**
 * One GET of the page however many calls miss it at once, in this process and — through the
 * cache's distributed lock ({@link PAGE_CACHE} locks) — in every instance sharing Redis:
 * the others wait for the fetched record. The record is kept for the freshness window, the same
 * bound a cached `latest` entry gets, and is used only if it is at least `expectedVersion` (a
 * caller that has just seen a newer version fetches for itself). `bypass`, or a window of 0,
 * fetches directly.
 */
async function fetchOnce(
  id: string,
  type: ContentType,
  o: PageStoreOptions,
  expectedVersion: number,
): Promise<PageRecord> {
  if (o.bypass || o.freshMs <= 0) return o.client.getPage(id, type, o.request);
  const { value } = await o.cache.getOrCompute(
    PAGE_CACHE,
    fetchKey(id, type),
    (signal) => o.client.getPage(id, type, { ...o.request, signal: AbortSignal.any([signal, o.request.signal]) }),
    { signal: o.request.signal, ttlMs: o.freshMs },
  );
  return value.version >= expectedVersion ? value : o.client.getPage(id, type, o.request);
}

/** Readable, so `page:<id>:*` invalidates it with the page's other keys. */
const fetchKey = (id: string, type: ContentType): string => `page:${id}:fetch:${type}`;

/**
 * The record's Markdown (`# <title>` first, links absolute against the wiki base), converting
 * once and storing the result with the record.
 */
export async function markdownOf(record: PageRecord, o: MarkdownOptions): Promise<string> {
  return (await convertedPage(record, o)).markdown;
}

export interface MarkdownOptions {
  cache: ConfluenceCache;
  wikiBase: string;
  jiraBaseUrl?: string | undefined;
  signal: AbortSignal;
}

/**
 * The record's Markdown with its include macros left as placeholders, and the includes it holds
 * (converted once, stored with the record under its policy).
 */
export async function convertedPage(
  record: PageRecord,
  o: MarkdownOptions,
): Promise<{ markdown: string; includes: IncludeRef[] }> {
  if (record.markdown !== undefined && record.includes !== undefined)
    return { markdown: record.markdown, includes: record.includes };
  const includes: IncludeRef[] = [];
  const body = await convertStorage(record, record.storage, o, (ref) => void includes.push(ref));
  const full = withHeading(record.title, body);
  const policy = record.historical ? PAGE_VERSION_CACHE : PAGE_CACHE;
  await o.cache.set(policy, pageKey(record.id, record.version), {
    ...record,
    markdown: full,
    includes,
  } satisfies PageRecord);
  return { markdown: full, includes };
}

/**
 * Storage XHTML of `record` (its whole body or a part of it) → Markdown, links resolved as on
 * that page; `includes` is asked about each include macro (see ConvertOptions.includes).
 */
export async function convertStorage(
  record: PageRecord,
  storage: string,
  o: Omit<MarkdownOptions, "cache">,
  includes?: (ref: IncludeRef) => IncludedContent | undefined,
): Promise<string> {
  // The converter loads with the first page to convert, not with the server.
  const { convertHtml } = await import("../convert/index.js");
  // The page's space and id resolve links without a space key and attachment URLs.
  const { markdown } = await convertHtml(storage, {
    baseUrl: o.wikiBase,
    spaceKey: record.spaceKey || undefined,
    pageId: record.id,
    jiraBaseUrl: o.jiraBaseUrl,
    signal: o.signal,
    includes,
  });
  return markdown;
}

/** `# <title>` and the body (unless the body already starts with that heading). */
export function withHeading(title: string, markdown: string): string {
  const heading = `# ${title}`;
  const body = markdown.trimStart();
  return body === "" ? `${heading}\n` : body.startsWith(`${heading}\n`) ? body : `${heading}\n\n${body}`;
}
