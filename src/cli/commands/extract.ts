import { Option, type Command } from "commander";
import { stringify } from "yaml";
import {
  combineResults,
  resultDocumentName,
  type ContentFormat,
  type DocumentOutcome,
  type ExtractResult,
} from "../../core/extract/index.js";
import { extractRules } from "../../app/extract-documents.js";
import { direct } from "../../app/work.js";
import { SpecGateError, toSpecGateError } from "../../errors.js";
import { score } from "../arguments.js";
import { EXIT_USAGE, CliExit, progressLine, readInput, write, type CliIO } from "../io.js";
import { expandDocuments } from "../documents.js";
import { loadCliConfigFile } from "../../config-file.js";

interface ExtractFlags {
  format: "json" | "yaml" | "table";
  from: ContentFormat;
  minReliability?: number;
  anyCase?: boolean;
}

/**
 * `specgate extract doc.md [more…] > rules.json`: rules on stdout (json, yaml or a table), a
 * summary and warnings on stderr. Exit 0 when every file was read, 2 when one could not be
 * (the others are still extracted and printed).
 */
export function registerExtract(program: Command, io: CliIO): void {
  program
    .command("extract")
    .description("Extract DesignRuleSpec rules from design documents (Markdown, or HTML/Confluence storage XHTML).")
    .argument("<files...>", "Markdown or HTML files, directories or globs (quote them), or - for standard input")
    .addOption(new Option("-f, --format <format>", "output format").choices(["json", "yaml", "table"]).default("json"))
    .addOption(
      new Option("--from <format>", "input format (auto detects HTML)")
        .choices(["auto", "markdown", "html"])
        .default("auto"),
    )
    .option("--min-reliability <n>", "leave out rules scoring below n (0-100)", score)
    .option(
      "--any-case",
      "also read lower-case must/shall/should (documents that do not follow RFC 2119); such rules get lower reliability",
    )
    .action(async (patterns: string[], flags: ExtractFlags) => {
      const started = performance.now();
      // As `specgate lint` reads its arguments: globs and directories expand to their documents.
      const file = await loadCliConfigFile(program.opts<{ config?: string | boolean }>().config, io.cwd);
      const { files, missing } = await expandDocuments(patterns, io.cwd, file?.ignore);
      if (files.length === 0) throw new SpecGateError("E_NOT_FOUND", missing.map((m) => m.message).join(" "));
      const progress = progressLine(io, "extracting");
      const outcomes: DocumentOutcome[] = [];
      const single = files.length === 1 && missing.length === 0;
      for (const [i, file] of files.entries()) {
        const name = file === "-" ? "stdin" : file;
        try {
          const content = await readInput(file, io);
          const keywords = flags.anyCase ? "any-case" : "upper-case";
          const result = await extractRules(direct(), content, {
            source: { id: name },
            format: flags.from,
            minReliability: flags.minReliability,
            keywords,
          });
          outcomes.push({ ok: true, name: resultDocumentName(result, name), result });
        } catch (error) {
          if (single) throw error;
          const e = toSpecGateError(error);
          outcomes.push({ ok: false, name, error: { code: e.code, message: e.message } });
        }
        progress.update(i + 1, files.length);
      }
      progress.end();
      for (const m of missing)
        outcomes.push({ ok: false, name: m.pattern, error: { code: "E_NOT_FOUND", message: m.message } });
      const combined = combineResults(outcomes, performance.now() - started);
      const { documents, ...one } = combined;
      const out: ExtractResult = single ? one : combined;
      await write(io.stdout, render(out, flags.format));
      await reportToStderr(io, combined);
      const failed = documents.filter((d) => !d.ok);
      if (failed.length > 0)
        throw new CliExit(
          EXIT_USAGE,
          failed.map((d) => `specgate: ${d.document}: ${d.error?.code}: ${d.error?.message}`).join("\n"),
        );
    });
}

function render(out: ExtractResult, format: ExtractFlags["format"]): string {
  if (format === "json") return `${JSON.stringify(out, null, 2)}\n`;
  if (format === "yaml") return stringify(out, { lineWidth: 0 });
  return table(out);
}

/** A plain-text table of the rules, then the duplicates and conflicts. */
function table(out: ExtractResult): string {
  const header = ["RULE", "PRIORITY", "AREA", "REL", "SOURCE", "TITLE"];
  const rows = out.rules.map((r) => [
    r.rule_id,
    r.priority,
    `${r.area}${r.area_guessed ? "?" : ""}`,
    String(r.reliability.total_score),
    `${r.source.document}:${r.source.line}`,
    r.title,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c]!))).join("  ");
  const lines = [line(header), ...rows.map(line)];
  for (const d of out.duplicates) lines.push(`duplicate: ${d.message}`);
  for (const c of out.conflicts) lines.push(`conflict: ${c.message}`);
  return `${lines.join("\n")}\n`;
}

async function reportToStderr(io: CliIO, out: ReturnType<typeof combineResults>): Promise<void> {
  const s = out.stats;
  const lines = [
    `${s.rules} rules (${s.standardized} standardized, ${s.keyword} keyword) from ${s.documents} document${s.documents === 1 ? "" : "s"}; ${s.duplicates} duplicates, ${s.conflicts} conflicts${s.below_min_reliability ? `; ${s.below_min_reliability} below --min-reliability` : ""}.`,
  ];
  for (const w of out.warnings)
    lines.push(`warning: ${w.document ? `${w.document}${w.line ? `:${w.line}` : ""}: ` : ""}${w.code}: ${w.message}`);
  await write(io.stderr, `${lines.join("\n")}\n`);
}
