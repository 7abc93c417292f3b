/**
 * Small helpers shared by the benchmarks: repeated timing with percentiles, peak RSS in a fresh
 * child process, Markdown tables on stdout, JSON results under bench/results/.
 *
 * Benchmarks print; they never assert. Ratios against peers measured in the same run are what
 * BENCHMARKS.md reports, because absolute times on a shared machine are noisy.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Pool } from "undici";

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(BENCH_DIR, "..");
export const RESULTS_DIR = path.join(BENCH_DIR, "results");

export interface Timing {
  runs: number;
  median: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

/** Times `fn` (ms) after `warmup` unmeasured runs; stops early once `maxMs` of measuring is spent. */
export async function measure(
  fn: () => unknown,
  options: { runs?: number; warmup?: number; maxMs?: number } = {},
): Promise<Timing> {
  const runs = options.runs ?? 30;
  const warmup = options.warmup ?? 3;
  const maxMs = options.maxMs ?? 20_000;
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
    if (performance.now() - started > maxMs && samples.length >= 3) break;
  }
  return summarize(samples);
}

/** `--name value` pairs from the command line (a benchmark's options). */
export function benchOptions(argv: readonly string[] = process.argv.slice(2)): Map<string, string> {
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) options.set(argv[i]!.replace(/^--/, ""), argv[i + 1] ?? "");
  return options;
}

/** The median (the mean of the middle two for an even count); NaN for no values. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function summarize(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  return {
    runs: sorted.length,
    median: pick(0.5),
    p95: pick(0.95),
    p99: pick(0.99),
    min: sorted[0] ?? 0,
    max: sorted[sorted.length - 1] ?? 0,
    mean: sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1),
  };
}

/**
 * Runs `script` (a TypeScript file, via tsx; a .js/.mjs file in plain Node) in a fresh Node
 * process and returns the JSON it printed last on stdout plus its peak RSS, so memory figures
 * are not polluted by the parent.
 */
export async function runIsolated<T = unknown>(
  script: string,
  args: string[] = [],
  nodeArgs: string[] = [],
): Promise<{ result: T; maxRssMb: number }> {
  const loader = /\.[cm]?js$/.test(script) ? [] : ["--import", "tsx"];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, ...loader, script, ...args], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (d: string) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`${path.basename(script)} exited with ${code}`));
      const last = out.trim().split("\n").pop() ?? "{}";
      try {
        const parsed = JSON.parse(last) as { result: T; maxRssKb: number };
        resolve({ result: parsed.result, maxRssMb: Math.round(parsed.maxRssKb / 1024) });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

/** For scripts run by runIsolated: print the result and this process's peak RSS as the last line. */
export function reportIsolated(result: unknown): void {
  process.stdout.write(`${JSON.stringify({ result, maxRssKb: process.resourceUsage().maxRSS })}\n`);
}

export function fmtMs(ms: number): string {
  if (ms < 0.01) return `${(ms * 1000).toFixed(2)} µs`;
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 100) return `${ms.toFixed(2)} ms`;
  return `${ms.toFixed(0)} ms`;
}

export function fmtRatio(x: number): string {
  // Below 1× two decimals: a ratio checked against 0.8 must not round onto it.
  return `${x >= 10 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(2)}×`;
}

/** Prints a Markdown table (so it can be pasted into BENCHMARKS.md as is). */
export function printTable(title: string, header: string[], rows: (string | number)[][]): string {
  const lines = [
    `### ${title}`,
    "",
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
    "",
  ];
  const text = lines.join("\n");
  process.stdout.write(`${text}\n`);
  return text;
}

export async function writeResults(name: string, data: unknown): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.json`);
  await writeFile(
    file,
    `${JSON.stringify({ name, date: new Date().toISOString(), node: process.version, ...((data as object) ?? {}) }, null, 2)}\n`,
  );
  return file;
}

/**
 * One row of the target table (BENCHMARKS.md "Targets"), as a part measured it: SpecGate's
 * figure, the peer's / floor's / performance design's ("seed") figure from the same run, and their ratio. Parts put
 * these under `targets` in their JSON; bench/report.ts collects them.
 */
export interface TargetRow {
  row: string;
  target: string;
  specgate: string;
  peer: string;
  ratio: string;
  met: boolean;
  note?: string;
}

/** Prints the target rows as a Markdown table. */
export function printTargets(title: string, rows: readonly TargetRow[]): string {
  return printTable(
    title,
    ["row", "target", "SpecGate", "peer", "ratio", "met"],
    rows.map((r) => [
      r.row,
      r.target,
      r.specgate,
      r.peer,
      r.ratio,
      r.met ? "yes" : `**no**${r.note ? ` (${r.note})` : ""}`,
    ]),
  );
}

/**
 * CPU time (user + system) of this process per call of `fn`, in ms, over `runs` calls: a figure
 * other processes' load does not inflate the way it inflates wall time.
 */
export async function cpuPerCall(fn: () => unknown, runs: number): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < runs; i++) await fn();
  return cpuMsSince(before) / runs;
}

/** CPU time (user + system) of this process since `before`, in ms. */
export function cpuMsSince(before: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

export function fmtMb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(0)} KB`;
}

/** A `specgate serve --http` of the build under `root` (another checkout for before/after runs), on a free port. */
export interface ServedHttp {
  child: ChildProcess;
  pid: number;
  url: string;
  base: string;
  port: number;
  /** Kills the server and waits for it to exit. */
  stop(): Promise<void>;
}

export async function serveHttp(root: string, env: Record<string, string>, logLevel = "warn"): Promise<ServedHttp> {
  const child = spawn(process.execPath, [path.join(root, "dist/cli.js"), "serve", "--http"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", SPECGATE_HTTP_PORT: "0", LOG_LEVEL: logLevel, ...env },
  });
  let err = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      err += d;
      const m = /SpecGate (http:\/\/\S+\/mcp)/.exec(err);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    pid: child.pid!,
    url,
    base: url.replace(/\/mcp$/, ""),
    port: Number(new URL(url).port),
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/**
 * Starts a server process (`node <argv>`, stderr read) and resolves with the first capture group of
 * `pattern` in what it writes to stderr (its URL); rejects if it exits first.
 */
export async function startServer(
  name: string,
  argv: string[],
  env: Record<string, string>,
  pattern: RegExp,
): Promise<{ name: string; url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, argv, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.setEncoding("utf8").on("data", (d: string) => {
      err += d;
      const m = pattern.exec(err);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`${name} exited ${code}: ${err}`)));
  });
  return { name, url, child };
}

let clockTicks: number | undefined;

/** User + system CPU milliseconds a process has used so far (Linux /proc). */
export function processCpuMs(pid: number): number {
  clockTicks ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
}

const HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };

/** One JSON-RPC POST to a Streamable HTTP endpoint; the session id it answered with, and the body. */
export async function mcpPost(
  pool: Pool,
  pathname: string,
  body: unknown,
  session?: string,
): Promise<{ session?: string | undefined; text: string }> {
  const res = await pool.request({
    method: "POST",
    path: pathname,
    headers: session ? { ...HEADERS, "mcp-session-id": session } : HEADERS,
    body: JSON.stringify(body),
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
  const sid = res.headers["mcp-session-id"];
  return { session: typeof sid === "string" ? sid : undefined, text };
}

/** Opens an MCP session (initialize, then initialized) and returns its id. */
export async function openMcpSession(pool: Pool, pathname: string): Promise<string> {
  const init = await mcpPost(pool, pathname, {
    jsonrpc: "2.0",
    id: 0,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } },
  });
  await mcpPost(pool, pathname, { jsonrpc: "2.0", method: "notifications/initialized" }, init.session);
  return init.session!;
}
