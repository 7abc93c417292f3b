/**
 * REST v1 shapes (`/rest/api/content…`), shared by Data Center (all reads) and Cloud (CQL
 * search only). See the real response in corpus `qp-1844969501-ko-support.page.v1.yaml`.
 */
import { SpecGateError } from "../../errors.js";
import type { ConfluenceHttp } from "./http.js";
import type { PageRecord, RequestOptions, SearchHit, SearchPage } from "./types.js";
import { webUrl } from "./urls.js";

export interface V1Content {
  id: string;
  type?: string;
  status?: string;
  title?: string;
  space?: { key?: string };
  version?: { number?: number; when?: string };
  body?: { storage?: { value?: string } };
  metadata?: { labels?: { results?: { name?: string; prefix?: string }[] } };
  _links?: { webui?: string; tinyui?: string; base?: string };
}

export interface V1List {
  results?: V1Content[];
  start?: number;
  limit?: number;
  size?: number;
  _links?: { next?: string; base?: string; context?: string };
}

/** The search path for the first page of a CQL query. */
export const V1_SEARCH_PATH = "/rest/api/content/search";

export function v1SearchPath(cql: string, limit: number, start?: number): string {
  const q = new URLSearchParams({ cql, limit: String(limit), expand: "version,space" });
  if (start !== undefined && start > 0) q.set("start", String(start));
  return `${V1_SEARCH_PATH}?${q.toString()}`;
}

export function v1Hit(c: V1Content): SearchHit {
  return {
    id: String(c.id),
    type: c.type ?? "page",
    title: c.title ?? "",
    spaceKey: c.space?.key ?? "",
    version: c.version?.number ?? 0,
  };
}

/** A v1 content object with `body.storage,version,space,metadata.labels` expanded → PageRecord. */
export function v1Record(c: V1Content, base: URL): PageRecord {
  if (typeof c.body?.storage?.value !== "string" || typeof c.version?.number !== "number") {
    throw new SpecGateError("E_UPSTREAM", `Confluence returned content ${c.id} without its body or version; the REST API may be restricted by a proxy.`);
  }
  return {
    id: String(c.id),
    type: c.type === "blogpost" ? "blogpost" : "page",
    title: c.title ?? "",
    spaceKey: c.space?.key ?? "",
    version: c.version.number,
    labels: (c.metadata?.labels?.results ?? []).map((l) => l.name).filter((n): n is string => typeof n === "string"),
    url: webUrl(base, c._links?.webui, String(c.id)),
    updatedAt: c.version.when ?? "",
    storage: c.body.storage.value,
  };
}

/** One search request (a page of results) through v1, start/limit paging. */
export async function v1SearchOffset(http: ConfluenceHttp, cql: string, limit: number, start: number, o: RequestOptions): Promise<SearchPage> {
  const list = await http.getJson<V1List>(v1SearchPath(cql, limit, start), { ...o, what: "the search", target: "api" });
  const results = (list.results ?? []).slice(0, limit);
  const more = Boolean(list._links?.next) || (list.results ?? []).length > limit;
  return { hits: results.map(v1Hit), ...(more && results.length > 0 ? { next: { start: start + results.length } } : {}) };
}
