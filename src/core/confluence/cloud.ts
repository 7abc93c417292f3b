/**
 * Confluence Cloud: pages through REST v2 (`/api/v2/pages/{id}?body-format=storage`, labels,
 * version-only reads), searches through v1 CQL following `_links.next` cursors.
 */
import { SpecGateError } from "../../errors.js";
import { titleCql } from "./cql.js";
import type { ConfluenceHttp } from "./http.js";
import type { ConfluenceApi, ContentType, PageRecord, RequestOptions, SearchHit, SearchPage, SearchPosition } from "./types.js";
import { linkOnBase, spaceKeyFromWebPath, webUrl } from "./urls.js";
import { V1_SEARCH_PATH, v1Hit, v1SearchPath, type V1List } from "./v1.js";

interface V2Label {
  name?: string;
}

interface V2Page {
  id: string;
  status?: string;
  title?: string;
  spaceId?: string;
  version?: { number?: number; createdAt?: string };
  body?: { storage?: { value?: string } };
  labels?: { results?: V2Label[]; meta?: { hasMore?: boolean }; _links?: { next?: string } };
  _links?: { webui?: string; tinyui?: string; base?: string };
}

interface V2LabelList {
  results?: V2Label[];
  _links?: { next?: string };
}

const MAX_LABEL_PAGES = 10;
const SPACE_MEMO_LIMIT = 1000;

export class CloudApi implements ConfluenceApi {
  private readonly spaceKeys = new Map<string, Promise<string>>();

  constructor(
    private readonly http: ConfluenceHttp,
    private readonly base: URL,
  ) {}

  async getPage(id: string, type: ContentType, o: RequestOptions): Promise<PageRecord> {
    const what = `${type === "blogpost" ? "blog post" : "page"} ${id}`;
    const page = await this.http.getJson<V2Page>(`${collection(type)}/${encodeURIComponent(id)}?body-format=storage&include-labels=true`, { ...o, what, target: "content" });
    if (typeof page.body?.storage?.value !== "string" || typeof page.version?.number !== "number") {
      throw new SpecGateError("E_UPSTREAM", `Confluence returned ${what} without its body or version; the token may lack the read:page:confluence scope.`);
    }
    let labels = names(page.labels?.results);
    if (page.labels?.meta?.hasMore || page.labels?._links?.next) labels = await this.allLabels(id, type, o);
    const spaceKey = spaceKeyFromWebPath(page._links?.webui) ?? (page.spaceId ? await this.spaceKey(page.spaceId, o) : "");
    return {
      id: String(page.id),
      type,
      title: page.title ?? "",
      spaceKey,
      version: page.version.number,
      labels,
      url: webUrl(this.base, page._links?.webui, String(page.id)),
      updatedAt: page.version.createdAt ?? "",
      storage: page.body.storage.value,
    };
  }

  async getVersion(id: string, type: ContentType, o: RequestOptions): Promise<number> {
    const what = `${type === "blogpost" ? "blog post" : "page"} ${id}`;
    const page = await this.http.getJson<V2Page>(`${collection(type)}/${encodeURIComponent(id)}`, { ...o, what, target: "content" });
    if (typeof page.version?.number !== "number") throw new SpecGateError("E_UPSTREAM", `Confluence returned ${what} without a version number.`);
    return page.version.number;
  }

  async search(cql: string, limit: number, from: SearchPosition | undefined, o: RequestOptions): Promise<SearchPage> {
    let path: string;
    if (from && "next" in from) {
      const u = new URL(from.next, "http://x");
      u.searchParams.set("limit", String(limit));
      path = u.pathname + u.search;
    } else path = v1SearchPath(cql, limit, from && "start" in from ? from.start : undefined);
    const list = await this.http.getJson<V1List>(path, { ...o, what: "the search", target: "api" });
    const next = list._links?.next ? linkOnBase(list._links.next, this.base) : undefined;
    const hits = (list.results ?? []).map(v1Hit);
    return { hits, ...(next && next.startsWith(`${V1_SEARCH_PATH}?`) && hits.length > 0 ? { next: { next } } : {}) };
  }

  async findByTitle(spaceKey: string, title: string, o: RequestOptions): Promise<SearchHit | undefined> {
    const { hits } = await this.search(titleCql(spaceKey, title), 5, undefined, o);
    return hits.find((h) => h.title === title) ?? hits[0];
  }

  private async allLabels(id: string, type: ContentType, o: RequestOptions): Promise<string[]> {
    const out: string[] = [];
    let path: string | undefined = `${collection(type)}/${encodeURIComponent(id)}/labels?limit=250`;
    for (let i = 0; path && i < MAX_LABEL_PAGES; i++) {
      const list: V2LabelList = await this.http.getJson<V2LabelList>(path, { ...o, what: `the labels of ${id}`, target: "content" });
      out.push(...names(list.results));
      const next = list._links?.next ? linkOnBase(list._links.next, this.base) : undefined;
      path = next?.startsWith(`${collection(type)}/${encodeURIComponent(id)}/labels?`) ? next : undefined;
    }
    return out;
  }

  /** v2 pages carry a space id; the key comes from the web path or, failing that, one memoised lookup. */
  private spaceKey(spaceId: string, o: RequestOptions): Promise<string> {
    let key = this.spaceKeys.get(spaceId);
    if (!key) {
      if (this.spaceKeys.size >= SPACE_MEMO_LIMIT) this.spaceKeys.clear();
      key = this.http
        .getJson<{ key?: string }>(`/api/v2/spaces/${encodeURIComponent(spaceId)}`, { ...o, what: `space ${spaceId}`, target: "content" })
        .then((s) => s.key ?? "");
      key.catch(() => this.spaceKeys.delete(spaceId));
      this.spaceKeys.set(spaceId, key);
    }
    return key;
  }
}

function collection(type: ContentType): string {
  return type === "blogpost" ? "/api/v2/blogposts" : "/api/v2/pages";
}

function names(labels: V2Label[] | undefined): string[] {
  return (labels ?? []).map((l) => l.name).filter((n): n is string => typeof n === "string");
}
