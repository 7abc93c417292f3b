/**
 * Large outputs and CPU-bound calls against a spawned server (real HTTP, real SDK client):
 *
 * - 5 MB of 100k rule lines to spec_generate and rule_extract under a 512 MB cap: refused with
 *   E_TOO_LARGE saying what to do, the process stays under its cap and serves the next call.
 * - 1.2 MB of rule lines to spec_generate: answered (within the result limit) or refused with
 *   E_TOO_LARGE; while its worker runs, other clients' calls are answered.
 * - 100k headings to speclint_lint with a short deadline: E_TIMEOUT, and the worker running it is
 *   terminated (the work ends, not only the wait for it); the server goes on serving.
 * - 100k headings to rule_extract: finished or refused cleanly within the deadline.
 */
import { afterAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { headings, ruleLines } from "../helpers/large-docs.js";
import { until } from "../helpers/cache.js";
import { peakRssMb } from "../helpers/proc.js";
import { ensureBuilt } from "../helpers/specgate-process.js";
import { startHttp, type SpawnedServer } from "../helpers/spawn.js";

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
});

type Result = Awaited<ReturnType<Client["callTool"]>>;
const text = (r: Result) => (r.content as { text: string }[])[0]!.text;
const code = (r: Result) => (r.isError ? /^(E_[A-Z_]+)/.exec(text(r))?.[1] : "ok");

async function serve(env: Record<string, string>): Promise<{ server: SpawnedServer; client: () => Promise<Client> }> {
  await ensureBuilt();
  const server = await startHttp({ LOG_LEVEL: "warn", ...env });
  cleanup.push(() => server.stop());
  const client = async () => {
    const c = new Client({ name: "large-outputs", version: "1" });
    await c.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    cleanup.push(() => c.close());
    return c;
  };
  return { server, client };
}

async function metrics(server: SpawnedServer): Promise<string> {
  return (await fetch(`${server.base}/metrics`)).text();
}

function metric(all: string, name: string, labels: string): number {
  const line = all.split("\n").find((l) => l.startsWith(`${name}{`) && labels.split(",").every((kv) => l.includes(kv)));
  return line === undefined ? 0 : Number(line.split(" ").pop());
}

const SMALL = {
  content: "# Payments API Design\n\n## Design Rules\n\n- **RULE-API-001** (MUST): Handlers must validate input.\n",
};
const CALL_TIMEOUT = { timeout: 300_000 };

describe("large outputs and CPU-bound calls", () => {
  it("5 MB of 100k rule lines: spec_generate and rule_extract answer E_TOO_LARGE with what to do, under a 512 MB cap", async () => {
    const { server, client } = await serve({ SPECGATE_MEMORY_LIMIT_MB: "512" });
    const c = await client();
    const doc = ruleLines(5 * 1024 * 1024);
    expect(doc.split("\n").length).toBeGreaterThan(100_000);
    const generated = await c.callTool({ name: "spec_generate", arguments: { content: doc } }, undefined, CALL_TIMEOUT);
    expect(code(generated)).toBe("E_TOO_LARGE");
    expect(text(generated)).toMatch(/Split|split/);
    const extracted = await c.callTool({ name: "rule_extract", arguments: { content: doc } }, undefined, CALL_TIMEOUT);
    expect(code(extracted)).toBe("E_TOO_LARGE");
    expect(text(extracted)).toMatch(/Split|split/);
    expect(code(await c.callTool({ name: "rule_extract", arguments: SMALL }))).toBe("ok");
    expect(await peakRssMb(server.child.pid!)).toBeLessThan(512);
  });

  it("1.2 MB of rule lines to spec_generate: a result within the limit or E_TOO_LARGE, and other calls are answered while it runs", async () => {
    const { server, client } = await serve({
      SPECGATE_MEMORY_LIMIT_MB: "1024",
      SPECGATE_WORKERS: "1",
      SPECGATE_TOOL_TIMEOUT_MS: "120000",
    });
    const [big, small] = [await client(), await client()];
    const doc = ruleLines(1.2 * 1024 * 1024);
    const pending = big.callTool({ name: "spec_generate", arguments: { content: doc } }, undefined, CALL_TIMEOUT);
    let settled = false;
    void pending.then(() => (settled = true));
    await until(
      async () => metric(await metrics(server), "specgate_tool_in_flight", 'tool="spec_generate"') === 1,
      60_000,
      "spec_generate to be running",
    );
    // Calls from another client are answered while the large one is still in flight.
    for (let i = 0; i < 5; i++)
      expect(
        code(
          await small.callTool({ name: "speclint_lint", arguments: { content: `${SMALL.content}\n<!-- ${i} -->\n` } }),
        ),
      ).toBe("ok");
    const health = await fetch(`${server.base}/healthz`);
    expect(health.status).toBe(200);
    expect(metric(await metrics(server), "specgate_tool_in_flight", 'tool="spec_generate"')).toBe(1);
    expect(settled).toBe(false);
    const result = await pending;
    expect(["ok", "E_TOO_LARGE"]).toContain(code(result));
    if (result.isError) expect(text(result)).toMatch(/targets|split/i);
    else expect(JSON.stringify(result.structuredContent).length).toBeLessThanOrEqual(32 * 1024 * 1024);
    expect(await peakRssMb(server.child.pid!)).toBeLessThan(1024);
  });

  it("a deadline ends a CPU-bound lint of 100k headings (its worker is terminated) and the server keeps serving", async () => {
    const { server, client } = await serve({ SPECGATE_TOOL_TIMEOUT_MS: "1500", SPECGATE_WORKERS: "1" });
    const c = await client();
    const doc = headings(2.3 * 1024 * 1024);
    const r = await c.callTool({ name: "speclint_lint", arguments: { content: doc } }, undefined, CALL_TIMEOUT);
    expect(code(r)).toBe("E_TIMEOUT");
    const m = await metrics(server);
    expect(metric(m, "specgate_worker_jobs_total", 'job="lint",outcome="terminated"')).toBe(1);
    // The single worker was replaced: the next large job runs (and ends) again.
    const again = await c.callTool(
      { name: "speclint_lint", arguments: { content: `${doc}\n` } },
      undefined,
      CALL_TIMEOUT,
    );
    expect(code(again)).toBe("E_TIMEOUT");
    expect(metric(await metrics(server), "specgate_worker_jobs_total", 'job="lint",outcome="terminated"')).toBe(2);
    expect(code(await c.callTool({ name: "speclint_lint", arguments: SMALL }))).toBe("ok");
  });

  it("100k headings to rule_extract and speclint_lint: done within the deadline, or refused cleanly", async () => {
    const { server, client } = await serve({});
    const c = await client();
    const doc = headings(2.3 * 1024 * 1024);
    for (const name of ["rule_extract", "speclint_lint"]) {
      const r = await c.callTool({ name, arguments: { content: doc } }, undefined, CALL_TIMEOUT);
      expect(["ok", "E_TIMEOUT", "E_TOO_LARGE", "E_OVERLOADED"]).toContain(code(r));
    }
    expect(code(await c.callTool({ name: "rule_extract", arguments: SMALL }))).toBe("ok");
    expect(await peakRssMb(server.child.pid!)).toBeLessThan(1024);
  });
});
