/**
 * rule_extract benchmarks: `node --expose-gc --import tsx bench/rule-extract.ts`
 *
 * - the 16 KB performance design document (test/fixtures/reference/SpecGate-Performance-Design.seed.md), in
 *   process: target ≤ 2 ms; the shared Markdown parse alone beside it.
 * - 10 MB documents, each in a fresh child process (peak RSS of that process, tsx included):
 *   target < 2 s and < 300 MB. "seed ×N" repeats the seed (code-heavy, 7 standardized rules per
 *   copy); "prose ×N" repeats the Korean/English free-text fixtures, so keyword extraction does
 *   nearly all the work and finds a rule in almost every line (a stress case).
 * - adversarial 1 MB inputs (backtick runs, brackets, punctuation runs, long lines, deep lists),
 *   to show time stays linear.
 * CPU time (user + system) is shown next to wall-clock time: other processes' load does not inflate it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { extractRules } from "../src/core/extract/index.js";
import { parseMarkdown } from "../src/core/markdown/document.js";
import { findRuleStatements } from "../src/core/markdown/rule-statements.js";
import { referencePath } from "../test/helpers/fixtures.js";
import {
  cpuPerCall,
  fmtMs,
  fmtRatio,
  measure,
  printTable,
  ROOT,
  runIsolated,
  writeResults,
  type TargetRow,
} from "./lib.js";

const SEED = referencePath("SpecGate-Performance-Design.seed.md");
const seed = readFileSync(SEED, "utf8");

const small = await measure(() => extractRules(seed), { runs: 500, warmup: 50 });
const smallCpu = await cpuPerCall(() => extractRules(seed), 500);
const parseOnly = await measure(() => findRuleStatements(parseMarkdown(seed)), { runs: 500, warmup: 50 });
const parseCpu = await cpuPerCall(() => findRuleStatements(parseMarkdown(seed)), 500);
const seedRules = extractRules(seed).rules.length;

const rows: (string | number)[][] = [
  [
    "seed 16 KB: extractRules",
    fmtMs(small.median),
    fmtMs(small.p95),
    fmtMs(smallCpu),
    "—",
    String(seedRules),
    "≤ 2 ms",
  ],
  [
    "seed 16 KB: parse + rule statements only",
    fmtMs(parseOnly.median),
    fmtMs(parseOnly.p95),
    fmtMs(parseCpu),
    "—",
    "—",
    "(baseline)",
  ],
];

const large: Record<string, { ms: number; cpuMs: number; rules: number; bytes: number; maxRssMb: number }> = {};
for (const kind of ["seed", "prose"] as const) {
  const { result, maxRssMb } = await runIsolated<{ ms: number; cpuMs: number; rules: number; bytes: number }>(
    path.join(ROOT, "bench", "isolated", "extract-large.ts"),
    [kind],
  );
  large[kind] = { ...result, maxRssMb };
  rows.push([
    `${kind} ×N, ${(result.bytes / 1024 / 1024).toFixed(1)} MB (child process)`,
    fmtMs(result.ms),
    "—",
    fmtMs(result.cpuMs),
    `${maxRssMb} MB`,
    String(result.rules),
    "< 2 s, < 300 MB",
  ]);
}

const adversarial: Record<string, { median: number; cpu: number }> = {};
for (const [name, text] of Object.entries(adversarialInputs())) {
  const t = await measure(() => extractRules(text), { runs: 5, warmup: 1 });
  const cpu = await cpuPerCall(() => extractRules(text), 3);
  adversarial[name] = { median: t.median, cpu };
  rows.push([`adversarial 1 MB: ${name}`, fmtMs(t.median), fmtMs(t.max), fmtMs(cpu), "—", "—", "linear"]);
}

printTable("rule_extract", ["input", "median", "p95 / max", "CPU / call", "peak RSS", "rules", "target"], rows);
const targets: TargetRow[] = [
  {
    row: "rule_extract, 16 KB doc",
    target: "≤ 2 ms (budget: < 10 s)",
    specgate: fmtMs(small.median),
    peer: `parse floor ${fmtMs(parseOnly.median)}`,
    ratio: `${fmtRatio(small.median / parseOnly.median)} the parse floor`,
    met: small.median <= 2,
    note: "the floor is the Markdown parse plus finding rule statements, which any extractor must do",
  },
];
await writeResults("rule-extract", {
  targets,
  seed: { median: small.median, p95: small.p95, cpuMs: smallCpu, rules: seedRules },
  parseOnly: { median: parseOnly.median, p95: parseOnly.p95, cpuMs: parseCpu },
  large,
  adversarial,
});

function adversarialInputs(): Record<string, string> {
  const mb = 1024 * 1024;
  const fill = (unit: string) => unit.repeat(Math.ceil(mb / unit.length)).slice(0, mb);
  return {
    "one backtick run": fill("`"),
    "backtick pairs": fill("`a"),
    "open brackets": fill("["),
    "commas in one sentence": `Clients ${fill(",")} MUST retry.`,
    "dots and spaces": fill(". "),
    "one 1 MB line of words": fill("word MUST "),
    "Korean endings without breaks": fill("해야 한다 "),
    "nested list markers": fill("- "),
    "unclosed comments": fill("<!-- "),
    "RULE heads": fill("**RULE-A-1** ("),
  };
}
