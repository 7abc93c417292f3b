/**
 * Scaling: each tool's core function, in process, at 1×, 10× and 100× its input —
 *   html_to_md     100 KB / 1 MB / 10 MB of Confluence storage format (the corpus pages concatenated);
 *   speclint_lint  100 KB / 1 MB / 10 MB Markdown design documents (the seed repeated, ids renumbered);
 *   rule_extract   the same documents;
 *   spec_generate  10 / 100 / 1,000 rules (extracted from such a document);
 *   gate_score     1k / 10k / 100k findings against 100 rules.
 * Prints time per unit at each size and the growth exponent log(t100/t1)/log(100): 1 is linear;
 * anything above 1.15 is flagged (also the exponent between 10× and 100× alone, where a fixed
 * per-call cost no longer hides the growth). Wall and CPU (user + system) time both; the CPU clock is not
 * inflated by other processes on a shared machine. Every call's input is unique (nothing cached).
 *
 *   node --expose-gc --import tsx bench/scaling.ts [--quick]
 */
import os from "node:os";
import { convertHtml } from "../src/core/convert/index.js";
import { extractDocument } from "../src/core/extract/index.js";
import { scoreGate } from "../src/core/gate/index.js";
import { generate } from "../src/core/generate/index.js";
import { lint } from "../src/core/lint/linter.js";
import { KB, MB, TEN_MB, designMarkdown, findingsFor, storageHtml, type Finding } from "./inputs.js";
import { cpuMsSince, fmtMs, printTable, summarize, writeResults, type Timing } from "./lib.js";

const quick = process.argv.includes("--quick");
const FLAG_ABOVE = 1.15;

interface Step {
  /** Units of work at this size (MB, rules, 1k findings). */
  units: number;
  label: string;
  call: () => Promise<unknown>;
}
interface Scale {
  tool: string;
  unit: string;
  steps: Step[];
}

let n = 0;
const tag = () => `scaling ${++n}`;

async function scales(): Promise<Scale[]> {
  const sizes = [100 * KB, MB, TEN_MB];
  const mbOf = (s: string) => Buffer.byteLength(s) / MB;
  const html = sizes.map((b) => storageHtml(b));
  const md = await Promise.all(sizes.map((b) => designMarkdown(b)));
  const source = (await extractDocument(await designMarkdown(2.5 * MB))).rules as unknown as (Record<
    string,
    unknown
  > & { rule_id: string })[];
  if (source.length < 1000) throw new Error(`need 1,000 rules, extracted ${source.length}`);
  const gateRules = source.slice(0, 100);
  const ids = gateRules.map((r) => r.rule_id);
  const findings = [1000, 10_000, 100_000].map((c) => findingsFor(ids, c));
  const unique = (list: Finding[]) => [{ ...list[0]!, message: tag() }, ...list.slice(1)];
  return [
    {
      tool: "html_to_md",
      unit: "MB",
      steps: html.map((h) => ({
        units: mbOf(h),
        label: `${mbOf(h).toFixed(2)} MB`,
        call: () => convertHtml(`${h}<!-- ${tag()} -->`),
      })),
    },
    {
      tool: "speclint_lint",
      unit: "MB",
      steps: md.map((m) => ({
        units: mbOf(m),
        label: `${mbOf(m).toFixed(2)} MB`,
        call: () => lint(`${m}\n<!-- ${tag()} -->\n`, { maxViolations: 500 }),
      })),
    },
    {
      tool: "rule_extract",
      unit: "MB",
      steps: md.map((m) => ({
        units: mbOf(m),
        label: `${mbOf(m).toFixed(2)} MB`,
        call: () => extractDocument(`${m}\n<!-- ${tag()} -->\n`),
      })),
    },
    {
      tool: "spec_generate",
      unit: "rule",
      steps: [10, 100, 1000].map((c) => ({
        units: c,
        label: `${c} rules`,
        call: () => generate(source.slice(0, c), { project: tag() }),
      })),
    },
    {
      tool: "gate_score",
      unit: "1k findings",
      steps: findings.map((f) => ({
        units: f.length / 1000,
        label: `${f.length.toLocaleString("en-US")} findings`,
        call: () => scoreGate({ rules: gateRules, findings: unique(f) }),
      })),
    },
  ];
}

async function run(step: Step, runs: number, warmup: number): Promise<{ wall: Timing; cpu: Timing }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  // No forced collection between calls: it resets V8's heap sizing and slows the next calls.
  for (let i = 0; i < warmup + runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await step.call();
    if (i < warmup) continue;
    wall.push(performance.now() - t0);
    cpu.push(cpuMsSince(c0));
  }
  return { wall: summarize(wall), cpu: summarize(cpu) };
}

const started = performance.now();
const RUNS = quick ? [5, 2, 1] : [30, 10, 5];
// Generous warm-up at 1×: its calls are short, and a cold JIT there would bend the exponent down.
const WARMUP = quick ? [10, 1, 0] : [30, 5, 1];
const results: {
  tool: string;
  unit: string;
  steps: { label: string; units: number; wall: Timing; cpu: Timing; wallPerUnit: number; cpuPerUnit: number }[];
  exponentWall: number;
  exponentCpu: number;
  exponentUpperCpu: number;
  flagged: boolean;
}[] = [];
for (const scale of await scales()) {
  const steps = [];
  for (const [i, step] of scale.steps.entries()) {
    const { wall, cpu } = await run(step, RUNS[i]!, WARMUP[i]!);
    steps.push({
      label: step.label,
      units: step.units,
      wall,
      cpu,
      wallPerUnit: wall.median / step.units,
      cpuPerUnit: cpu.median / step.units,
    });
    process.stderr.write(`${scale.tool} ${step.label}: ${fmtMs(wall.median)} (CPU ${fmtMs(cpu.median)})\n`);
  }
  // Growth exponent over the actual unit ratio (inputs are within a page of 100× apart).
  const first = steps[0]!;
  const last = steps[steps.length - 1]!;
  const span = Math.log(last.units / first.units);
  const exponentWall = Math.log(last.wall.median / first.wall.median) / span;
  const exponentCpu = Math.log(last.cpu.median / first.cpu.median) / span;
  // The same between 10× and 100× only: a fixed per-call cost weighs little there, so a small
  // exponent over 1×→100× that is only fixed cost shows as ≈ 1 here.
  const mid = steps[1]!;
  const exponentUpperCpu = Math.log(last.cpu.median / mid.cpu.median) / Math.log(last.units / mid.units);
  results.push({
    tool: scale.tool,
    unit: scale.unit,
    steps,
    exponentWall,
    exponentCpu,
    exponentUpperCpu,
    flagged: Math.max(exponentWall, exponentCpu, exponentUpperCpu) > FLAG_ABOVE,
  });
}

function verdict(wall: number, cpu: number, upper: number): string {
  const over = [
    wall > FLAG_ABOVE ? "wall" : "",
    cpu > FLAG_ABOVE ? "CPU" : "",
    upper > FLAG_ABOVE ? "CPU 10×→100×" : "",
  ].filter(Boolean);
  if (over.length) return `**above ${FLAG_ABOVE}** (${over.join(", ")})`;
  return Math.max(wall, cpu) < 0.85 ? "sub-linear" : "≈ linear";
}
const perUnit = (ms: number, unit: string) => `${fmtMs(ms)}/${unit}`;
const rows = results.map((r) => [
  r.tool,
  ...r.steps.map((s) => `${s.label}: ${fmtMs(s.wall.median)} (${perUnit(s.wallPerUnit, r.unit)})`),
  r.exponentWall.toFixed(2),
  r.exponentCpu.toFixed(2),
  r.exponentUpperCpu.toFixed(2),
  verdict(r.exponentWall, r.exponentCpu, r.exponentUpperCpu),
]);
const table = printTable(
  `Scaling, core functions in process (median wall time, and per unit; exponent = log(t100/t1) / log(100), wall and CPU; Node ${process.version})`,
  ["tool", "1×", "10×", "100×", "exponent (wall)", "exponent (CPU)", "exponent 10×→100× (CPU)", "verdict"],
  rows,
);
const cpuTable = printTable(
  "The same, CPU time (user + system) per unit",
  ["tool", "1×", "10×", "100×"],
  results.map((r) => [r.tool, ...r.steps.map((s) => `${fmtMs(s.cpu.median)} (${perUnit(s.cpuPerUnit, r.unit)})`)]),
);
const seconds = (performance.now() - started) / 1000;
process.stdout.write(
  `scaling part: ${seconds.toFixed(0)} s, load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(" / ")}\n`,
);
await writeResults("scaling", {
  quick,
  seconds,
  loadAverage: os.loadavg(),
  flagAbove: FLAG_ABOVE,
  results,
  targets: [],
  tables: [table, cpuTable],
});
