/** Lint results as diagnostics (core/report/diagnostic.ts), for the report formatters. */
import type { Diagnostic } from "../../report/diagnostic.js";
import type { LintViolation, SuppressedViolation } from "../types.js";
import type { FileReport } from "./report.js";

/** A violation of `file` (suppressed ones carry their suppression). */
export function lintDiagnostic(v: LintViolation | SuppressedViolation, file: string): Diagnostic {
  const properties: Record<string, unknown> = { deduction: v.deduction };
  if (v.rule_id) properties["specgate/rule_id"] = v.rule_id;
  return {
    source: "speclint",
    code: v.code,
    severity: v.severity,
    message: v.message,
    help: v.suggestion,
    title: `speclint ${v.code}${v.rule_id ? ` ${v.rule_id}` : ""} (-${v.deduction})`,
    file,
    line: v.line,
    column: v.column,
    fix: v.fix,
    suppression: "suppression" in v ? v.suppression : undefined,
    properties,
  };
}

/** Every violation of the reports, then each file's suppressed ones (files that failed have none). */
export function lintDiagnostics(reports: readonly FileReport[], options: { suppressed?: boolean } = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const r of reports) {
    if (!r.result) continue;
    for (const v of r.result.violations) out.push(lintDiagnostic(v, r.file));
    if (options.suppressed) for (const v of r.result.suppressed ?? []) out.push(lintDiagnostic(v, r.file));
  }
  return out;
}
