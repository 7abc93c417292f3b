/**
 * Tool metadata of the lint codes (SARIF `rules[]`, docs links). The summaries live in the rule
 * modules (rules/<code>.ts); the full pages are docs/rules/<code>.md, generated from them.
 */
import type { LintCode } from "./codes.js";
import { LINT_RULES } from "./rules/index.js";
import { trimEndChars } from "../text.js";

export const CODE_SUMMARIES: Readonly<Record<LintCode, string>> = Object.fromEntries(
  LINT_RULES.map((r) => [r.code, r.summary]),
) as Record<LintCode, string>;

/** `scope_missing` → `ScopeMissing` (SARIF reportingDescriptor.name). */
export function codeName(code: string): string {
  return code.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
}

/**
 * Where SpecGate's documentation is published: SARIF `helpUri`s are `<docs>/rules/<code>.md` and
 * the tool's `informationUri` is `<docs>/speclint.md`. SARIF requires absolute URIs there (SARIF 2.1.0 §3.49.12,
 * `format: uri`), so the default is the project's public repository; teams whose copy of the docs
 * lives elsewhere (a fork, GitHub Enterprise, an internal mirror) set `SPECGATE_DOCS_URL` or pass
 * `specgate lint --docs-url`. See docs/speclint.md ("Rule documentation links").
 */
export const DEFAULT_DOCS_URL = "https://github.com/specgate/specgate/blob/main/docs";

/** `base` without trailing slashes. */
function docsBase(base: string | undefined): string {
  return trimEndChars(base ?? DEFAULT_DOCS_URL, "/");
}

/** The documentation page of a lint code: `<docs>/rules/<code>.md`. */
export function ruleHelpUri(code: string, docsUrl?: string): string {
  return `${docsBase(docsUrl)}/rules/${code}.md`;
}

/** The linter's own documentation page: `<docs>/speclint.md`. */
export function linterInformationUri(docsUrl?: string): string {
  return `${docsBase(docsUrl)}/speclint.md`;
}
