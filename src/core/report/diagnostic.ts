/**
 * The one shape every SpecGate finding takes on its way out: lint violations, gate violations
 * and `rule_check` findings become diagnostics (each producer maps its own result: see
 * core/lint/format/diagnostics.ts, core/gate/report.ts, core/check/format.ts), and every output
 * format is a formatter over them (formatters/: SARIF, GitHub annotations, JUnit, stylish,
 * Markdown building blocks). A new output format is one formatter; a new producer is one mapping.
 */

/** `none`: a finding to which severity does not apply (SARIF's `none`, kept from a producer's log). */
export type DiagnosticSeverity = "error" | "warning" | "info" | "none";

/** Which SpecGate producer reported it. */
export type DiagnosticSource = "speclint" | "gate" | "check";

/** Replace lines [start_line, end_line) (1-based; equal = insert before start_line) with `text`. */
export interface DiagnosticFix {
  start_line: number;
  end_line: number;
  text: string;
  description: string;
}

export interface Diagnostic {
  source: DiagnosticSource;
  /** The producer's rule: a lint code (`scope_missing`) or a design rule id (`RULE-API-001`). */
  code: string;
  severity: DiagnosticSeverity;
  /** What is wrong, and where. */
  message: string;
  /** What to do about it (a lint suggestion, a gate fix); formatters print it after the message. */
  help?: string | undefined;
  /** A short label for annotations, e.g. `RULE-API-001 (MUST)`. */
  title?: string | undefined;
  /** Repository-relative path (or absolute, or `-` for stdin). */
  file?: string | undefined;
  /** 1-based. */
  line?: number | undefined;
  column?: number | undefined;
  /** A mechanical fix of the file. */
  fix?: DiagnosticFix | undefined;
  /** Silenced in the source: reported, not counted. */
  suppression?: { kind: string; justification?: string | undefined } | undefined;
  /** Stable identities across runs, by scheme (`specgate/v1`): SARIF `partialFingerprints`. */
  fingerprints?: Record<string, string> | undefined;
  /** Producer facts that travel with it (SARIF result `properties`): points, priority, deduction…. */
  properties?: Record<string, unknown> | undefined;
}

/** SARIF's level of a severity. */
export function sarifLevel<S extends DiagnosticSeverity>(severity: S): S extends "info" ? "note" : S;
export function sarifLevel(severity: DiagnosticSeverity): "error" | "warning" | "note" | "none" {
  return severity === "info" ? "note" : severity;
}

/** The message and the help on its own line, as SARIF and annotations show them. */
export function fullText(d: Diagnostic): string {
  return d.help === undefined ? d.message : `${d.message}\n${d.help}`;
}
