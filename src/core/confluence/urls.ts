/**
 * Confluence URLs: every page-URL form users paste (Cloud and Data Center), tiny links, and the
 * host check that keeps confluence_fetch from ever contacting anything but the configured wiki.
 *
 * A URL is only parsed here, never requested: whatever its form, SpecGate asks the configured
 * base for the page id or title it names. A URL on any other host is refused outright.
 */
import { SpecGateError } from "../../errors.js";
import type { ContentType } from "./types.js";
import { trimEndChars } from "../text.js";

/** What a URL names: a content id, or a title in a space. */
export type PageLocator =
  { kind: "id"; id: string; type?: ContentType } | { kind: "title"; spaceKey: string; title: string };

const SUPPORTED_FORMS =
  "…/wiki/spaces/KEY/pages/ID/Title, …/pages/viewpage.action?pageId=ID, …/display/KEY/Title, or a tiny link …/x/CODE";

const TINY_CODE = /^[A-Za-z0-9_-]{1,11}$/;
const DIGITS = /^[0-9]{1,20}$/;

/**
 * Decodes a Confluence tiny-link code (`/x/CODE`) to the page id: the id's 8 little-endian bytes
 * in base64 with `/`→`-`, `+`→`_`, padding and trailing `A`s removed.
 */
export function decodeTinyLink(code: string): string {
  if (!TINY_CODE.test(code))
    throw new SpecGateError("E_INVALID_INPUT", `"${code}" is not a Confluence tiny-link code.`);
  const b64 = code.replace(/-/g, "/").replace(/_/g, "+").padEnd(11, "A") + "=";
  const bytes = Buffer.from(b64, "base64");
  if (bytes.length !== 8) throw new SpecGateError("E_INVALID_INPUT", `"${code}" is not a Confluence tiny-link code.`);
  const id = bytes.readBigUInt64LE(0);
  if (id === 0n) throw new SpecGateError("E_INVALID_INPUT", `The tiny link "${code}" names no page.`);
  return id.toString();
}

/** The tiny-link code of a page id (the inverse of {@link decodeTinyLink}). */
export function encodeTinyLink(id: string): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(id));
  return bytes.toString("base64").replace(/=+$/, "").replace(/\//g, "-").replace(/\+/g, "_").replace(/A+$/, "");
}

/** True when `url` is on the configured host (hostname and effective port; the scheme may differ). */
export function isSameHost(url: URL, base: URL): boolean {
  return url.hostname.toLowerCase() === base.hostname.toLowerCase() && effectivePort(url) === effectivePort(base);
}

function effectivePort(u: URL): string {
  if (u.port) return u.port;
  return u.protocol === "http:" ? "80" : "443";
}

/**
 * Parses a page URL (absolute, or a path starting with `/`) into what it names. Throws
 * E_INVALID_INPUT for another host (nothing is contacted) or an unrecognised form.
 */
export function parsePageUrl(input: string, base: URL): PageLocator {
  let url: URL;
  try {
    url = /^[a-z][a-z0-9+.-]*:/i.test(input)
      ? new URL(input)
      : input.startsWith("/")
        ? new URL(input, base.origin)
        : new URL(`https://${input}`);
  } catch {
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `"${truncate(input)}" is not a URL. Use a page URL: ${SUPPORTED_FORMS}.`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new SpecGateError("E_INVALID_INPUT", `Only http(s) page URLs are accepted, not ${url.protocol}.`);
  }
  if (!isSameHost(url, base)) {
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `The URL points at ${url.host}, but confluence_fetch only reads the configured Confluence (${base.host}). Nothing was requested.`,
      { details: { reason: "foreign_host", host: url.host } },
    );
  }
  let path = trimEndChars(url.pathname, "/");
  const basePath = trimEndChars(base.pathname, "/");
  if (basePath && (path === basePath || path.startsWith(`${basePath}/`))) path = path.slice(basePath.length);
  const segments = path.split("/").filter(Boolean);
  const seg = (i: number) => segments[i] ?? "";

  const pageIdParam = url.searchParams.get("pageId");
  if (pageIdParam !== null) {
    if (!DIGITS.test(pageIdParam))
      throw new SpecGateError("E_INVALID_INPUT", `pageId "${truncate(pageIdParam)}" is not a page id.`);
    return { kind: "id", id: pageIdParam };
  }
  if (seg(0) === "x" && segments.length === 2) return { kind: "id", id: decodeTinyLink(seg(1)) };
  if (seg(0) === "spaces" && seg(2) === "pages") {
    const id = DIGITS.test(seg(3)) ? seg(3) : seg(3) === "edit-v2" && DIGITS.test(seg(4)) ? seg(4) : undefined;
    if (id) return { kind: "id", id };
  }
  if (seg(0) === "spaces" && seg(2) === "blog") {
    // …/blog/YYYY/MM/DD/ID/Title, or …/blog/ID/Title
    const rest = segments.slice(3);
    const dated = rest.length >= 4 && /^\d{4}$/.test(rest[0]!) && /^\d{2}$/.test(rest[1]!) && /^\d{2}$/.test(rest[2]!);
    const id = dated ? rest[3] : rest[0];
    if (id && DIGITS.test(id)) return { kind: "id", id, type: "blogpost" };
  }
  if (seg(0) === "pages" && seg(1) === "viewpage.action") {
    const spaceKey = url.searchParams.get("spaceKey");
    const title = url.searchParams.get("title");
    if (spaceKey && title) return { kind: "title", spaceKey, title };
  }
  if (seg(0) === "display" && segments.length === 3) {
    return { kind: "title", spaceKey: decodePlus(seg(1)), title: decodePlus(seg(2)) };
  }
  if (seg(0) === "display" && segments.length > 3) {
    throw new SpecGateError(
      "E_INVALID_INPUT",
      "Blog-post URLs of the /display/KEY/YYYY/MM/DD/Title form are not supported; pass the post's page_id.",
    );
  }
  throw new SpecGateError(
    "E_INVALID_INPUT",
    `Not a Confluence page URL: ${truncate(url.pathname)}. Supported forms: ${SUPPORTED_FORMS}.`,
  );
}

/** `/display/` titles encode spaces as `+` and a literal plus as `%2B`. */
function decodePlus(segment: string): string {
  try {
    return decodeURIComponent(segment.replace(/\+/g, " "));
  } catch {
    throw new SpecGateError("E_INVALID_INPUT", `Cannot decode "${truncate(segment)}" in the URL.`);
  }
}

/**
 * An API link from a response (`_links.next`, absolute or relative) as a path + query relative
 * to the wiki base, or undefined when it leaves the configured host.
 */
export function linkOnBase(link: string, base: URL): string | undefined {
  const basePath = trimEndChars(base.pathname, "/");
  let pathAndQuery: string;
  if (/^https?:\/\//i.test(link)) {
    const u = new URL(link);
    if (!isSameHost(u, base)) return undefined;
    pathAndQuery = u.pathname + u.search;
  } else if (link.startsWith("/")) pathAndQuery = link;
  else return undefined;
  if (basePath && pathAndQuery.startsWith(`${basePath}/`)) pathAndQuery = pathAndQuery.slice(basePath.length);
  return pathAndQuery;
}

/** The absolute web URL for a `_links.webui` path (falling back to the id form). */
export function webUrl(base: URL, webui: string | undefined, id: string): string {
  const root = trimEndChars(base.href, "/");
  if (webui && webui.startsWith("/") && !webui.startsWith("//")) return root + webui;
  if (webui && /^https?:\/\//i.test(webui)) {
    const u = new URL(webui);
    if (isSameHost(u, base)) return u.href;
  }
  return `${root}/pages/viewpage.action?pageId=${id}`;
}

/** `/spaces/KEY/…` → KEY (Cloud web paths carry the space key). */
export function spaceKeyFromWebPath(webui: string | undefined): string | undefined {
  const m = webui ? /^\/spaces\/([^/?#]+)/.exec(webui) : null;
  if (!m?.[1]) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return undefined;
  }
}

function truncate(s: string, max = 120): string {
  return s.length <= max ? s : `${s.slice(0, max)}…`;
}
