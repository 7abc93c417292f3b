import { mkdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Option, type Command } from "commander";
import pLimit from "p-limit";
import { glob, isDynamicPattern } from "tinyglobby";
import { loadConfig } from "../../config.js";
import { CHECK_TYPES, type CheckType } from "../../core/lint/codes.js";
import { formatSarif } from "../../core/lint/format/sarif.js";
import { formatGithub, formatJson, formatMarkdown, formatStylish } from "../../core/lint/format/text.js";
import type { FileReport } from "../../core/lint/format/report.js";
import { lint } from "../../core/lint/linter.js";
import { loadRuleset } from "../../core/lint/ruleset/load.js";
import { SpecGateError, toSpecGateError } from "../../errors.js";
import { documentTitle, hitlTarget, syncIssues } from "../hitl.js";
import { CliExit, EXIT_FAILURE, EXIT_USAGE, progressLine, readInput, write, type CliIO } from "../io.js";
import { trimEndChars } from "../../core/text.js";

const FORMATS = ["stylish", "json", "sarif", "github", "markdown"] as const;
type Format = (typeof FORMATS)[number];
const DOCUMENT_EXTENSIONS = "md,markdown,mdx,html,htm,xhtml";

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
  githubIssues?: boolean;
  docsUrl?: string;
  repository?: string;
}

export function registerLint(program: Command, io: CliIO): void {
  const command = program
    .command("lint")
    .description("Lint design documents (Markdown or Confluence/HTML) against the SpecGate template; exit 1 when a score is below the minimum.")
    .argument("<files...>", "files, directories or globs (quote them), or - for standard input")
    .addOption(new Option("-f, --format <format>", "output format on stdout").choices(FORMATS).default("stylish"))
    .option("--min-score <n>", "exit 1 when a document scores below N (default: the ruleset's medium threshold, i.e. grade low fails)")
    .addOption(new Option("--check-type <type>", "full: every check; basic: required structure; structure: headings only").choices(CHECK_TYPES).default("full"))
    .option("--ruleset <name|file>", "bundled ruleset (specgate, specgate-en) or a YAML ruleset file; default: by each document's language")
    .option("--github-issues", "open or update a GitHub issue per document graded medium (specgate:hitl-review) or low (specgate:must-fix); close it once the document grades high (GITHUB_TOKEN, GITHUB_REPOSITORY)")
    .option("--repository <owner/name>", "repository for --github-issues (default $GITHUB_REPOSITORY)")
    .option("--docs-url <url>", "absolute base URL of SpecGate's docs for SARIF helpUri links (<url>/rules/<code>.md); default $SPECGATE_DOCS_URL, else the project's repository");
  for (const f of FORMATS) command.option(`--output-${f} <file>`, `also write the ${f} report to a file`);
  command.action(async (patterns: string[], opts: LintCliOptions) => {
    const minScore = opts.minScore === undefined ? undefined : Number(opts.minScore);
    if (minScore !== undefined && !(Number.isFinite(minScore) && minScore >= 0 && minScore <= 100)) {
      throw new CliExit(EXIT_USAGE, `specgate lint: --min-score must be a number from 0 to 100 (got "${opts.minScore}").`);
    }
    const sarif = opts.format === "sarif" || opts.outputSarif !== undefined;
    const config = opts.githubIssues || (sarif && opts.docsUrl === undefined) ? loadConfig(io.env, io.cwd) : undefined;
    const docsUrl = opts.docsUrl === undefined ? config?.docsUrl : checkDocsUrl(opts.docsUrl);
    const github = opts.githubIssues && config ? hitlTarget(config, opts.repository) : undefined;
    const ruleset = opts.ruleset === undefined ? undefined : await loadRuleset(opts.ruleset, { allowAnyPath: true, baseDir: io.cwd });
    const { files, missing } = await expandDocuments(patterns, io.cwd);
    const reports: (FileReport & { title?: string })[] = missing.map((file) => ({ file, error: { code: "E_NOT_FOUND", message: `No file matches ${file}.` } }));
    const progress = progressLine(io, "linting");
    const limit = pLimit(8);
    let done = 0;
    const linted = await Promise.all(
      files.map((file) =>
        limit(async (): Promise<FileReport & { title?: string }> => {
          try {
            const content = await readInput(file === "-" ? "-" : path.resolve(io.cwd, file), io);
            const result = await lint(content, { ruleset, checkType: opts.checkType, allowAnyPath: true, baseDir: io.cwd });
            const below = minScore === undefined ? result.grade === "low" : result.score < minScore;
            const title = github && result.stats.format !== "html" ? documentTitle(content) : undefined;
            return { file, result, belowMinimum: below, ...(title ? { title } : {}) };
          } catch (error) {
            const e = toSpecGateError(error);
            return { file, error: { code: e.code, message: e.message } };
          } finally {
            progress.update(++done, files.length);
          }
        }),
      ),
    );
    if (files.length > 1) progress.end();
    reports.push(...linted);

    const render = (format: Format) => renderReport(format, reports, io.cwd, docsUrl);
    await write(io.stdout, render(opts.format));
    for (const f of FORMATS) {
      const target = opts[`output${f[0]!.toUpperCase()}${f.slice(1)}` as `output${Capitalize<Format>}`];
      if (!target) continue;
      const file = path.resolve(io.cwd, target);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, render(f));
    }
    if (github && config) await syncIssues(reports, github, config, io);
    if (reports.some((r) => r.error)) throw new CliExit(EXIT_USAGE);
    if (reports.some((r) => r.belowMinimum)) throw new CliExit(EXIT_FAILURE);
  });
}

function renderReport(format: Format, reports: readonly FileReport[], cwd: string, docsUrl: string | undefined): string {
  switch (format) {
    case "json":
      return formatJson(reports);
    case "sarif":
      return formatSarif(reports, { cwd, docsUrl });
    case "github":
      return formatGithub(reports);
    case "markdown":
      return formatMarkdown(reports);
    default:
      return formatStylish(reports);
  }
}

/**
 * Arguments → files, in order, without duplicates: `-` is standard input, globs expand (node_modules
 * skipped), directories expand to their documents; what matches nothing is reported as missing.
 */
export async function expandDocuments(patterns: readonly string[], cwd: string): Promise<{ files: string[]; missing: string[] }> {
  const files: string[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    const key = file === "-" ? "-" : path.resolve(cwd, file);
    if (!seen.has(key)) {
      seen.add(key);
      files.push(file);
    }
  };
  for (const pattern of patterns) {
    if (pattern === "-") {
      add("-");
      continue;
    }
    let matches: string[];
    const info = isDynamicPattern(pattern) ? undefined : await stat(path.resolve(cwd, pattern)).catch(() => undefined);
    if (info?.isFile()) matches = [pattern];
    else if (info?.isDirectory()) matches = await glob(`${globBase(pattern)}/**/*.{${DOCUMENT_EXTENSIONS}}`, { cwd, ignore: ["**/node_modules/**"] });
    else if (isDynamicPattern(pattern)) matches = await glob(pattern, { cwd, ignore: ["**/node_modules/**"], onlyFiles: true });
    else matches = [];
    if (matches.length === 0) missing.push(pattern);
    for (const m of matches.sort()) add(m);
  }
  if (files.length === 0 && missing.length === 0) throw new SpecGateError("E_INVALID_INPUT", "No files given.");
  return { files, missing };
}

/** A directory argument as a glob base (forward slashes, no trailing slash). */
function globBase(dir: string): string {
  return trimEndChars(dir.split(path.sep).join("/"), "/") || ".";
}

/** SARIF helpUri must be absolute (§3.49.12): an http(s) URL. */
function checkDocsUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw new CliExit(EXIT_USAGE, `specgate lint: --docs-url must be an absolute http(s) URL, e.g. https://github.com/acme/specgate/blob/main/docs (got "${value}").`);
  }
  return trimEndChars(value, "/");
}
