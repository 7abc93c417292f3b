/**
 * `npm run bench`: runs every benchmark part in sequence, each in its own process (so one part's
 * heap never skews another's memory figures). Each part prints its tables and writes JSON under
 * bench/results/. Pass part names to run a subset: `npm run bench -- transport speclint`.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { BENCH_DIR, ROOT } from "./lib.js";

/** Per-tool latency first, then in data-flow order, then the whole-system parts. Missing files are skipped with a note. */
const PARTS = [
  "latency",
  "html-to-md",
  "speclint",
  "rule-extract",
  "spec-generate",
  "gate-score",
  "confluence-fetch",
  "cache-replay",
  "transport",
  "batch",
  "scaling",
  "load",
];

const wanted = process.argv.slice(2);
const parts = wanted.length > 0 ? PARTS.filter((p) => wanted.includes(p)) : PARTS;
const started = performance.now();
let failed = 0;
for (const part of parts) {
  const file = path.join(BENCH_DIR, `${part}.ts`);
  if (!existsSync(file)) {
    process.stdout.write(`\n## ${part}: (no benchmark file)\n`);
    continue;
  }
  process.stdout.write(`\n## ${part}\n\n`);
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", file], { cwd: ROOT, stdio: "inherit" });
    child.on("close", resolve);
  });
  if (code !== 0) {
    failed++;
    process.stdout.write(`\n(${part} exited with ${code})\n`);
  }
}
process.stdout.write(`\nAll parts done in ${((performance.now() - started) / 1000).toFixed(0)} s${failed ? `, ${failed} failed` : ""}.\n`);
process.exitCode = failed ? 1 : 0;
