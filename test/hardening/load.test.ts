/**
 * The load test, short (the full one is bench/load.ts): 30 MCP clients over HTTP making 300
 * calls that mix every tool, 10 MB documents included, against a spawned server capped at
 * 256 MB. RSS, sampled every 100 ms from /proc, never passes the cap; excess load is shed with
 * E_OVERLOADED (or refused as too large for this cap), never a crash, a timeout or an internal
 * error; afterwards every tool serves again. The work is a number of calls, not a time, so the
 * test asserts the same thing on a quiet machine and on a busy one; throughput is the
 * benchmark's business. Then a heap check: rounds of the same mix in process, a full GC after
 * each, and the heap does not grow.
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
  it("holds the cap, sheds the excess, and nothing fails", { timeout: 600_000 }, async () => {
    await ensureBuilt();
    const server: SpawnedServer = await startHttp({ SPECGATE_MEMORY_LIMIT_MB: "256", LOG_LEVEL: "warn" });
    cleanup.push(() => server.stop());
    const report = await runLoad({
      url: server.url,
      pid: server.child.pid!,
      clients: 30,
      calls: 300,
      bigShare: 0.1,
      maxBigInFlight: 4,
    });
    expect(report.failures).toEqual([]);
    expect(report.failed).toBe(0);
    expect(report.calls).toBe(300);
    expect(report.bigCalls).toBe(30);
    expect(report.peakRssMb).toBeGreaterThan(50); // the sampler really read it
    expect(report.peakRssMb).toBeLessThanOrEqual(256);
    expect(report.rssSamples).toBeGreaterThanOrEqual(2);
    // Every call is accounted for: served, shed, or refused as too large for this cap.
    expect(report.ok + report.shed + report.tooLarge).toBe(report.calls);
    expect(report.ok).toBeGreaterThan(0);
    // Shedding was load, not damage: once the load is gone every tool serves again, a shed call
    // being retried after the delay its error names, as a client would.
    const client = new Client({ name: "after-load", version: "1" });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    cleanup.push(() => client.close());
    const docs = loadDocuments();
    for (let i = 0; i < 7; i++) {
      const [name, args] = mixCall(i, false, docs);
      expect(errorCodeOf(await callRetryingShed(client, name, args)), name).toBeUndefined();
    }
    const health = (await (await fetch(`${server.base}/healthz`)).json()) as { status: string };
    expect(health.status).toMatch(/ok|degraded/);
    expect(await server.stop()).toBe(0);
    expect(server.stderr()).not.toMatch(/"level":"(error|fatal)"|E_INTERNAL/);
  });
});

type Result = { isError?: boolean; content: { type: string; text?: string }[]; _meta?: Record<string, unknown> };

function errorCodeOf(result: Result): string | undefined {
  return result.isError ? (result.content[0]?.text ?? "").split(":")[0] : undefined;
}

/** Calls a tool, retrying while it is shed (E_OVERLOADED) after the delay the error gives. */
async function callRetryingShed(client: Client, name: string, args: Record<string, unknown>): Promise<Result> {
  for (let attempt = 0; ; attempt++) {
    const result = (await client.callTool({ name, arguments: args })) as Result;
    if (errorCodeOf(result) !== "E_OVERLOADED" || attempt === 20) return result;
    const meta = result._meta?.["specgate/error"] as { retry_after_ms?: number } | undefined;
    await new Promise((r) => setTimeout(r, meta?.retry_after_ms ?? 1000));
  }
}

describe("heap", () => {
  it("does not grow over repeated rounds of the same mix (full GC between rounds)", { timeout: 600_000 }, async () => {
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
