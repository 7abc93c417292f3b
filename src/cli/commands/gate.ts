import { InvalidArgumentError, Option, type Command } from "commander";
import { loadConfig } from "../../config.js";
import { loadCliConfigFile } from "../../config-file.js";
import {
  gateToAnnotations,
  gateToJunit,
  gateToSarif,
  gateToText,
  indexRules,
  RADAR_MARKER,
  scoreGate,
  verdictLine,
  type FindingSource,
  type GateLint,
  type GateResult,
} from "../../core/gate/index.js";
import { CHECK_TYPES, type CheckType } from "../../core/lint/rules/rule.js";
import { GitHubClient, upsertStickyComment } from "../../core/github/index.js";
import { SpecGateError } from "../../errors.js";
import { positiveInteger, score } from "../arguments.js";
import { actionsContext, appendStepSummary } from "../github-context.js";
import { CliExit, EXIT_FAILURE, readInput, write, type CliIO } from "../io.js";

const FORMATS = ["text", "json", "markdown", "sarif", "github", "junit"] as const;
type Format = (typeof FORMATS)[number];

interface GateFlags {
  rules: string;
  sarif: string[];
  findings: string[];
  lint?: string | undefined;
  lintRuleset?: string | undefined;
  lintCheckType: CheckType;
  baseline?: string | undefined;
  fail?: number | undefined;
  warn?: number | undefined;
  warnAsFailure?: boolean | undefined;
  format: Format;
  githubComment?: boolean | undefined;
  pr?: number | undefined;
  summary?: boolean | undefined;
  repository?: string | undefined;
  commit?: string | undefined;
  lang: "auto" | "en" | "ko";
  maxListed: number;
}

export function registerGate(program: Command, io: CliIO): void {
  program
    .command("gate")
    .description(
      "Score the CI gate: map SARIF findings to design rules → Drift Score, PASS/WARNING/FAIL, Drift Radar. Exit 0 PASS/WARNING, 1 FAIL, 2 bad input.",
    )
    .requiredOption("--rules <file>", "DesignRuleSpec rules (JSON: a list, or rule_extract's { rules: [...] })")
    .option("--sarif <file>", "SARIF 2.1.0 results (repeatable: Semgrep, CodeQL, …)", collect, [])
    .option(
      "--findings <file>",
      "findings as JSON: a SARIF log or [{rule_id, file, line, message, level?}] (repeatable)",
      collect,
      [],
    )
    .option(
      "--lint <file>",
      "the design document (Markdown/HTML, linted here) or a speclint result (.json) whose grade joins the decision: medium → WARNING, low → FAIL",
    )
    .option(
      "--lint-ruleset <name|file>",
      "with --lint <document>: bundled ruleset (specgate, specgate-en) or a YAML file; default by the document's language",
    )
    .addOption(
      new Option("--lint-check-type <type>", "with --lint <document>: full, basic or structure")
        .choices(CHECK_TYPES)
        .default("full"),
    )
    .option(
      "--baseline <file>",
      "findings that already existed: a SARIF log, a previous `gate --format json` output, or a fingerprint list",
    )
    .option("--fail <score>", "FAIL at or above this Drift Score (default 50)", score)
    .option("--warn <score>", "WARNING at or above this Drift Score (default 30)", score)
    .option("--warn-as-failure", "exit 1 on WARNING too")
    .option("--format <format>", `output on stdout: ${FORMATS.join(", ")}`, format, "text")
    .option(
      "--github-comment",
      "create or update the Drift Radar comment on the pull request (GITHUB_TOKEN, GITHUB_REPOSITORY)",
    )
    .option("--pr <number>", "pull request number (default: from $GITHUB_EVENT_PATH)", positiveInteger)
    .option("--summary", "append the Drift Radar to $GITHUB_STEP_SUMMARY")
    .option("--repository <owner/name>", "repository for links and comments (default $GITHUB_REPOSITORY)")
    .option("--commit <sha>", "commit for links to code (default: the PR head, else $GITHUB_SHA)")
    .option("--lang <lang>", "Drift Radar language: auto, en, ko", lang, "auto")
    .option("--max-listed <n>", "violations listed in the output at most (all are scored)", positiveInteger, 10_000)
    .action(async (flags: GateFlags) => {
      const config = loadConfig(io.env, io.cwd);
      const configured = (await loadCliConfigFile(program.opts<{ config?: string | boolean }>().config, io.cwd))?.gate;
      flags.fail ??= configured?.fail;
      flags.warn ??= configured?.warn;
      const ctx = await actionsContext(config, flags);
      if (ctx.warning) io.stderr.write(`warning: ${ctx.warning}\n`);
      const rules = await readJson(flags.rules, io);
      const sources: FindingSource[] = [];
      for (const file of [...flags.sarif, ...flags.findings])
        sources.push({ label: file, root: `${file}:$`, data: await readJson(file, io) });
      const lint = flags.lint === undefined ? undefined : await lintInput(flags, io);
      const baseline = flags.baseline === undefined ? undefined : await readJson(flags.baseline, io);
      if (sources.length === 0) io.stderr.write("warning: no --sarif or --findings given: the Drift Score is 0.\n");

      const result = await scoreGate(
        {
          rules,
          ...(lint ? { lint } : {}),
          ...(baseline !== undefined ? { baseline } : {}),
          thresholds: {
            ...(flags.fail !== undefined ? { fail: flags.fail } : {}),
            ...(flags.warn !== undefined ? { warn: flags.warn } : {}),
          },
          ...(ctx.repository ? { repository: ctx.repository } : {}),
          ...(ctx.commit ? { commit: ctx.commit } : {}),
          server_url: ctx.serverUrl,
          lang: flags.lang,
          max_listed: flags.maxListed,
        },
        {
          sources,
          rulesRoot: flags.rules,
          baselineRoot: flags.baseline ? `${flags.baseline}:$` : undefined,
          rulesets: { allowAnyPath: true, baseDir: io.cwd },
        },
      );

      await write(
        io.stdout,
        render(result, flags.format, () => indexRules(rules, flags.rules)),
      );
      if (flags.format !== "text") io.stderr.write(`${verdictLine(result)}\n`);

      if (flags.summary && !(await appendStepSummary(config, `${result.radar_markdown}\n`))) {
        io.stderr.write(
          "warning: --summary: $GITHUB_STEP_SUMMARY is not set, so there is no job summary to append to.\n",
        );
      }
      if (flags.githubComment) await comment(result, config, ctx, io);

      if (result.decision === "FAIL") throw new CliExit(EXIT_FAILURE);
      if (result.decision === "WARNING") {
        io.stderr.write(`warning: SpecGate gate WARNING — ${warningCauses(result).join("; ")}.\n`);
        if (flags.warnAsFailure) throw new CliExit(EXIT_FAILURE, "--warn-as-failure: failing on WARNING.");
      }
    });
}

/** Why the gate warns: the drift gate, the document-quality gate, or both. */
function warningCauses(result: GateResult): string[] {
  const causes: string[] = [];
  if (result.drift_decision === "WARNING")
    causes.push(
      `Drift Score ${result.drift_score.toFixed(1)}/100 is at or above the warning threshold ${result.thresholds.warn}`,
    );
  const q = result.quality_gate;
  if (q?.decision === "WARNING")
    causes.push(
      `the design document${q.document ? ` ${q.document}` : ""} scores ${q.score}/100 (${q.grade}) and needs human review`,
    );
  return causes;
}

function render(result: GateResult, fmt: Format, index: () => ReturnType<typeof indexRules>): string {
  switch (fmt) {
    case "json":
      return `${JSON.stringify(result, null, 2)}\n`;
    case "markdown":
      return result.radar_markdown;
    case "sarif":
      return `${JSON.stringify(gateToSarif(result, index()), null, 2)}\n`;
    case "github":
      return gateToAnnotations(result);
    case "junit":
      return gateToJunit(result);
    default:
      return gateToText(result);
  }
}

async function comment(
  result: GateResult,
  config: ReturnType<typeof loadConfig>,
  ctx: Awaited<ReturnType<typeof actionsContext>>,
  io: CliIO,
): Promise<void> {
  if (!config.github.token)
    throw new SpecGateError(
      "E_CONFIG",
      "--github-comment needs GITHUB_TOKEN (in Actions: `env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}`).",
    );
  if (!ctx.repository)
    throw new SpecGateError(
      "E_CONFIG",
      "--github-comment needs the repository: set GITHUB_REPOSITORY or pass --repository owner/name.",
    );
  if (!ctx.pullRequest) {
    io.stderr.write(
      "warning: --github-comment: this run is not for a pull request (no --pr, no pull_request in $GITHUB_EVENT_PATH); no comment posted.\n",
    );
    return;
  }
  const client = new GitHubClient({ token: config.github.token, apiUrl: config.github.apiUrl });
  try {
    const out = await upsertStickyComment(client, {
      repository: ctx.repository,
      number: ctx.pullRequest,
      body: result.radar_markdown,
      marker: RADAR_MARKER,
    });
    if (out.action === "skipped") io.stderr.write(`warning: ${out.warning}\n`);
    else io.stderr.write(`Drift Radar comment ${out.action} on #${ctx.pullRequest}${out.url ? `: ${out.url}` : ""}\n`);
  } finally {
    await client.close();
  }
}

async function readJson(file: string, io: CliIO, what = "valid JSON"): Promise<unknown> {
  const text = await readInput(file, io);
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new SpecGateError("E_INVALID_INPUT", `${file} is not ${what}: ${(error as Error).message}.`);
  }
}

/**
 * `--lint FILE`: a `.json` file (or text starting with `{`) is a speclint result, e.g. from
 * `specgate lint -f json` or the speclint_lint tool; anything else is the design document, linted
 * here with `--lint-ruleset` and `--lint-check-type`.
 */
async function lintInput(flags: GateFlags, io: CliIO): Promise<GateLint> {
  const file = flags.lint!;
  const text = await readInput(file, io);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!/\.json$/i.test(file) && !/^\s*\{/.test(body)) {
    return {
      content: text,
      id: file === "-" ? "stdin" : file,
      check_type: flags.lintCheckType,
      ...(flags.lintRuleset ? { ruleset: flags.lintRuleset } : {}),
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `${file} is not valid JSON: ${(error as Error).message}. Give the design document (Markdown/HTML) or a speclint result in JSON.`,
    );
  }
  const result = lintResultOf(value);
  if (!result)
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `${file} is not a speclint result (expected { score, grade, violations }, as \`specgate lint -f json\` or speclint_lint give).`,
    );
  return result;
}

/** A speclint result, or the one result of a `specgate lint -f json` report. */
function lintResultOf(value: unknown): GateLint | undefined {
  if (!value || typeof value !== "object") return undefined;
  const v = value as { score?: unknown; results?: unknown };
  if (typeof v.score === "number") return value as GateLint;
  if (Array.isArray(v.results) && v.results.length === 1) return lintResultOf(v.results[0]);
  return undefined;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function format(value: string): Format {
  if (!(FORMATS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`expected one of ${FORMATS.join(", ")}.`);
  return value as Format;
}

function lang(value: string): "auto" | "en" | "ko" {
  if (value !== "auto" && value !== "en" && value !== "ko") throw new InvalidArgumentError("expected auto, en or ko.");
  return value;
}
