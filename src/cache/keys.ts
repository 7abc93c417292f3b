/**
 * Cache keys: kind + producer version + either a readable part (for keys callers want to
 * invalidate by pattern, e.g. a Confluence page id) or a hash of the canonical JSON of the input.
 */
import { hash } from "node:crypto";
import { VERSION } from "../version.js";
import { PRODUCER_VERSIONS, type CacheKind } from "./types.js";

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` hash alike. `undefined` members are dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const keys = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
}

export function hashOf(value: unknown): string {
  return hash("sha256", canonicalJson(value), "base64url").slice(0, 32);
}

/** The version segment of every key of a kind: producer version + package version. */
export function kindVersion(kind: CacheKind): string {
  return `${PRODUCER_VERSIONS[kind]}.${VERSION}`;
}

const READABLE = /^[\w.:@/+-]{1,200}$/;

/**
 * `kind:version:part`; strings that are safe and short are kept readable, the rest is hashed.
 * A full key this function returned before is accepted as material and returned unchanged.
 */
export function cacheKey(kind: CacheKind, material: unknown): string {
  const head = `${kind}:${kindVersion(kind)}:`;
  if (typeof material === "string" && material.startsWith(head)) return material;
  const part = typeof material === "string" && READABLE.test(material) ? material : `h:${hashOf(material)}`;
  return head + part;
}

/**
 * A matcher for a glob (`*` any run, `?` one character, everything else literal) over a whole
 * string. Not a RegExp: `^.*a.*a.*a…$` backtracks exponentially on a caller's pattern like
 * `*a*a*a*a*a*a*a*a*b`. This is the classic two-pointer wildcard match, which only ever
 * backtracks to the last `*`: O(pattern × text) at worst, linear in practice.
 */
export function globMatcher(glob: string): (text: string) => boolean {
  const pattern = [...glob];
  return (text) => {
    const s = [...text];
    let p = 0;
    let i = 0;
    let star = -1;
    let mark = 0;
    while (i < s.length) {
      if (p < pattern.length && (pattern[p] === "?" || (pattern[p] !== "*" && pattern[p] === s[i]))) {
        p++;
        i++;
      } else if (p < pattern.length && pattern[p] === "*") {
        star = p++;
        mark = i;
      } else if (star !== -1) {
        p = star + 1;
        i = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length && pattern[p] === "*") p++;
    return p === pattern.length;
  };
}
