/**
 * `npm run bench`: runs every benchmark part in sequence, each in its own process (so one part's
 * heap never skews another's memory figures). Each part prints its tables, which are also kept in
 * bench/results/<part>.md, and writes JSON under bench/results/. At the end bench/report.ts
 * rebuilds BENCHMARKS.md from the results. Pass part names to run a subset:
 * `npm run bench -- transport speclint` (the report then mixes new and earlier results, each part
 * dated).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { BENCH_DIR, RESULTS_DIR, ROOT } from "./lib.js";

/** Per-tool latency first, then in data-flow order, then the whole-system parts. Missing files are skipped with a note. */
export const PARTS = [
  "latency",
  "html-to-md",
  "speclint",
  "rule-extract",
  "accuracy",
  "spec-generate",
  "gate-score",
  "rule-check",
  "confluence-fetch",
  "cache-replay",
  "transport",
  "http-overhead",
  "batch",
  "scaling",
  "load",
  "scale-out",
  "cores",
  "cold-start",
  "cost",
  "worker-threshold",
];

const wanted = process.argv.slice(2);
const parts = wanted.length > 0 ? PARTS.filter((p) => wanted.includes(p)) : PARTS;
const started = performance.now();
const loadBefore = os.loadavg();
await mkdir(RESULTS_DIR, { recursive: true });
const failed: string[] = [];
const seconds: Record<string, number> = {};
for (const part of parts) {
  const file = path.join(BENCH_DIR, `${part}.ts`);
  if (!existsSync(file)) {
    process.stdout.write(`\n## ${part}: (no benchmark file)\n`);
    continue;
  }
  process.stdout.write(`\n## ${part}\n\n`);
  const t0 = performance.now();
  let printed = "";
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", file], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      printed += d;
      process.stdout.write(d);
    });
    child.on("close", resolve);
  });
  seconds[part] = Math.round((performance.now() - t0) / 1000);
  await writeFile(path.join(RESULTS_DIR, `${part}.md`), printed);
  if (code !== 0) {
    failed.push(part);
    process.stdout.write(`\n(${part} exited with ${code})\n`);
  }
}
const totalSeconds = Math.round((performance.now() - started) / 1000);
// The machine and the whole run's figures describe a full run only; a subset leaves them alone.
if (wanted.length === 0)
  await writeFile(
    path.join(RESULTS_DIR, "machine.json"),
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        os: `${os.type()} ${os.release()} ${os.arch()}`,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? "unknown",
        memoryGb: Math.round(os.totalmem() / 2 ** 30),
        loadBefore: loadBefore.map((x) => Math.round(x * 10) / 10),
        loadAfter: os.loadavg().map((x) => Math.round(x * 10) / 10),
        parts,
        seconds,
        totalSeconds,
        failed,
      },
      null,
      2,
    )}\n`,
  );
process.stdout.write(
  `\nAll parts done in ${totalSeconds} s${failed.length ? `, failed: ${failed.join(", ")}` : ""}.\n`,
);
if (wanted.length === 0) {
  const { writeReport } = await import("./report.js");
  process.stdout.write(`Report: ${path.relative(ROOT, await writeReport())}\n`);
}
process.exitCode = failed.length ? 1 : 0;
