/**
 * Did straightening the structure (use cases under every entry point, lint rules as modules, one
 * report package, a generic cache, the layer rules) cost anything? The same work runs on two
 * builds in one run: a baseline commit (default: the last one before the restructuring) and this
 * checkout. Each round starts a fresh process per build, alternating, and measures the CPU time
 * (user + system) per call of the library API (lint, extract, convert, score) on the corpus and of
 * whole MCP tool calls over stdio in the server process (`specgate serve --stdio`, uncached: every
 * call carries a different document). CPU time rather than wall time: on a shared machine it is
 * what the build itself spends.
 *
 *   node --import tsx bench/structure.ts [--base <commit>] [--rounds 5] > bench/results/structure.md
 *   node bench/structure-child.mjs <dist>   one measurement (internal)
 *
 * The baseline is built in a temporary git worktree with this checkout's node_modules.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { BENCH_DIR, ROOT, fmtRatio, printTable, processCpuMs, runIsolated, summarize, writeResults } from "./lib.js";

const BASELINE = "bc5404e";
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const base = option("--base", BASELINE);
const rounds = Number(option("--rounds", "5"));

type Timings = Record<string, number>;

/** CPU milliseconds per call of each operation for one build, in a fresh process. */
function library(dist: string): Promise<{ result: Timings }> {
  return runIsolated<Timings>(path.join(BENCH_DIR, "structure-child.mjs"), [dist]);
}

/** The server process' CPU milliseconds per uncached tools/call over stdio, per tool, for one build. */
async function stdio(cli: string): Promise<Timings> {
  const corpus = await corpusText();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli, "serve", "--stdio"],
    env: { ...(process.env as Record<string, string>), SPECGATE_LOG_LEVEL: "error", SPECGATE_WORKERS: "0" },
    stderr: "ignore",
  });
  const client = new Client({ name: "structure-bench", version: "1" });
  await client.connect(transport);
  const out: Timings = {};
  try {
    const calls: [string, (i: number) => Record<string, unknown>][] = [
      ["speclint_lint", (i) => ({ content: `${corpus}\n<!-- ${i} -->\n` })],
      ["rule_extract", (i) => ({ content: `${corpus}\n<!-- ${i} -->\n` })],
      ["spec_generate", (i) => ({ content: `${corpus}\n<!-- ${i} -->\n`, targets: ["mdc", "semgrep"] })],
    ];
    const call = async (name: string, argsOf: (i: number) => Record<string, unknown>, i: number) => {
      const result = await client.callTool({ name, arguments: argsOf(i) });
      if (result.isError) throw new Error(`${name}: ${JSON.stringify(result.content)}`);
    };
    for (const [name, argsOf] of calls) {
      for (let i = 0; i < 10; i++) await call(name, argsOf, 1000 + i);
      const before = processCpuMs(transport.pid!);
      for (let i = 0; i < 100; i++) await call(name, argsOf, i);
      out[`MCP stdio ${name}`] = (processCpuMs(transport.pid!) - before) / 100;
    }
  } finally {
    await client.close();
  }
  return out;
}

function corpusText(): Promise<string> {
  return readFile(
    path.join(ROOT, "test/fixtures/corpus/specgate-docs/test-documents/01-API-Design-Perfect.md"),
    "utf8",
  );
}

async function buildBaseline(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "specgate-baseline-"));
  execFileSync("git", ["worktree", "add", "--detach", "-q", dir, base], { cwd: ROOT });
  await symlink(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  execFileSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
    cwd: dir,
    stdio: "inherit",
  });
  return {
    dir,
    cleanup: async () => {
      execFileSync("git", ["worktree", "remove", "--force", dir], { cwd: ROOT });
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, "dist/index.js"))) throw new Error("Run `npm run build` first.");
  const baseline = await buildBaseline();
  const builds = { baseline: baseline.dir, current: ROOT };
  const samples: Record<"baseline" | "current", Timings[]> = { baseline: [], current: [] };
  try {
    for (let round = 0; round < rounds; round++) {
      // Alternate which build goes first, so drift in the machine's load falls on both.
      const order = round % 2 === 0 ? (["baseline", "current"] as const) : (["current", "baseline"] as const);
      for (const which of order) {
        const dist = path.join(builds[which], "dist");
        const lib = (await library(dist)).result;
        const mcp = await stdio(path.join(dist, "cli.js"));
        samples[which].push({ ...lib, ...mcp });
        process.stderr.write(`round ${round + 1}/${rounds} ${which} done\n`);
      }
    }
  } finally {
    await baseline.cleanup();
  }
  const median = (which: "baseline" | "current", key: string) => summarize(samples[which].map((t) => t[key]!)).median;
  const keys = Object.keys(samples.current[0]!);
  const rows = keys.map((key) => {
    const before = median("baseline", key);
    const after = median("current", key);
    return [key, `${before.toFixed(2)} ms`, `${after.toFixed(2)} ms`, fmtRatio(after / before)];
  });
  printTable(
    `Same-run cost of the restructuring: ${base} vs this checkout, CPU ms per call, medians of ${rounds} alternating rounds (ratio < 1: cheaper now)`,
    ["operation", `baseline (${base})`, "now", "now / baseline"],
    rows,
  );
  await writeResults("structure", { base, rounds, samples });
}

await main();
