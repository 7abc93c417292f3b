import { randomBytes } from "node:crypto";
import { open, rename, stat, unlink, writeFile } from "node:fs/promises";
import { createDirectories } from "../../core/directories.js";
import path from "node:path";
import { Option, type Command } from "commander";
import { loadConfig } from "../../config.js";
import { LINT_FORMATS, loadCliConfigFile } from "../../config-file.js";
import { CHECK_TYPES, type CheckType } from "../../core/lint/rules/rule.js";
import { formatSarif } from "../../core/lint/format/sarif.js";
import {
  formatGithub,
  formatGitlab,
  formatJson,
  formatJunit,
  formatMarkdown,
  formatStylish,
} from "../../core/lint/format/text.js";
import type { FileReport } from "../../core/lint/format/report.js";
import { applyFixes } from "../../core/lint/fixes.js";
import type { LintFix, LintResult, LintViolation } from "../../core/lint/types.js";
import { extractRules } from "../../app/extract-documents.js";
import { createLinter } from "../../app/lint-documents.js";
import { direct } from "../../app/work.js";
import { mapSettled } from "../../core/settled-map.js";
import { isHttpUrl } from "../arguments.js";
import { expandDocuments } from "../documents.js";
import { CliExit, EXIT_FAILURE, EXIT_USAGE, progressLine, readInput, write, type CliIO } from "../io.js";
import { trimEndChars } from "../../core/text.js";

const FORMATS = LINT_FORMATS;
type Format = (typeof FORMATS)[number];

interface LintCliOptions {
  format: Format;
  minScore?: string;
  checkType: CheckType;
  ruleset?: string;
  outputStylish?: string;
  outputJson?: string;
  outputSarif?: string;
  outputGithub?: string;
  outputMarkdown?: string;
  outputJunit?: string;
  outputGitlab?: string;
  githubIssues?: boolean;
  docsUrl?: string;
  repository?: string;
  fix?: boolean;
}

export function registerLint(program: Command, io: CliIO): void {
  const command = program
    .command("lint")
    .description(
      "Lint design documents (Markdown or Confluence/HTML) against the SpecGate template; exit 1 when a score is below the minimum.",
    )
    .argument("<files...>", "files, directories or globs (quote them), or - for standard input")
    .addOption(new Option("-f, --format <format>", "output format on stdout").choices(FORMATS).default("stylish"))
    .option(
      "--min-score <n>",
      "exit 1 when a document scores below N (default: the ruleset's medium threshold, i.e. grade low fails)",
    )
    .addOption(
      new Option("--check-type <type>", "full: every check; basic: required structure; structure: headings only")
        .choices(CHECK_TYPES)
        .default("full"),
    )
    .option(
      "--ruleset <name|file>",
      "bundled ruleset (specgate, specgate-en) or a YAML ruleset file; default: by each document's language",
    )
    .option(
      "--github-issues",
      "open or update a GitHub issue per document graded medium (specgate:hitl-review) or low (specgate:must-fix); close it once the document grades high (GITHUB_TOKEN, GITHUB_REPOSITORY)",
    )
    .option(
      "--fix",
      "apply the mechanical fixes to the files (never one that would change the document's rules), then report on the fixed files",
    )
    .option("--repository <owner/name>", "repository for --github-issues (default $GITHUB_REPOSITORY)")
    .option(
      "--docs-url <url>",
      "absolute base URL of SpecGate's docs for SARIF helpUri links (<url>/rules/<code>.md); default $SPECGATE_DOCS_URL, else the project's repository",
    );
  for (const f of FORMATS) command.option(`--output-${f} <file>`, `also write the ${f} report to a file`);
  command.action(async (patterns: string[], opts: LintCliOptions) => {
    const file = await loadCliConfigFile(program.opts<{ config?: string | boolean }>().config, io.cwd);
    // A flag given on the command line wins over the configuration file, which wins over the defaults.
    if (file?.format !== undefined && command.getOptionValueSource("format") !== "cli") opts.format = file.format;
    const minScore = opts.minScore === undefined ? file?.minScore : Number(opts.minScore);
    if (minScore !== undefined && !(Number.isFinite(minScore) && minScore >= 0 && minScore <= 100)) {
      throw new CliExit(
        EXIT_USAGE,
        `specgate lint: --min-score must be a number from 0 to 100 (got "${opts.minScore}").`,
      );
    }
    const sarif = opts.format === "sarif" || opts.outputSarif !== undefined;
    const config = opts.githubIssues || (sarif && opts.docsUrl === undefined) ? loadConfig(io.env, io.cwd) : undefined;
    const docsUrl = opts.docsUrl === undefined ? config?.docsUrl : checkDocsUrl(opts.docsUrl);
    // The GitHub client is loaded only for --github-issues.
    const hitl = opts.githubIssues ? await import("../hitl.js") : undefined;
    const github = hitl && config ? hitl.hitlTarget(config, opts.repository) : undefined;
    const rulesetRef = opts.ruleset ?? file?.ruleset;
    const lintText = await createLinter(direct(), {
      ruleset: rulesetRef,
      allowAnyPath: true,
      baseDir: io.cwd,
      checkType: opts.checkType,
    });
    if (opts.fix && patterns.includes("-"))
      throw new CliExit(EXIT_USAGE, "specgate lint: --fix rewrites files and cannot be used with standard input (-).");
    const { files, missing } = await expandDocuments(patterns, io.cwd, file?.ignore);
    const reports: (FileReport & { title?: string })[] = missing.map((m) => ({
      file: m.pattern,
      error: { code: "E_NOT_FOUND", message: m.message },
    }));
    const progress = progressLine(io, "linting");
    const settled = await mapSettled(
      files,
      async (file) => {
        const absolute = file === "-" ? "-" : path.resolve(io.cwd, file);
        const read = await readInput(absolute, io, { name: file });
        const first = await lintText(read);
        if (!opts.fix || absolute === "-") return { content: read, result: first };
        const content = await fixFile(absolute, file, read, first, lintText, io);
        return { content, result: content === read ? first : await lintText(content) };
      },
      { concurrency: 8, onSettled: (done) => progress.update(done, files.length) },
    );
    const linted = settled.map((outcome, i): FileReport & { title?: string } => {
      const file = files[i]!;
      if (!outcome.ok) return { file, error: { code: outcome.error.code, message: outcome.error.message } };
      const { content, result } = outcome.value;
      const below = minScore === undefined ? result.grade === "low" : result.score < minScore;
      const title = hitl && github && result.stats.format !== "html" ? hitl.documentTitle(content) : undefined;
      return { file, result, belowMinimum: below, ...(title ? { title } : {}) };
    });
    if (files.length > 1) progress.end();
    reports.push(...linted);

    const render = (format: Format) => renderReport(format, reports, io.cwd, docsUrl);
    // Files that could not be linted are errors, said on stderr; machine formats also carry them.
    const failures = reports.filter((r) => r.error);
    await write(
      io.stdout,
      opts.format === "stylish" ? formatStylish(reports.filter((r) => !r.error)) : render(opts.format),
    );
    for (const f of FORMATS) {
      const target = opts[`output${f[0]!.toUpperCase()}${f.slice(1)}` as `output${Capitalize<Format>}`];
      if (!target) continue;
      const file = path.resolve(io.cwd, target);
      await createDirectories(path.dirname(file));
      await writeFile(file, render(f));
    }
    if (hitl && github && config) await hitl.syncIssues(reports, github, config, io);
    if (failures.length > 0)
      throw new CliExit(
        EXIT_USAGE,
        failures.map((r) => `specgate lint: ${r.file}: ${r.error!.code}: ${r.error!.message}`).join("\n"),
      );
    if (reports.some((r) => r.belowMinimum)) throw new CliExit(EXIT_FAILURE);
  });
}

/**
 * `--fix`: applies the fixes of the lint result to `content`, in passes (a fix that overlaps one
 * already applied waits for the next pass, after linting again), and writes the file back
 * atomically, unless nothing applies or the fixes would change the rules the document states
 * (ids, priorities, descriptions as extracted before and after): then the file is left as it is.
 * Says on stderr what it did; returns the content now on disk.
 */
async function fixFile(
  absolute: string,
  file: string,
  content: string,
  result: LintResult,
  lintText: (text: string) => Promise<LintResult>,
  io: CliIO,
): Promise<string> {
  if (!result.violations.some((v) => v.fix)) return content;
  if (result.stats.format === "html") {
    // The fixes' lines are those of the Markdown the HTML was converted to, not of the file.
    await write(io.stderr, `specgate lint --fix: left ${file} unchanged: --fix rewrites Markdown documents only.\n`);
    return content;
  }
  const counts = new Map<string, number>();
  let output = content;
  let current = result;
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const accepted: LintViolation[] = [];
    const lines = output.split(/(?<=\n)/);
    for (const v of current.violations) {
      if (!v.fix || insertsWhatIsThere(lines, v.fix, v.line)) continue;
      if (applyFixes(output, [...accepted, v]).applied === accepted.length + 1) accepted.push(v);
    }
    if (accepted.length === 0) break;
    const next = applyFixes(output, accepted).output;
    if (next === output) break;
    output = next;
    for (const v of accepted) counts.set(v.code, (counts.get(v.code) ?? 0) + 1);
    current = await lintText(output);
  }
  if (output === content) return content;
  const [before, after] = await Promise.all([extractRules(direct(), content), extractRules(direct(), output)]);
  if (ruleSignature(before.rules) !== ruleSignature(after.rules)) {
    await write(
      io.stderr,
      `specgate lint --fix: left ${file} unchanged: its fixes would change the rules it states (ids, priorities or descriptions); fix it by hand.\n`,
    );
    return content;
  }
  await replaceFile(absolute, output);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const codes = [...counts].map(([code, n]) => (n > 1 ? `${code} ×${n}` : code)).join(", ");
  await write(
    io.stderr,
    `specgate lint --fix: fixed ${total} problem${total === 1 ? "" : "s"} in ${file} (${codes})\n`,
  );
  return output;
}

/**
 * An insert whose text is already there, in the few lines before where it goes (a placeholder
 * detail a previous --fix put in, which the check still reports): applying it again would only
 * repeat it.
 */
function insertsWhatIsThere(lines: readonly string[], fix: LintFix, line: number): boolean {
  if (fix.end_line > fix.start_line) return false;
  const text = fix.text.split(/(?<=\n)/);
  const at = fix.start_line - 1;
  const same = (from: number) => from >= 0 && text.every((t, i) => lines[from + i] === t);
  // Between the line reported (the rule statement) and the insertion point, or right at it.
  const first = Math.max(Math.min(line, fix.start_line) - 1, at - text.length - NEARBY_LINES);
  for (let from = first; from <= at; from++) if (same(from)) return true;
  return false;
}

/** How far from its insertion point an insert's text counts as already there (a rule's detail lines). */
const NEARBY_LINES = 4;

/** Fixes that overlap wait for the next pass; a bound in case two fixes keep undoing each other. */
const MAX_FIX_PASSES = 10;

function ruleSignature(rules: readonly { rule_id: string; priority: string; description: string }[]): string {
  return JSON.stringify(
    rules.map((r) => [r.rule_id, r.priority, r.description]).sort((a, b) => (a.join("\0") < b.join("\0") ? -1 : 1)),
  );
}

/** Temp file in the same directory, same mode, then rename: readers see the old file or the new one. */
async function replaceFile(file: string, content: string): Promise<void> {
  const { mode } = await stat(file);
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.specgate-${process.pid}-${randomBytes(6).toString("hex")}.tmp`,
  );
  const handle = await open(tmp, "wx", mode & 0o7777);
  try {
    await handle.writeFile(content, "utf8");
    await handle.close();
    await rename(tmp, file);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
}

function renderReport(
  format: Format,
  reports: readonly FileReport[],
  cwd: string,
  docsUrl: string | undefined,
): string {
  switch (format) {
    case "json":
      return formatJson(reports);
    case "sarif":
      return formatSarif(reports, { cwd, docsUrl });
    case "github":
      return formatGithub(reports);
    case "markdown":
      return formatMarkdown(reports);
    case "junit":
      return formatJunit(reports);
    case "gitlab":
      return formatGitlab(reports);
    default:
      return formatStylish(reports);
  }
}

/** SARIF helpUri must be absolute (SARIF 2.1.0 §3.49.12): an http(s) URL. */
function checkDocsUrl(value: string): string {
  if (!isHttpUrl(value)) {
    throw new CliExit(
      EXIT_USAGE,
      `specgate lint: --docs-url must be an absolute http(s) URL, e.g. https://github.com/acme/specgate/blob/main/docs (got "${value}").`,
    );
  }
  return trimEndChars(value, "/");
}
