/**
 * What the transport's checks cost per call, before and after a change, in the same run: the
 * server process's own CPU time (user + system, from /proc/<pid>/stat) per call, for the same
 * calls against this build and an older checkout (`--base`). On a machine whose cores other jobs
 * keep busy, wall-clock throughput swings by 2× from one run to the next; the CPU a server spends
 * per call barely moves, and at saturation throughput is cores ÷ CPU per call.
 *
 * Workloads: cached html_to_md over HTTP (16 sessions, the transport's floor), the load mix of
 * every tool on the corpus documents over HTTP (uncached), a 1 MB document to lint over HTTP (the
 * body path: metering, reservation, parse), cached html_to_md over stdio (16 in flight). Each
 * build runs each workload `--rounds` times, alternating; the medians are compared.
 *
 *   node --import tsx bench/transport-cost.ts --base /path/to/older/checkout [--rounds 3] [--only "1 MB"]
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Pool } from "undici";
import { loadDocuments, mixCall } from "../test/helpers/load.js";
import { ROOT, fmtRatio, printTable, writeResults } from "./lib.js";

const arg = (name: string) =>
  process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : undefined;
const BASE = arg("base");
if (!BASE) throw new Error("--base <older checkout> is required");
const ROUNDS = Number(arg("rounds") ?? 3);
const ONLY = arg("only");
const BUILDS: [string, string][] = [
  ["before", path.resolve(BASE)],
  ["after", ROOT],
];
const TICK_MS = 10; // USER_HZ = 100 on Linux

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime
}

function start(
  root: string,
  mode: "--http" | "--stdio",
): Promise<{ child: ChildProcessWithoutNullStreams; url?: string | undefined }> {
  const child = spawn(process.execPath, [path.join(root, "dist/cli.js"), "serve", mode], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", SPECGATE_HTTP_PORT: "0", SPECGATE_MAX_QUEUE: "100000" },
  });
  if (mode === "--stdio") return Promise.resolve({ child });
  let err = "";
  return new Promise((resolve, reject) => {
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      err += d;
      const m = /SpecGate (http:\/\/\S+\/mcp)/.exec(err);
      if (m) resolve({ child, url: m[1] });
    });
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
}

const HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };

/** `calls` tools/calls from `clients` sessions over one keep-alive pool; returns server CPU ms per call (after `warmup` calls). */
async function overHttp(
  root: string,
  clients: number,
  calls: number,
  warmup: number,
  call: (i: number) => { name: string; arguments: unknown },
): Promise<number> {
  const { child, url } = await start(root, "--http");
  const u = new URL(url!);
  const pool = new Pool(u.origin, { connections: clients, keepAliveTimeout: 30_000 });
  const post = async (body: unknown, session?: string) => {
    const r = await pool.request({
      method: "POST",
      path: u.pathname,
      headers: session ? { ...HEADERS, "mcp-session-id": session } : HEADERS,
      body: JSON.stringify(body),
    });
    const text = await r.body.text();
    if (r.statusCode >= 300 || text.includes('"isError":true'))
      throw new Error(`HTTP ${r.statusCode}: ${text.slice(0, 200)}`);
    return r.headers["mcp-session-id"] as string | undefined;
  };
  const sessions = await Promise.all(
    Array.from({ length: clients }, async () => {
      const id = await post({
        jsonrpc: "2.0",
        id: 0,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "cost", version: "1" } },
      });
      await post({ jsonrpc: "2.0", method: "notifications/initialized" }, id);
      return id!;
    }),
  );
  let n = 0;
  const run = async (total: number) => {
    const end = n + total;
    await Promise.all(
      sessions.map(async (s) => {
        while (n < end) {
          const i = n++;
          await post({ jsonrpc: "2.0", id: i + 1, method: "tools/call", params: call(i) }, s);
        }
      }),
    );
  };
  await run(warmup);
  const before = cpuMs(child.pid!);
  await run(calls);
  const perCall = (cpuMs(child.pid!) - before) / calls;
  await pool.close();
  child.kill("SIGKILL");
  return perCall;
}

async function overStdio(root: string, window: number, calls: number, warmup: number): Promise<number> {
  const { child } = await start(root, "--stdio");
  child.stderr.resume();
  const waiting = new Map<number, () => void>();
  let buf = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    buf += d;
    for (let nl = buf.indexOf("\n"); nl !== -1; nl = buf.indexOf("\n")) {
      const id = /"id":(\d+)/.exec(buf.slice(0, nl))?.[1];
      buf = buf.slice(nl + 1);
      if (id) waiting.get(Number(id))?.();
    }
  });
  const request = (id: number, method: string, params: unknown) =>
    new Promise<void>((resolve) => {
      waiting.set(id, resolve);
      child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n`);
    });
  await request(0, "initialize", {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: "cost", version: "1" },
  });
  child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
  let n = 0;
  const run = async (total: number) => {
    const end = n + total;
    await Promise.all(
      Array.from({ length: window }, async () => {
        while (n < end) {
          const id = ++n;
          await request(id, "tools/call", {
            name: "html_to_md",
            arguments: { html: "<h2>cached page</h2><p>hello</p>" },
          });
        }
      }),
    );
  };
  await run(warmup);
  const before = cpuMs(child.pid!);
  await run(calls);
  const perCall = (cpuMs(child.pid!) - before) / calls;
  child.kill("SIGKILL");
  return perCall;
}

const docs = loadDocuments();
const bigDoc = docs.md.repeat(Math.ceil((1024 * 1024) / docs.md.length));
const WORKLOADS: { name: string; run: (root: string) => Promise<number> }[] = [
  {
    name: "HTTP, cached html_to_md, 16 sessions",
    run: (root) =>
      overHttp(root, 16, 6000, 500, () => ({
        name: "html_to_md",
        arguments: { html: "<h2>cached page</h2><p>hello</p>" },
      })),
  },
  {
    name: "HTTP, the load mix (every tool, corpus documents), 16 sessions",
    run: (root) =>
      overHttp(root, 16, 1400, 140, (i) => {
        const [name, args] = mixCall(i, false, docs);
        return { name, arguments: args };
      }),
  },
  {
    name: "HTTP, speclint_lint on a 1 MB document (body path), 4 sessions",
    run: (root) =>
      overHttp(root, 4, 40, 4, (i) => ({
        name: "speclint_lint",
        arguments: { content: `${bigDoc}\n<!-- ${i} -->\n` },
      })),
  },
  { name: "stdio, cached html_to_md, 16 in flight", run: (root) => overStdio(root, 16, 6000, 500) },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows: (string | number)[][] = [];
const results: unknown[] = [];
for (const w of WORKLOADS.filter((x) => !ONLY || x.name.includes(ONLY))) {
  const samples: Record<string, number[]> = { before: [], after: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const [build, root] of r % 2 === 0 ? BUILDS : [...BUILDS].reverse()) {
      samples[build]!.push(await w.run(root));
      process.stderr.write(`${w.name} — ${build}: ${samples[build]!.at(-1)!.toFixed(3)} ms CPU per call\n`);
    }
  }
  const before = median(samples.before!);
  const after = median(samples.after!);
  results.push({ workload: w.name, samples, before, after });
  rows.push([
    w.name,
    `${before.toFixed(3)} ms`,
    `${after.toFixed(3)} ms`,
    fmtRatio(after / before),
    samples.after!.map((x, i) => fmtRatio(x / samples.before![i]!)).join(", "),
  ]);
}
printTable(
  `Server CPU per call, before and after, same run (median of ${ROUNDS} alternating rounds)`,
  ["workload", "before", "after", "after / before", "per round"],
  rows,
);
await writeResults("transport-cost", { rounds: ROUNDS, results });
