/**
 * Runs ast-grep rules over a {@link SourceSet}: the rules go to a private sgconfig.yml (a command
 * line argument is limited to 128 KB), the files are passed by name in batches that fit a
 * command line, and every match comes back as a JSON line, read as it streams.
 */
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { SpecGateError, throwIfAborted } from "../../errors.js";
import type { AstGrepRule } from "../astgrep/rules.js";
import { astGrepErrorText, runAstGrep } from "../astgrep/run.js";
import { astGrepYaml } from "../generate/astgrep.js";
import type { SourceSet } from "./sources.js";

export interface Match {
  /** The ast-grep rule's id. */
  ruleId: string;
  /** Relative to the source set's directory. */
  file: string;
  /** 1-based. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  snippet: string;
}

/** Command-line bytes given to file names per ast-grep run. */
const ARG_BUDGET = 96 * 1024;
const SNIPPET_MAX = 200;

interface RawMatch {
  ruleId?: string;
  file?: string;
  lines?: string;
  text?: string;
  range?: { start?: { line?: number; column?: number }; end?: { line?: number; column?: number } };
}

/**
 * Every match of `rules` in `sources`, in ast-grep's order per batch. Stops with E_TOO_LARGE past
 * `maxMatches`; rejects with E_TIMEOUT / E_CANCELLED when the signal fires (the child is killed).
 */
export async function scanSources(rules: readonly AstGrepRule[], sources: SourceSet, options: { signal?: AbortSignal | undefined; maxMatches?: number } = {}): Promise<Match[]> {
  if (rules.length === 0 || sources.files.length === 0) return [];
  const max = options.maxMatches ?? 100_000;
  const dir = await mkdtemp(path.join(tmpdir(), "specgate-rules-"));
  try {
    await mkdir(path.join(dir, "rules"));
    await writeFile(path.join(dir, "sgconfig.yml"), "ruleDirs:\n  - rules\n");
    await writeFile(path.join(dir, "rules", "rules.yml"), astGrepYaml(rules.map(({ metadata: _m, ...r }) => r)));
    const matches: Match[] = [];
    for (const batch of batches(sources.files)) {
      throwIfAborted(options.signal);
      const args = ["scan", "-c", path.join(dir, "sgconfig.yml"), "--json=stream", "--color=never", "--", ...batch];
      const { code, stderr } = await runAstGrep(args, {
        cwd: sources.cwd,
        signal: options.signal,
        onJson: (value) => {
          const m = toMatch(value as RawMatch);
          if (!m) return;
          if (matches.length >= max) throw new SpecGateError("E_TOO_LARGE", `More than ${max} findings; check fewer files or narrower rules.`);
          matches.push(m);
        },
      });
      if (code !== 0 && code !== 1) throw new SpecGateError("E_INVALID_INPUT", `ast-grep could not run the rules: ${astGrepErrorText(stderr)}`);
    }
    return matches;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
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
  if (typeof raw.ruleId !== "string" || typeof raw.file !== "string" || typeof start?.line !== "number") return undefined;
  const first = (raw.lines ?? raw.text ?? "").split("\n", 1)[0]!.trim();
  return {
    ruleId: raw.ruleId,
    file: raw.file.replace(/\\/g, "/").replace(/^\.\//, ""),
    line: start.line + 1,
    column: (start.column ?? 0) + 1,
    endLine: (end?.line ?? start.line) + 1,
    endColumn: (end?.column ?? start.column ?? 0) + 1,
    snippet: first.length > SNIPPET_MAX ? `${first.slice(0, SNIPPET_MAX - 1)}…` : first,
  };
}
