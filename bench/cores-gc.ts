/**
 * Why two extractions do not double one on 2 cores: SpecGate's worker pool alone (no HTTP, no
 * MCP), one then two closed loops of uncached 1 MB rule extractions, in child processes started
 * with different V8 garbage-collector flags, alternating between them round by round. With V8's
 * parallel collector, one extraction already uses the second core for its collections; keeping
 * the collector on the allocating thread shows how much of the ratio that is. An experiment for
 * docs/benchmarks/startup-and-overhead.md ("Every core"), not a part of `npm run bench`.
 *
 *   npm run build && node --import tsx bench/cores-gc.ts [--seconds 4] [--rounds 4]
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createLogger } from "../src/logger.js";
import { WorkerPool } from "../src/perf/worker-pool.js";
import { MB, designMarkdown } from "./inputs.js";
import { benchOptions, median, printTable, ROOT } from "./lib.js";

const args = benchOptions();
const SECONDS = Number(args.get("seconds") ?? 4);
const ROUNDS = Number(args.get("rounds") ?? 4);

/** In a child: `clients` loops for SECONDS; prints extractions per second. */
async function child(clients: number, youngMb: number | undefined): Promise<void> {
  const design = await designMarkdown(MB);
  const pool = new WorkerPool({
    size: 2,
    maxHeapMb: 512,
    ...(youngMb === undefined ? {} : { maxYoungMb: youngMb }),
    logger: createLogger({ level: "silent" }),
  });
  const never = new AbortController().signal;
  let salt = 0;
  const loops = async (n: number, seconds: number) => {
    let done = 0;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    await Promise.all(
      Array.from({ length: n }, async () => {
        while (performance.now() < deadline) {
          const task = { content: `<!-- ${++salt} -->\n${design}`, options: { source: {} } };
          await pool.run({ job: "extract", args: task, maxResultChars: 64 * MB, hint: "" }, never);
          done++;
        }
      }),
    );
    return done / ((performance.now() - started) / 1000);
  };
  await loops(2, 1); // both workers started, the code warm
  process.stdout.write(`${JSON.stringify({ perSecond: await loops(clients, SECONDS) })}\n`);
  await pool.close();
}

/** V8 flags of the process, and the workers' young generation (`resourceLimits.maxYoungGenerationSizeMb`). */
const VARIANTS: { name: string; flags: string[]; youngMb?: number }[] = [
  { name: "none (parallel GC, V8's default)", flags: [] },
  { name: "--single-threaded-gc", flags: ["--single-threaded-gc"] },
  { name: "--no-parallel-scavenge", flags: ["--no-parallel-scavenge"] },
  { name: "workers' young generation 64 MB", flags: [], youngMb: 64 },
  { name: "workers' young generation 128 MB", flags: [], youngMb: 128 },
];

async function main(): Promise<void> {
  const run = promisify(execFile);
  const self = fileURLToPath(import.meta.url);
  const results = new Map(VARIANTS.map((v) => [v.name, { one: [] as number[], two: [] as number[] }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const v of round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
      for (const clients of round % 2 === 0 ? [1, 2] : [2, 1]) {
        const { stdout } = await run(
          process.execPath,
          [
            ...v.flags,
            "--import",
            "tsx",
            self,
            "--child",
            `${clients}`,
            ...(v.youngMb === undefined ? [] : ["--young", `${v.youngMb}`]),
          ],
          {
            cwd: ROOT,
          },
        );
        const { perSecond } = JSON.parse(stdout.trim().split("\n").pop()!) as { perSecond: number };
        results.get(v.name)![clients === 1 ? "one" : "two"].push(perSecond);
      }
    }
  }
  printTable(
    `The worker pool alone, 1 MB extractions, ${ROUNDS} alternating rounds of ${SECONDS} s (medians)`,
    ["V8 flags, or the workers' heap", "1 client", "2 clients", "2 ÷ 1 (median of the rounds' ratios)"],
    VARIANTS.map((v) => {
      const r = results.get(v.name)!;
      const ratios = r.two.map((two, i) => two / r.one[i]!);
      return [
        v.name,
        `${median(r.one).toFixed(1)}/s`,
        `${median(r.two).toFixed(1)}/s`,
        `${median(ratios).toFixed(2)}×`,
      ];
    }),
  );
}

const childArg = args.get("child");
const youngArg = args.get("young");
await (childArg ? child(Number(childArg), youngArg === undefined ? undefined : Number(youngArg)) : main());
