/**
 * Load and memory: 200 concurrent MCP clients over Streamable HTTP mixing every tool,
 * 5 % of calls with a 10 MB document, for 20 s against a spawned `specgate serve --http`, at
 * SPECGATE_MEMORY_LIMIT_MB=1024 and =256. RSS is sampled every 100 ms from /proc on a worker
 * thread. Reported: calls, served, shed (E_OVERLOADED), refused as too large for the cap
 * (E_TOO_LARGE), failed (must be 0), throughput, p50/p99 of served calls, peak RSS.
 * Then a heap check: rounds of the mix against an in-process server, a full GC after each
 * (run with --expose-gc, as bench/run.ts does), heap used per round.
 *
 *   node --expose-gc --import tsx bench/load.ts [seconds] [clients]
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { collectGarbage } from "../src/perf/gc.js";
import { startHttpHarness } from "../test/helpers/http-harness.js";
import { loadDocuments, mixCall, runLoad, type LoadReport } from "../test/helpers/load.js";
import { ensureBuilt } from "../test/helpers/specgate-process.js";
import { startHttp } from "../test/helpers/spawn.js";
import { printTable, writeResults, type TargetRow } from "./lib.js";

const seconds = Number(process.argv[2] ?? 20);
const clients = Number(process.argv[3] ?? 200);

await ensureBuilt();
type Run = LoadReport & { capMb: number; bigShare: number };
const runs: Run[] = [];
// The full load at the default cap and at a tight one; then 16 clients with the ordinary documents
// (the RSS target row) and with the 10 MB ones as well.
for (const [capMb, n, bigShare] of [
  [1024, clients, 0.05],
  [256, clients, 0.05],
  [1024, 16, 0],
  [1024, 16, 0.05],
] as const) {
  const server = await startHttp({ SPECGATE_MEMORY_LIMIT_MB: String(capMb), LOG_LEVEL: "warn" });
  const report = await runLoad({
    url: server.url,
    pid: server.child.pid!,
    clients: n,
    durationMs: seconds * 1000,
    bigShare,
    maxBigInFlight: 8,
  });
  const code = await server.stop();
  if (code !== 0) report.failures.push(`server exited with ${code}`);
  runs.push({ capMb, bigShare, ...report });
  process.stderr.write(
    `cap ${capMb} MB, ${n} clients, ${bigShare * 100} % 10 MB: ${JSON.stringify({ ...report, byTool: undefined })}\n`,
  );
}

printTable(
  `${seconds} s of mixed calls over the corpus documents (16-150 KB), some with a 10 MB document`,
  [
    "memory cap",
    "clients",
    "10 MB documents",
    "calls",
    "served",
    "shed (E_OVERLOADED)",
    "too large for the cap",
    "failed",
    "10 MB served",
    "throughput",
    "p50",
    "p99",
    "peak RSS (100 ms samples)",
  ],
  runs.map((r) => [
    `${r.capMb} MB`,
    r.clients,
    `${r.bigShare * 100} % of calls`,
    r.calls,
    r.ok,
    r.shed,
    r.tooLarge,
    r.failed,
    `${r.bigOk}/${r.bigCalls}`,
    `${r.throughputPerS}/s`,
    `${r.p50Ms} ms`,
    `${r.p99Ms} ms`,
    `${r.peakRssMb} MB (${r.rssSamples})`,
  ]),
);
printTable(
  "per tool: served · shed · too large · failed",
  ["tool", ...runs.map((r) => `${r.capMb} MB, ${r.clients} clients, ${r.bigShare * 100} % 10 MB`)],
  Object.keys(runs[0]!.byTool)
    .sort()
    .map((tool) => [
      tool,
      ...runs.map((r) => ((t) => (t ? `${t.ok} · ${t.shed} · ${t.tooLarge} · ${t.failed}` : "–"))(r.byTool[tool])),
    ]),
);

// Heap check: the same mix, round after round, in process; heap used after a full GC.
const h = await startHttpHarness({ SPECGATE_CACHE_L1_MB: "64", SPECGATE_MEMORY_LIMIT_MB: "4096" });
const docs = loadDocuments();
const heapClients = await Promise.all(
  Array.from({ length: 16 }, async () => {
    const c = new Client({ name: "heap", version: "1" });
    await c.connect(new StreamableHTTPClientTransport(new URL(h.handle.url)));
    return c;
  }),
);
const heap: number[] = [];
for (let round = 0; round < 10; round++) {
  await Promise.all(
    heapClients.map(async (c, w) => {
      for (let i = w; i < 700; i += heapClients.length) {
        const [name, args] = mixCall(i, false, docs);
        await c.callTool({ name, arguments: args });
      }
    }),
  );
  collectGarbage();
  await new Promise((r) => setImmediate(r));
  collectGarbage();
  heap.push(Math.round((process.memoryUsage().heapUsed / 1048576) * 10) / 10);
}
await Promise.all(heapClients.map((c) => c.close()));
await h.close();
printTable(
  "heap used after a full GC, per round of 700 calls (16 clients, in process)",
  ["round", ...heap.map((_, i) => String(i + 1))],
  [["MB", ...heap]],
);
const growth = Math.round((heap[9]! - heap[2]!) * 10) / 10;
process.stdout.write(`Heap growth from round 3 to round 10: ${growth} MB.\n`);

const [full, tight, sixteen, sixteenBig] = runs as [Run, Run, Run, Run];
const targets: TargetRow[] = [
  {
    row: "peak RSS under load",
    target: "never above the configured cap; ≤ 300 MB at 16 clients (budget: < 1 GB)",
    specgate: `${sixteen.peakRssMb} MB at 16 clients; with 5 % 10 MB documents: ${sixteenBig.peakRssMb} MB at 16 clients, ${full.peakRssMb} MB at ${clients} clients (cap 1024 MB), ${tight.peakRssMb} MB at ${clients} clients (cap 256 MB)`,
    peer: "caps 1024 MB / 256 MB",
    ratio: `${Math.round((Math.max(full.peakRssMb, sixteenBig.peakRssMb) / 1024) * 100)} % / ${Math.round((tight.peakRssMb / 256) * 100)} % of the cap`,
    met: sixteen.peakRssMb <= 300 && runs.every((r) => r.peakRssMb <= r.capMb && r.failed === 0),
    note:
      "16 clients on the corpus documents (16-150 KB) stay under 300 MB; 10 MB documents in flight take the process as far as the cap lets them, " +
      `which is what SPECGATE_MEMORY_LIMIT_MB is for (at 256 MB the same load peaks at ${tight.peakRssMb} MB). ` +
      `Calls shed with E_OVERLOADED: ${runs.map((r) => r.shed).join(" / ")}; failed: ${runs.reduce((n, r) => n + r.failed, 0)}`,
  },
];
await writeResults("load", { targets, seconds, clients, runs, heap, heapGrowthMb: growth });
process.exit(runs.some((r) => r.failed > 0 || r.peakRssMb > r.capMb) ? 1 : 0);
