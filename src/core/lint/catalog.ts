/**
 * One line per lint code for tool metadata (SARIF `rules[]`, docs). The full pages with a wrong
 * and a right example are docs/rules/<code>.md.
 */
import type { LintCode } from "./codes.js";
import { trimEndChars } from "../text.js";

export const CODE_SUMMARIES: Readonly<Record<LintCode, string>> = {
  parsing_error: "The document cannot be read: it is empty, or an unclosed code fence swallows its headings.",
  title_format_mismatch: "The title is missing or not '# <Project> <Type> 설계서' ('… Design Document' in English).",
  design_rules_missing: "There is no design rules section (설계 규칙 / Design Rules).",
  technical_spec_missing: "There is no technical spec section (기술 스펙 / Technical Specification).",
  change_history_missing: "There is no change history section (변경 이력 / Change History), or it records nothing.",
  no_rules_found: "The document states no rule in the form **RULE-AREA-NNN** (TYPE): text.",
  rule_id_format_mismatch: "A rule id is not a bold RULE-AREA-NNN with a known area, repeats an earlier id, or a rule has no id.",
  rule_type_mismatch: "A rule's (TYPE) is missing, not MUST/SHOULD/MUST NOT/MAY/SHOULD NOT, or contradicts its sub-section.",
  scope_missing: "A rule has no scope (적용 범위 / Scope) sub-item.",
  reason_missing: "A rule has no rationale (근거 / Rationale) sub-item.",
  reference_missing: "A rule has no reference (참조 / Reference) sub-item.",
  rule_content_too_short: "A rule's statement is too short to be specific.",
  design_rules_insufficient: "There are fewer than 3 MUST rules.",
  design_rules_keywords_missing: "The design rules section uses none of the MUST/SHOULD/MAY keywords.",
  rule_spec_relation_missing: "No rule refers to the technical spec and the spec names no rule.",
  code_example_missing: "The document has no code example (a fenced code block other than a diagram).",
  pattern_invalid: "A rule's violation pattern parses neither as code of the rule's language nor as a regex, so it cannot be a check.",
};

/** `scope_missing` → `ScopeMissing` (SARIF reportingDescriptor.name). */
export function codeName(code: string): string {
  return code.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
}

/**
 * Where SpecGate's documentation is published: SARIF `helpUri`s are `<docs>/rules/<code>.md` and
 * the tool's `informationUri` is `<docs>/speclint.md`. SARIF requires absolute URIs there (§3.49.12,
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
