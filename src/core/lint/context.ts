/**
 * What every check reads: the parsed document, its rule statements, the ruleset, where the
 * template's sections are, and facts several checks share (computed once, on first use). A
 * rule's check is a plain function of this context (see rules/rule.ts for how it reports).
 */
import type { PatternProblem } from "../extract/pattern-check.js";
import type { MarkdownDocument } from "../markdown/document.js";
import type { SourceLines } from "../markdown/lines.js";
import type { RuleStatement } from "../markdown/rule-statements.js";
import type { Lang } from "./messages.js";
import type { CheckType } from "./rules/rule.js";
import type { Ruleset } from "./ruleset/compile.js";
import type { SectionKey } from "./ruleset/section-keys.js";
import type { UnidentifiedRule } from "./unidentified.js";

export interface CheckContext {
  doc: MarkdownDocument;
  statements: RuleStatement[];
  ruleset: Ruleset;
  /** Language of messages and inserted text: the document's. */
  lang: Lang;
  lines: SourceLines;
  /** Index in `doc.headings` of the title, when the document has one. */
  title: number | undefined;
  /** Index in `doc.headings` of each template section found. */
  sections: Partial<Record<SectionKey, number>>;
  checkType: CheckType;
  /** What parsing the rules' violation patterns found (done before the checks, see linter.ts). */
  patternProblems: readonly PatternProblem[];
  /** Rules written without an id in the design rules section (computed once). */
  unidentified(): readonly UnidentifiedRule[];
  /** A fact several rules need, computed by the first that asks (once per document). */
  shared<T>(key: string, compute: () => T): T;
}
