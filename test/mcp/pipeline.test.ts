import { afterEach, describe, expect, it, vi } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { MemoryGuard } from "../../src/perf/memory-guard.js";
import { TOOLS } from "../../src/tools/index.js";
import { connectInMemory, memoryLogger, type Harness } from "../helpers/runtime.js";
import { brokenTool, countingTool, progressTool, slowTool } from "../helpers/tools.js";

let h: Harness | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await h?.close();
  h = undefined;
});

const errorCode = (r: CallToolResult) =>
  (r._meta as Record<string, { code: string }> | undefined)?.["specgate/error"]?.code;
const textOf = (r: CallToolResult) => (r.content[0] as { text: string }).text;

describe("pipeline", () => {
  it("ends a call at its deadline with E_TIMEOUT and serves the next call", async () => {
    h = await connectInMemory({ tools: [slowTool({ timeoutMs: 150 }), ...TOOLS] });
    const slow = (await h.client.callTool({
      name: "slow_echo",
      arguments: { ms: 5000, text: "late" },
    })) as CallToolResult;
    expect(slow.isError).toBe(true);
    expect(errorCode(slow)).toBe("E_TIMEOUT");
    expect(textOf(slow)).toMatch(/deadline/);
    const next = (await h.client.callTool({ name: "slow_echo", arguments: { ms: 1, text: "ok" } })) as CallToolResult;
    expect(next.structuredContent).toEqual({ text: "ok" });
  });

  it("answers at the deadline even when the handler ignores its signal", async () => {
    let handlerDone = false;
    h = await connectInMemory({ tools: [slowTool({ timeoutMs: 100, onEnd: () => (handlerDone = true) })] });
    const r = (await h.client.callTool({
      name: "slow_echo",
      arguments: { ms: 1500, ignore_signal: true },
    })) as CallToolResult;
    expect(errorCode(r)).toBe("E_TIMEOUT");
    // The caller got its answer while the runaway handler was still going.
    expect(handlerDone).toBe(false);
  });

  it("never runs more calls at once than SPECGATE_MAX_CONCURRENCY", async () => {
    let running = 0;
    let peak = 0;
    const tool = slowTool({
      onStart: () => {
        running++;
        peak = Math.max(peak, running);
      },
      onEnd: () => running--,
    });
    h = await connectInMemory({ env: { SPECGATE_MAX_CONCURRENCY: "3" }, tools: [tool] });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        h!.client.callTool({ name: "slow_echo", arguments: { ms: 30, text: String(i) } }),
      ),
    );
    expect(results.every((r) => !r.isError)).toBe(true);
    expect(results.map((r) => (r.structuredContent as { text: string }).text)).toEqual(
      Array.from({ length: 12 }, (_, i) => String(i)),
    );
    expect(peak).toBe(3);
  });

  it("refuses calls beyond the queue bound with E_OVERLOADED", async () => {
    h = await connectInMemory({ env: { SPECGATE_MAX_CONCURRENCY: "1", SPECGATE_MAX_QUEUE: "2" }, tools: [slowTool()] });
    const registry = await h.specgate.runtime.metrics.registry();
    const results = (await Promise.all(
      Array.from({ length: 6 }, () => h!.client.callTool({ name: "slow_echo", arguments: { ms: 80 } })),
    )) as CallToolResult[];
    const codes = results.map((r) => errorCode(r) ?? "ok");
    expect(codes.filter((c) => c === "ok")).toHaveLength(3);
    expect(codes.filter((c) => c === "E_OVERLOADED")).toHaveLength(3);
    const metrics = await registry.getSingleMetricAsString("specgate_rejected_total");
    expect(metrics).toMatch(/reason="queue_full"} 3/);
  });

  it("refuses work above the memory high-water mark, sheds the cache, then recovers", async () => {
    let rss = 100 * 1024 * 1024;
    let shed = 0;
    const memory = new MemoryGuard({ limitBytes: 1024 * 1024 * 1024, rss: () => rss, onPressure: () => shed++ });
    h = await connectInMemory({ runtime: { memory } });
    // The guard reuses a recent RSS reading (up to 50 ms for a small call): the clock moves past that.
    vi.useFakeTimers({ toFake: ["Date"] });
    rss = 900 * 1024 * 1024; // past the 80 % mark
    vi.setSystemTime(Date.now() + 60);
    const refused = (await h.client.callTool({
      name: "html_to_md",
      arguments: { html: "<p>x</p>" },
    })) as CallToolResult;
    expect(errorCode(refused)).toBe("E_OVERLOADED");
    expect(textOf(refused)).toMatch(/memory limit.*Retry/);
    expect((refused._meta as Record<string, { retryable: boolean }>)["specgate/error"]!.retryable).toBe(true);
    expect(shed).toBeGreaterThan(0);
    rss = 200 * 1024 * 1024;
    vi.setSystemTime(Date.now() + 60);
    const ok = (await h.client.callTool({ name: "html_to_md", arguments: { html: "<p>x</p>" } })) as CallToolResult;
    expect(ok.isError).toBeFalsy();
  });

  it("refuses a call whose bytes would exceed the in-flight budget while others run", async () => {
    const memory = new MemoryGuard({ limitBytes: 256 * 1024 * 1024, rss: () => 50 * 1024 * 1024 });
    h = await connectInMemory({ runtime: { memory }, tools: [slowTool(), ...TOOLS] });
    const hold = memory.reserve(100 * 1024 * 1024);
    const big = "<p>" + "가".repeat(3 * 1024 * 1024) + "</p>";
    const refused = (await h.client.callTool({ name: "html_to_md", arguments: { html: big } })) as CallToolResult;
    expect(errorCode(refused)).toBe("E_OVERLOADED");
    hold.release();
    const ok = (await h.client.callTool({ name: "html_to_md", arguments: { html: big } })) as CallToolResult;
    expect(ok.isError).toBeFalsy();
  });

  it("refuses inputs over 10 MB with E_TOO_LARGE naming the field", async () => {
    h = await connectInMemory();
    const r = (await h.client.callTool({
      name: "html_to_md",
      arguments: { html: "a".repeat(10 * 1024 * 1024 + 1) },
    })) as CallToolResult;
    expect(errorCode(r)).toBe("E_TOO_LARGE");
    expect(textOf(r)).toMatch(/`html` is 10\.0 MB; the limit is 10\.0 MB/);
  });

  it("runs identical concurrent calls once and serves repeats from the cache", async () => {
    const counter = { runs: 0 };
    h = await connectInMemory({ tools: [countingTool(counter, 50)] });
    const same = await Promise.all(
      Array.from({ length: 5 }, () => h!.client.callTool({ name: "counted", arguments: { key: "a" } })),
    );
    expect(counter.runs).toBe(1);
    expect(same.every((r) => (r.structuredContent as { run: number }).run === 1)).toBe(true);
    await h.client.callTool({ name: "counted", arguments: { key: "a" } });
    expect(counter.runs).toBe(1);
    const bypass = await h.client.callTool({ name: "counted", arguments: { key: "a", bypass: true } });
    expect((bypass.structuredContent as { run: number }).run).toBe(2);
  });

  it("serves repeated small arguments from the cache whatever their member order, and still validates anything new", async () => {
    const counter = { runs: 0 };
    h = await connectInMemory({ tools: [countingTool(counter)] });
    const call = async (args: Record<string, unknown>) =>
      (await h!.client.callTool({ name: "counted", arguments: args })) as CallToolResult;
    for (let i = 0; i < 3; i++) expect((await call({ key: "a" })).structuredContent).toEqual({ key: "a", run: 1 });
    expect((await call({ bypass: false, key: "a" })).structuredContent).toEqual({ key: "a", run: 1 });
    expect((await call({ key: "b" })).structuredContent).toEqual({ key: "b", run: 2 });
    const invalid = await call({ key: "a", extra: 1 });
    expect(errorCode(invalid)).toBe("E_INVALID_INPUT");
    expect(errorCode(await call({ key: 1 }))).toBe("E_INVALID_INPUT");
    expect((await call({ key: "a", bypass: true })).structuredContent).toEqual({ key: "a", run: 3 });
    expect((await call({ key: "a", bypass: true })).structuredContent).toEqual({ key: "a", run: 4 });
    expect(counter.runs).toBe(4);
  });

  it("hides internal errors behind E_INTERNAL and logs them", async () => {
    const log = memoryLogger("error");
    h = await connectInMemory({ tools: [brokenTool], logger: log.logger });
    const r = (await h.client.callTool({ name: "broken", arguments: {} })) as CallToolResult;
    expect(errorCode(r)).toBe("E_INTERNAL");
    expect(textOf(r)).not.toMatch(/secret internal detail/);
    await expect.poll(() => log.text()).toMatch(/secret internal detail/);
  });

  it("sends progress notifications when the client asks for them", async () => {
    h = await connectInMemory({ tools: [progressTool] });
    const seen: number[] = [];
    const r = await h.client.callTool({ name: "progress_steps", arguments: { n: 5 } }, undefined, {
      onprogress: (p) => seen.push(p.progress),
    });
    expect(r.structuredContent).toEqual({ done: 5 });
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it("rejects unknown tools with a protocol error listing the available ones", async () => {
    h = await connectInMemory();
    await expect(h.client.callTool({ name: "nope", arguments: {} })).rejects.toThrow(/Unknown tool "nope".*html_to_md/);
  });
});
