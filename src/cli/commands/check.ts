import path from "node:path";
import { Option, type Command } from "commander";
import { checkCode } from "../../core/check/check.js";
import { CHECK_FORMATS, formatCheck, type CheckFormat } from "../../core/check/format.js";
import { extractRules } from "../../app/extract-documents.js";
import { direct } from "../../app/work.js";
import { readRules, type DesignRuleSpec } from "../../core/spec/design-rule-spec.js";
import { SpecGateError } from "../../errors.js";
import { CliExit, EXIT_FAILURE, readInput, write, type CliIO } from "../io.js";

interface CheckFlags {
  rules: string;
  diff?: string;
  format: CheckFormat;
}

/**
 * `specgate check [paths…] --rules rules.json|doc.md [--diff FILE|-] [--format …]`: runs the
 * rules' checks (the ast-grep rules spec_generate writes) over files under the current
 * directory. Exit 0 no findings, 1 findings, 2 usage or input error. Paths in the output are
 * relative to the current directory.
 */
export function registerCheck(program: Command, io: CliIO): void {
  program
    .command("check")
    .description(
      "Check code against design rules (their patterns and forbidden dependencies, run by ast-grep). Exit 0 no findings, 1 findings, 2 bad input.",
    )
    .argument(
      "[paths...]",
      "files, directories or globs under the current directory (default: all of it, or the diff's files with --diff)",
    )
    .requiredOption(
      "--rules <file>",
      "DesignRuleSpec rules (JSON) or a design document (Markdown/HTML) to extract them from",
    )
    .option("--diff <file>", "a unified diff (- for standard input): report only findings on added or changed lines")
    .addOption(new Option("--format <format>", "output on stdout").choices(CHECK_FORMATS).default("stylish"))
    .action(async (paths: string[], flags: CheckFlags) => {
      const rules = await loadRules(flags.rules, io);
      const diff =
        flags.diff === undefined
          ? undefined
          : await readInput(flags.diff === "-" ? "-" : path.resolve(io.cwd, flags.diff), io, { name: flags.diff });
      const globs = paths.map((p) => relativeGlob(p, io.cwd));
      const result = await checkCode(rules, {
        root: io.cwd,
        ...(globs.length ? { paths: globs } : diff === undefined ? { paths: ["."] } : {}),
        ...(diff !== undefined ? { diff } : {}),
      });
      await write(io.stdout, formatCheck(result, flags.format));
      if (flags.format !== "stylish")
        io.stderr.write(
          `${result.findings.length} finding${result.findings.length === 1 ? "" : "s"} (${result.stats.checked_rules} of ${result.stats.rules} rules checked, ${result.unchecked.length} unchecked).\n`,
        );
      if (result.findings.length > 0) throw new CliExit(EXIT_FAILURE);
    });
}

/** A path argument as a glob relative to the current directory (absolute paths inside it are made relative). */
function relativeGlob(arg: string, cwd: string): string {
  if (!path.isAbsolute(arg)) return arg === "." || arg === "./" ? "." : arg;
  const rel = path.relative(cwd, arg);
  if (rel.startsWith("..") || path.isAbsolute(rel))
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `${arg} is outside the current directory; run specgate check from the repository root.`,
    );
  return rel === "" ? "." : rel.split(path.sep).join("/");
}

/** Rules JSON (rule_extract's output or a list), or a design document whose rules are extracted. */
async function loadRules(file: string, io: CliIO): Promise<DesignRuleSpec[]> {
  const text = await readInput(file === "-" ? "-" : path.resolve(io.cwd, file), io, { name: file });
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const json = /\.json$/i.test(file) || (!/\.(md|markdown|html?|xhtml|txt)$/i.test(file) && /^\s*[[{]/.test(body));
  if (!json) {
    const extracted = await extractRules(direct(), text, { source: { id: file === "-" ? "stdin" : file } });
    for (const w of extracted.warnings) if (w.code === "pattern_invalid") io.stderr.write(`warning: ${w.message}\n`);
    return extracted.rules;
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `${file} is not valid JSON: ${(error as Error).message}. Give DesignRuleSpec rules (JSON) or a design document.`,
    );
  }
  const read = readRules(value, file);
  if (read.issues.length)
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `Some rules in ${file} cannot be read: ${read.issues
        .slice(0, 5)
        .map((i) => `${i.path}: ${i.message}`)
        .join("; ")}.`,
    );
  return read.rules;
}
