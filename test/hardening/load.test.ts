/**
 * The load test, short (the full one is bench/load.ts): 30 MCP clients over HTTP mixing every
 * tool, 10 MB documents included, for a few seconds against a spawned server capped at 256 MB.
 * RSS, sampled every 100 ms from /proc, never passes the cap; excess load is shed with
 * E_OVERLOADED (or refused as too large for this cap), never a crash, a timeout or an internal
 * error. Then a heap check: rounds of the same mix in process, a full GC after each, and the
 * heap does not grow.
 */
import { afterAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { collectGarbage } from "../../src/perf/gc.js";
import { loadDocuments, mixCall, runLoad } from "../helpers/load.js";
import { startHttpHarness } from "../helpers/http-harness.js";
import { ensureBuilt } from "../helpers/specgate-process.js";
import { startHttp, type SpawnedServer } from "../helpers/spawn.js";

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
});

describe("load at a 256 MB memory cap", () => {
  it("holds the cap, sheds the excess, and nothing fails", { timeout: 90_000 }, async () => {
    await ensureBuilt();
    const server: SpawnedServer = await startHttp({ SPECGATE_MEMORY_LIMIT_MB: "256", LOG_LEVEL: "warn" });
    cleanup.push(() => server.stop());
    const report = await runLoad({ url: server.url, pid: server.child.pid!, clients: 30, durationMs: 6000, bigShare: 0.1, maxBigInFlight: 4 });
    expect(report.failures).toEqual([]);
    expect(report.failed).toBe(0);
    expect(report.peakRssMb).toBeGreaterThan(50); // the sampler really read it
    expect(report.peakRssMb).toBeLessThanOrEqual(256);
    expect(report.rssSamples).toBeGreaterThanOrEqual(40);
    expect(report.ok).toBeGreaterThan(100);
    expect(report.bigCalls).toBeGreaterThan(10);
    // Every call is accounted for: served, shed, or refused as too large for this cap.
    expect(report.ok + report.shed + report.tooLarge).toBe(report.calls);
    const health = (await (await fetch(`${server.base}/healthz`)).json()) as { status: string };
    expect(health.status).toMatch(/ok|degraded/);
    expect(await server.stop()).toBe(0);
    expect(server.stderr()).not.toMatch(/"level":"(error|fatal)"|E_INTERNAL/);
  });
});

describe("heap", () => {
  it("does not grow over repeated rounds of the same mix (full GC between rounds)", { timeout: 90_000 }, async () => {
    const h = await startHttpHarness({ SPECGATE_CACHE_L1_MB: "64", SPECGATE_MEMORY_LIMIT_MB: "4096" });
    cleanup.push(() => h.close());
    const docs = loadDocuments();
    const clients = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const c = new Client({ name: "heap", version: "1" });
        await c.connect(new StreamableHTTPClientTransport(new URL(h.handle.url)));
        return c;
      }),
    );
    cleanup.push(() => Promise.all(clients.map((c) => c.close())));
    const heap: number[] = [];
    for (let round = 0; round < 6; round++) {
      await Promise.all(
        clients.map(async (c, w) => {
          for (let i = w; i < 280; i += clients.length) {
            const [name, args] = mixCall(i, false, docs);
            const r = await c.callTool({ name, arguments: args });
            expect(r.isError, name).toBeFalsy();
          }
        }),
      );
      expect(collectGarbage()).toBe(true);
      await new Promise((r) => setImmediate(r));
      collectGarbage();
      heap.push(process.memoryUsage().heapUsed);
    }
    // After the first rounds have filled the caches, the heap is flat: under 8 MB from round 2 to 6.
    const growthMb = (heap[5]! - heap[1]!) / 1048576;
    expect(growthMb).toBeLessThan(8);
  });
});
