/**
 * `specgate check` output formats over one result: stylish (people), json (`{findings,
 * unchecked, stats}`), sarif (for code scanning and `specgate gate`: every result names its rule
 * in `properties["specgate/rule_id"]`), github (workflow annotations).
 */
import { VERSION } from "../../version.js";
import { formatAnnotations, type Annotation } from "../report/github-annotations.js";
import { buildSarifLog, type SarifLevel } from "../report/sarif.js";
import type { Priority } from "../spec/design-rule-spec.js";
import type { CheckResult } from "./check.js";

export const CHECK_FORMATS = ["stylish", "json", "sarif", "github"] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

const LEVEL: Readonly<Record<Priority, SarifLevel>> = { MUST: "error", "MUST NOT": "error", SHOULD: "warning", "SHOULD NOT": "warning", MAY: "note" };

export function formatCheck(result: CheckResult, format: CheckFormat): string {
  if (format === "json") return `${JSON.stringify(result, null, 2)}\n`;
  if (format === "sarif") return `${JSON.stringify(checkSarif(result), null, 2)}\n`;
  if (format === "github") return githubAnnotations(result);
  return stylish(result);
}

export function checkSarif(result: CheckResult): ReturnType<typeof buildSarifLog> {
  const ids = [...new Set(result.findings.map((f) => f.rule_id))].sort();
  const byId = new Map(result.findings.map((f) => [f.rule_id, f]));
  return buildSarifLog(
    { name: "SpecGate rule_check", version: VERSION },
    ids.map((id) => ({ id, shortDescription: byId.get(id)!.message, level: LEVEL[byId.get(id)!.priority], properties: { "specgate/rule_id": id, priority: byId.get(id)!.priority } })),
    result.findings.map((f) => ({
      ruleId: f.rule_id,
      level: LEVEL[f.priority],
      message: f.message,
      file: f.file,
      line: f.line,
      column: f.column,
      properties: { "specgate/rule_id": f.rule_id },
    })),
    { engine: result.stats.engine },
  );
}

function githubAnnotations(result: CheckResult): string {
  const annotations: Annotation[] = result.findings.map((f) => ({
    level: LEVEL[f.priority] === "error" ? "error" : LEVEL[f.priority] === "warning" ? "warning" : "notice",
    title: `${f.rule_id} (${f.priority})`,
    message: f.message,
    file: f.file,
    line: f.line,
    column: f.column,
  }));
  return formatAnnotations(annotations, { overflow: (n) => `${n} more design-rule findings; run specgate check locally for all of them.` });
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
    lines.push(`  ${f.line}:${f.column}  ${LEVEL[f.priority] === "note" ? "info " : LEVEL[f.priority].padEnd(7)}  ${f.message}  ${f.rule_id}`);
    if (f.snippet) lines.push(`      ${f.snippet}`);
  }
  if (result.findings.length) lines.push("");
  const s = result.stats;
  lines.push(`${result.findings.length} finding${result.findings.length === 1 ? "" : "s"} in ${s.files} file${s.files === 1 ? "" : "s"} (${s.checked_rules} of ${s.rules} rules checked${s.outside_diff ? `, ${s.outside_diff} outside the diff` : ""}).`);
  for (const u of result.unchecked) lines.push(`unchecked ${u.rule_id}: ${u.reason}`);
  for (const l of s.left_out) lines.push(`left out of ${l.rule_id}: ${l.reason}`);
  for (const k of s.skipped_files) lines.push(`skipped ${k.file}: ${k.reason}`);
  return `${lines.join("\n")}\n`;
}
