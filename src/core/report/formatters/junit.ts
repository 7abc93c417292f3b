/**
 * The JUnit XML formatter, for CI systems that chart test reports (GitLab, Jenkins, Azure
 * Pipelines): one `<testsuite>` per file, one `<testcase>` per diagnostic. Errors and warnings
 * are `<failure>`s, info and none pass, suppressed diagnostics are `<skipped>`. Files given in
 * `files` with no diagnostic appear as a suite with one passing case, so a clean run still shows
 * what was checked.
 */
import type { Diagnostic } from "../diagnostic.js";

export interface JunitOptions {
  /** `<testsuites name>`, e.g. `speclint`. */
  name: string;
  /** Files checked, also those without diagnostics. */
  files?: readonly string[];
}

const NO_FILE = "(no file)";

export function formatJunit(diagnostics: readonly Diagnostic[], options: JunitOptions): string {
  const byFile = new Map<string, Diagnostic[]>();
  for (const f of options.files ?? []) byFile.set(f, []);
  for (const d of diagnostics) {
    const file = d.file ?? NO_FILE;
    const list = byFile.get(file) ?? [];
    list.push(d);
    byFile.set(file, list);
  }
  let tests = 0;
  let failures = 0;
  const suites: string[] = [];
  for (const [file, list] of byFile) {
    const cases =
      list.length === 0
        ? [`    <testcase name="${attr(options.name)}" classname="${attr(file)}"/>`]
        : list.map((d) => testcase(d, file));
    const failed = list.filter(isFailure).length;
    const skipped = list.filter((d) => d.suppression).length;
    tests += cases.length;
    failures += failed;
    suites.push(
      `  <testsuite name="${attr(file)}" tests="${cases.length}" failures="${failed}" errors="0" skipped="${skipped}">`,
      ...cases,
      "  </testsuite>",
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(options.name)}" tests="${tests}" failures="${failures}" errors="0">`,
    ...suites,
    "</testsuites>",
    "",
  ].join("\n");
}

function isFailure(d: Diagnostic): boolean {
  return !d.suppression && (d.severity === "error" || d.severity === "warning");
}

function testcase(d: Diagnostic, file: string): string {
  const where = d.line ? `${d.line}${d.column ? `:${d.column}` : ""}` : "";
  const name = `${d.code}${where ? ` (line ${where})` : ""}`;
  const open = `    <testcase name="${attr(name)}" classname="${attr(file)}"`;
  const body = [`${file}${where ? `:${where}` : ""}`, d.message, ...(d.help === undefined ? [] : [d.help])].join("\n");
  if (d.suppression)
    return `${open}>\n      <skipped message="${attr(d.suppression.justification ?? `suppressed (${d.suppression.kind})`)}"/>\n    </testcase>`;
  if (!isFailure(d))
    return `${open}>\n      <system-out>${text(`${d.severity}: ${body}`)}</system-out>\n    </testcase>`;
  return `${open}>\n      <failure type="${attr(d.code)}" message="${attr(`${d.severity}: ${oneLine(d.message)}`)}">${text(body)}</failure>\n    </testcase>`;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

/** XML 1.0 cannot carry most control characters even escaped: they are dropped. */
function clean(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "");
}

function text(s: string): string {
  return clean(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function attr(s: string): string {
  return text(s).replace(/"/g, "&quot;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}
