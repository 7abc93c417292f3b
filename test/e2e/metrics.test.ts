/**
 * What /metrics exports, read from a running server the way Prometheus and Grafana read it, and
 * the shipped alerting rules and dashboard checked against it: every metric they use exists.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ROOT, startHttp, type SpawnedServer } from "../helpers/spawn.js";
import { VERSION } from "../../src/version.js";

const run = promisify(execFile);
const PROMTOOL = process.env.PROMTOOL_BIN ?? "/usr/bin/promtool";

let server: SpawnedServer;
let text: string;
/** Metric name → type, from the `# TYPE` lines. */
const types = new Map<string, string>();

beforeAll(async () => {
  server = await startHttp();
  const client = new Client({ name: "metrics-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
  await client.callTool({ name: "html_to_md", arguments: { html: "<p>a</p>" } });
  await client.callTool({ name: "html_to_md", arguments: { html: "<p>a</p>" } });
  await client.close();
  text = await (await fetch(`${server.base}/metrics`)).text();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) types.set(m[1]!, m[2]!);
});
afterAll(() => server?.stop());

/** The series names an expression reads (a histogram's _bucket/_sum/_count belong to it). */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b((?:specgate|process|nodejs)_[a-z0-9_]+)/g)].map((m) => m[1]!);
}
function exported(series: string): boolean {
  const base = series.replace(/_(bucket|sum|count)$/, "");
  return types.has(series) || types.get(base) === "histogram";
}

describe("/metrics", () => {
  it("exports the process and Node.js metrics under their standard names, once", () => {
    expect(types.get("process_resident_memory_bytes")).toBe("gauge");
    expect(types.get("nodejs_eventloop_lag_p99_seconds")).toBe("gauge");
    expect(types.get("process_cpu_seconds_total")).toBe("counter");
    expect([...types.keys()].filter((n) => /^specgate_(process|nodejs)_|^specgate_rss_bytes$/.test(n))).toEqual([]);
  });

  it("says which SpecGate runs", () => {
    expect(text).toMatch(
      new RegExp(
        `^specgate_build_info\\{version="${VERSION.replace(/\./g, "\\.")}",node_version="${process.version}"\\} 1$`,
        "m",
      ),
    );
  });

  it("keeps one meaning per label: the outcome, and where the result came from", () => {
    expect(text).toMatch(/^specgate_tool_duration_seconds_count\{tool="html_to_md",outcome="ok",cache="miss"\} 1$/m);
    expect(text).toMatch(/^specgate_tool_duration_seconds_count\{tool="html_to_md",outcome="ok",cache="l1"\} 1$/m);
    expect(text).not.toMatch(/outcome="ok_/);
  });

  it("times HTTP requests by route, method and status", () => {
    expect(types.get("specgate_http_request_duration_seconds")).toBe("histogram");
    expect(text).toMatch(
      /^specgate_http_request_duration_seconds_count\{route="\/mcp",method="POST",status="200"\} \d+$/m,
    );
    expect(types.get("specgate_upstream_request_duration_seconds")).toBe("histogram");
  });

  it("names every metric by the conventions: a unit suffix for durations and sizes, _total for counters", () => {
    for (const [name, type] of types) {
      if (type === "counter") expect(name, name).toMatch(/_total$/);
      if (/duration|latency/.test(name)) expect(name, name).toMatch(/_seconds$/);
    }
  });
});

describe("shipped monitoring", () => {
  it("the alerting rules pass promtool and read only exported metrics", async () => {
    const file = path.join(ROOT, "deploy/prometheus/alerts.yml");
    const { stdout } = await run(PROMTOOL, ["check", "rules", file]);
    expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
    const names = metricNames(
      readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => !/^\s*(#|summary|description)/.test(l))
        .join("\n"),
    );
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((n) => !exported(n))).toEqual([]);
  });

  it("the Grafana dashboard queries only exported metrics", () => {
    const dashboard = JSON.parse(readFileSync(path.join(ROOT, "deploy/grafana/specgate-dashboard.json"), "utf8")) as {
      panels: { targets: { expr: string }[] }[];
    };
    const names = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => metricNames(t.expr)));
    expect(new Set(names).size).toBeGreaterThan(10);
    expect(names.filter((n) => !exported(n))).toEqual([]);
  });
});
