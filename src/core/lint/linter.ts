/**
 * The linter: a Markdown document + a compiled ruleset → score, grade, violations.
 *
 * `lintDocument` is pure and synchronous (linear in the document); `lint` is the async entry
 * point the tool, the CLI and the library share: it converts HTML first, picks the ruleset from
 * the document's language unless one is named, and runs `lintDocument`.
 *
 * Score = max(0, base_score − Σ deductions of the unsuppressed violations). Grade: `high` at or
 * above `high_quality`, `medium` at or above `medium_quality`, else `low`.
 */
import { parseMarkdown, type MarkdownDocument } from "../markdown/document.js";
import { findRuleStatements } from "../markdown/rule-statements.js";
import { normalizePriority } from "../spec/rule-terms.js";
import { throwIfAborted } from "../../errors.js";
import { assertText } from "../input-text.js";
import { CHECK_TYPE_CODES, LINT_CODES, type CheckType, type LintCode } from "./codes.js";
import { extractFromDocument } from "../extract/extract.js";
import { findPatternProblems, type PatternProblem } from "../extract/pattern-check.js";
import type { Lang } from "./messages.js";
import { LINT_RULES } from "./rules/index.js";
import type { Finding, LintRule, RuleContext } from "./rules/rule.js";
import type { Ruleset } from "./ruleset/compile.js";
import { defaultRulesetName, loadRuleset, type LoadRulesetOptions } from "./ruleset/load.js";
import { findSections, findTitle } from "./sections.js";
import { Suppressions } from "./suppressions.js";
import { findUnidentifiedRules, type UnidentifiedRule } from "./unidentified.js";
import type { LintGrade, LintResult, LintViolation, SuppressedViolation } from "./types.js";

export interface LintDocumentOptions {
  checkType?: CheckType | undefined;
  /** What parsing the rules' violation patterns found (see {@link lint}); reported as pattern_invalid. */
  patternProblems?: readonly PatternProblem[] | undefined;
  /** Reported violations are capped at this many (the score counts all); default unlimited. */
  maxViolations?: number | undefined;
}

export type InputFormat = "auto" | "markdown" | "html";

export interface LintOptions extends LintDocumentOptions, LoadRulesetOptions {
  /** A bundled ruleset name, a YAML path, or a compiled ruleset. Default: by document language. */
  ruleset?: string | Ruleset | undefined;
  /** How to read `content`; `auto` treats Confluence storage format and HTML documents as HTML. */
  format?: InputFormat | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Lints Markdown or HTML content. Throws SpecGateError: E_INVALID_INPUT for content that is not
 * text (NUL characters) or a bad ruleset, E_NOT_FOUND/E_FORBIDDEN for a ruleset path, and
 * whatever the HTML conversion throws. An empty document is not an error: it scores 0 (parsing_error).
 */
export async function lint(content: string, options: LintOptions = {}): Promise<LintResult> {
  const started = performance.now();
  throwIfAborted(options.signal);
  assertText(content, "The document");
  const html = isHtml(content, options.format ?? "auto");
  let markdown = content;
  let warnings = 0;
  if (html) {
    // The converter is loaded on the first HTML document: linting Markdown never needs it.
    const { convertHtml } = await import("../convert/index.js");
    const converted = await convertHtml(content, { signal: options.signal });
    markdown = converted.markdown;
    warnings = converted.warnings.length;
  }
  throwIfAborted(options.signal);
  const doc = parseMarkdown(markdown);
  const ruleset =
    typeof options.ruleset === "object"
      ? options.ruleset
      : await loadRuleset(options.ruleset ?? defaultRulesetName(doc.language), options);
  throwIfAborted(options.signal);
  // Violation patterns are parsed by ast-grep (a child process), so before the synchronous checks.
  const checkType = options.checkType ?? "full";
  const patternProblems =
    CHECK_TYPE_CODES[checkType].has("pattern_invalid") &&
    ruleset.severities.pattern_invalid !== "off" &&
    PATTERN_DETAIL.test(markdown)
      ? (await findPatternProblems(extractFromDocument(doc, { signal: options.signal }).rules, options.signal)).problems
      : [];
  const result = lintDocument(doc, ruleset, { ...options, patternProblems });
  result.stats.format = html ? "html" : "markdown";
  if (html) result.stats.conversion_warnings = warnings;
  result.stats.duration_ms = Math.round((performance.now() - started) * 100) / 100;
  return result;
}

/**
 * Whether content is HTML: explicit, or (auto) the content — after a BOM, whitespace and leading
 * HTML comments such as a `speclint-disable-file` directive — starts with an element. Confluence
 * storage and view HTML always do; a Markdown design document starts with its `#` title (and
 * storage markup quoted in its code blocks does not make it HTML).
 */
export function isHtml(content: string, format: InputFormat): boolean {
  if (format !== "auto") return format === "html";
  let at = 0;
  for (let guard = 0; guard < 100; guard++) {
    while (at < content.length && /[\s\uFEFF]/.test(content[at]!)) at++;
    if (!content.startsWith("<!--", at)) break;
    const end = content.indexOf("-->", at + 4);
    if (end === -1) return false;
    at = end + 3;
  }
  return /^<(?:[a-z][\w:-]*[\s>/]|!doctype\s)/i.test(content.slice(at, at + 64));
}

/** A rule detail that carries a violation pattern (as the rule-statement reader names them). */
const PATTERN_DETAIL = /(?:위반|금지|검증|코드)\s?패턴|(?:violation|forbidden|code|detection) patterns?/i;

/** Lints a parsed document against a compiled ruleset. Pure; linear in the document size. */
export function lintDocument(doc: MarkdownDocument, ruleset: Ruleset, options: LintDocumentOptions = {}): LintResult {
  const checkType = options.checkType ?? "full";
  const selected = CHECK_TYPE_CODES[checkType];
  const lang: Lang = doc.language;
  const { lines } = doc;
  const drafts: Draft[] = [];
  const title = findTitle(doc);
  const statements = checkType === "structure" ? [] : findRuleStatements(doc);
  const sections = findSections(doc, ruleset.sections, title);
  let unidentified: UnidentifiedRule[] | undefined;
  const facts = new Map<string, unknown>();
  let owner: LintRule = LINT_RULES[0];
  const ctx: RuleContext = {
    doc,
    statements,
    ruleset,
    lang,
    lines,
    title,
    sections,
    checkType,
    patternProblems: options.patternProblems ?? [],
    unidentified: () => (unidentified ??= findUnidentifiedRules(doc, statements, sections.design_rules_section)),
    shared: <T>(key: string, compute: () => T): T => {
      if (!facts.has(key)) facts.set(key, compute());
      return facts.get(key) as T;
    },
    // One shape for every draft (whatever keys a rule wrote), so sorting and rendering stay monomorphic.
    report: (f: Finding) =>
      void drafts.push({
        line: f.line,
        column: f.column,
        rule_id: f.rule_id,
        messageId: f.messageId,
        params: f.params,
        fix: f.fix,
        code: owner.code as LintCode,
        rule: owner,
      }),
  };

  // Each selected rule that the ruleset does not turn off, in registry order; a rule that
  // `halts` (the document cannot be read) and reports ends the run.
  for (const rule of LINT_RULES as readonly LintRule[]) {
    const code = rule.code as LintCode;
    if (!selected.has(code) || ruleset.severities[code] === "off") continue;
    const before = drafts.length;
    owner = rule;
    rule.check(ctx);
    if (rule.halts && drafts.length > before) break;
  }

  const suppressions = Suppressions.read(doc, lines);
  const violations: LintViolation[] = [];
  const suppressed: SuppressedViolation[] = [];
  for (const d of drafts.sort(byPosition)) {
    const v = toViolation(d, ruleset, lang);
    const s = suppressions.size > 0 ? suppressions.match(v) : undefined;
    if (s) suppressed.push({ ...v, suppression: s });
    else violations.push(v);
  }
  const deducted = violations.reduce((sum, v) => sum + v.deduction, 0);
  const score = Math.max(0, Math.round((ruleset.baseScore - deducted) * 10) / 10);
  const max = options.maxViolations ?? Number.POSITIVE_INFINITY;
  const must = statements.filter((s) => s.typeText !== undefined && normalizePriority(s.typeText) === "MUST").length;
  return {
    score,
    grade: gradeOf(score, ruleset),
    violations: violations.length > max ? violations.slice(0, max) : violations,
    suppressed: suppressed.length > max ? suppressed.slice(0, max) : suppressed,
    stats: {
      language: lang,
      ruleset: ruleset.name,
      check_type: checkType,
      lines: lines.length,
      headings: doc.headings.length,
      rules: statements.length,
      must_rules: must,
      code_blocks: doc.blocks.filter((b) => b.kind === "code").length,
      violations: violations.length,
      suppressed: suppressed.length,
      deducted,
      ...(violations.length > max || suppressed.length > max
        ? { omitted: Math.max(0, violations.length - max) + Math.max(0, suppressed.length - max) }
        : {}),
    },
  };
}

export function gradeOf(score: number, ruleset: Pick<Ruleset, "thresholds">): LintGrade {
  if (score >= ruleset.thresholds.high) return "high";
  if (score >= ruleset.thresholds.medium) return "medium";
  return "low";
}

/** A finding with the rule that reported it. */
interface Draft extends Finding {
  code: LintCode;
  rule: LintRule;
}

function toViolation(d: Draft, ruleset: Ruleset, lang: Lang): LintViolation {
  const { code, rule } = d;
  const severity = ruleset.severities[code];
  const v: LintViolation = {
    code,
    severity: severity === "off" ? "info" : severity,
    message: rule.messages[d.messageId]![lang](d.params ?? {}),
    line: d.line,
    ...(d.column === undefined ? {} : { column: d.column }),
    ...(d.rule_id === undefined ? {} : { rule_id: d.rule_id }),
    suggestion: ruleset.suggestions[code] ?? rule.suggestion[lang],
    deduction: ruleset.deductions[code],
  };
  if (d.fix) v.fix = d.fix;
  return v;
}

const ORDER = new Map<string, number>(LINT_CODES.map((c, i) => [c, i]));

function byPosition(a: Draft, b: Draft): number {
  return a.line - b.line || (a.column ?? 0) - (b.column ?? 0) || ORDER.get(a.code)! - ORDER.get(b.code)!;
}
