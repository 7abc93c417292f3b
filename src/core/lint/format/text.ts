/**
 * Human and CI text formats of lint reports: `stylish` (ESLint-like, for terminals), `json`,
 * `github` (workflow-command annotations: `::error file=…,line=…::message`) and `markdown`
 * (a report for pull-request comments or $GITHUB_STEP_SUMMARY).
 */
import { VERSION } from "../../../version.js";
import { plural, totals, type FileReport } from "./report.js";
import { joinLines } from "../../text.js";

export function formatStylish(reports: readonly FileReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    if (!r.result) {
      out.push(`${r.file}`, `  error  ${r.error?.code ?? "E_INTERNAL"}: ${r.error?.message ?? "could not be linted"}`, "");
      continue;
    }
    const { score, grade, violations, suppressed } = r.result;
    out.push(`${r.file}  ${score}/100 ${grade}${r.belowMinimum ? "  (below the minimum score)" : ""}${suppressed?.length ? `  ${suppressed.length} suppressed` : ""}`);
    const width = Math.max(0, ...violations.map((v) => `${v.line}:${v.column ?? 1}`.length));
    for (const v of violations) {
      const pos = `${v.line}:${v.column ?? 1}`.padEnd(width);
      out.push(`  ${pos}  ${v.severity.padEnd(7)}  ${oneLine(v.message)}  ${v.code}${v.rule_id ? ` (${v.rule_id})` : ""}  -${v.deduction}`);
    }
    out.push("");
  }
  const t = totals(reports);
  const problems = t.errors + t.warnings + t.infos;
  const lowest = t.lowest?.result ? ` · lowest score ${t.lowest.result.score} (${t.lowest.result.grade}) in ${t.lowest.file}` : "";
  out.push(
    `${problems === 0 && t.failed === 0 ? "✔" : "✖"} ${plural(problems, "problem")} (${plural(t.errors, "error")}, ${plural(t.warnings, "warning")}, ${t.infos} info) in ${plural(t.files, "file")}` +
      `${t.failed ? `, ${t.failed} could not be linted` : ""}${lowest}`,
  );
  return `${out.join("\n")}\n`;
}

export function formatJson(reports: readonly FileReport[]): string {
  const t = totals(reports);
  const body = {
    tool: "speclint",
    version: VERSION,
    results: reports.map((r) => (r.result ? { file: r.file, ok: true, below_minimum: r.belowMinimum ?? false, ...r.result } : { file: r.file, ok: false, error: r.error })),
    summary: { files: t.files, failed: t.failed, errors: t.errors, warnings: t.warnings, info: t.infos, suppressed: t.suppressed, lowest_score: t.lowest?.result?.score ?? null },
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** GitHub Actions workflow commands; `info` becomes `notice`. */
export function formatGithub(reports: readonly FileReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    if (!r.result) {
      out.push(`::error file=${prop(r.file)},title=${prop("speclint")}::${data(`${r.error?.code}: ${r.error?.message}`)}`);
      continue;
    }
    for (const v of r.result.violations) {
      const level = v.severity === "info" ? "notice" : v.severity;
      const col = v.column ? `,col=${v.column}` : "";
      const title = `speclint ${v.code}${v.rule_id ? ` ${v.rule_id}` : ""} (-${v.deduction})`;
      out.push(`::${level} file=${prop(r.file)},line=${v.line}${col},title=${prop(title)}::${data(`${v.message}\n${v.suggestion}`)}`);
    }
    const level = r.belowMinimum ? "error" : "notice";
    out.push(`::${level} file=${prop(r.file)},title=${prop("speclint score")}::${data(`${r.result.score}/100 (${r.result.grade})${r.belowMinimum ? " — below the minimum score" : ""}`)}`);
  }
  return out.length > 0 ? `${out.join("\n")}\n` : "";
}

export function formatMarkdown(reports: readonly FileReport[]): string {
  const t = totals(reports);
  const out = ["# speclint report", "", "| File | Score | Grade | Errors | Warnings | Info | Suppressed |", "|---|---:|---|---:|---:|---:|---:|"];
  for (const r of reports) {
    if (!r.result) {
      out.push(`| ${cell(r.file)} | — | ${cell(r.error?.code ?? "error")} | — | — | — | — |`);
      continue;
    }
    const count = (s: string) => r.result!.violations.filter((v) => v.severity === s).length;
    out.push(`| ${cell(r.file)} | ${r.result.score}${r.belowMinimum ? " ❌" : ""} | ${r.result.grade} | ${count("error")} | ${count("warning")} | ${count("info")} | ${r.result.suppressed?.length ?? 0} |`);
  }
  for (const r of reports) {
    out.push("", `## ${cell(r.file)}`, "");
    if (!r.result) {
      out.push(`${r.error?.code}: ${cell(r.error?.message ?? "")}`);
      continue;
    }
    out.push(`**${r.result.score}/100 (${r.result.grade})**`, "");
    if (r.result.violations.length === 0) {
      out.push("No violations.");
      continue;
    }
    out.push("| Line | Severity | Code | Rule | Deduction | Message |", "|---:|---|---|---|---:|---|");
    for (const v of r.result.violations) out.push(`| ${v.line} | ${v.severity} | \`${v.code}\` | ${v.rule_id ?? ""} | -${v.deduction} | ${cell(v.message)} |`);
  }
  out.push("", `${plural(t.errors + t.warnings + t.infos, "problem")} in ${plural(t.files, "file")}${t.failed ? `, ${t.failed} could not be linted` : ""}.`);
  return `${out.join("\n")}\n`;
}

function oneLine(s: string): string {
  return joinLines(s);
}

function cell(s: string): string {
  return oneLine(s).replace(/\|/g, "\\|");
}

/** Escaping of workflow-command data. */
function data(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escaping of workflow-command properties. */
function prop(s: string): string {
  return data(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
