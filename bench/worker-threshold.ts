/**
 * Where the worker threshold (SPECGATE_WORKER_MIN_KB) comes from: the same lint and extraction
 * of a prose design document on the main thread and on a warm pool worker (the document copied
 * there, the result copied back), at several sizes, median of 5 runs each, in one process.
 * Below the threshold the hop costs a visible share of the call; above it the call is long
 * enough to stall other clients, which the worker avoids.
 *
 *   node --import tsx bench/worker-threshold.ts
 */
import { lint } from "../src/core/lint/linter.js";
import { extractDocument } from "../src/core/extract/index.js";
import { createLogger } from "../src/logger.js";
import { WorkerPool } from "../src/perf/worker-pool.js";
import { KB, designMarkdown } from "./inputs.js";
import { fmtMs, fmtRatio, printTable, writeResults } from "./lib.js";

const pool = new WorkerPool({ size: 1, maxHeapMb: 512, logger: createLogger({ level: "silent" }) });
const never = new AbortController().signal;
const LIMIT = 64 * 1024 * 1024;

async function median(fn: () => Promise<unknown>, runs = 5): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

const rows: { job: string; kb: number; mainMs: number; workerMs: number }[] = [];
for (const kb of [16, 64, 128, 256, 512]) {
  const doc = await designMarkdown(kb * KB);
  rows.push({
    job: "lint",
    kb,
    mainMs: await median(() => lint(doc, { maxViolations: 500 })),
    workerMs: await median(() =>
      pool.run(
        {
          job: "lint",
          args: {
            content: doc,
            options: { workspace: ".", allowAnyPath: false, checkType: "full", format: "auto", maxViolations: 500 },
          },
          maxResultChars: LIMIT,
          hint: "",
        },
        never,
      ),
    ),
  });
  rows.push({
    job: "extract",
    kb,
    mainMs: await median(() => extractDocument(doc)),
    workerMs: await median(() =>
      pool.run(
        { job: "extract", args: { content: doc, options: { source: {} } }, maxResultChars: LIMIT, hint: "" },
        never,
      ),
    ),
  });
}
await pool.close();
printTable(
  "Main thread against a warm worker, same document (median of 5)",
  ["job", "document", "main thread (event loop blocked this long)", "worker (event loop free)", "worker / main"],
  rows.map((r) => [r.job, `${r.kb} KB`, fmtMs(r.mainMs), fmtMs(r.workerMs), fmtRatio(r.workerMs / r.mainMs)]),
);
await writeResults("worker-threshold", { rows });
process.exit(0);
