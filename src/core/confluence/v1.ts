/**
 * REST v1 shapes (`/rest/api/content…`), shared by Data Center (all reads) and Cloud (CQL
 * search only). See the real response in corpus `qp-1844969501-ko-support.page.v1.yaml`.
 */
import { SpecGateError } from "../../errors.js";
import type { ConfluenceHttp } from "./http.js";
import type { PageComment, PageRecord, RequestOptions, SearchHit, SearchPage } from "./types.js";
import { webUrl } from "./urls.js";

export interface V1Content {
  id: string;
  type?: string;
  status?: string;
  title?: string;
  space?: { key?: string };
  version?: { number?: number; when?: string; by?: { displayName?: string; publicName?: string } };
  body?: { storage?: { value?: string } };
  ancestors?: { id?: string | number; title?: string }[];
  extensions?: {
    location?: string;
    inlineProperties?: { originalSelection?: string; markerRef?: string };
    resolution?: { status?: string };
  };
  container?: { id?: string | number; type?: string };
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
    throw new SpecGateError(
      "E_UPSTREAM",
      `Confluence returned content ${c.id} without its body or version; the REST API may be restricted by a proxy.`,
    );
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
    ...v1Meta(c),
  };
}

/** The version's author (display name only) and the ancestors, from `version` and `ancestors` expansions. */
export function v1Meta(c: V1Content): Pick<PageRecord, "versionAuthor" | "ancestors"> {
  const author = c.version?.by?.displayName ?? c.version?.by?.publicName;
  return {
    ...(author ? { versionAuthor: author } : {}),
    ...(Array.isArray(c.ancestors)
      ? { ancestors: c.ancestors.map((a) => ({ id: String(a.id ?? ""), title: a.title ?? "" })) }
      : {}),
  };
}

/** The comments path of a page (v1: Data Center; footer and inline, replies at every depth). */
export function v1CommentsPath(id: string, limit: number): string {
  const q = new URLSearchParams({
    expand: "body.storage,extensions.inlineProperties,extensions.resolution,version",
    depth: "all",
    limit: String(limit),
  });
  return `/rest/api/content/${encodeURIComponent(id)}/child/comment?${q.toString()}`;
}

/** A v1 comment → PageComment. */
export function v1Comment(c: V1Content): PageComment {
  const inline = c.extensions?.location === "inline";
  const anchor = c.extensions?.inlineProperties?.originalSelection;
  const parent = c.ancestors?.length ? c.ancestors[c.ancestors.length - 1] : undefined;
  return {
    id: String(c.id),
    kind: inline ? "inline" : "footer",
    author: c.version?.by?.displayName ?? c.version?.by?.publicName ?? "",
    created: c.version?.when ?? "",
    storage: c.body?.storage?.value ?? "",
    resolved: c.extensions?.resolution?.status === "resolved",
    ...(inline && anchor ? { anchor } : {}),
    ...(parent?.id !== undefined ? { parentId: String(parent.id) } : {}),
  };
}

/** One search request (a page of results) through v1, start/limit paging. */
export async function v1SearchOffset(
  http: ConfluenceHttp,
  cql: string,
  limit: number,
  start: number,
  o: RequestOptions,
): Promise<SearchPage> {
  const list = await http.getJson<V1List>(v1SearchPath(cql, limit, start), { ...o, what: "the search", target: "api" });
  const results = (list.results ?? []).slice(0, limit);
  const more = Boolean(list._links?.next) || (list.results ?? []).length > limit;
  return {
    hits: results.map(v1Hit),
    ...(more && results.length > 0 ? { next: { start: start + results.length } } : {}),
  };
}
