/**
 * The two kinds of violation pattern a design document may write, told apart by syntax alone
 * (no parser, so every reader of a document — extraction, lint, generation — agrees):
 *
 * 1. `/…/` (optionally with flags `i`, `m`, `s`) → a **regex**, written explicitly.
 * 2. an ast-grep metavariable (`$NAME`, `$$$ARGS`, `$_`, `$$$`) → **structural**.
 * 3. regex-only syntax (an escape such as `\(` or `\.`, `.*` / `.+` / `.?`, a character class
 *    `[…]`, a group `(?…`, `|`, a leading `^` or trailing `$`, a `{n}` quantifier) → **regex**.
 * 4. code punctuation (`(`, `)`, `{`, `}`, `;`, `=`, `=>`) → **structural**: `console.log(x)`
 *    read as a regex would look for "console.logx".
 * 5. anything else (words, dots, `@`, quotes) → **regex**: a text search.
 *
 * Whether the pattern then *parses* — as code of the rule's language, or as a regex — is checked
 * by {@link ../astgrep/validate.ts}; a pattern that does not is reported, never emitted.
 */

export type PatternKind = "structural" | "regex";

export interface ClassifiedPattern {
  kind: PatternKind;
  /** The pattern to run: the text between the slashes for `/…/`. */
  text: string;
  /** Which of the rules above decided (for messages and docs). */
  reason: "slashes" | "metavariable" | "regex_syntax" | "code_punctuation" | "plain_text";
  /** Regex flags written after `/…/`. */
  flags?: string;
}

/** Longest pattern accepted from a document or a candidate. */
export const MAX_PATTERN_LENGTH = 4000;
/** Most metavariables one structural pattern may use. */
export const MAX_METAVARIABLES = 200;

const SLASHED = /^\/(.+)\/([ims]*)$/s;
const METAVARIABLE = /(?<!\\)\$(?:\$\$)?(?:[A-Z_][A-Z0-9_]*)?(?![a-z0-9])/g;
const REGEX_SYNTAX = /\\[^\s]|\.[*+?]|\(\?|\||^\^|\$$|[)\]][*+?]|\{\d+(?:,\d*)?\}/;
const CODE_PUNCTUATION = /[(){};=]/;

export function classifyPattern(raw: string): ClassifiedPattern {
  const text = raw.trim();
  const slashed = SLASHED.exec(text);
  if (slashed)
    return { kind: "regex", text: slashed[1]!, reason: "slashes", ...(slashed[2] ? { flags: slashed[2] } : {}) };
  if (metavariables(text).length > 0) return { kind: "structural", text, reason: "metavariable" };
  if (REGEX_SYNTAX.test(text) || hasCharacterClass(text)) return { kind: "regex", text, reason: "regex_syntax" };
  if (CODE_PUNCTUATION.test(text)) return { kind: "structural", text, reason: "code_punctuation" };
  return { kind: "regex", text, reason: "plain_text" };
}

/** A `[…]` character class: an opening bracket with a closing one after it. */
function hasCharacterClass(text: string): boolean {
  const open = text.indexOf("[");
  return open >= 0 && text.indexOf("]", open + 1) > open;
}

/** The metavariables of a structural pattern, as written (`$A`, `$$$ARGS`, `$_`, `$$$`). */
export function metavariables(pattern: string): string[] {
  return [...pattern.matchAll(METAVARIABLE)].map((m) => m[0]).filter((m) => m !== "$" && m !== "$$");
}

/**
 * Problems that need no parser: length, the number of metavariables, and (for a regex) whether
 * it compiles as a regex (JavaScript's reading, close to Semgrep's).
 */
export function patternShapeProblem(p: ClassifiedPattern): string | undefined {
  if (!p.text) return "the pattern is empty";
  if (p.text.length > MAX_PATTERN_LENGTH)
    return `the pattern is ${p.text.length} characters long; the limit is ${MAX_PATTERN_LENGTH}`;
  if (p.kind === "structural") {
    const count = metavariables(p.text).length;
    if (count > MAX_METAVARIABLES) return `the pattern uses ${count} metavariables; the limit is ${MAX_METAVARIABLES}`;
    return undefined;
  }
  try {
    new RegExp(p.text, (p.flags ?? "").replace(/[^ims]/g, ""));
  } catch (error) {
    return `it does not compile as a regex (${(error as Error).message.replace(/^Invalid regular expression: /, "")})`;
  }
  return undefined;
}

/** Why ast-grep's regex engine cannot run a regex that compiles elsewhere: look-around, back-references. */
export function astGrepRegexProblem(p: ClassifiedPattern): string | undefined {
  if (p.kind !== "regex") return undefined;
  return /\(\?<?[=!]|\\[1-9]|\\k</.test(p.text)
    ? "it uses look-around or a back-reference, which ast-grep's regex engine does not support"
    : undefined;
}

/** The regex with its flags inline (`(?i)…`), as ast-grep and Semgrep read it. */
export function inlineFlags(p: ClassifiedPattern): string {
  return p.flags ? `(?${p.flags})${p.text}` : p.text;
}

/**
 * The Semgrep form of a structural pattern: `$$$ARGS` → `$...ARGS`, `$$$` → `...`, `$$X` → `$X`.
 * Semgrep and ast-grep agree on `$X` and `$_`.
 */
export function toSemgrepPattern(pattern: string): string {
  return pattern
    .replace(/(?<!\\)\$\$\$([A-Z_][A-Z0-9_]*)?/g, (_, name: string | undefined) => (name ? `$...${name}` : "..."))
    .replace(/(?<!\\)\$\$([A-Z_])/g, "$$$1");
}
