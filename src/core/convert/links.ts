/**
 * Link targets: `ri:` resource identifiers (pages, attachments, URLs, users, spaces, blog posts)
 * and plain `href`/`src` values, made absolute against the wiki's base URL when one is given.
 */
import { escapeUrl } from "./escape.js";
import type { ResolvedOptions } from "./types.js";
import { trimEndChars } from "../text.js";

export interface Resource {
  kind: "page" | "attachment" | "url" | "user" | "space" | "blog-post" | "content-entity";
  title?: string | undefined;
  space?: string | undefined;
  contentId?: string | undefined;
  filename?: string | undefined;
  /** For an attachment of another page: that page's title. */
  pageTitle?: string | undefined;
  url?: string | undefined;
  user?: string | undefined;
}

/**
 * Reads a `ri:*` element. An `ri:page` inside an `ri:attachment` names the page the attachment
 * belongs to, so it refines `current` instead of replacing it.
 */
export function readResource(name: string, a: Record<string, string>, current: Resource | null): Resource | null {
  switch (name) {
    case "ri:page":
      if (current?.kind === "attachment") return { ...current, pageTitle: a["ri:content-title"], space: a["ri:space-key"] ?? current.space };
      return { kind: "page", title: a["ri:content-title"], space: a["ri:space-key"], contentId: a["ri:content-id"] };
    case "ri:blog-post":
      return { kind: "blog-post", title: a["ri:content-title"], space: a["ri:space-key"], contentId: a["ri:content-id"] };
    case "ri:content-entity":
      return { kind: "content-entity", contentId: a["ri:content-id"] };
    case "ri:attachment":
      return { kind: "attachment", filename: a["ri:filename"] };
    case "ri:url":
      return { kind: "url", url: a["ri:value"] };
    case "ri:user":
      return { kind: "user", user: a["ri:account-id"] ?? a["ri:username"] ?? a["ri:userkey"] };
    case "ri:space":
      return { kind: "space", space: a["ri:space-key"] };
    default:
      return current;
  }
}

/** The text a link shows when the page gave it none. */
export function resourceText(r: Resource): string {
  switch (r.kind) {
    case "page":
    case "blog-post":
      return r.title ?? "";
    case "content-entity":
      return r.contentId ?? "";
    case "attachment":
      return r.filename ?? "";
    case "url":
      return r.url ?? "";
    case "user":
      return r.user ?? "";
    case "space":
      return r.space ?? "";
  }
}

function enc(s: string): string {
  return encodeURIComponent(s);
}

/** Confluence's title-based page path: spaces as `+`. */
function encTitle(title: string): string {
  return encodeURIComponent(title).replace(/%20/g, "+");
}

/**
 * Where a resource lives: `null` when it cannot be located (a page link without any space key).
 * Without a base URL the wiki-relative path is returned, so the target is never lost.
 */
export function resourceUrl(r: Resource, o: ResolvedOptions): string | null {
  const url = locate(r, o);
  return url === null ? null : escapeUrl(url);
}

function locate(r: Resource, o: ResolvedOptions): string | null {
  const base = o.baseUrl ?? "";
  switch (r.kind) {
    case "page":
    case "blog-post": {
      if (r.contentId) return `${base}/pages/viewpage.action?pageId=${enc(r.contentId)}`;
      const space = r.space ?? o.spaceKey;
      if (!r.title) return space ? `${base}/display/${enc(space)}` : null;
      if (!space) return null;
      return `${base}/display/${enc(space)}/${encTitle(r.title)}`;
    }
    case "content-entity":
      return r.contentId ? `${base}/pages/viewpage.action?pageId=${enc(r.contentId)}` : null;
    case "attachment": {
      if (!r.filename) return null;
      if (r.pageTitle) {
        const space = r.space ?? o.spaceKey;
        return space ? `${base}/download/attachments/${enc(space)}/${encTitle(r.pageTitle)}/${enc(r.filename)}` : enc(r.filename);
      }
      return o.pageId ? `${base}/download/attachments/${enc(o.pageId)}/${enc(r.filename)}` : enc(r.filename);
    }
    case "url":
      return r.url ? absolutize(r.url, o.baseUrl) : null; // absolutize escapes; escaping twice is harmless
    case "space":
      return r.space ? `${base}/display/${enc(r.space)}` : null;
    case "user":
      return null;
  }
}

const SCRIPT_SCHEME = /^(?:javascript|vbscript):/i;

/**
 * Makes `href` absolute against the wiki's base URL: `/wiki/…` or `/spaces/…` style paths and
 * relative ones. Returns `null` for script URLs, which must never become links.
 */
export function absolutize(href: string, baseUrl: string | undefined): string | null {
  const h = href.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(h)) return SCRIPT_SCHEME.test(h) || (/^data:/i.test(h) && !/^data:image\//i.test(h)) ? null : escapeUrl(h);
  if (h === "" || h.startsWith("#") || baseUrl === undefined) return escapeUrl(h);
  try {
    const base = new URL(`${baseUrl}/`);
    if (h.startsWith("//")) return escapeUrl(`${base.protocol}${h}`);
    if (h.startsWith("/")) {
      const basePath = base.pathname.replace(/\/$/, "");
      return escapeUrl(basePath !== "" && (h === basePath || h.startsWith(`${basePath}/`)) ? `${base.origin}${h}` : `${baseUrl}${h}`);
    }
    return escapeUrl(new URL(h, base).href);
  } catch {
    return escapeUrl(h);
  }
}

/** Strips the trailing slash of a base URL; undefined stays undefined. */
export function normalizeBase(url: string | undefined): string | undefined {
  if (url === undefined || url.trim() === "") return undefined;
  return trimEndChars(url.trim(), "/");
}
