/**
 * The contract of a lint rule: one module per lint code (`rules/<code>.ts`) holds everything
 * about the code — its default severity, the check types that run it, its one-line summary, its
 * messages and built-in suggestion, the check itself, and the prose of its documentation page.
 * The registry (rules/index.ts) lists the modules; the codes, the SARIF `rules[]`, the messages
 * and the docs/rules pages are all derived from it.
 */
import type { CheckContext } from "../context.js";
import type { Lang } from "../messages.js";
import type { LintFix, LintSeverity } from "../types.js";

export const CHECK_TYPES = ["full", "basic", "structure"] as const;
export type CheckType = (typeof CHECK_TYPES)[number];

export type MessageParams = Record<string, string | number>;
/** A message in both languages of the template. */
export type MessageTemplate = { ko: (p: MessageParams) => string; en: (p: MessageParams) => string };

/** What a check reports: the linter adds the code, severity, texts and deduction. */
export interface Finding<M extends string = string> {
  line: number;
  column?: number | undefined;
  rule_id?: string | undefined;
  messageId: M;
  params?: MessageParams | undefined;
  fix?: LintFix | undefined;
}

/** What a rule's check receives: the shared context plus a `report` bound to the rule. */
export interface RuleContext<M extends string = string> extends CheckContext {
  report(finding: Finding<M>): void;
}

/** The prose of the rule's page (docs/rules/<code>.md); the table and "Tuning" are generated. */
export interface RuleDocs {
  /** One or two sentences under the title. */
  lead: string;
  /** Notes after a check type in the page's table, e.g. `{ structure: "heading only" }`. */
  checkTypeNotes?: Partial<Record<CheckType, string>>;
  /** Bold-titled paragraphs, in order: "When it fires", "Where it is reported", "Fix", …. */
  paragraphs: readonly (readonly [title: string, text: string])[];
  /** A document the check flags, and the same document corrected (both are tested). */
  wrong: string;
  right: string;
}

export interface LintRule<C extends string = string, M extends string = string> {
  code: C;
  /** Severity when a ruleset does not set one. */
  severity: LintSeverity;
  /** The check types that run this code (`full` runs every code). */
  checkTypes: readonly CheckType[];
  /** One line for tool metadata (SARIF `rules[].shortDescription`). */
  summary: string;
  /** Messages by id; a finding names one. Each says what is wrong and where. */
  messages: Readonly<Record<M, MessageTemplate>>;
  /** What to do, when the ruleset has no `improvement_suggestions` text for the code. */
  suggestion: Readonly<Record<Lang, string>>;
  /**
   * Deduction used when a ruleset does not name the code (codes added after the reference
   * ruleset, so rulesets written before them keep loading). Without it, rulesets must name it.
   */
  laterDeduction?: number;
  /** When the check reports anything, no other check runs (the document cannot be read). */
  halts?: boolean;
  /** Reports through `ctx.report`; fixes ride on the findings. Pure and linear in the document. */
  check(ctx: RuleContext<M>): void;
  docs: RuleDocs;
}

/** Identity helper that keeps the literal code and message ids of a rule module. */
export function defineRule<const C extends string, M extends string>(rule: LintRule<C, M>): LintRule<C, M> {
  return rule;
}
