/**
 * `specgate check` output formats over one result: stylish (people), json (`{findings,
 * unchecked, stats}`), and, through the report package's formatters over its findings as
 * diagnostics, sarif (for code scanning and `specgate gate`: every result names its rule in
 * `properties["specgate/rule_id"]`), github (workflow annotations) and junit (CI test reports).
 */
import { VERSION } from "../../version.js";
import type { Diagnostic, DiagnosticSeverity } from "../report/diagnostic.js";
import { formatGithub } from "../report/formatters/github.js";
import { formatJunit } from "../report/formatters/junit.js";
import { toSarif, type SarifLog } from "../report/formatters/sarif.js";
import type { Priority } from "../spec/design-rule-spec.js";
import type { CheckResult } from "./check.js";

export const CHECK_FORMATS = ["stylish", "json", "sarif", "github", "junit"] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

const LEVEL: Readonly<Record<Priority, "error" | "warning" | "note">> = {
  MUST: "error",
  "MUST NOT": "error",
  SHOULD: "warning",
  "SHOULD NOT": "warning",
  MAY: "note",
};
const SEVERITY: Readonly<Record<Priority, DiagnosticSeverity>> = {
  MUST: "error",
  "MUST NOT": "error",
  SHOULD: "warning",
  "SHOULD NOT": "warning",
  MAY: "info",
};

export function formatCheck(result: CheckResult, format: CheckFormat): string {
  if (format === "json") return `${JSON.stringify(result, null, 2)}\n`;
  if (format === "sarif") return `${JSON.stringify(checkSarif(result), null, 2)}\n`;
  if (format === "github") return githubAnnotations(result);
  if (format === "junit")
    return formatJunit(checkDiagnostics(result), {
      name: "specgate check",
      files: [...new Set(result.findings.map((f) => f.file))],
    });
  return stylish(result);
}

/** The findings as diagnostics, titled `RULE-ID (PRIORITY)`. */
export function checkDiagnostics(result: CheckResult): Diagnostic[] {
  return result.findings.map((f) => ({
    source: "check",
    code: f.rule_id,
    severity: SEVERITY[f.priority],
    message: f.message,
    title: `${f.rule_id} (${f.priority})`,
    file: f.file,
    line: f.line,
    column: f.column,
    properties: { "specgate/rule_id": f.rule_id },
  }));
}

export function checkSarif(result: CheckResult): SarifLog {
  const ids = [...new Set(result.findings.map((f) => f.rule_id))].sort();
  const byId = new Map(result.findings.map((f) => [f.rule_id, f]));
  return toSarif(checkDiagnostics(result), {
    tool: { name: "SpecGate rule_check", version: VERSION },
    rules: ids.map((id) => ({
      id,
      shortDescription: byId.get(id)!.message,
      level: LEVEL[byId.get(id)!.priority],
      properties: { "specgate/rule_id": id, priority: byId.get(id)!.priority },
    })),
    properties: { engine: result.stats.engine },
  });
}

function githubAnnotations(result: CheckResult): string {
  return formatGithub(checkDiagnostics(result), {
    overflow: (n) => `${n} more design-rule findings; run specgate check locally for all of them.`,
  });
}

function stylish(result: CheckResult): string {
  const lines: string[] = [];
  let file: string | undefined;
  for (const f of result.findings) {
    if (f.file !== file) {
      if (file !== undefined) lines.push("");
      lines.push(f.file);
      file = f.file;
    }
    lines.push(
      `  ${f.line}:${f.column}  ${LEVEL[f.priority] === "note" ? "info " : LEVEL[f.priority].padEnd(7)}  ${f.message}  ${f.rule_id}`,
    );
    if (f.snippet) lines.push(`      ${f.snippet}`);
  }
  if (result.findings.length) lines.push("");
  const s = result.stats;
  lines.push(
    `${result.findings.length} finding${result.findings.length === 1 ? "" : "s"} in ${s.files} file${s.files === 1 ? "" : "s"} (${s.checked_rules} of ${s.rules} rules checked${s.outside_diff ? `, ${s.outside_diff} outside the diff` : ""}).`,
  );
  for (const u of result.unchecked) lines.push(`unchecked ${u.rule_id}: ${u.reason}`);
  for (const l of s.left_out) lines.push(`left out of ${l.rule_id}: ${l.reason}`);
  for (const k of s.skipped_files) lines.push(`skipped ${k.file}: ${k.reason}`);
  return `${lines.join("\n")}\n`;
}
