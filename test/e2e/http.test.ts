import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { startHttp, type SpawnedServer } from "../helpers/spawn.js";

const TOKEN = "test-token-0123456789abcdef";
const INIT = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
};
const MCP_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };

async function connect(url: string, token?: string): Promise<Client> {
  const client = new Client({ name: "e2e-http", version: "1" });
  const transport = new StreamableHTTPClientTransport(
    new URL(url),
    token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : undefined,
  );
  await client.connect(transport);
  return client;
}

async function counter(base: string, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.split(" ").pop()) : 0;
}

describe("Streamable HTTP (spawned binary, token set)", () => {
  let server: SpawnedServer;
  beforeAll(async () => {
    server = await startHttp({ SPECGATE_HTTP_TOKEN: TOKEN, SPECGATE_HTTP_MAX_BODY_MB: "1" });
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  it("serves many concurrent clients, and /metrics counters move after calls", async () => {
    const before = await counter(server.base, "specgate_tool_calls_total", 'tool="html_to_md",outcome="ok"');
    const clients = await Promise.all(Array.from({ length: 8 }, () => connect(server.url, TOKEN)));
    const results = await Promise.all(
      clients.map((c, i) => c.callTool({ name: "html_to_md", arguments: { html: `<h3>문서 ${i}</h3>` } })),
    );
    expect(results.map((r) => (r.structuredContent as { markdown: string }).markdown)).toEqual(
      clients.map((_, i) => `### 문서 ${i}\n`),
    );
    await Promise.all(clients.map((c) => c.close()));
    const after = await counter(server.base, "specgate_tool_calls_total", 'tool="html_to_md",outcome="ok"');
    expect(after - before).toBe(8);
    const metrics = await (
      await fetch(`${server.base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).text();
    expect(metrics).toMatch(/specgate_tool_duration_seconds_bucket\{.*tool="html_to_md"/);
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+$/m);
  });

  it("refuses MCP requests without the bearer token (401) and runs nothing", async () => {
    const before = await counter(server.base, "specgate_tool_calls_total", 'tool="html_to_md"');
    const noAuth = await fetch(server.url, { method: "POST", headers: MCP_HEADERS, body: JSON.stringify(INIT) });
    expect(noAuth.status).toBe(401);
    expect(noAuth.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const wrong = await fetch(server.url, {
      method: "POST",
      headers: { ...MCP_HEADERS, authorization: "Bearer nope" },
      body: JSON.stringify(INIT),
    });
    expect(wrong.status).toBe(401);
    await expect(connect(server.url)).rejects.toThrow();
    expect(await counter(server.base, "specgate_tool_calls_total", 'tool="html_to_md"')).toBe(before);
  });

  it("rejects a foreign Origin and a foreign Host (DNS rebinding)", async () => {
    const evil = await fetch(server.url, {
      method: "POST",
      headers: { ...MCP_HEADERS, authorization: `Bearer ${TOKEN}`, origin: "http://evil.example" },
      body: JSON.stringify(INIT),
    });
    expect(evil.status).toBe(403);
    const port = new URL(server.url).port;
    const ok = await fetch(server.url, {
      method: "POST",
      headers: { ...MCP_HEADERS, authorization: `Bearer ${TOKEN}`, origin: `http://localhost:${port}` },
      body: JSON.stringify(INIT),
    });
    expect(ok.status).toBe(200);
    const { request } = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        server.url,
        { method: "POST", headers: { ...MCP_HEADERS, authorization: `Bearer ${TOKEN}`, host: "attacker.example:80" } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end(JSON.stringify(INIT));
    });
    expect(status).toBe(403);
  });

  it("answers oversized bodies with 413, bad JSON with a parse error, wrong content type with 415", async () => {
    const big = JSON.stringify({ ...INIT, params: { ...INIT.params, pad: "x".repeat(1_200_000) } });
    const r413 = await fetch(server.url, {
      method: "POST",
      headers: { ...MCP_HEADERS, authorization: `Bearer ${TOKEN}` },
      body: big,
    });
    expect(r413.status).toBe(413);
    const bad = await fetch(server.url, {
      method: "POST",
      headers: { ...MCP_HEADERS, authorization: `Bearer ${TOKEN}` },
      body: "{not json",
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: number } }).error.code).toBe(-32700);
    const text = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "text/plain", authorization: `Bearer ${TOKEN}` },
      body: "{}",
    });
    expect(text.status).toBe(415);
    const unknownSession = await fetch(server.url, {
      method: "POST",
      headers: { ...MCP_HEADERS, authorization: `Bearer ${TOKEN}`, "mcp-session-id": "no-such-session" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
    });
    expect(unknownSession.status).toBe(404);
    // Still serving.
    const client = await connect(server.url, TOKEN);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
  });

  it("reports health as JSON with version, uptime and cache tiers", async () => {
    const r = await fetch(`${server.base}/healthz`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: "ok", cache: { l1: "up", l2: "disabled" } });
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(typeof body.uptime_s).toBe("number");
    expect(JSON.stringify(body)).not.toContain(TOKEN);
  });
});

describe("Streamable HTTP startup rules", () => {
  it("refuses to bind beyond loopback without SPECGATE_HTTP_TOKEN", async () => {
    await expect(startHttp({ SPECGATE_HTTP_HOST: "0.0.0.0" })).rejects.toThrow(/SPECGATE_HTTP_TOKEN must be set/);
  });

  it("stops with a message naming a bad variable", async () => {
    await expect(startHttp({ SPECGATE_MAX_CONCURRENCY: "lots" })).rejects.toThrow(/SPECGATE_MAX_CONCURRENCY/);
  });

  it("runs stateless for load-balanced replicas", async () => {
    const server = await startHttp({ SPECGATE_HTTP_STATELESS: "true" });
    try {
      const client = await connect(server.url);
      const r = await client.callTool({ name: "html_to_md", arguments: { html: "<p>stateless</p>" } });
      expect((r.structuredContent as { markdown: string }).markdown).toBe("stateless\n");
      await client.close();
      const health = (await (await fetch(`${server.base}/healthz`)).json()) as { mode: string };
      expect(health.mode).toBe("stateless");
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
