/**
 * Runs ast-grep rules over {@link ScanTargets}: the rules go to a private sgconfig.yml (a command
 * line argument is limited to 128 KB), ast-grep walks the paths itself (in parallel; named files
 * go in batches that fit a command line), and every match comes back as a JSON line, read as it
 * streams.
 */
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { SpecGateError, throwIfAborted } from "../../errors.js";
import type { AstGrepRule } from "../astgrep/rules.js";
import { snippetOf, type Match } from "../astgrep/match.js";
import { astGrepErrorText, runAstGrep } from "../astgrep/run.js";
import { astGrepYaml } from "../generate/astgrep.js";
import { ALWAYS_EXCLUDED, TOO_LARGE, type ScanTargets } from "./sources.js";

/** Command-line bytes given to file names per ast-grep run. */
const ARG_BUDGET = 96 * 1024;

interface RawMatch {
  ruleId?: string;
  file?: string;
  lines?: string;
  text?: string;
  range?: { start?: { line?: number; column?: number }; end?: { line?: number; column?: number } };
}

/**
 * Every match of `rules` in what `targets` names, with the files ast-grep read and the ones it
 * skipped (read from its `--inspect entity` report). Stops with E_TOO_LARGE past `maxMatches`;
 * rejects with E_TIMEOUT / E_CANCELLED when the signal fires (the child is killed).
 */
export async function scanSources(
  rules: readonly AstGrepRule[],
  targets: ScanTargets,
  options: { signal?: AbortSignal | undefined; maxMatches?: number } = {},
): Promise<{ matches: Match[]; files: number; skipped: { file: string; reason: string }[] }> {
  const result = { matches: [] as Match[], files: 0, skipped: [] as { file: string; reason: string }[] };
  if (rules.length === 0 || targets.paths.length === 0) return result;
  const max = options.maxMatches ?? 100_000;
  const dir = await mkdtemp(path.join(tmpdir(), "specgate-rules-"));
  try {
    await mkdir(path.join(dir, "rules"));
    await writeFile(path.join(dir, "sgconfig.yml"), "ruleDirs:\n  - rules\n");
    await writeFile(path.join(dir, "rules", "rules.yml"), rulesYaml(rules));
    const globs = [...targets.globs, ...ALWAYS_EXCLUDED].flatMap((g) => ["--globs", g]);
    for (const batch of batches(targets.paths)) {
      throwIfAborted(options.signal);
      const args = [
        "scan",
        "-c",
        path.join(dir, "sgconfig.yml"),
        "--json=stream",
        "--color=never",
        "--inspect=entity",
        ...globs,
        "--",
        ...batch,
      ];
      const { code, stderr } = await runAstGrep(args, {
        cwd: targets.cwd,
        signal: options.signal,
        onJson: (value) => {
          const m = toMatch(value as RawMatch);
          if (!m) return;
          if (result.matches.length >= max)
            throw new SpecGateError("E_TOO_LARGE", `More than ${max} findings; check fewer files or narrower rules.`);
          result.matches.push(m);
        },
        onInspect: (line) => {
          // sg: entity|file|<path>: language=Java,appliedRuleCount=1  |  sg: entity|file|<path>: skipped=fileTooLarge
          const m = /^sg: entity\|file\|(.*): (language|skipped)=(\w+)/.exec(line);
          if (!m) return;
          if (m[2] === "language") result.files++;
          else
            result.skipped.push({
              file: m[1]!.replace(/^\.\//, ""),
              reason: m[3] === "fileTooLarge" ? TOO_LARGE : `ast-grep skipped it (${m[3]})`,
            });
        },
      });
      if (code !== 0 && code !== 1)
        throw new SpecGateError(
          "E_INVALID_INPUT",
          `ast-grep could not scan (a glob in \`paths\` it cannot read, or a rule it cannot load): ${astGrepErrorText(stderr)}`,
        );
    }
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The rule file text of ast-grep rules (SpecGate's metadata left out: ast-grep does not need it). */
export function rulesYaml(rules: readonly AstGrepRule[]): string {
  return astGrepYaml(rules.map(({ metadata: _m, ...r }) => r));
}

function* batches(files: readonly string[]): Generator<string[]> {
  let batch: string[] = [];
  let bytes = 0;
  for (const f of files) {
    const size = Buffer.byteLength(f) + 1;
    if (batch.length && bytes + size > ARG_BUDGET) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(f);
    bytes += size;
  }
  if (batch.length) yield batch;
}

function toMatch(raw: RawMatch): Match | undefined {
  const start = raw.range?.start;
  const end = raw.range?.end;
  if (typeof raw.ruleId !== "string" || typeof raw.file !== "string" || typeof start?.line !== "number")
    return undefined;
  const first = (raw.lines ?? raw.text ?? "").split("\n", 1)[0]!;
  return {
    ruleId: raw.ruleId,
    file: raw.file.replace(/\\/g, "/").replace(/^\.\//, ""),
    line: start.line + 1,
    column: (start.column ?? 0) + 1,
    endLine: (end?.line ?? start.line) + 1,
    endColumn: (end?.column ?? start.column ?? 0) + 1,
    snippet: snippetOf(first),
  };
}
