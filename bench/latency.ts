/**
 * Per-tool latency: each of the six tools on four inputs, along four paths, cold and warm.
 *
 *   node --expose-gc --import tsx bench/latency.ts [--quick]
 *
 * Inputs (test/fixtures only): the 16 KB seed design document (SpecGate-Performance-Design.seed.md;
 * its HTML form rendered once with markdown-it), then 150 KB, 1 MB and 10 MB. HTML tools
 * (html_to_md, confluence_fetch) get Confluence storage format (the corpus pages concatenated);
 * Markdown tools (speclint_lint, rule_extract) get design documents (the seed repeated with
 * renumbered rule ids). spec_generate gets the rules rule_extract finds in that document (at most
 * 5,000, the tool's limit); gate_score gets those rules and 100 / 1k / 10k / 100k findings.
 * confluence_fetch reads one page of that size from the fake Confluence on loopback (no latency).
 *
 * Paths: the tool's core function in process; the tool through the pipeline via the SDK Client
 * linked in memory; MCP over stdio (`node dist/cli.js serve --stdio`, SDK StdioClientTransport);
 * MCP over Streamable HTTP (`serve --http` on a free port, SDK StreamableHTTPClientTransport).
 * Cold: every call's input is unique (an HTML comment appended, a new project name, a new page),
 * so no cache answers. Warm: the same input again (a cache hit; gate_score has no result cache).
 *
 * Memory: peak RSS of one call per tool on the 10 MB input, each in a fresh plain-Node child on
 * the compiled code (bench/isolated/tool-call.mjs: bootstrap + pipeline, as `specgate serve` runs
 * a call), against the 1 GB cap and html_to_md's 200 MB.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ConfluenceClient } from "../src/core/confluence/client.js";
import { fetchConfluence } from "../src/core/confluence/fetch.js";
import { convertHtml } from "../src/core/convert/index.js";
import { extractDocument } from "../src/core/extract/index.js";
import { scoreGate } from "../src/core/gate/index.js";
import { generate } from "../src/core/generate/index.js";
import { lint } from "../src/core/lint/linter.js";
import type { Runtime } from "../src/runtime.js";
import { FakeConfluence, runtimeFor, syntheticPage } from "./confluence-setup.js";
import { engine } from "./html-to-md/engines.js";
import {
  KB,
  MB,
  TEN_MB,
  bytesOf,
  designMarkdown,
  findingsFor,
  seedHtml,
  seedMarkdown,
  storageHtml,
  type Finding,
} from "./inputs.js";
import {
  BENCH_DIR,
  cpuMsSince,
  fmtMb,
  fmtMs,
  fmtRatio,
  printTable,
  printTargets,
  runIsolated,
  summarize,
  writeResults,
  type TargetRow,
  type Timing,
} from "./lib.js";
import { httpClient, inMemoryClient, stdioClient, type BenchClient } from "./mcp-clients.js";

const TOOL_NAMES = [
  "html_to_md",
  "speclint_lint",
  "rule_extract",
  "spec_generate",
  "gate_score",
  "confluence_fetch",
] as const;
type ToolName = (typeof TOOL_NAMES)[number];
/** The per-call budgets of SpecGate's performance design document, the only peer figure there is per tool. */
const SEED_BUDGET_MS: Record<ToolName, number> = {
  html_to_md: 2000,
  speclint_lint: 3000,
  rule_extract: 10_000,
  spec_generate: 5000,
  gate_score: 3000,
  confluence_fetch: 5000,
};
const CAP_MB = 1024;
const CHILD = path.join(BENCH_DIR, "isolated", "tool-call.mjs");
const HTML_TO_MD_RSS_MB = 200;
const MAX_GENERATE_RULES = 5000;

interface Size {
  label: string;
  html: string;
  md: string;
  rules: Record<string, unknown>[];
  findings: Finding[];
  cold: number;
  warm: number;
  warmup: number;
}

type Rule = Record<string, unknown> & { rule_id: string };

interface SizeSpec {
  label: string;
  html: () => Promise<string> | string;
  md: () => Promise<string>;
  findings: number;
  cold: number;
  warm: number;
  warmup: number;
}

function sizeSpecs(quick: boolean): SizeSpec[] {
  return [
    {
      label: "16 KB (seed)",
      html: seedHtml,
      md: seedMarkdown,
      findings: 100,
      cold: quick ? 5 : 20,
      warm: quick ? 5 : 20,
      warmup: 2,
    },
    {
      label: "150 KB",
      html: () => storageHtml(150 * KB),
      md: () => designMarkdown(150 * KB),
      findings: 1000,
      cold: quick ? 5 : 15,
      warm: quick ? 5 : 15,
      warmup: 1,
    },
    {
      label: "1 MB",
      html: () => storageHtml(MB),
      md: () => designMarkdown(MB),
      findings: 10_000,
      cold: quick ? 2 : 5,
      warm: quick ? 2 : 5,
      warmup: 1,
    },
    ...(quick
      ? []
      : [
          {
            label: "10 MB",
            html: () => storageHtml(TEN_MB),
            md: () => designMarkdown(TEN_MB),
            findings: 100_000,
            cold: 3,
            warm: 3,
            warmup: 0,
          },
        ]),
  ];
}

/** Builds one size's inputs when its turn comes, so the small sizes run in a small heap. */
async function buildSize(spec: SizeSpec): Promise<Size> {
  const md = await spec.md();
  const rules = ((await extractDocument(md)).rules as unknown as Rule[]).slice(0, MAX_GENERATE_RULES);
  return {
    ...spec,
    html: await spec.html(),
    md,
    rules,
    findings: findingsFor(
      rules.map((r) => r.rule_id),
      spec.findings,
    ),
  };
}

let unique = 0;
const tag = () => `cold ${process.pid} ${++unique}`;

/** What one tool call takes on one size: MCP arguments (cold = unique each time) and the core function. */
interface Case {
  args(size: Size, cold: boolean): { args: Record<string, unknown>; done?: () => void };
  core(size: Size): Promise<unknown>;
  describe(size: Size): string;
}

function cases(fake: FakeConfluence, runtime: Runtime): Record<ToolName, Case> {
  let pageId = 500_000;
  const warmPages = new Map<string, string>();
  const client = runtime.services.confluence as ConfluenceClient;
  const newPage = (storage: string): string => {
    const id = String(++pageId);
    fake.addPage(syntheticPage(id, { title: `Latency page ${id}`, storage, spaceKey: "BENCH" }));
    return id;
  };
  return {
    html_to_md: {
      args: (s, cold) => ({ args: { html: cold ? `${s.html}<!-- ${tag()} -->` : s.html } }),
      core: (s) => convertHtml(`${s.html}<!-- ${tag()} -->`),
      describe: (s) => `${fmtMb(bytesOf(s.html))} HTML`,
    },
    speclint_lint: {
      args: (s, cold) => ({ args: { content: cold ? `${s.md}\n<!-- ${tag()} -->\n` : s.md } }),
      core: (s) => lint(`${s.md}\n<!-- ${tag()} -->\n`, { checkType: "full", format: "auto", maxViolations: 500 }),
      describe: (s) => `${fmtMb(bytesOf(s.md))} Markdown`,
    },
    rule_extract: {
      args: (s, cold) => ({ args: { content: cold ? `${s.md}\n<!-- ${tag()} -->\n` : s.md } }),
      core: (s) => extractDocument(`${s.md}\n<!-- ${tag()} -->\n`),
      describe: (s) => `${fmtMb(bytesOf(s.md))} Markdown`,
    },
    spec_generate: {
      args: (s, cold) => ({ args: { rules: s.rules, project: cold ? tag() : "warm" } }),
      core: (s) => generate(s.rules, { project: tag() }),
      describe: (s) => `${s.rules.length} rules`,
    },
    gate_score: {
      args: (s, cold) => ({
        args: {
          rules: s.rules,
          findings: cold ? [{ ...s.findings[0]!, message: tag() }, ...s.findings.slice(1)] : s.findings,
        },
      }),
      core: (s) =>
        scoreGate({ rules: s.rules, findings: [{ ...s.findings[0]!, message: tag() }, ...s.findings.slice(1)] }),
      describe: (s) => `${s.rules.length} rules, ${s.findings.length.toLocaleString("en-US")} findings`,
    },
    confluence_fetch: {
      args: (s, cold) => {
        if (!cold) {
          let id = warmPages.get(s.label);
          if (id === undefined) warmPages.set(s.label, (id = newPage(s.html)));
          return { args: { page_id: id } };
        }
        const id = newPage(`${s.html}<!-- ${tag()} -->`);
        return { args: { page_id: id }, done: () => fake.pages.delete(id) };
      },
      core: async (s) => {
        const id = newPage(`${s.html}<!-- ${tag()} -->`);
        try {
          return await fetchConfluence(
            { target: { kind: "page", id } },
            { client, cache: runtime.cache, signal: new AbortController().signal },
          );
        } finally {
          fake.pages.delete(id);
        }
      },
      describe: (s) => `1 page, ${fmtMb(bytesOf(s.html))} storage`,
    },
  };
}

/** Times `runs` calls after `warmup` unmeasured ones; inputs are made before each call's clock starts. */
async function timeCalls(
  runs: number,
  warmup: number,
  make: () => { args: Record<string, unknown>; done?: () => void },
  call: (args: Record<string, unknown>) => Promise<unknown>,
): Promise<Timing> {
  const samples: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const { args, done } = make();
    try {
      const ms = await timeRetrying(() => call(args));
      if (i >= warmup) samples.push(ms);
    } finally {
      done?.();
    }
  }
  return summarize(samples);
}

/** E_OVERLOADED answers (the memory guard) seen so far; each call is retried as the answer asks. */
let refusals = 0;
const OVERLOAD_RETRIES = 5;
const OVERLOAD_WAIT_MS = 2000;

/** Times one successful attempt; an E_OVERLOADED refusal is counted and retried after a pause (off the clock). */
async function timeRetrying(fn: () => Promise<unknown>): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const t0 = performance.now();
    try {
      await fn();
      return performance.now() - t0;
    } catch (error) {
      if (!/E_OVERLOADED/.test(String(error)) || attempt >= OVERLOAD_RETRIES) throw error;
      refusals++;
      await new Promise((r) => setTimeout(r, OVERLOAD_WAIT_MS));
      global.gc?.();
    }
  }
}

/** Wall and CPU (user + system: not inflated by other processes on a shared machine) time per call. */
async function timeCore(
  runs: number,
  warmup: number,
  fn: () => Promise<unknown>,
): Promise<{ wall: Timing; cpu: Timing }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    if (i < warmup) continue;
    wall.push(performance.now() - t0);
    cpu.push(cpuMsSince(c0));
  }
  return { wall: summarize(wall), cpu: summarize(cpu) };
}

interface Cell {
  tool: ToolName;
  size: string;
  input: string;
  path: string;
  cold: Timing;
  /** Core function only: CPU time per call. */
  cpu?: Timing;
  warm: Timing | null;
  /** HTTP only: the server's RSS (/healthz) after this cell's calls. */
  serverRssMb?: number;
  /** E_OVERLOADED answers retried in this cell. */
  refusals: number;
  /** Set when the calls failed for good (the cell's timings are then empty). */
  error?: string;
}

interface MemoryRow {
  tool: ToolName;
  input: string;
  ms: number;
  cpuMs: number;
  rssBeforeMb: number;
  maxRssMb: number;
}

async function main(): Promise<void> {
  const quick = process.argv.includes("--quick");
  const started = performance.now();
  const specs = sizeSpecs(quick);
  const fake = await FakeConfluence.start({ flavour: "cloud", latencyMs: 0 });
  // This process holds every input, the fake's pages and three clients: its RSS is no server's,
  // so the in-process runtime's memory guard gets room (the spawned servers keep the 1 GB default).
  const runtime = runtimeFor(fake, { SPECGATE_MEMORY_LIMIT_MB: "4096" });
  const table = cases(fake, runtime);
  const clients: BenchClient[] = [
    await inMemoryClient(runtime),
    await stdioClient(fake.env()),
    await httpClient(fake.env()),
  ];
  const cells: Cell[] = [];
  const inputs: { label: string; htmlBytes: number; markdownBytes: number; rules: number; findings: number }[] = [];
  let largest: Size | undefined;
  let peer150: Timing | undefined;
  try {
    // Warm the JIT on every path first, so the first path measured does not pay for it.
    for (const spec of specs.slice(0, 2)) {
      const size = await buildSize(spec);
      for (const tool of TOOL_NAMES) {
        const c = table[tool];
        for (let i = 0; i < 3; i++) await c.core(size);
        for (const client of clients) {
          for (const cold of [true, true, false]) {
            const { args, done } = c.args(size, cold);
            await client.call(tool, args);
            done?.();
          }
        }
      }
    }
    // Size by size (each size's inputs built when its turn comes), every tool, every path.
    for (const spec of specs) {
      largest = undefined;
      // A forced collection resets V8's heap sizing (the next calls run slow until it grows back):
      // only before the 10 MB size, whose calls are long enough not to notice.
      if (spec.label === "10 MB") global.gc?.();
      const size = await buildSize(spec);
      largest = size;
      inputs.push({
        label: size.label,
        htmlBytes: bytesOf(size.html),
        markdownBytes: bytesOf(size.md),
        rules: size.rules.length,
        findings: size.findings.length,
      });
      for (const tool of TOOL_NAMES) {
        const c = table[tool];
        const input = c.describe(size);
        const core = await timeCore(size.cold, size.warmup, () => c.core(size));
        cells.push({
          tool,
          size: size.label,
          input,
          path: "in process (core function)",
          cold: core.wall,
          cpu: core.cpu,
          warm: null,
          refusals: 0,
        });
        for (const client of clients) {
          const call = (args: Record<string, unknown>) => client.call(tool, args);
          const before = refusals;
          try {
            const cold = await timeCalls(size.cold, size.warmup, () => c.args(size, true), call);
            const warm = await timeCalls(size.warm, 1, () => c.args(size, false), call);
            const serverRssMb = await client.serverRssMb?.();
            cells.push({
              tool,
              size: size.label,
              input,
              path: client.name,
              cold,
              warm,
              refusals: refusals - before,
              ...(serverRssMb === undefined ? {} : { serverRssMb }),
            });
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            process.stderr.write(`${tool} ${size.label} over ${client.name} failed: ${message.slice(0, 300)}\n`);
            cells.push({
              tool,
              size: size.label,
              input,
              path: client.name,
              cold: summarize([]),
              warm: null,
              refusals: refusals - before,
              error: message.slice(0, 500),
            });
          }
        }
        process.stderr.write(
          `${tool} ${size.label}: core ${fmtMs(core.wall.median)} (CPU ${fmtMs(core.cpu.median)}) (${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
        );
      }
      if (size.label === "150 KB") {
        // Peer for html_to_md: turndown + gfm on the same 150 KB page, in this process (after SpecGate's runs: its DOM garbage would slow theirs).
        const turndown = await engine("turndown-gfm");
        peer150 = (await timeCore(quick ? 3 : 10, 1, async () => turndown(`${size.html}<!-- ${tag()} -->`))).wall;
      }
    }
  } finally {
    for (const client of clients) await client.close();
  }
  if (!largest || !peer150) throw new Error("no sizes measured");

  // Memory: one call per tool on the largest input, each in a fresh child process.
  const memory: MemoryRow[] = [];
  const dir = await mkdtemp(path.join(os.tmpdir(), "specgate-latency-"));
  try {
    for (const tool of quick ? (["html_to_md"] as const) : TOOL_NAMES) {
      const { args, done } = table[tool].args(largest, true);
      const file = path.join(dir, `${tool}.json`);
      await writeFile(file, JSON.stringify({ tool, args, env: tool === "confluence_fetch" ? fake.env() : {} }));
      const r = await runIsolated<{ ms: number; cpuMs: number; rssBeforeMb: number }>(CHILD, [file], ["--expose-gc"]);
      done?.();
      memory.push({ tool, input: table[tool].describe(largest), ...r.result, maxRssMb: r.maxRssMb });
      process.stderr.write(`memory ${tool}: ${r.maxRssMb} MB\n`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    await runtime.close();
    await fake.close();
  }

  // Tables.
  const tables: string[] = [];
  for (const tool of TOOL_NAMES) {
    const rows = cells
      .filter((c) => c.tool === tool)
      .map((c) => [
        c.size,
        c.input,
        c.path +
          (c.serverRssMb ? ` (server RSS after: ${c.serverRssMb} MB)` : "") +
          (c.refusals ? ` (${c.refusals} × E_OVERLOADED, retried)` : ""),
        c.error
          ? `failed: ${c.error.slice(0, 120)}`
          : c.cpu
            ? `${fmtMs(c.cold.median)} (CPU ${fmtMs(c.cpu.median)})`
            : fmtMs(c.cold.median),
        fmtMs(c.cold.p95),
        fmtMs(c.cold.p99),
        c.warm ? fmtMs(c.warm.median) : "—",
        c.warm ? fmtMs(c.warm.p95) : "—",
        c.warm ? fmtMs(c.warm.p99) : "—",
        c.cold.runs,
      ]);
    const note =
      tool === "gate_score"
        ? " (no result cache: warm = the same findings scored again)"
        : tool === "confluence_fetch"
          ? " (cold = a new page each call; warm = the page cache)"
          : "";
    tables.push(
      printTable(
        `${tool}${note}`,
        ["size", "input", "path", "cold median", "cold p95", "cold p99", "warm median", "warm p95", "warm p99", "runs"],
        rows,
      ),
    );
  }

  // Against the design's per-call budgets: the slowest path's cold median at the largest input.
  const budgetRows: TargetRow[] = TOOL_NAMES.map((tool) => {
    const here = cells.filter((c) => c.tool === tool && c.size === largest.label && !c.error);
    const worst = here.reduce((a, b) => (b.cold.median > a.cold.median ? b : a));
    const failed = cells.filter((c) => c.tool === tool && c.size === largest.label && c.error).map((c) => c.path);
    const refused = cells
      .filter((c) => c.tool === tool && c.size === largest.label)
      .reduce((n, c) => n + c.refusals, 0);
    const notes = [
      failed.length ? `failed over ${failed.join(", ")}` : "",
      refused ? `${refused} × E_OVERLOADED retried` : "",
    ]
      .filter(Boolean)
      .join("; ");
    return {
      row: `${tool}, ${largest.label} cold (slowest path: ${worst.path})`,
      target: `budget: < ${SEED_BUDGET_MS[tool] / 1000} s`,
      specgate: fmtMs(worst.cold.median),
      peer: `budget: < ${SEED_BUDGET_MS[tool] / 1000} s`,
      ratio: `${fmtRatio(SEED_BUDGET_MS[tool] / worst.cold.median)} under`,
      met: worst.cold.median < SEED_BUDGET_MS[tool] && failed.length === 0,
      ...(notes ? { note: notes } : {}),
    };
  });
  tables.push(printTargets(`Each tool against the design's per-call budget (${largest.label})`, budgetRows));

  tables.push(
    printTable(
      `Peak RSS of one call on the ${largest.label} input: a fresh plain-Node child each, compiled code (dist/), bootstrap + pipeline as the server runs it (cap ${CAP_MB} MB)`,
      ["tool", "input", "peak RSS", "RSS before the call", "call (wall / CPU)", "≤ 1 GB cap", "target"],
      memory.map((m) => [
        m.tool,
        m.input,
        `${m.maxRssMb} MB`,
        `${m.rssBeforeMb} MB`,
        `${fmtMs(m.ms)} / ${fmtMs(m.cpuMs)}`,
        m.maxRssMb <= CAP_MB ? "yes" : "**no**",
        m.tool === "html_to_md"
          ? `≤ ${HTML_TO_MD_RSS_MB} MB: ${m.maxRssMb <= HTML_TO_MD_RSS_MB ? "met" : "**over**"}`
          : "",
      ]),
    ),
  );

  // The target rows owned by this part.
  const coreCell = (label: string) =>
    cells.find((c) => c.tool === "html_to_md" && c.size === label && c.path.startsWith("in process"))!;
  const core = (label: string) => coreCell(label).cold.median;
  const coreCpu = (label: string) => coreCell(label).cpu?.median ?? 0;
  const stdio = (label: string) =>
    cells.find((c) => c.tool === "html_to_md" && c.size === label && c.path === "stdio")?.cold.median;
  const t150 = core("150 KB");
  const tBig = core(largest.label);
  const htmlRss = memory.find((m) => m.tool === "html_to_md")?.maxRssMb ?? 0;
  const worstRss = memory.reduce((a, b) => (b.maxRssMb > a.maxRssMb ? b : a), memory[0]!);
  const targets: TargetRow[] = [
    {
      row: `html_to_md, 150 KB page / ${largest.label} page`,
      target: "≤ 10 ms / ≤ 1 s, ≤ 200 MB RSS",
      specgate: `${fmtMs(t150)} / ${fmtMs(tBig)}, ${htmlRss} MB (CPU ${fmtMs(coreCpu("150 KB"))} / ${fmtMs(coreCpu(largest.label))})`,
      peer: `turndown+gfm 150 KB: ${fmtMs(peer150.median)} (same run); budget: < 2 s`,
      ratio: `${fmtRatio(peer150.median / t150)} faster than turndown`,
      met: t150 <= 10 && tBig <= 1000 && htmlRss <= HTML_TO_MD_RSS_MB && largest.label === "10 MB",
      note: `cold median wall time, core function in process (CPU time beside it); peak RSS of a fresh compiled process; over stdio ${fmtMs(stdio("150 KB") ?? 0)} / ${fmtMs(stdio(largest.label) ?? 0)}${largest.label === "10 MB" ? "" : "; --quick: no 10 MB run"}`,
    },
    {
      row: "peak RSS per tool at 10 MB",
      target: "never above the 1 GB cap",
      specgate: `max ${worstRss.maxRssMb} MB (${worstRss.tool})`,
      peer: "budget: 1 GB cap (RULE-PERF-003)",
      ratio: `${fmtRatio(CAP_MB / worstRss.maxRssMb)} headroom`,
      met: memory.every((m) => m.maxRssMb <= CAP_MB) && largest.label === "10 MB",
      note:
        memory.map((m) => `${m.tool} ${m.maxRssMb} MB`).join(", ") +
        (largest.label === "10 MB" ? "" : `; --quick: ${largest.label} input, html_to_md only`),
    },
  ];
  tables.push(printTargets("Targets", targets));

  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `E_OVERLOADED answers retried: ${refusals}; failed cells: ${cells.filter((c) => c.error).length}\n`,
  );
  process.stdout.write(
    `latency part: ${seconds.toFixed(0)} s, Node ${process.version}, load average ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(" / ")}\n`,
  );
  await writeResults("latency", {
    quick,
    seconds,
    loadAverage: os.loadavg(),
    overloadRefusals: refusals,
    inputs,
    cells,
    peers: { turndownGfm150KB: peer150 },
    memory,
    seedBudgets: budgetRows,
    targets,
    tables,
  });
}

await main();
