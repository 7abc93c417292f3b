/**
 * A load generator for a running SpecGate HTTP server (used by bench/load.ts and the short CI
 * version in test/hardening/load.test.ts): N MCP clients over Streamable HTTP, each calling a
 * mix of every tool in a loop — small documents, and now and then a 10 MB one — for a bounded
 * time (the benchmark) or for a fixed number of calls (the test: the same work however busy the
 * machine is), while the server's RSS is sampled every 100 ms from /proc (Linux).
 *
 * Every call is classified: ok; shed (E_OVERLOADED as a tool result, or HTTP 503 while the body
 * was refused); a clean refusal of a document too large for this server's memory cap
 * (E_TOO_LARGE); or a failure — anything else, timeouts and transport errors included.
 */
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import pLimit from "p-limit";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { corpusPath } from "./fixtures.js";

export interface LoadOptions {
  url: string;
  /** Server process id, for RSS sampling. */
  pid: number;
  clients: number;
  /** Run for this long (the benchmark), or … */
  durationMs?: number;
  /** … make exactly this many calls, whatever the time it takes (the test). */
  calls?: number;
  /** Share of calls that carry a 10 MB document (default 0.05). */
  bigShare?: number;
  /** At most this many 10 MB calls in flight from the generator at once (its own memory). */
  maxBigInFlight?: number;
  callTimeoutMs?: number;
}

export interface ToolTally {
  ok: number;
  shed: number;
  tooLarge: number;
  failed: number;
}

export interface LoadReport {
  clients: number;
  durationMs: number;
  calls: number;
  ok: number;
  shed: number;
  tooLarge: number;
  failed: number;
  /** The first failures, verbatim. */
  failures: string[];
  bigCalls: number;
  bigOk: number;
  throughputPerS: number;
  p50Ms: number;
  p99Ms: number;
  peakRssMb: number;
  rssSamples: number;
  byTool: Record<string, ToolTally>;
}

const MB10 = 10 * 1024 * 1024;

/** The documents of the mix: corpus files, and 10 MB documents made by repeating them. */
export function loadDocuments() {
  const md = readFileSync(corpusPath("specgate-docs", "standards", "SpecGate-API-Design.md"), "utf8");
  const html = readFileSync(corpusPath("confluence-storage", "qp-1844969501-ko-support.page.xhtml"), "utf8");
  const fill = (s: string) => s.repeat(Math.floor((MB10 - 1024) / Buffer.byteLength(s)));
  return { md, html, bigMd: fill(md), bigHtml: fill(html) };
}

type Docs = ReturnType<typeof loadDocuments>;
const RULES = [
  { rule_id: "RULE-API-001", priority: "MUST", title: "APIs are versioned" },
  { rule_id: "RULE-SEC-001", priority: "MUST NOT", title: "No secrets in logs" },
];

/** The i-th call of the mix; `big` puts a 10 MB document in it. */
export function mixCall(i: number, big: boolean, docs: Docs): [string, Record<string, unknown>] {
  const tag = `\n<!-- ${i % 50} -->\n`; // some repeats (cache hits), mostly new work
  const md = big ? docs.bigMd : docs.md + tag;
  switch (i % 7) {
    case 0:
      return ["html_to_md", { html: big ? docs.bigHtml : docs.html + tag }];
    case 1:
      return ["speclint_lint", { content: md }];
    case 2:
      return ["rule_extract", { content: md }];
    case 3:
      return ["spec_generate", { content: md, targets: ["mdc", "semgrep", "workflow"] }];
    case 4:
      return [
        "gate_score",
        {
          rules: RULES,
          findings: [{ rule_id: "RULE-API-001", file: `src/${i % 97}.ts`, line: 1 }],
          ...(big ? { lint: { content: md } } : {}),
        },
      ];
    case 5:
      return ["speclint_lint", { documents: [{ content: md }, { content: docs.md }] }];
    default:
      return ["cache_stats", {}];
  }
}

/**
 * Samples the RSS of `pid` every `everyMs` ms on a worker thread, so that the sampling keeps its
 * pace while this thread is busy serialising 10 MB requests; `stop()` returns the peak (MB) and
 * the number of samples.
 */
export function sampleRss(pid: number, everyMs = 100): { stop(): Promise<{ peakMb: number; samples: number }> } {
  const source = `
    const { parentPort, workerData } = require("node:worker_threads");
    const { readFileSync } = require("node:fs");
    let peakKb = 0, samples = 0;
    const read = () => {
      try {
        const m = /VmRSS:\\s+(\\d+)/.exec(readFileSync("/proc/" + workerData.pid + "/status", "utf8"));
        if (m) { peakKb = Math.max(peakKb, Number(m[1])); samples++; }
      } catch {}
    };
    read();
    const timer = setInterval(read, workerData.everyMs);
    parentPort.on("message", () => { clearInterval(timer); read(); parentPort.postMessage({ peakKb, samples }); });
  `;
  const worker = new Worker(source, { eval: true, workerData: { pid, everyMs } });
  return {
    stop: async () => {
      const result = await new Promise<{ peakKb: number; samples: number }>((resolve) => {
        worker.once("message", resolve);
        worker.postMessage("stop");
      });
      await worker.terminate();
      return { peakMb: Math.round(result.peakKb / 1024), samples: result.samples };
    },
  };
}

function classify(result: CallToolResult | undefined, error: unknown): keyof ToolTally {
  if (result) {
    if (!result.isError) return "ok";
    const text = (result.content[0] as { text?: string }).text ?? "";
    if (text.startsWith("E_OVERLOADED")) return "shed";
    if (text.startsWith("E_TOO_LARGE")) return "tooLarge";
    return "failed";
  }
  const message = String(error);
  // The memory guard refused the request body: HTTP 503 carrying E_OVERLOADED.
  if (/E_OVERLOADED/.test(message)) return "shed";
  // A body bigger than this server's memory cap lets it take: HTTP 413 carrying E_TOO_LARGE.
  if (/E_TOO_LARGE/.test(message)) return "tooLarge";
  return "failed";
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const docs = loadDocuments();
  const bigShare = options.bigShare ?? 0.05;
  const maxBig = options.maxBigInFlight ?? 8;
  const timeout = options.callTimeoutMs ?? 60_000;
  const clients = await Promise.all(
    Array.from({ length: options.clients }, async () => {
      const c = new Client({ name: "specgate-load", version: "1" });
      await c.connect(new StreamableHTTPClientTransport(new URL(options.url)));
      return c;
    }),
  );
  const report: LoadReport = {
    clients: options.clients,
    durationMs: 0,
    calls: 0,
    ok: 0,
    shed: 0,
    tooLarge: 0,
    failed: 0,
    failures: [],
    bigCalls: 0,
    bigOk: 0,
    throughputPerS: 0,
    p50Ms: 0,
    p99Ms: 0,
    peakRssMb: 0,
    rssSamples: 0,
    byTool: {},
  };
  const latencies: number[] = [];
  const rss = sampleRss(options.pid);
  const started = performance.now();
  if ((options.durationMs === undefined) === (options.calls === undefined))
    throw new Error("runLoad: give durationMs or calls");
  const endAt = started + (options.durationMs ?? Infinity);
  const more = options.calls === undefined ? () => performance.now() < endAt : () => seq < options.calls!;
  // With a fixed number of calls, a 10 MB call waits for a free slot instead of turning small,
  // so that the mix is the same on every run.
  const bigSlots = pLimit(maxBig);
  let bigInFlight = 0;
  let seq = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (more()) {
        const i = seq++;
        const bigTurn = (i * 0.6180339887) % 1 < bigShare;
        const big = bigTurn && (options.calls !== undefined || bigInFlight < maxBig);
        const [name, args] = mixCall(i, big, docs);
        if (big) bigInFlight++;
        const send = () =>
          client.callTool({ name, arguments: args }, undefined, { timeout }) as Promise<CallToolResult>;
        const t0 = performance.now();
        let result: CallToolResult | undefined;
        let error: unknown;
        try {
          result = big && options.calls !== undefined ? await bigSlots(send) : await send();
        } catch (e) {
          error = e;
        } finally {
          if (big) bigInFlight--;
        }
        const kind = classify(result, error);
        const tally = (report.byTool[name] ??= { ok: 0, shed: 0, tooLarge: 0, failed: 0 });
        tally[kind]++;
        report[kind]++;
        report.calls++;
        if (big) {
          report.bigCalls++;
          if (kind === "ok") report.bigOk++;
        }
        if (kind === "ok") latencies.push(performance.now() - t0);
        if (kind === "failed" && report.failures.length < 10)
          report.failures.push(
            `${name}${big ? " (10 MB)" : ""}: ${result ? JSON.stringify(result.content).slice(0, 300) : `${String(error).slice(0, 300)}${(error as { cause?: unknown }).cause ? ` (${String((error as { cause?: unknown }).cause)})` : ""}`}`,
          );
        // A shed call backs off a little, as a client honouring retry_after_ms would.
        if (kind === "shed") await new Promise((r) => setTimeout(r, 50 + (i % 50)));
      }
    }),
  );
  report.durationMs = Math.round(performance.now() - started);
  const peak = await rss.stop();
  report.peakRssMb = peak.peakMb;
  report.rssSamples = peak.samples;
  latencies.sort((a, b) => a - b);
  const q = (p: number) =>
    latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!) : 0;
  report.p50Ms = q(0.5);
  report.p99Ms = q(0.99);
  report.throughputPerS = Math.round((report.ok / report.durationMs) * 1000 * 10) / 10;
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  return report;
}
