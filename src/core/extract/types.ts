/** Shapes of rule extraction: options, the result, and the internal rule draft. */
import type { DesignRuleSpec, Priority } from "../spec/design-rule-spec.js";
import type { Conflict, Duplicate } from "./analysis.js";
import type { ScopePatterns } from "./scope.js";

export interface ExtractSource {
  /** Document id (e.g. a Confluence page id or a file path); becomes `source.document`. */
  id?: string | undefined;
  title?: string | undefined;
  url?: string | undefined;
}

export interface ExtractOptions {
  source?: ExtractSource | undefined;
  signal?: AbortSignal | undefined;
  /** Name for `source.document` when the source has no id or title and the document no `# title`. */
  defaultDocument?: string | undefined;
  /** Drop rules whose reliability is below this (0-100) before duplicates and conflicts are looked for. */
  minReliability?: number | undefined;
  /**
   * `upper-case` (default): English keywords count in upper case only (RFC 8174). `any-case`:
   * lower-case must/shall/should and "is required/recommended" count too, for design documents
   * that do not follow RFC 2119; those rules get half the reliability points.
   */
  keywords?: KeywordCase | undefined;
}

export type KeywordCase = "upper-case" | "any-case";

export interface ExtractWarning {
  /** Stable code: `no_rules`, `priority_inferred`, `priority_unknown`, `id_normalised`, `empty_rule_text`, `non_rule_section`, `conversion`. */
  code: string;
  message: string;
  line?: number | undefined;
  document?: string | undefined;
}

/** Why sentences that read like rules were not taken (counts). */
export interface RejectedCounts {
  question: number;
  past_tense: number;
  too_short: number;
  /** Korean "…할 수 있다" sentences that describe what one can see or what follows from a condition. */
  description: number;
  bad_example: number;
  blockquote: number;
  checklist: number;
  non_rule_section: number;
  change_history: number;
}

export interface ExtractStats {
  documents: number;
  rules: number;
  standardized: number;
  keyword: number;
  by_priority: Record<Priority, number>;
  by_area: Record<string, number>;
  duplicates: number;
  conflicts: number;
  /** Rules left out by `min_reliability`. */
  below_min_reliability: number;
  rejected: RejectedCounts;
  lines: number;
  bytes: number;
  duration_ms: number;
}

export interface ExtractResult {
  rules: DesignRuleSpec[];
  conflicts: Conflict[];
  duplicates: Duplicate[];
  warnings: ExtractWarning[];
  stats: ExtractStats;
}

/** A rule before ids, reliability and drift weights are settled. */
export interface RuleDraft {
  /** The final id when the document gave a usable one; generated otherwise. */
  ruleId: string | undefined;
  idAsWritten: string | undefined;
  idQuality: "valid" | "normalised" | "none";
  priority: Priority;
  form: "standardized" | "inferred" | "keyword";
  area: string;
  areaGuessed: boolean;
  description: string;
  /** What the title is made from when it is not the description (a lead-in without its list, a field marker). */
  title?: string | undefined;
  scopeText: string;
  patterns: ScopePatterns;
  scopeStated: boolean;
  /** Regular expressions matching violating code (`위반 패턴` / `Violation pattern` details). */
  codePatterns?: string[];
  /** Structural (ast-grep) patterns of violating code, from the same details. */
  structuralPatterns?: string[];
  rationale: string;
  references: string[];
  line: number;
  /** Heading index the rule sits under (-1 if none). */
  section: number;
  keyword: string | undefined;
  /** Found by a lower-case keyword (the any-case opt-in): half the reliability points. */
  lowerCase?: boolean | undefined;
}

export function emptyRejected(): RejectedCounts {
  return {
    question: 0,
    past_tense: 0,
    too_short: 0,
    description: 0,
    bad_example: 0,
    blockquote: 0,
    checklist: 0,
    non_rule_section: 0,
    change_history: 0,
  };
}
