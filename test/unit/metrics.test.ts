import { describe, expect, it } from "vitest";
import { createMetrics } from "../../src/perf/metrics.js";

/** `name{labels} value` lines of the exposition, as a map. */
async function samples(metrics: ReturnType<typeof createMetrics>): Promise<Map<string, number>> {
  const text = await metrics.registry.metrics();
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
