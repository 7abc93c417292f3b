/**
 * What every check reads: the parsed document, its rule statements, the ruleset, where the
 * template's sections are, and facts several checks share (computed once, on first use). A
 * rule's check is a plain function of this context (see rules/rule.ts for how it reports).
 */
import type { PatternProblem } from "../extract/pattern-check.js";
import type { MarkdownDocument } from "../markdown/document.js";
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

/** Random access to the source's lines (1-based) without splitting a 10 MB string up front. */
export class SourceLines {
  private starts: Uint32Array | undefined;
  private count = 0;

  constructor(readonly source: string) {}

  /** Text of line `n` (1-based) without its line break; "" beyond the end. */
  get(n: number): string {
    const starts = this.index();
    if (n < 1 || n > this.count) return "";
    const from = starts[n - 1]!;
    let to = n < this.count ? starts[n]! - 1 : this.source.length;
    if (to > from && this.source.charCodeAt(to - 1) === 13) to--;
    return this.source.slice(from, to);
  }

  /** Number of lines, counting a last line without a line break. */
  get length(): number {
    this.index();
    return this.count;
  }

  /** The last line (1-based) that is not blank, or 1. */
  lastContentLine(): number {
    for (let n = this.length; n >= 1; n--) if (this.get(n).trim() !== "") return n;
    return 1;
  }

  private index(): Uint32Array {
    if (this.starts) return this.starts;
    const s = this.source;
    let n = 1;
    for (let at = s.indexOf("\n"); at !== -1; at = s.indexOf("\n", at + 1)) n++;
    if (s.endsWith("\n")) n--;
    const starts = new Uint32Array(Math.max(n, 1));
    let k = 1;
    for (let at = s.indexOf("\n"); at !== -1 && k < n; at = s.indexOf("\n", at + 1)) starts[k++] = at + 1;
    this.count = s.length === 0 ? 0 : n;
    this.starts = starts;
    return starts;
  }
}
