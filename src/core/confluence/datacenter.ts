/**
 * Confluence Server / Data Center: everything through REST v1 (`/rest/api/content/{id}` with
 * `expand`, `/rest/api/content?spaceKey&title`, CQL search with `start`/`limit` paging).
 */
import type { ConfluenceHttp } from "./http.js";
import type {
  ConfluenceApi,
  ContentType,
  PageComment,
  PageRecord,
  RequestOptions,
  SearchHit,
  SearchPage,
  SearchPosition,
} from "./types.js";
import { v1Comment, v1CommentsPath, v1Hit, v1Record, v1SearchOffset, type V1Content, type V1List } from "./v1.js";
import { linkOnBase } from "./urls.js";

const PAGE_EXPAND = "body.storage,version,space,metadata.labels,ancestors";
const COMMENT_PAGE = 100;
const MAX_COMMENT_PAGES = 20;

export class DataCenterApi implements ConfluenceApi {
  constructor(
    private readonly http: ConfluenceHttp,
    private readonly base: URL,
  ) {}

  async getPage(id: string, type: ContentType, o: RequestOptions): Promise<PageRecord> {
    const content = await this.http.getJson<V1Content>(
      `/rest/api/content/${encodeURIComponent(id)}?expand=${PAGE_EXPAND}`,
      {
        ...o,
        what: `${type === "blogpost" ? "blog post" : "page"} ${id}`,
        target: "content",
      },
    );
    return v1Record(content, this.base);
  }

  async getPageAt(id: string, version: number, o: RequestOptions): Promise<PageRecord> {
    const q = new URLSearchParams({ status: "historical", version: String(version), expand: PAGE_EXPAND });
    const content = await this.http.getJson<V1Content>(`/rest/api/content/${encodeURIComponent(id)}?${q.toString()}`, {
      ...o,
      what: `version ${version} of page ${id}`,
      target: "content",
    });
    return v1Record(content, this.base);
  }

  async getComments(id: string, o: RequestOptions): Promise<PageComment[]> {
    return v1Comments(this.http, this.base, id, o);
  }

  async getVersion(id: string, _type: ContentType, o: RequestOptions): Promise<number> {
    const content = await this.http.getJson<V1Content>(`/rest/api/content/${encodeURIComponent(id)}?expand=version`, {
      ...o,
      what: `page ${id}`,
      target: "content",
    });
    return content.version?.number ?? 0;
  }

  search(cql: string, limit: number, from: SearchPosition | undefined, o: RequestOptions): Promise<SearchPage> {
    const start = from && "start" in from ? from.start : 0;
    return v1SearchOffset(this.http, cql, limit, start, o);
  }

  async findByTitle(spaceKey: string, title: string, o: RequestOptions): Promise<SearchHit | undefined> {
    const q = new URLSearchParams({ spaceKey, title, type: "page", expand: "version,space", limit: "5" });
    const list = await this.http.getJson<V1List>(`/rest/api/content?${q.toString()}`, {
      ...o,
      what: `the page titled "${title}"`,
      target: "api",
    });
    const hits = (list.results ?? []).map(v1Hit);
    return hits.find((h) => h.title === title) ?? hits[0];
  }
}

/** Every comment of a page through v1, following `_links.next` (on the configured host only). */
export async function v1Comments(
  http: ConfluenceHttp,
  base: URL,
  id: string,
  o: RequestOptions,
): Promise<PageComment[]> {
  const out: PageComment[] = [];
  const first = v1CommentsPath(id, COMMENT_PAGE);
  const prefix = first.slice(0, first.indexOf("?") + 1);
  let path: string | undefined = first;
  for (let i = 0; path && i < MAX_COMMENT_PAGES; i++) {
    const list: V1List = await http.getJson<V1List>(path, {
      ...o,
      what: `the comments of page ${id}`,
      target: "content",
    });
    out.push(...(list.results ?? []).map(v1Comment));
    const next = list._links?.next ? linkOnBase(list._links.next, base) : undefined;
    path = next?.startsWith(prefix) && (list.results ?? []).length > 0 ? next : undefined;
  }
  return out;
}
