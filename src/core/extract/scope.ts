/**
 * Scope text → patterns a generator can use. The scope text is split into tokens at white
 * space, commas, semicolons and Korean/English list words; each token is classified on its own
 * with short anchored regexes (linear time):
 *
 * - `@RestController`, `@app.route` → annotation_patterns
 * - globs and paths: `src/api/**`, `**\/*.ts` as written; a directory — relative (`./lib`), under
 *   a known source root (`src/api`), or written with a trailing slash (`controller/`) — becomes
 *   everything under it (`./lib/**`, `src/api/**`, `**\/controller/**`); a file path or name with a
 *   source/config extension (`pom.xml`, `src/main.ts`) as written → file_patterns
 * - dotted lower-case identifiers (`com.example.api`, `app.routes`) → package_patterns, unless the
 *   last part is a top-level domain (`api.github.com` is a host) or a file extension
 * - HTTP routes (`/api/v1/users`), words and anything else stay in the text only.
 *
 * The scope `text` is always kept as written.
 */
import { trimEndChars } from "../text.js";

export interface ScopePatterns {
  file_patterns: string[];
  package_patterns: string[];
  annotation_patterns: string[];
}

const BRACE_LIST = /\{[^{}\s,]*,[^{}\s]*\}/;
/**
 * A character every pattern below needs (`@`, a path's `/`, a glob's `*` `?` `{`, or a dot before
 * an extension or a package name's next part). Trimming only takes characters off a token's ends,
 * so a token without one is prose whatever it is trimmed to: most words of a document.
 */
const MAY_BE_PATTERN = /[@/*?{]|\.[\w-]/;
const ANNOTATION = /^@[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*(?:\(\))?$/;
const PATH_CHARS = /^[\w.\-*?{}[\]/!,]+$/;
const GLOB = /[*?]|\{[^}]*\}/;
/** First path segments that make `a/b` a path rather than prose ("read/write", "client/server"). */
const SOURCE_ROOTS = new Set([
  "src",
  "lib",
  "app",
  "apps",
  "packages",
  "pkg",
  "cmd",
  "internal",
  "tests",
  "specs",
  "scripts",
  "configs",
  "modules",
  "components",
  "services",
  "controllers",
  "docs",
]);
const FILE_EXT =
  /\.(?:ts|tsx|js|jsx|mjs|cjs|java|kt|kts|py|go|rb|rs|cs|cpp|cc|c|h|hpp|swift|scala|php|vue|svelte|sql|json|ya?ml|toml|xml|gradle|properties|md|mdc|sh|proto|graphql|html|css|scss|tf)$/i;
const FRAMEWORK_NAMES =
  /^(?:node|next|nuxt|vue|react|express|nest|three|d3|chart|moment|ember|backbone|angular|socket\.io)\.js$/i;
const PACKAGE = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+(?:\.\*{1,2})?$/;
const TLDS = new Set([
  "com",
  "net",
  "org",
  "io",
  "dev",
  "kr",
  "co",
  "ai",
  "app",
  "gov",
  "edu",
  "info",
  "biz",
  "me",
  "cloud",
  "jp",
  "uk",
  "de",
]);

/** Classifies the tokens of a scope text into patterns (deduplicated, in order of appearance). */
export function scopePatterns(text: string): ScopePatterns {
  const out: ScopePatterns = { file_patterns: [], package_patterns: [], annotation_patterns: [] };
  if (!text) return out;
  const add = (list: string[], value: string) => {
    if (!list.includes(value)) list.push(value);
  };
  for (const raw of tokens(text)) {
    if (raw.length > 240 || !MAY_BE_PATTERN.test(raw)) continue;
    const token = trimToken(raw);
    if (token.length < 2) continue;
    if (ANNOTATION.test(token)) {
      add(out.annotation_patterns, token.replace(/\(\)$/, ""));
      continue;
    }
    const file = filePattern(token);
    if (file) {
      add(out.file_patterns, file);
      continue;
    }
    if (PACKAGE.test(token)) {
      const parts = token.replace(/\.\*{1,2}$/, "").split(".");
      const last = parts[parts.length - 1]!;
      if (!TLDS.has(last) && !FILE_EXT.test(`.${last}`) && parts.every((p) => p.length >= 2))
        add(out.package_patterns, token);
    }
  }
  return out;
}

/** A file glob for a token, or undefined when the token is no path (routes start with `/`). */
function filePattern(token: string): string | undefined {
  if (token.startsWith("/") || token.includes("://") || !PATH_CHARS.test(token)) return undefined;
  if (!/[a-z*]/i.test(token)) return undefined;
  if (token.endsWith("/")) {
    const base = trimEndChars(token, "/");
    if (!base) return undefined;
    return `${base.includes("/") || base.startsWith(".") || base.startsWith("*") ? base : `**/${base}`}/**`;
  }
  if (GLOB.test(token)) return token;
  const slash = token.indexOf("/");
  const relative = token.startsWith("./") || token.startsWith("../");
  if (relative || slash > 0) {
    if (FILE_EXT.test(token)) return token;
    // A directory: everything under it.
    if (relative || SOURCE_ROOTS.has(token.slice(0, slash))) return `${token}/**`;
    return undefined;
  }
  if (FILE_EXT.test(token) && !FRAMEWORK_NAMES.test(token) && /^[\w.-]+$/.test(token) && !/^\d/.test(token))
    return token;
  return undefined;
}

/** White-space separated words, further split at commas unless the commas are a glob's `{a,b}`. */
function tokens(text: string): string[] {
  const out: string[] = [];
  for (const word of text.split(/\s+/)) {
    if (!word) continue;
    if (BRACE_LIST.test(word)) out.push(word);
    else for (const part of word.split(/[,;、，]+/)) if (part) out.push(part);
  }
  return out;
}

/** Strips quotes, backticks, brackets and trailing punctuation around a token. */
function trimToken(token: string): string {
  let t = token.trim();
  // Korean particles glued to a pattern: `src/api/**`의, @RestController가
  t = t.replace(/(?<=[^가-힣\s])[가-힣]{1,3}$/, "");
  t = t.replace(/^[`'"“‘(<[]+/, "").replace(/[`'"”’)>\],;]+$/, "");
  t = t.replace(/[.:：。]+$/, "");
  if (t.startsWith("{") && !t.includes("}")) t = t.slice(1);
  if (t.endsWith("}") && !t.includes("{")) t = t.slice(0, -1);
  return t;
}
