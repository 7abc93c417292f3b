/**
 * Large outputs and CPU-bound calls, each against a fresh spawned server: what one hostile call
 * costs the process and everyone else. For each: peak RSS (the kernel's VmHWM) against the cap,
 * the answer and how long it took, the small calls another client got answered while it ran
 * (a lint of a 100-byte document, one after another), the slowest of those, and the longest
 * event-loop stall (the server's perf_hooks monitor, read from /metrics before and after).
 *
 * With `--base <dir>` (a checkout of an earlier commit, built, with node_modules) every case
 * also runs against that build, in the same run. `--only <text>` runs the cases whose name has it.
 *
 *   node --import tsx bench/large-outputs.ts [--base /path/to/older/checkout] [--only headings]
 */
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { headings, ruleLines } from "../test/helpers/large-docs.js";
import { peakRssMb } from "../test/helpers/proc.js";
import { ROOT, printTable, serveHttp, writeResults, type ServedHttp } from "./lib.js";

const arg = (name: string) =>
  process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : undefined;
const BASE = arg("base");
const ONLY = arg("only");
const BUILDS: [string, string][] = [
  ...(BASE ? [["before", path.resolve(BASE)] as [string, string]] : []),
  ["after", ROOT],
];
const MB = 1024 * 1024;

interface Case {
  name: string;
  capMb: number;
  tool: string;
  args: () => Record<string, unknown>;
  env?: Record<string, string>;
}

const CASES: Case[] = [
  {
    name: "spec_generate, 5 MB of 100k rule lines",
    capMb: 1024,
    tool: "spec_generate",
    args: () => ({ content: ruleLines(5 * MB) }),
  },
  {
    name: "rule_extract, 5 MB of 100k rule lines",
    capMb: 1024,
    tool: "rule_extract",
    args: () => ({ content: ruleLines(5 * MB) }),
  },
  {
    name: "spec_generate, 1.2 MB of rule lines, cap 512 MB",
    capMb: 512,
    tool: "spec_generate",
    args: () => ({ content: ruleLines(1.2 * MB) }),
  },
  {
    name: "speclint_lint, 100k headings (2.3 MB)",
    capMb: 1024,
    tool: "speclint_lint",
    args: () => ({ content: headings(2.3 * MB) }),
  },
  {
    name: "rule_extract, 100k headings (2.3 MB)",
    capMb: 1024,
    tool: "rule_extract",
    args: () => ({ content: headings(2.3 * MB) }),
  },
  {
    name: "speclint_lint, 100k headings, 1 s deadline",
    capMb: 1024,
    tool: "speclint_lint",
    args: () => ({ content: headings(2.3 * MB) }),
    env: { SPECGATE_TOOL_TIMEOUT_MS: "1000" },
  },
];

function server(root: string, env: Record<string, string>): Promise<ServedHttp> {
  return serveHttp(root, env, "error");
}

async function client(url: string): Promise<Client> {
  const c = new Client({ name: "bench", version: "1" });
  await c.connect(new StreamableHTTPClientTransport(new URL(url)));
  return c;
}

/** The longest event-loop delay since the previous scrape (prom-client resets it on each). */
async function stallMs(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Math.round(Number(/^nodejs_eventloop_lag_max_seconds (\S+)/m.exec(text)?.[1] ?? Number.NaN) * 1000);
}

interface Row {
  case: string;
  build: string;
  capMb: number;
  peakRssMb: number;
  outcome: string;
  seconds: number;
  answerMb: number;
  served: number;
  slowestMs: number;
  stallMs: number;
}

async function runCase(c: Case, build: string, root: string): Promise<Row> {
  const s = await server(root, { SPECGATE_MEMORY_LIMIT_MB: String(c.capMb), ...c.env });
  try {
    const [big, small] = [await client(s.url), await client(s.url)];
    await small.callTool({ name: "speclint_lint", arguments: { content: "# Warm\n" } });
    await stallMs(s.base);
    const args = c.args();
    const t0 = performance.now();
    let done = false;
    const pending = big
      .callTool({ name: c.tool, arguments: args }, undefined, { timeout: 600_000 })
      .then((r) => ({ r, ms: performance.now() - t0 }))
      .catch((error: unknown) => ({
        r: { isError: true, content: [{ type: "text", text: String(error) }] },
        ms: performance.now() - t0,
      }))
      .finally(() => (done = true));
    let served = 0;
    let slowestMs = 0;
    for (let i = 0; !done; i++) {
      const t = performance.now();
      const r = await small
        .callTool({ name: "speclint_lint", arguments: { content: `# Small ${i}\n\n## Design Rules\n` } }, undefined, {
          timeout: 600_000,
        })
        .catch(() => ({ isError: true }));
      if (done) break;
      if (!r.isError) served++;
      slowestMs = Math.max(slowestMs, performance.now() - t);
    }
    const { r, ms } = await pending;
    const text = (r.content as { text: string }[])[0]?.text ?? "";
    const answer = JSON.stringify(r).length;
    const row: Row = {
      case: c.name,
      build,
      capMb: c.capMb,
      peakRssMb: Math.round(await peakRssMb(s.pid)),
      outcome: r.isError ? text.slice(0, 90) : "ok",
      seconds: Math.round(ms / 100) / 10,
      answerMb: Math.round((answer / MB) * 10) / 10,
      served,
      slowestMs: Math.round(slowestMs),
      stallMs: await stallMs(s.base),
    };
    await Promise.all([big.close(), small.close()]);
    return row;
  } finally {
    await s.stop();
  }
}

const rows: Row[] = [];
for (const c of CASES.filter((x) => ONLY === undefined || x.name.includes(ONLY))) {
  for (const [build, root] of BUILDS) {
    process.stderr.write(`${c.name} — ${build}\n`);
    rows.push(await runCase(c, build, root));
  }
}
printTable(
  `Large outputs and CPU-bound calls${BUILDS.length > 1 ? ": before and after, same run" : ""} (each on a fresh server)`,
  [
    "case",
    "build",
    "peak RSS (VmHWM) / cap",
    "answer",
    "time",
    "answer size",
    "another client's calls served meanwhile (slowest)",
    "longest event-loop stall",
  ],
  rows.map((r) => [
    r.case,
    r.build,
    `${r.peakRssMb} / ${r.capMb} MB`,
    r.outcome,
    `${r.seconds} s`,
    `${r.answerMb} MB`,
    `${r.served} (${r.slowestMs} ms)`,
    `${r.stallMs} ms`,
  ]),
);
await writeResults("large-outputs", { builds: BUILDS.map(([b]) => b), rows });
process.exit(0);
