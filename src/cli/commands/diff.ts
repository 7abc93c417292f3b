import path from "node:path";
import { Option, type Command } from "commander";
import { bootstrap } from "../../bootstrap.js";
import { loadConfig } from "../../config.js";
import { loadCliConfigFile } from "../../config-file.js";
import type { RuleDiffResult, RuleSetRef } from "../../app/rule-diff.js";
import { SpecGateError } from "../../errors.js";
import { TOOLS } from "../../tools/index.js";
import { CliExit, EXIT_FAILURE, EXIT_USAGE, readInput, write, type CliIO } from "../io.js";

/** `specgate diff` runs the rule_diff tool through the pipeline: pages get its cache, deadline and retries. */
const RULE_DIFF = TOOLS.find((t) => t.name === "rule_diff")!;

const PAGE_REF = /^page:([0-9]{1,20})(?:@([0-9]{1,9}))?$/;

interface DiffFlags {
  format: "markdown" | "json";
  exitCode?: boolean;
}

/**
 * `specgate diff FROM TO`: the rule changes between two versions, as Markdown (default) or the
 * tool's JSON. Exit 0, or with --exit-code 1 when rules changed (as `git diff --exit-code`);
 * 2 for unreadable input.
 */
export function registerDiff(program: Command, io: CliIO): void {
  program
    .command("diff")
    .description(
      "Show the rule changes between two versions of a design document: rules added, removed and changed (field by field).",
    )
    .argument("<from>", "the older version: a rules JSON file, a Markdown/HTML document, page:ID[@VERSION], or -")
    .argument("<to>", "the newer version, in any of the same forms")
    .addOption(
      new Option("-f, --format <format>", "markdown (a summary for a PR or page comment) or json (the whole diff)")
        .choices(["markdown", "json"])
        .default("markdown"),
    )
    .option("--exit-code", "exit 1 when rules changed, 0 when none did")
    .action(async (from: string, to: string, flags: DiffFlags) => {
      if (from === "-" && to === "-")
        throw new CliExit(EXIT_USAGE, "specgate: only one side can be - (standard input)");
      const args = { from: await side(from, io), to: await side(to, io) };
      const pages = "page_id" in args.from || "page_id" in args.to;
      // CONFLUENCE_BASE_URL wins over the configuration file's confluence.base_url.
      const baseUrl = pages
        ? (await loadCliConfigFile(program.opts<{ config?: string | boolean }>().config, io.cwd))?.confluence.baseUrl
        : undefined;
      const config = loadConfig(
        baseUrl !== undefined && !io.env.CONFLUENCE_BASE_URL?.trim()
          ? { ...io.env, CONFLUENCE_BASE_URL: baseUrl }
          : io.env,
        io.cwd,
      );
      const runtime = await bootstrap(config);
      let out: RuleDiffResult;
      try {
        out = (await runtime.pipeline.execute<RuleDiffResult>(RULE_DIFF, args)).output;
      } finally {
        await runtime.close();
      }
      await write(io.stdout, flags.format === "json" ? `${JSON.stringify(out, null, 2)}\n` : out.markdown);
      const changes = out.added.length + out.removed.length + out.changed.length;
      if (flags.exitCode && changes > 0) throw new CliExit(EXIT_FAILURE);
    });
}

/** One side: `page:ID[@VERSION]`, a rules JSON file (by extension, else JSON-looking content) or a document. */
async function side(arg: string, io: CliIO): Promise<RuleSetRef> {
  const page = PAGE_REF.exec(arg);
  if (page) return { page_id: page[1]!, ...(page[2] ? { version: Number(page[2]) } : {}) };
  if (arg.startsWith("page:"))
    throw new CliExit(EXIT_USAGE, `specgate: ${arg}: a page is page:ID or page:ID@VERSION (numbers)`);
  const file = arg === "-" ? "-" : path.resolve(io.cwd, arg);
  const text = await readInput(file, io, { name: arg });
  const label = arg === "-" ? "stdin" : arg;
  const json =
    /\.json$/i.test(arg) || (!/\.(md|markdown|mdx|txt|html?|xhtml)$/i.test(arg) && /^\ufeff?\s*[[{]/.test(text));
  if (!json) return { content: text, label };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\ufeff/, ""));
  } catch (error) {
    throw new SpecGateError("E_INVALID_INPUT", `${label} is not JSON: ${(error as Error).message}`);
  }
  const obj = parsed as Record<string, unknown> | null;
  const rules = Array.isArray(parsed)
    ? parsed
    : obj && typeof obj === "object" && Array.isArray(obj.rules)
      ? obj.rules
      : obj && typeof obj === "object" && Array.isArray(obj.examples)
        ? obj.examples
        : undefined;
  if (!rules)
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `${label}: expected an array of rules, { "rules": [...] } (rule_extract's output) or { "examples": [...] }`,
    );
  return { rules, label };
}
