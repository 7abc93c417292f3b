/**
 * Human and CI text formats of lint reports: `stylish` (ESLint-like, for terminals), `json`,
 * `github` (workflow-command annotations: `::error file=…,line=…::message`), `junit` (JUnit XML
 * for CI test reports) and `markdown` (a report for pull-request comments or $GITHUB_STEP_SUMMARY).
 */
import { VERSION } from "../../../version.js";
import type { Diagnostic } from "../../report/diagnostic.js";
import { formatGithub as formatAnnotations } from "../../report/formatters/github.js";
import { formatGitlab as gitlab } from "../../report/formatters/gitlab.js";
import { formatJunit as junit } from "../../report/formatters/junit.js";
import { stylishRows } from "../../report/formatters/stylish.js";
import { lintDiagnostic, lintDiagnostics } from "./diagnostics.js";
import { plural, totals, type FileReport } from "./report.js";
import { joinLines } from "../../text.js";

export function formatStylish(reports: readonly FileReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    if (!r.result) {
      out.push(
        `${r.file}`,
        `  error  ${r.error?.code ?? "E_INTERNAL"}: ${r.error?.message ?? "could not be linted"}`,
        "",
      );
      continue;
    }
    const { score, grade, violations, suppressed } = r.result;
    out.push(
      `${r.file}  ${score}/100 ${grade}${r.belowMinimum ? "  (below the minimum score)" : ""}${suppressed?.length ? `  ${suppressed.length} suppressed` : ""}`,
    );
    const rows = stylishRows(
      violations.map((v) => lintDiagnostic(v, r.file)),
      {
        label: (d) =>
          `${d.code}${d.properties?.["specgate/rule_id"] ? ` (${String(d.properties["specgate/rule_id"])})` : ""}  -${String(d.properties?.deduction)}`,
      },
    );
    out.push(...rows);
    out.push("");
  }
  const t = totals(reports);
  const problems = t.errors + t.warnings + t.infos;
  const lowest = t.lowest?.result
    ? ` · lowest score ${t.lowest.result.score} (${t.lowest.result.grade}) in ${t.lowest.file}`
    : "";
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
    results: reports.map((r) =>
      r.result
        ? { file: r.file, ok: true, below_minimum: r.belowMinimum ?? false, ...r.result }
        : { file: r.file, ok: false, error: r.error },
    ),
    summary: {
      files: t.files,
      failed: t.failed,
      errors: t.errors,
      warnings: t.warnings,
      info: t.infos,
      suppressed: t.suppressed,
      lowest_score: t.lowest?.result?.score ?? null,
    },
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/**
 * GitHub Actions workflow commands, file by file in the linter's order (no cap): each violation
 * (`info` becomes `notice`), then the file's score; a file that could not be linted is an error.
 */
export function formatGithub(reports: readonly FileReport[]): string {
  const out: Diagnostic[] = [];
  for (const r of reports) {
    if (!r.result) {
      out.push({
        source: "speclint",
        code: r.error?.code ?? "E_INTERNAL",
        severity: "error",
        title: "speclint",
        file: r.file,
        message: `${r.error?.code}: ${r.error?.message}`,
      });
      continue;
    }
    for (const v of r.result.violations) out.push(lintDiagnostic(v, r.file));
    const score = `${r.result.score}/100 (${r.result.grade})${r.belowMinimum ? " — below the minimum score" : ""}`;
    out.push({
      source: "speclint",
      code: "score",
      severity: r.belowMinimum ? "error" : "info",
      title: "speclint score",
      file: r.file,
      message: score,
    });
  }
  return formatAnnotations(out, { order: "given", max: Number.POSITIVE_INFINITY });
}

/** JUnit XML: a suite per file, a case per violation (suppressed ones skipped); a file that could not be linted fails. */
export function formatJunit(reports: readonly FileReport[]): string {
  return junit([...lintDiagnostics(reports, { suppressed: true }), ...unlinted(reports)], {
    name: "speclint",
    files: reports.map((r) => r.file),
  });
}

export function formatMarkdown(reports: readonly FileReport[]): string {
  const t = totals(reports);
  const out = [
    "# speclint report",
    "",
    "| File | Score | Grade | Errors | Warnings | Info | Suppressed |",
    "|---|---:|---|---:|---:|---:|---:|",
  ];
  for (const r of reports) {
    if (!r.result) {
      out.push(`| ${cell(r.file)} | — | ${cell(r.error?.code ?? "error")} | — | — | — | — |`);
      continue;
    }
    const count = (s: string) => r.result!.violations.filter((v) => v.severity === s).length;
    out.push(
      `| ${cell(r.file)} | ${r.result.score}${r.belowMinimum ? " ❌" : ""} | ${r.result.grade} | ${count("error")} | ${count("warning")} | ${count("info")} | ${r.result.suppressed?.length ?? 0} |`,
    );
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
    for (const v of r.result.violations)
      out.push(
        `| ${v.line} | ${v.severity} | \`${v.code}\` | ${v.rule_id ?? ""} | -${v.deduction} | ${cell(v.message)} |`,
      );
  }
  out.push(
    "",
    `${plural(t.errors + t.warnings + t.infos, "problem")} in ${plural(t.files, "file")}${t.failed ? `, ${t.failed} could not be linted` : ""}.`,
  );
  return `${out.join("\n")}\n`;
}

function oneLine(s: string): string {
  return joinLines(s);
}

function cell(s: string): string {
  return oneLine(s).replace(/\|/g, "\\|");
}

/** GitLab code quality: every violation; files that could not be linted as `major` issues. */
export function formatGitlab(reports: readonly FileReport[]): string {
  return gitlab([...lintDiagnostics(reports), ...unlinted(reports)]);
}

/** Files that could not be linted, as error diagnostics. */
function unlinted(reports: readonly FileReport[]): Diagnostic[] {
  return reports
    .filter((r) => !r.result)
    .map((r) => ({
      source: "speclint",
      code: r.error?.code ?? "E_INTERNAL",
      severity: "error",
      file: r.file,
      message: r.error?.message ?? "could not be linted",
    }));
}
