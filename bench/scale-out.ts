/**
 * Scale report: the load mix of bench/load.ts (test/helpers/load.ts: every tool, corpus documents
 * of 16-150 KB, some calls repeated so some are cache hits) with 16 MCP clients against
 *   - one `specgate serve --http` with SPECGATE_WORKERS=1, 2 and 4 (worker threads for large inputs);
 *   - two replicas (SPECGATE_WORKERS=1 each) sharing one Redis, which this benchmark starts on a
 *     free loopback port; the clients are dealt round-robin between the replicas (each session
 *     stays on its replica, as behind a sticky load balancer).
 * All servers run at once and are measured in alternating rounds (each round gives every setup one
 * slice, in a rotated order), so other jobs' load falls on all of them alike. Each slice uses
 * documents no earlier slice sent (a salt), so every slice starts cold. Reported: calls/s (median
 * over rounds), p50/p99 of all served calls, shed (E_OVERLOADED) and failed calls.
 *
 *   npm run build && node --import tsx bench/scale-out.ts [--seconds 5] [--rounds 3] [--clients 16]
 */
import os from "node:os";
import path from "node:path";
import { writeFile } from "node:fs/promises";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { loadDocuments, mixCall } from "../test/helpers/load.js";
import { startRedis, type RedisProcess } from "../test/helpers/redis-server.js";
import { startHttp, type SpawnedServer } from "../test/helpers/spawn.js";
import { median, benchOptions, BENCH_DIR, printTable, writeResults } from "./lib.js";

const args = benchOptions();
const SECONDS = Number(args.get("seconds") ?? 5);
const ROUNDS = Number(args.get("rounds") ?? 3);
const CLIENTS = Number(args.get("clients") ?? 16);

interface Setup {
  name: string;
  servers: SpawnedServer[];
  clients: Client[];
  slices: { callsPerSecond: number; ok: number; shed: number; failed: number }[];
  latencies: number[];
}

const base = { LOG_LEVEL: "warn", SPECGATE_MAX_QUEUE: "100000" };
let redis: RedisProcess | undefined;
const setups: Setup[] = [];
const docs = loadDocuments();

async function setup(name: string, envs: Record<string, string>[]): Promise<Setup> {
  const servers = await Promise.all(envs.map((env) => startHttp({ ...base, ...env })));
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, async (_, i) => {
      const c = new Client({ name: "specgate-scale", version: "1" });
      await c.connect(new StreamableHTTPClientTransport(new URL(servers[i % servers.length]!.url)));
      return c;
    }),
  );
  const s: Setup = { name, servers, clients, slices: [], latencies: [] };
  setups.push(s);
  return s;
}

let salt = 0;
async function slice(s: Setup): Promise<void> {
  const tag = `\n<!-- slice ${++salt} -->\n`;
  const fresh = { ...docs, md: docs.md + tag, html: docs.html + tag };
  let seq = 0;
  let ok = 0;
  let shed = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    s.clients.map(async (client) => {
      while (performance.now() < deadline) {
        const [name, callArgs] = mixCall(seq++, false, fresh);
        const t0 = performance.now();
        try {
          const r = (await client.callTool({ name, arguments: callArgs }, undefined, {
            timeout: 60_000,
          })) as CallToolResult;
          const text = JSON.stringify(r.content ?? "");
          if (!r.isError) {
            ok++;
            s.latencies.push(performance.now() - t0);
          } else if (text.includes("E_OVERLOADED")) {
            shed++;
            await new Promise((res) => setTimeout(res, 50));
          } else failed++;
        } catch {
          failed++;
        }
      }
    }),
  );
  s.slices.push({ callsPerSecond: ok / ((performance.now() - started) / 1000), ok, shed, failed });
}

const loadBefore = os.loadavg();
try {
  await setup("1 process, SPECGATE_WORKERS=1", [{ SPECGATE_WORKERS: "1" }]);
  await setup("1 process, SPECGATE_WORKERS=2", [{ SPECGATE_WORKERS: "2" }]);
  await setup("1 process, SPECGATE_WORKERS=4", [{ SPECGATE_WORKERS: "4" }]);
  redis = await startRedis();
  await setup("2 replicas (1 worker each) sharing one Redis", [
    { SPECGATE_WORKERS: "1", REDIS_URL: redis.url },
    { SPECGATE_WORKERS: "1", REDIS_URL: redis.url },
  ]);
  for (let round = 0; round < ROUNDS; round++)
    for (let i = 0; i < setups.length; i++) await slice(setups[(i + round) % setups.length]!);
} finally {
  for (const s of setups) {
    await Promise.allSettled(s.clients.map((c) => c.close()));
    await Promise.allSettled(s.servers.map((srv) => srv.stop()));
  }
  await redis?.stop();
}
const loadAfter = os.loadavg();

const pct = (xs: number[], p: number) => {
  const v = [...xs].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.floor((p / 100) * v.length))] ?? NaN;
};
const one = median(setups[0]!.slices.map((x) => x.callsPerSecond));
const rows = setups.map((s) => {
  const rate = median(s.slices.map((x) => x.callsPerSecond));
  const sum = (k: "ok" | "shed" | "failed") => s.slices.reduce((n, x) => n + x[k], 0);
  return [
    s.name,
    `${rate.toFixed(0)}/s`,
    `${(rate / one).toFixed(2)}×`,
    `${pct(s.latencies, 50).toFixed(0)} ms`,
    `${pct(s.latencies, 99).toFixed(0)} ms`,
    sum("ok"),
    sum("shed"),
    sum("failed"),
  ];
});
const table = printTable(
  `Load mix, ${CLIENTS} clients, ${ROUNDS} alternating rounds of ${SECONDS} s per setup`,
  ["setup", "calls/s (median)", "× 1 worker", "p50", "p99", "served", "shed", "failed"],
  rows,
);
const load = `Load average ${loadBefore.map((l) => l.toFixed(1)).join(" / ")} before, ${loadAfter
  .map((l) => l.toFixed(1))
  .join(" / ")} after (1 / 5 / 15 min), on ${os.availableParallelism()} cores shared with other jobs.\n`;
process.stdout.write(load);
await writeFile(path.join(BENCH_DIR, "results", "scale-out.md"), `${table}\n${load}`);
await writeResults("scale-out", {
  clients: CLIENTS,
  seconds: SECONDS,
  rounds: ROUNDS,
  loadBefore,
  loadAfter,
  setups: setups.map((s) => ({ name: s.name, slices: s.slices, p50: pct(s.latencies, 50), p99: pct(s.latencies, 99) })),
});
