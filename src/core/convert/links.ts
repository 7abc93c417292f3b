/**
 * Link targets: `ri:` resource identifiers (pages, attachments, URLs, users, spaces, blog posts)
 * and plain `href`/`src` values, made absolute against the wiki's base URL when one is given.
 */
import MarkdownIt, { type MarkdownIt as MarkdownItInstance } from "markdown-it";
import { escapeUrl } from "./escape.js";
import type { ResolvedOptions } from "./types.js";
import { trimEndChars } from "../text.js";

/** What a URL is written for: a link is followed, an image only loaded (so `data:image/*` may stay). */
export type UrlUse = "link" | "image";

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
      if (current?.kind === "attachment")
        return { ...current, pageTitle: a["ri:content-title"], space: a["ri:space-key"] ?? current.space };
      return { kind: "page", title: a["ri:content-title"], space: a["ri:space-key"], contentId: a["ri:content-id"] };
    case "ri:blog-post":
      return {
        kind: "blog-post",
        title: a["ri:content-title"],
        space: a["ri:space-key"],
        contentId: a["ri:content-id"],
      };
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
export function resourceUrl(r: Resource, o: ResolvedOptions, use: UrlUse = "link"): string | null {
  const url = locate(r, o, use);
  return url === null ? null : safeUrl(escapeUrl(url), use);
}

function locate(r: Resource, o: ResolvedOptions, use: UrlUse): string | null {
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
        return space
          ? `${base}/download/attachments/${enc(space)}/${encTitle(r.pageTitle)}/${enc(r.filename)}`
          : enc(r.filename);
      }
      return o.pageId ? `${base}/download/attachments/${enc(o.pageId)}/${enc(r.filename)}` : enc(r.filename);
    }
    case "url":
      return r.url ? absolutize(r.url, o.baseUrl, use) : null; // absolutize escapes; escaping twice is harmless
    case "space":
      return r.space ? `${base}/display/${enc(r.space)}` : null;
    case "user":
      return null;
  }
}

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
/** Schemes whose URLs run code when followed. */
const SCRIPT_SCHEMES: ReadonlySet<string> = new Set(["javascript", "vbscript"]);

/** C0 controls and space (which the WHATWG URL parser drops at the ends), and the white space `String#trim` drops. */
function isEdgeJunk(c: number): boolean {
  return c <= 0x20 || (c >= 0x7f && /\s/.test(String.fromCharCode(c)));
}

/**
 * A URL as every browser reads it before it looks for a scheme (the WHATWG URL parser's first
 * steps): leading and trailing C0 controls and spaces dropped, ASCII tab, LF and CR removed
 * anywhere — so `\u0001 java\tscript:` is `javascript:` to a browser, and to us. Unicode white
 * space at the ends goes too, as `String#trim` would drop it. (Loops, not an end-anchored regex,
 * which is quadratic on long runs of controls.)
 */
export function trimUrl(url: string): string {
  let start = 0;
  let end = url.length;
  while (start < end && isEdgeJunk(url.charCodeAt(start))) start++;
  while (end > start && isEdgeJunk(url.charCodeAt(end - 1))) end--;
  const inner = start === 0 && end === url.length ? url : url.slice(start, end);
  return /[\t\n\r]/.test(inner) ? inner.replace(/[\t\n\r]+/g, "") : inner;
}

let markdownUtils: MarkdownItInstance["utils"] | undefined;

/** A Markdown link destination as a CommonMark renderer reads it: backslash escapes and character references resolved. */
function renderedDestination(dest: string): string {
  if (!dest.includes("\\") && !dest.includes("&")) return dest;
  markdownUtils ??= MarkdownIt().utils;
  return markdownUtils.unescapeAll(dest);
}

function refused(url: string, use: UrlUse): boolean {
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return false;
  if (SCRIPT_SCHEMES.has(scheme)) return true;
  return scheme === "data" && (use === "link" || !/^data:image\//i.test(url));
}

/**
 * The one gate every URL the converter writes passes through: the destination, WHATWG-trimmed,
 * or `null` when following it could run code — `javascript:`, `vbscript:`, and `data:` (an image
 * may keep `data:image/*`). The scheme is decided on the URL as a browser normalises it, both as
 * written and as a Markdown renderer reads the destination back (`javascript\:` and
 * `javascript&#58;` are `javascript:` once rendered). A `null` URL keeps only its text.
 */
export function safeUrl(dest: string, use: UrlUse): string | null {
  const url = trimUrl(dest);
  if (refused(url, use)) return null;
  const rendered = renderedDestination(url);
  return rendered !== url && refused(trimUrl(rendered), use) ? null : url;
}

/**
 * Makes `href` absolute against the wiki's base URL: `/wiki/…` or `/spaces/…` style paths and
 * relative ones. Returns `null` for URLs that run code (see {@link safeUrl}), which must never
 * become links.
 */
export function absolutize(href: string, baseUrl: string | undefined, use: UrlUse = "link"): string | null {
  const h = trimUrl(href);
  if (SCHEME.test(h) || h === "" || h.startsWith("#") || baseUrl === undefined) return safeUrl(escapeUrl(h), use);
  return safeUrl(escapeUrl(resolve(h, baseUrl)), use);
}

function resolve(h: string, baseUrl: string): string {
  try {
    const base = new URL(`${baseUrl}/`);
    if (h.startsWith("//")) return `${base.protocol}${h}`;
    if (h.startsWith("/")) {
      const basePath = base.pathname.replace(/\/$/, "");
      return basePath !== "" && (h === basePath || h.startsWith(`${basePath}/`))
        ? `${base.origin}${h}`
        : `${baseUrl}${h}`;
    }
    return new URL(h, base).href;
  } catch {
    return h;
  }
}

/** Strips the trailing slash of a base URL; undefined stays undefined. */
export function normalizeBase(url: string | undefined): string | undefined {
  if (url === undefined || url.trim() === "") return undefined;
  return trimEndChars(url.trim(), "/");
}
