/**
 * Confluence Server / Data Center: everything through REST v1 (`/rest/api/content/{id}` with
 * `expand`, `/rest/api/content?spaceKey&title`, CQL search with `start`/`limit` paging).
 */
import type { ConfluenceHttp } from "./http.js";
import type { ConfluenceApi, ContentType, PageRecord, RequestOptions, SearchHit, SearchPage, SearchPosition } from "./types.js";
import { v1Hit, v1Record, v1SearchOffset, type V1Content, type V1List } from "./v1.js";

const PAGE_EXPAND = "body.storage,version,space,metadata.labels";

export class DataCenterApi implements ConfluenceApi {
  constructor(
    private readonly http: ConfluenceHttp,
    private readonly base: URL,
  ) {}

  async getPage(id: string, type: ContentType, o: RequestOptions): Promise<PageRecord> {
    const content = await this.http.getJson<V1Content>(`/rest/api/content/${encodeURIComponent(id)}?expand=${PAGE_EXPAND}`, {
      ...o,
      what: `${type === "blogpost" ? "blog post" : "page"} ${id}`,
      target: "content",
    });
    return v1Record(content, this.base);
  }

  async getVersion(id: string, _type: ContentType, o: RequestOptions): Promise<number> {
    const content = await this.http.getJson<V1Content>(`/rest/api/content/${encodeURIComponent(id)}?expand=version`, { ...o, what: `page ${id}`, target: "content" });
    return content.version?.number ?? 0;
  }

  search(cql: string, limit: number, from: SearchPosition | undefined, o: RequestOptions): Promise<SearchPage> {
    const start = from && "start" in from ? from.start : 0;
    return v1SearchOffset(this.http, cql, limit, start, o);
  }

  async findByTitle(spaceKey: string, title: string, o: RequestOptions): Promise<SearchHit | undefined> {
    const q = new URLSearchParams({ spaceKey, title, type: "page", expand: "version,space", limit: "5" });
    const list = await this.http.getJson<V1List>(`/rest/api/content?${q.toString()}`, { ...o, what: `the page titled "${title}"`, target: "api" });
    const hits = (list.results ?? []).map(v1Hit);
    return hits.find((h) => h.title === title) ?? hits[0];
  }
}
