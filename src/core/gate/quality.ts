/**
 * The document-quality half of the gate: `lint` is either a speclint result (`{score, grade?,
 * violations?}`) or a design document to lint first (`{content, ruleset?, check_type?, format?,
 * id?}`). Grade `high` → PASS, `medium` → WARNING, `low` → FAIL; the gate's overall decision is the
 * worse of this and the drift decision. See docs/gate.md ("The document-quality gate").
 */
import { SpecGateError } from "../../errors.js";
import { CHECK_TYPES, type CheckType } from "../lint/rules/rule.js";
import { lint as lintContent, type InputFormat } from "../lint/linter.js";
import type { LoadRulesetOptions } from "../lint/ruleset/load.js";
import type { LintGrade, LintResult } from "../lint/types.js";
import type { Decision, QualityGate } from "./types.js";

/** A speclint result (only `score` is required). */
export interface LintInput {
  score: number;
  grade?: LintGrade | undefined;
  violations?: readonly unknown[] | undefined;
}

/** A design document the gate lints itself. */
export interface LintDocumentInput {
  /** Markdown, or HTML / Confluence storage XHTML (converted first). */
  content: string;
  /** A bundled ruleset (`specgate`, `specgate-en`) or a YAML file; default: by the document's language. */
  ruleset?: string | undefined;
  check_type?: CheckType | undefined;
  format?: InputFormat | undefined;
  /** The document's name (a path, a page id), echoed in `quality_gate.document`. */
  id?: string | undefined;
}

export type GateLint = LintInput | LintDocumentInput;

/** Lints a document for the gate; the MCP tool passes one that uses its cache. */
export type LintRunner = (doc: LintDocumentInput, signal: AbortSignal | undefined) => Promise<LintResult>;

const FORMATS = ["auto", "markdown", "html"] as const;
/** Problems listed in `quality_gate.top` at most. */
export const MAX_QUALITY_TOP = 5;

export function isLintDocument(value: unknown): value is LintDocumentInput {
  return value !== null && typeof value === "object" && !Array.isArray(value) && "content" in value;
}

/**
 * The quality gate of `lint`, linting the document first when one is given. Throws
 * E_INVALID_INPUT naming `lint.<field>` for a malformed value, and whatever linting throws (a bad
 * ruleset, content that is not text).
 */
export async function resolveQualityGate(
  value: GateLint | undefined | null,
  options: {
    signal?: AbortSignal | undefined;
    lintDocument?: LintRunner | undefined;
    rulesets?: LoadRulesetOptions | undefined;
  } = {},
): Promise<QualityGate | undefined> {
  if (value === undefined || value === null) return undefined;
  if (!isLintDocument(value)) return qualityGate(value, undefined);
  const doc = checkDocument(value);
  const run: LintRunner =
    options.lintDocument ??
    ((d, signal) =>
      lintContent(d.content, {
        ...options.rulesets,
        ruleset: d.ruleset,
        checkType: d.check_type,
        format: d.format,
        signal,
      }));
  const result = await run(doc, options.signal);
  return qualityGate(result, doc.id);
}

function checkDocument(value: LintDocumentInput): LintDocumentInput {
  const bad = (field: string, expected: string) =>
    new SpecGateError("E_INVALID_INPUT", `lint.${field} must be ${expected}.`, { details: { path: `lint.${field}` } });
  const v = value as unknown as Record<string, unknown>;
  if ("score" in v) {
    throw new SpecGateError(
      "E_INVALID_INPUT",
      "lint is either a speclint result {score, grade, violations} or a document to lint {content, ruleset?, check_type?}, not both.",
      {
        details: { path: "lint" },
      },
    );
  }
  if (typeof v.content !== "string") throw bad("content", "the design document as a string (Markdown or HTML)");
  if (v.ruleset !== undefined && (typeof v.ruleset !== "string" || v.ruleset === ""))
    throw bad("ruleset", "a ruleset name (specgate, specgate-en) or a YAML file");
  if (v.check_type !== undefined && !(CHECK_TYPES as readonly unknown[]).includes(v.check_type))
    throw bad("check_type", `one of ${CHECK_TYPES.join(", ")}`);
  if (v.format !== undefined && !(FORMATS as readonly unknown[]).includes(v.format))
    throw bad("format", `one of ${FORMATS.join(", ")}`);
  if (v.id !== undefined && typeof v.id !== "string") throw bad("id", "a string");
  return value;
}

function qualityGate(lint: LintInput, document: string | undefined): QualityGate {
  if (
    typeof lint !== "object" ||
    typeof lint.score !== "number" ||
    !Number.isFinite(lint.score) ||
    lint.score < 0 ||
    lint.score > 100
  ) {
    throw new SpecGateError(
      "E_INVALID_INPUT",
      "lint.score must be a number from 0 to 100 (a speclint_lint result), or give the document as lint.content.",
      {
        details: { path: "lint.score" },
      },
    );
  }
  if (lint.grade !== undefined && !["high", "medium", "low"].includes(lint.grade)) {
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `lint.grade must be high, medium or low (got "${String(lint.grade)}").`,
      { details: { path: "lint.grade" } },
    );
  }
  const grade: LintGrade = lint.grade ?? (lint.score >= 90 ? "high" : lint.score >= 70 ? "medium" : "low");
  const decision: Decision = grade === "high" ? "PASS" : grade === "medium" ? "WARNING" : "FAIL";
  const top = topProblems(lint.violations);
  return {
    score: lint.score,
    grade,
    decision,
    violations: Array.isArray(lint.violations) ? lint.violations.length : 0,
    ...(document !== undefined ? { document } : {}),
    ...(top.length ? { top } : {}),
  };
}

type Problem = NonNullable<QualityGate["top"]>[number];

/** The violations that cost the most points (then the earliest), when they are speclint-shaped. */
function topProblems(violations: readonly unknown[] | undefined): Problem[] {
  if (!Array.isArray(violations)) return [];
  const out: (Problem & { deduction: number })[] = [];
  for (const v of violations as unknown[]) {
    if (!v || typeof v !== "object") continue;
    const x = v as Record<string, unknown>;
    if (typeof x.code !== "string" || typeof x.message !== "string" || typeof x.line !== "number") continue;
    out.push({
      code: x.code,
      line: x.line,
      message: x.message,
      ...(typeof x.rule_id === "string" ? { rule_id: x.rule_id } : {}),
      deduction: typeof x.deduction === "number" ? x.deduction : 0,
    });
  }
  return out
    .sort((a, b) => b.deduction - a.deduction || a.line - b.line)
    .slice(0, MAX_QUALITY_TOP)
    .map(({ deduction: _d, ...p }) => p);
}
