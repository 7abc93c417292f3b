import { describe, expect, it } from "vitest";
import { createMetrics } from "../../src/perf/metrics.js";
import { VERSION } from "../../src/version.js";

/** `name{labels} value` lines of the exposition, as a map. */
async function samples(metrics: ReturnType<typeof createMetrics>): Promise<Map<string, number>> {
  const text = await (await metrics.registry()).metrics();
  return new Map(
    text
      .split("\n")
      .filter((line) => line.startsWith("specgate_"))
      .map((line) => [line.slice(0, line.lastIndexOf(" ")), Number(line.slice(line.lastIndexOf(" ") + 1))]),
  );
}

describe("metrics updated on every call", () => {
  it("read complete whenever they are read, whether a few updates or many are waiting", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    await metrics.registry();
    for (let i = 0; i < 3; i++) metrics.toolCalls.inc({ tool: "html_to_md", outcome: "ok" });
    metrics.toolDuration.observe({ tool: "html_to_md", outcome: "ok", cache: "l1" }, 0.0002);
    metrics.cacheObserver.hit!("l1", "convert");
    metrics.httpRequestDuration.observe({ route: "/mcp", method: "POST", status: "200" }, 0.003);
    let seen = await samples(metrics);
    expect(seen.get('specgate_tool_calls_total{tool="html_to_md",outcome="ok"}')).toBe(3);
    expect(seen.get('specgate_tool_duration_seconds_count{tool="html_to_md",outcome="ok",cache="l1"}')).toBe(1);
    expect(
      seen.get('specgate_tool_duration_seconds_bucket{le="0.0005",tool="html_to_md",outcome="ok",cache="l1"}'),
    ).toBe(1);
    expect(seen.get('specgate_cache_events_total{tier="l1",kind="convert",result="hit"}')).toBe(1);
    expect(seen.get('specgate_http_request_duration_seconds_count{route="/mcp",method="POST",status="200"}')).toBe(1);

    // More than one batch, and what was read before is not counted twice.
    for (let i = 0; i < 1500; i++) {
      metrics.toolCalls.inc({ tool: "html_to_md", outcome: i % 3 === 0 ? "E_TIMEOUT" : "ok" });
      metrics.toolDuration.observe({ tool: "html_to_md", outcome: "ok", cache: "l1" }, 2);
    }
    seen = await samples(metrics);
    expect(seen.get('specgate_tool_calls_total{tool="html_to_md",outcome="ok"}')).toBe(3 + 1000);
    expect(seen.get('specgate_tool_calls_total{tool="html_to_md",outcome="E_TIMEOUT"}')).toBe(500);
    expect(seen.get('specgate_tool_duration_seconds_count{tool="html_to_md",outcome="ok",cache="l1"}')).toBe(1501);
    expect(seen.get('specgate_tool_duration_seconds_sum{tool="html_to_md",outcome="ok",cache="l1"}')).toBeCloseTo(
      3000.0002,
      6,
    );
    expect(seen.get('specgate_tool_duration_seconds_bucket{le="1",tool="html_to_md",outcome="ok",cache="l1"}')).toBe(1);
  });
});

describe("metrics recorded once something can read them", () => {
  it("drops updates until the registry is made, then counts every one; levels start right", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.toolCalls.inc({ tool: "html_to_md", outcome: "ok" });
    metrics.workerJobs.inc({ job: "extract", outcome: "ok" });
    metrics.inFlight.inc({ tool: "rule_extract" });
    metrics.inFlight.inc({ tool: "rule_extract" });
    metrics.pending.set(4);
    const registry = await metrics.registry();
    expect(await metrics.registry()).toBe(registry);
    metrics.toolCalls.inc({ tool: "html_to_md", outcome: "ok" });
    metrics.inFlight.dec({ tool: "rule_extract" });
    metrics.cacheObserver.breaker!("open");
    const seen = await samples(metrics);
    expect(seen.get('specgate_tool_calls_total{tool="html_to_md",outcome="ok"}')).toBe(1);
    expect([...seen.keys()].filter((k) => k.startsWith("specgate_worker_jobs_total"))).toEqual([]);
    // Calls that started before the registry existed are still running: the gauge says so.
    expect(seen.get('specgate_tool_in_flight{tool="rule_extract"}')).toBe(1);
    expect(seen.get("specgate_tool_pending")).toBe(4);
    expect(seen.get("specgate_cache_l2_breaker_state")).toBe(2);
    expect(seen.get(`specgate_build_info{version="${VERSION}",node_version="${process.version}"}`)).toBe(1);
  });
});
