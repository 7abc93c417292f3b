/**
 * The Confluence domain's shared shapes: what a page is once read (whatever the flavour or API
 * version it came from), what a search returns, and the per-call options every request takes.
 */

import type { IncludeRef } from "../convert/types.js";

/** Confluence Cloud (`*.atlassian.net/wiki`, REST v2 + v1 CQL) or Server/Data Center (REST v1). */
export type Flavour = "cloud" | "datacenter";

/** Content types confluence_fetch reads. */
export type ContentType = "page" | "blogpost";

/** A page as SpecGate keeps it (and caches it under `page:<id>:v<version>`). */
export interface PageRecord {
  id: string;
  type: ContentType;
  title: string;
  spaceKey: string;
  version: number;
  labels: string[];
  /** Absolute web URL on the configured host. */
  url: string;
  /** ISO 8601 time of the current version. */
  updatedAt: string;
  /** The body in storage format (XHTML). */
  storage: string;
  /** Markdown starting with `# <title>`, filled in the first time someone asks for it. */
  markdown?: string;
  /** The include macros the storage holds, found by the conversion that filled `markdown`. */
  includes?: IncludeRef[];
  /** Display name of the version's author (never an email or account id), when the API gave it. */
  versionAuthor?: string;
  /** The pages above it, root first, when the API gave them. */
  ancestors?: { id: string; title: string }[];
  /** True for a version fetched by number (`version`): it never changes, so it is kept long. */
  historical?: boolean;
}

/** A comment on a page (footer, or inline on a piece of its text). */
export interface PageComment {
  id: string;
  kind: "footer" | "inline";
  /** Display name only. */
  author: string;
  /** ISO 8601 time the comment was written. */
  created: string;
  storage: string;
  resolved: boolean;
  /** Inline comments: the text of the page the comment is anchored to. */
  anchor?: string;
  /** The comment this one answers, for replies. */
  parentId?: string;
}

/** One search result: enough to know whether the cached body is current. */
export interface SearchHit {
  id: string;
  type: ContentType | string;
  title: string;
  spaceKey: string;
  version: number;
}

/** Where the next page of results starts: Cloud's `_links.next` link, or Data Center's offset. */
export type SearchPosition = { next: string } | { start: number };

export interface SearchPage {
  hits: SearchHit[];
  next?: SearchPosition;
}

/** Counts of one tool call's upstream traffic, shared by all its requests. */
export interface CallTally {
  requests: number;
  retries: number;
}

/** Options of every upstream operation. */
export interface RequestOptions {
  /** The call's signal (client cancellation + deadline). Always passed down to undici. */
  signal: AbortSignal;
  /** Epoch ms after which no retry may be scheduled (waits that would end later fail at once). */
  deadlineAt?: number | undefined;
  tally?: CallTally | undefined;
}

/** What each flavour implements (src/core/confluence/cloud.ts, datacenter.ts). */
export interface ConfluenceApi {
  /** The page (or blog post) with its storage body, version, space key and labels. */
  getPage(id: string, type: ContentType, o: RequestOptions): Promise<PageRecord>;
  /** The current version number only: the cheap revalidation request. */
  getVersion(id: string, type: ContentType, o: RequestOptions): Promise<number>;
  /** One request's worth of CQL results, starting at `from` (undefined = the first page). */
  search(cql: string, limit: number, from: SearchPosition | undefined, o: RequestOptions): Promise<SearchPage>;
  /** The page at version `version` (a historical version when it is not the current one). */
  getPageAt(id: string, version: number, o: RequestOptions): Promise<PageRecord>;
  /** Footer and inline comments of the page, replies included where the API gives them. */
  getComments(id: string, o: RequestOptions): Promise<PageComment[]>;
  /** The page titled exactly `title` in `spaceKey`, or undefined. */
  findByTitle(spaceKey: string, title: string, o: RequestOptions): Promise<SearchHit | undefined>;
}
