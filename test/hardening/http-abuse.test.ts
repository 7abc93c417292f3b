/**
 * The HTTP endpoint against abusive clients, on a spawned `specgate serve --http`: malformed
 * JSON-RPC, batch abuse, oversized and chunked bodies, slow headers and slow bodies
 * (slowloris), unknown sessions, a thousand idle sessions, wrong content types, invalid UTF-8.
 * Every request gets a clear HTTP/JSON-RPC error (never a 500 or a crash), and a normal client
 * is served throughout.
 */
import { connect as netConnect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { until } from "../helpers/cache.js";
import { ensureBuilt } from "../helpers/specgate-process.js";
import { startHttp, type SpawnedServer } from "../helpers/spawn.js";

const HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };
const INIT = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "abuse", version: "1" } },
};

let server: SpawnedServer;
let port: number;

beforeAll(async () => {
  await ensureBuilt();
  server = await startHttp({
    LOG_LEVEL: "warn",
    SPECGATE_HTTP_MAX_BODY_MB: "1",
    SPECGATE_HTTP_HEADERS_TIMEOUT_MS: "1000",
    SPECGATE_HTTP_REQUEST_TIMEOUT_MS: "2000",
    SPECGATE_HTTP_MAX_SESSIONS: "50",
    SPECGATE_HTTP_SESSION_IDLE_S: "2",
  });
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
  expect(server.stderr()).not.toMatch(/unhandled|uncaught|"level":"(error|fatal)"/i);
});

async function post(
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown; headers: Headers }> {
  const r = await fetch(server.url, { method: "POST", headers: { ...HEADERS, ...headers }, body });
  const text = await r.text();
  let json: unknown;
  // A session's replies may come as one server-sent event: its data line is the JSON-RPC message.
  const data = /^data: (.*)$/m.exec(text)?.[1];
  try {
    json = JSON.parse(data ?? text);
  } catch {
    json = text;
  }
  return { status: r.status, json, headers: r.headers };
}

async function session(): Promise<string> {
  const r = await fetch(server.url, { method: "POST", headers: HEADERS, body: JSON.stringify(INIT) });
  await r.text();
  expect(r.status).toBe(200);
  return r.headers.get("mcp-session-id")!;
}

async function normalCallWorks(): Promise<void> {
  const client = new Client({ name: "normal", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
  const result = await client.callTool({ name: "html_to_md", arguments: { html: "<p>still serving</p>" } });
  expect(result.isError).toBeFalsy();
  await client.close();
}

/**
 * Opens a raw socket and resolves with what the server wrote once the server closes it. A server
 * that never closes a slow connection leaves the promise pending, and the test fails at its
 * timeout (the trickle keeps the connection busy for as long as that takes).
 */
function raw(writeFirst: string, trickle?: { every: number; chunk: string }): Promise<{ reply: string }> {
  return new Promise((resolve) => {
    let reply = "";
    const socket: Socket = netConnect(port, "127.0.0.1", () => socket.write(writeFirst));
    const timer = trickle
      ? setInterval(() => !socket.destroyed && socket.write(trickle.chunk), trickle.every)
      : undefined;
    socket.setEncoding("utf8");
    socket.on("data", (d: string) => (reply += d));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearInterval(timer);
      resolve({ reply });
    });
  });
}

describe("malformed JSON-RPC", () => {
  const bodies: [string, string, number][] = [
    ["not JSON", "{not json", 400],
    ["empty body", "", 400],
    ["a JSON string", '"hello"', 400],
    ["null", "null", 400],
    ["a number", "42", 400],
    ["an empty object", "{}", 400],
    ["no method", '{"jsonrpc":"2.0","id":1}', 400],
    ["wrong version", '{"jsonrpc":"1.0","id":1,"method":"initialize"}', 400],
    ["an object id", '{"jsonrpc":"2.0","id":{"x":1},"method":"tools/list"}', 400],
    ["arrays nested 100,000 deep", `${"[".repeat(100_000)}${"]".repeat(100_000)}`, 400],
    ["objects nested 50,000 deep", `${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}`, 400],
    ["a __proto__ payload", '{"__proto__":{"polluted":1},"jsonrpc":"2.0","id":1,"method":"tools/list"}', 400],
  ];
  for (const [name, body, status] of bodies) {
    it(`${name} → ${status} with a JSON-RPC error`, async () => {
      const r = await post(body);
      expect(r.status).toBe(status);
      expect(r.json).toMatchObject({
        jsonrpc: "2.0",
        error: { code: expect.any(Number), message: expect.any(String) },
      });
    });
  }

  it("within a session, malformed requests get JSON-RPC errors and the session keeps working", async () => {
    const id = await session();
    const h = { "mcp-session-id": id, "mcp-protocol-version": "2025-06-18" };
    await post('{"jsonrpc":"2.0","method":"notifications/initialized"}', h);
    for (const body of [
      '{"jsonrpc":"2.0","id":2,"method":"no/such/method"}',
      '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":42}}',
      '{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"html_to_md","arguments":"not an object"}}',
    ]) {
      const r = await post(body, h);
      expect(r.status).toBeLessThan(500);
      expect(JSON.stringify(r.json)).toMatch(/"error"|"isError":true/);
    }
    const ok = await post(
      '{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"html_to_md","arguments":{"html":"<b>x</b>"}}}',
      h,
    );
    expect(ok.status).toBe(200);
    expect(JSON.stringify(ok.json)).toContain("**x**");
  });

  it("invalid UTF-8 in a string is read as replacement characters and converted", async () => {
    const id = await session();
    const h = { "mcp-session-id": id, "mcp-protocol-version": "2025-06-18" };
    const body = Buffer.concat([
      Buffer.from(
        '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"html_to_md","arguments":{"html":"<p>a',
      ),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
      Buffer.from('b</p>"}}}'),
    ]);
    const r = await post(body, h);
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.json)).toContain("a\ufffd\ufffd\ufffd(");
  });
});

describe("batches", () => {
  it("refuses empty and oversized batches, and a batch of initializes opens one session", async () => {
    expect((await post("[]")).status).toBe(400);
    const many = JSON.stringify(
      Array.from({ length: 33 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "tools/list" })),
    );
    const r = await post(many);
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.json)).toMatch(/batch must hold 1 to 32/);
    const before = ((await (await fetch(`${server.base}/healthz`)).json()) as { sessions: number }).sessions;
    const inits = JSON.stringify(Array.from({ length: 32 }, (_, i) => ({ ...INIT, id: i + 1 })));
    const r2 = await post(inits);
    expect(r2.status).toBeLessThan(500);
    const after = ((await (await fetch(`${server.base}/healthz`)).json()) as { sessions: number }).sessions;
    expect(after - before).toBeLessThanOrEqual(1);
  });
});

describe("bodies", () => {
  it("a declared body over the cap is refused before it is read (413, connection closed)", async () => {
    const { reply } = await raw(
      `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n{`,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 413/);
  });

  it("a chunked body that grows past the cap is cut off with 413", async () => {
    const chunk = "x".repeat(64 * 1024);
    const body = `${chunk.length.toString(16)}\r\n${chunk}\r\n`.repeat(20);
    const { reply } = await raw(
      `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${body}`,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 413/);
  });

  it("wrong or missing content types get 415", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]) {
      const r = await fetch(server.url, {
        method: "POST",
        headers: { ...HEADERS, "content-type": type },
        body: JSON.stringify(INIT),
      });
      expect(r.status).toBe(415);
    }
  });

  it("other methods get 405, and an OPTIONS preflight gets no CORS headers unless configured", async () => {
    expect((await fetch(server.url, { method: "PUT", headers: HEADERS, body: "{}" })).status).toBe(405);
    const pre = await fetch(server.url, {
      method: "OPTIONS",
      headers: { origin: "http://evil.example", "access-control-request-method": "POST" },
    });
    expect(pre.status).toBe(403);
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("slow clients (slowloris)", () => {
  it("a client that never finishes its headers is disconnected after the headers timeout", async () => {
    const { reply } = await raw(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`, {
      every: 200,
      chunk: "X-Slow: 1\r\n",
    });
    expect(reply === "" || /^HTTP\/1\.1 408/.test(reply)).toBe(true);
  });

  it("a client that trickles its body is disconnected after the request timeout (408)", async () => {
    const { reply } = await raw(
      `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`,
      { every: 200, chunk: " " },
    );
    expect(reply === "" || /^HTTP\/1\.1 408/.test(reply)).toBe(true);
  });

  it("fifty slow clients at once do not stop a normal one", async () => {
    const slow = Array.from({ length: 50 }, (_, i) =>
      raw(
        `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 900000\r\n\r\n`,
        { every: 300, chunk: i % 2 ? " " : "" },
      ),
    );
    await normalCallWorks();
    // And every one of them is disconnected in the end.
    expect(await Promise.all(slow)).toHaveLength(50);
  });
});

describe("sessions", () => {
  it("unknown session ids get 404 (POST, GET, DELETE); a missing one on GET/DELETE gets 400", async () => {
    const h = { "mcp-session-id": "00000000-0000-0000-0000-000000000000" };
    expect((await post('{"jsonrpc":"2.0","id":2,"method":"tools/list"}', h)).status).toBe(404);
    expect((await fetch(server.url, { method: "GET", headers: { accept: "text/event-stream", ...h } })).status).toBe(
      404,
    );
    expect((await fetch(server.url, { method: "DELETE", headers: h })).status).toBe(404);
    expect((await fetch(server.url, { method: "GET", headers: { accept: "text/event-stream" } })).status).toBe(400);
    expect((await fetch(server.url, { method: "DELETE" })).status).toBe(400);
  });

  it("a thousand idle sessions stay bounded (oldest evicted) and expire", async () => {
    const ids: string[] = [];
    let most = 0;
    for (let i = 0; i < 1000; i += 50) {
      ids.push(...(await Promise.all(Array.from({ length: 50 }, () => session()))));
      most = Math.max(most, ((await (await fetch(`${server.base}/healthz`)).json()) as { sessions: number }).sessions);
    }
    expect(new Set(ids).size).toBe(1000);
    expect(most).toBeLessThanOrEqual(50);
    // The first sessions were evicted to make room.
    expect(
      (
        await post('{"jsonrpc":"2.0","id":2,"method":"tools/list"}', {
          "mcp-session-id": ids[0]!,
          "mcp-protocol-version": "2025-06-18",
        })
      ).status,
    ).toBe(404);
    await until(
      async () => ((await (await fetch(`${server.base}/healthz`)).json()) as { sessions: number }).sessions === 0,
      15_000,
      "idle sessions to expire",
    );
    await normalCallWorks();
  });
});
