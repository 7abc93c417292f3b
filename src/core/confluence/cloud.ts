/**
 * Confluence Cloud: pages through REST v2 (`/api/v2/pages/{id}?body-format=storage`, labels,
 * version-only reads), searches through v1 CQL following `_links.next` cursors.
 */
import { SpecGateError } from "../../errors.js";
import { titleCql } from "./cql.js";
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
import { linkOnBase, spaceKeyFromWebPath, webUrl } from "./urls.js";
import { V1_SEARCH_PATH, v1Hit, v1Meta, v1SearchPath, type V1Content, type V1List } from "./v1.js";

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

interface V2Comment {
  id: string | number;
  status?: string;
  parentCommentId?: string | number;
  version?: { createdAt?: string; authorId?: string };
  body?: { storage?: { value?: string } };
  resolutionStatus?: string;
  properties?: { inlineOriginalSelection?: string; ["inline-original-selection"]?: string };
}

interface V2CommentList {
  results?: V2Comment[];
  _links?: { next?: string };
}

interface V2LabelList {
  results?: V2Label[];
  _links?: { next?: string };
}

const MAX_LABEL_PAGES = 10;
const SPACE_MEMO_LIMIT = 1000;
const MAX_COMMENT_PAGES = 20;

export class CloudApi implements ConfluenceApi {
  private readonly spaceKeys = new Map<string, Promise<string>>();
  private readonly userNames = new Map<string, Promise<string>>();

  constructor(
    private readonly http: ConfluenceHttp,
    private readonly base: URL,
  ) {}

  getPage(id: string, type: ContentType, o: RequestOptions): Promise<PageRecord> {
    return this.readPage(id, type, undefined, o);
  }

  /**
   * A version by number: v2 `?version=N` for the body, and the same version through v1
   * (`status=historical`), asked at the same time, for what v2 does not give: the author's
   * display name and the ancestors' titles.
   */
  async getPageAt(id: string, version: number, o: RequestOptions): Promise<PageRecord> {
    const q = new URLSearchParams({ status: "historical", version: String(version), expand: "version,ancestors" });
    const [record, meta] = await Promise.all([
      this.readPage(id, "page", version, o),
      this.http.getJson<V1Content>(`/rest/api/content/${encodeURIComponent(id)}?${q.toString()}`, {
        ...o,
        what: `version ${version} of page ${id}`,
        target: "content",
      }),
    ]);
    return { ...record, ...v1Meta(meta) };
  }

  /** Footer and inline comments through v2 (top-level ones; `_links.next` cursors), authors by display name. */
  async getComments(id: string, o: RequestOptions): Promise<PageComment[]> {
    const out: PageComment[] = [];
    for (const kind of ["footer", "inline"] as const) {
      const prefix = `/api/v2/pages/${encodeURIComponent(id)}/${kind}-comments?`;
      let path: string | undefined = `${prefix}body-format=storage&limit=100`;
      for (let i = 0; path && i < MAX_COMMENT_PAGES; i++) {
        const list: V2CommentList = await this.http.getJson<V2CommentList>(path, {
          ...o,
          what: `the ${kind} comments of page ${id}`,
          target: "content",
        });
        for (const c of list.results ?? []) {
          const anchor = c.properties?.inlineOriginalSelection ?? c.properties?.["inline-original-selection"];
          out.push({
            id: String(c.id),
            kind,
            author: c.version?.authorId ? await this.userName(c.version.authorId, o) : "",
            created: c.version?.createdAt ?? "",
            storage: c.body?.storage?.value ?? "",
            resolved: c.resolutionStatus === "resolved",
            ...(kind === "inline" && anchor ? { anchor } : {}),
            ...(c.parentCommentId !== undefined ? { parentId: String(c.parentCommentId) } : {}),
          });
        }
        const next = list._links?.next ? linkOnBase(list._links.next, this.base) : undefined;
        path = next?.startsWith(prefix) && (list.results ?? []).length > 0 ? next : undefined;
      }
    }
    return out;
  }

  private async readPage(
    id: string,
    type: ContentType,
    version: number | undefined,
    o: RequestOptions,
  ): Promise<PageRecord> {
    const what =
      version === undefined
        ? `${type === "blogpost" ? "blog post" : "page"} ${id}`
        : `version ${version} of page ${id}`;
    const at = version === undefined ? "" : `&version=${version}`;
    const page = await this.http.getJson<V2Page>(
      `${collection(type)}/${encodeURIComponent(id)}?body-format=storage&include-labels=true${at}`,
      { ...o, what, target: "content" },
    );
    if (typeof page.body?.storage?.value !== "string" || typeof page.version?.number !== "number") {
      throw new SpecGateError(
        "E_UPSTREAM",
        `Confluence returned ${what} without its body or version; the token may lack the read:page:confluence scope.`,
      );
    }
    let labels = names(page.labels?.results);
    if (page.labels?.meta?.hasMore || page.labels?._links?.next) labels = await this.allLabels(id, type, o);
    const spaceKey =
      spaceKeyFromWebPath(page._links?.webui) ?? (page.spaceId ? await this.spaceKey(page.spaceId, o) : "");
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
    const page = await this.http.getJson<V2Page>(`${collection(type)}/${encodeURIComponent(id)}`, {
      ...o,
      what,
      target: "content",
    });
    if (typeof page.version?.number !== "number")
      throw new SpecGateError("E_UPSTREAM", `Confluence returned ${what} without a version number.`);
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
      const list: V2LabelList = await this.http.getJson<V2LabelList>(path, {
        ...o,
        what: `the labels of ${id}`,
        target: "content",
      });
      out.push(...names(list.results));
      const next = list._links?.next ? linkOnBase(list._links.next, this.base) : undefined;
      path = next?.startsWith(`${collection(type)}/${encodeURIComponent(id)}/labels?`) ? next : undefined;
    }
    return out;
  }

  /** The display name of an account (v2 gives account ids only); memoised, never the email. */
  private userName(accountId: string, o: RequestOptions): Promise<string> {
    let name = this.userNames.get(accountId);
    if (!name) {
      if (this.userNames.size >= SPACE_MEMO_LIMIT) this.userNames.clear();
      name = this.http
        .getJson<{ displayName?: string; publicName?: string }>(
          `/rest/api/user?accountId=${encodeURIComponent(accountId)}`,
          { ...o, what: "a comment's author", target: "api" },
        )
        .then(
          (u) => u.displayName ?? u.publicName ?? "",
          (error: unknown) => {
            // A deleted account, or a token without the user scope: the comment stays, unnamed.
            if (error instanceof SpecGateError && (error.code === "E_NOT_FOUND" || error.code === "E_FORBIDDEN"))
              return "";
            throw error;
          },
        );
      name.catch(() => this.userNames.delete(accountId));
      this.userNames.set(accountId, name);
    }
    return name;
  }

  /** v2 pages carry a space id; the key comes from the web path or, failing that, one memoised lookup. */
  private spaceKey(spaceId: string, o: RequestOptions): Promise<string> {
    let key = this.spaceKeys.get(spaceId);
    if (!key) {
      if (this.spaceKeys.size >= SPACE_MEMO_LIMIT) this.spaceKeys.clear();
      key = this.http
        .getJson<{ key?: string }>(`/api/v2/spaces/${encodeURIComponent(spaceId)}`, {
          ...o,
          what: `space ${spaceId}`,
          target: "content",
        })
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
