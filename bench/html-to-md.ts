/**
 * html_to_md benchmark (issue 3, RULE-PERF-005/003): SpecGate's streaming converter against
 * turndown + gfm, turndown fed chunk by chunk (the alternative design), mdream (WASM) and the
 * htmlparser2 floor, on 16 KB / 150 KB / 1 MB / 10 MB of real storage format (the corpus pages
 * repeated). Every figure comes from a fresh child process: warm timing (median/p95) in one,
 * one cold conversion's peak RSS and longest event-loop block in another. A fidelity table runs
 * the test suite's checks (words kept, markup leaked, code bodies kept) on each corpus page.
 *
 *   node --import tsx bench/html-to-md.ts [--engines=specgate,mdream] [--sizes=16KB,150KB]
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { BENCH_DIR, ROOT, fmtMs, fmtRatio, printTable, runIsolated, writeResults, type Timing } from "./lib.js";
import { ENGINES, engine, type EngineName } from "./html-to-md/engines.js";
import { corpusPages, SIZES } from "./html-to-md/input.js";
import { codeBodies, codeBodiesLost, leaks, missingWords } from "../test/unit/convert/check.js";

const WORKER = path.join(BENCH_DIR, "html-to-md", "worker.ts");

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1]?.split(",");
const engines = (arg("engines") ?? [...ENGINES]) as EngineName[];
const sizes = SIZES.filter((s) => (arg("sizes") ?? SIZES.map((x) => x.label.replace(" ", ""))).includes(s.label.replace(" ", "")));

interface TimeResult {
  timing: Timing;
  inputBytes: number;
}
interface RssResult {
  baselineMb: number;
  durationMs: number;
  maxBlockMs: number;
  outputBytes: number;
  inputBytes: number;
}
interface Row {
  engine: EngineName;
  size: string;
  inputBytes: number;
  time: Timing | null;
  rss: (RssResult & { peakMb: number }) | null;
  error?: string;
}

const rows: Row[] = [];
for (const size of sizes) {
  for (const name of engines) {
    const row: Row = { engine: name, size: size.label, inputBytes: 0, time: null, rss: null };
    try {
      const t = await runIsolated<TimeResult>(WORKER, [name, String(size.bytes), "time"]);
      row.time = t.result.timing;
      row.inputBytes = t.result.inputBytes;
      const r = await runIsolated<RssResult>(WORKER, [name, String(size.bytes), "rss"]);
      row.rss = { ...r.result, peakMb: r.maxRssMb };
    } catch (error) {
      row.error = error instanceof Error ? error.message : String(error);
    }
    rows.push(row);
    process.stderr.write(`${size.label} ${name}: ${row.time ? fmtMs(row.time.median) : row.error}\n`);
  }
}

const tables: string[] = [];
for (const size of sizes) {
  const here = rows.filter((r) => r.size === size.label);
  const base = here.find((r) => r.engine === "specgate");
  tables.push(
    printTable(
      `${size.label} of storage format (${((here[0]?.inputBytes ?? 0) / 1024).toFixed(0)} KiB)`,
      ["engine", "median", "p95", "time × SpecGate", "peak RSS (cold run)", "RSS before", "longest event-loop block"],
      here.map((r) => [
        r.engine,
        r.time ? fmtMs(r.time.median) : (r.error ?? "-"),
        r.time ? fmtMs(r.time.p95) : "-",
        r.time && base?.time ? fmtRatio(r.time.median / base.time.median) : "-",
        r.rss ? `${r.rss.peakMb} MB` : "-",
        r.rss ? `${r.rss.baselineMb} MB` : "-",
        r.rss ? fmtMs(r.rss.maxBlockMs) : "-",
      ]),
    ),
  );
}

// The compiled converter in plain Node (no tsx loader): the figure a server process sees.
interface CompiledRss {
  baselineMb: number;
  durationMs: number;
  maxBlockMs: number;
  maxRssMb: number;
}
let compiled: CompiledRss | null = null;
if (engines.includes("specgate") && sizes.some((s) => s.label === "10 MB")) {
  if (existsSync(path.join(ROOT, "dist/core/convert/index.js"))) {
    const out = execFileSync(process.execPath, [path.join(BENCH_DIR, "html-to-md", "compiled-rss.mjs"), String(10 * 1024 * 1024)], { cwd: ROOT, encoding: "utf8" });
    compiled = JSON.parse(out.trim().split("\n").pop() ?? "{}") as CompiledRss;
    tables.push(
      printTable("10 MB, compiled (dist/, plain node, as the server runs)", ["engine", "cold run", "peak RSS", "RSS before", "longest event-loop block"], [
        ["specgate", fmtMs(compiled.durationMs), `${compiled.maxRssMb} MB`, `${compiled.baselineMb} MB`, fmtMs(compiled.maxBlockMs)],
      ]),
    );
  } else {
    process.stderr.write("dist/ not built: run `npm run build` for the compiled 10 MB memory figure\n");
  }
}

// SpecGate against its targets.
const sg = (label: string) => rows.find((r) => r.engine === "specgate" && r.size === label);
const targets: (string | number)[][] = [];
const check = (what: string, value: number | undefined, limit: number, unit: string) =>
  value !== undefined && targets.push([what, `${unit === "ms" ? fmtMs(value) : `${value} ${unit}`}`, `${unit === "ms" ? fmtMs(limit) : `${limit} ${unit}`}`, value <= limit ? "met" : "MISSED"]);
check("150 KB, warm median", sg("150 KB")?.time?.median, 10, "ms");
check("1 MB, warm median", sg("1 MB")?.time?.median, 100, "ms");
check("10 MB, warm median", sg("10 MB")?.time?.median, 1000, "ms");
check("10 MB, cold single run", sg("10 MB")?.rss?.durationMs, 1000, "ms");
check("10 MB, peak RSS (tsx worker)", sg("10 MB")?.rss?.peakMb, 200, "MB");
check("10 MB, peak RSS (compiled, plain node)", compiled?.maxRssMb, 200, "MB");
check("10 MB, longest event-loop block", sg("10 MB")?.rss?.maxBlockMs, 50, "ms");
const t1 = sg("1 MB")?.time?.median;
const t10 = sg("10 MB")?.time?.median;
if (t1 && t10) targets.push(["10 MB / 1 MB time (linear: ≤ 12×)", fmtRatio(t10 / t1), "12×", t10 / t1 <= 12 ? "met" : "MISSED"]);
if (targets.length > 0) tables.push(printTable("SpecGate against issue 3's targets", ["target", "measured", "limit", ""], targets));

// Fidelity on the corpus pages, with the checks the test suite uses.
const pages = corpusPages();
const fidelity: (string | number)[][] = [];
for (const name of engines.filter((e) => e !== "htmlparser2")) {
  const convert = await engine(name);
  let missing = 0;
  let leaked = 0;
  let code = 0;
  let codeLost = 0;
  for (const page of pages) {
    const markdown = await convert(page);
    missing += missingWords(page, markdown).length;
    leaked += leaks(markdown).length;
    code += codeBodies(page).length;
    codeLost += codeBodiesLost(page, markdown).length;
  }
  fidelity.push([name, missing, leaked, `${code - codeLost} / ${code}`]);
}
tables.push(printTable(`Fidelity on the ${pages.length} corpus pages`, ["engine", "words lost", "leaked markup (ac:/ri: tags, CDATA, entities)", "multi-line code bodies kept byte for byte"], fidelity));

const file = await writeResults("html-to-md", { engines, sizes: sizes.map((s) => s.label), loadAverage: os.loadavg(), rows, compiled, fidelity, tables });
process.stderr.write(`results: ${file}\n`);
