/**
 * Cache keys: namespace + producer version + either a readable part (for keys callers want to
 * invalidate by pattern, e.g. a page id) or a hash of the canonical JSON of the input.
 */
import { createHash, hash } from "node:crypto";
import { canonicalJson } from "../canonical-json.js";
import { VERSION } from "../version.js";
import type { CachePolicy } from "./policy.js";

export { canonicalJson };

/** Strings at least this long are hashed as they are, not escaped into the canonical JSON first. */
const RAW_STRING = 4096;
/** Characters of a long string handed to the hash at a time. */
const HASH_SLICE = 256 * 1024;

/**
 * SHA-256 of the value's canonical form: canonical JSON, except that a long string is written as
 * `s<length>:` followed by its UTF-16 code units. The length makes that unambiguous (a JSON value
 * never starts with `s`), and UTF-16 keeps every string distinct, lone surrogates included (and
 * lets a string be hashed in slices: code units are written one by one). The
 * point is the documents tools take: escaping a 1 MB document into JSON, then encoding it as
 * UTF-8, cost several times the hash itself.
 */
export function hashOf(value: unknown): string {
  const flat = flatCanonical(value);
  if (flat !== undefined) return sha256Key(flat);
  const pieces: string[] = [];
  const large: { at: number; text: string }[] = [];
  write(value, pieces, large);
  if (large.length === 0) return sha256Key(pieces.join(""));
  const h = createHash("sha256");
  let from = 0;
  for (const { at, text } of large) {
    h.update(pieces.slice(from, at).join("") + `s${text.length}:`);
    // In slices: the hash copies what it is given, and a 10 MB document would be a 20 MB copy.
    for (let i = 0; i < text.length; i += HASH_SLICE) h.update(text.slice(i, i + HASH_SLICE), "utf16le");
    from = at;
  }
  h.update(pieces.slice(from).join(""));
  return h.digest("base64url").slice(0, 32);
}

function sha256Key(text: string): string {
  return hash("sha256", text, "base64url").slice(0, 32);
}

/**
 * The canonical form of a plain object whose members are all numbers, booleans, null or short
 * strings (what most tools' keys are): the text {@link write} makes, without walking the value in
 * JavaScript. Keys already in order (a key function can list them so) are serialised by one plain
 * JSON.stringify, which keeps the order Object.keys gives. Undefined for anything else, and as
 * soon as the form is sure to pass `maxChars`: a caller that only wants short forms (arguments
 * not yet validated, which may hold any number of members) pays for no more than that.
 */
export function flatCanonical(value: unknown, maxChars = Number.POSITIVE_INFINITY): string | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return undefined;
  const record = value as Record<string, unknown>;
  const keys: string[] = [];
  let ordered = true;
  let chars = 2; // at least: the braces, each key quoted with its colon and comma, each value
  for (const k in record) {
    if (!Object.hasOwn(record, k)) continue;
    const v = record[k];
    if (v === undefined) continue; // left out, as JSON.stringify leaves it out
    if (typeof v === "string") {
      if (v.length >= RAW_STRING) return undefined;
      chars += v.length + 2;
    } else if (v === null || typeof v === "number" || typeof v === "boolean") chars += 1;
    else return undefined;
    chars += k.length + 4;
    if (chars > maxChars) return undefined;
    if (keys.length > 0 && keys[keys.length - 1]! > k) ordered = false;
    keys.push(k);
  }
  if (ordered) return JSON.stringify(record);
  let out = "{";
  for (const k of keys.sort()) out += `${out.length > 1 ? "," : ""}${JSON.stringify(k)}:${JSON.stringify(record[k])}`;
  return `${out}}`;
}

/** Appends the canonical form of `value` to `pieces`; a long string is noted in `large` instead. */
function write(value: unknown, pieces: string[], large: { at: number; text: string }[]): void {
  if (typeof value === "string" && value.length >= RAW_STRING) {
    large.push({ at: pieces.length, text: value });
  } else if (value === null || typeof value !== "object") {
    pieces.push(JSON.stringify(value) ?? "null");
  } else if (Array.isArray(value)) {
    pieces.push("[");
    value.forEach((v, i) => {
      if (i > 0) pieces.push(",");
      write(v === undefined ? null : v, pieces, large);
    });
    pieces.push("]");
  } else {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    pieces.push("{");
    keys.forEach((k, i) => {
      pieces.push(`${i > 0 ? "," : ""}${JSON.stringify(k)}:`);
      write(record[k], pieces, large);
    });
    pieces.push("}");
  }
}

/** The version segment of every key of a policy: producer version + package version. */
export function policyVersion(policy: CachePolicy): string {
  return `${policy.version}.${VERSION}`;
}

const READABLE = /^[\w.:@/+-]{1,200}$/;

/**
 * `namespace:version:part`; strings that are safe and short are kept readable, the rest is
 * hashed. A full key this function returned before is accepted as material and returned unchanged.
 */
export function cacheKey(policy: CachePolicy, material: unknown): string {
  const head = `${policy.namespace}:${policyVersion(policy)}:`;
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
