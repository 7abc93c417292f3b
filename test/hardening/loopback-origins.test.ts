/**
 * Browser clients on this machine (the MCP Inspector's UI on http://localhost:6274, a dev server)
 * may call a loopback-bound SpecGate from any loopback port: their Origin passes the DNS-rebinding
 * check and they get CORS. A page from any other origin — including names built to look local —
 * still gets 403 and no CORS header, and a server bound beyond loopback trusts no loopback origin
 * it was not told about.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { createRuntime } from "../../src/runtime.js";
import { createServer } from "../../src/server.js";
import { createCors } from "../../src/transports/cors.js";
import { createAccess } from "../../src/transports/http-access.js";
import { startHttpServer, type HttpHandle } from "../../src/transports/http.js";
import { isLoopbackOrigin } from "../../src/transports/loopback.js";

const INIT = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "browser", version: "1" } },
};
const MCP_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };
/** What a browser MCP client's preflight asks for. */
const REQUESTED_HEADERS = "authorization, content-type, mcp-session-id, mcp-protocol-version, last-event-id";

const LOOPBACK_ORIGINS = ["http://localhost:6274", "http://127.0.0.1:5173", "http://[::1]:8080", "https://localhost"];
const FOREIGN_ORIGINS = [
  "http://evil.example",
  "http://localhost.evil.example:6274",
  "http://127.0.0.1.evil.example",
  "http://127.0.0.1:6274.evil.example",
  "null",
  "file://",
];

async function start(env: Record<string, string> = {}): Promise<HttpHandle> {
  const config = loadConfig({ SPECGATE_HTTP_PORT: "0", ...env });
  return startHttpServer(
    createServer({ runtime: createRuntime({ config, logger: createLogger({ level: "silent" }) }) }),
  );
}

function preflight(url: string, origin: string): Promise<Response> {
  return fetch(url, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": REQUESTED_HEADERS },
  });
}

function initialize(url: string, origin: string, extra: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: "POST", headers: { ...MCP_HEADERS, origin, ...extra }, body: JSON.stringify(INIT) });
}

const headerList = (r: Response, name: string) =>
  (r.headers.get(name) ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);

describe("a loopback-bound server and browser origins (no configuration)", () => {
  let server: HttpHandle;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(() => server.close());

  it("answers a loopback origin's preflight with the headers an MCP browser client needs", async () => {
    for (const origin of LOOPBACK_ORIGINS) {
      const r = await preflight(server.url, origin);
      expect(r.status, origin).toBe(204);
      expect(r.headers.get("access-control-allow-origin")).toBe(origin);
      expect(headerList(r, "access-control-allow-headers")).toEqual(
        expect.arrayContaining([
          "mcp-session-id",
          "mcp-protocol-version",
          "authorization",
          "content-type",
          "last-event-id",
        ]),
      );
      expect(headerList(r, "access-control-allow-methods")).toEqual(expect.arrayContaining(["get", "post", "delete"]));
      expect(r.headers.get("vary")).toMatch(/origin/i);
    }
  });

  it("lets a loopback origin initialize and exposes the session id and auth challenge to it", async () => {
    for (const origin of LOOPBACK_ORIGINS) {
      const r = await initialize(server.url, origin);
      expect(r.status, origin).toBe(200);
      expect(r.headers.get("access-control-allow-origin")).toBe(origin);
      expect(r.headers.get("vary")).toMatch(/origin/i);
      expect(r.headers.get("mcp-session-id")).toMatch(/^[\w-]{16,}$/);
      expect(headerList(r, "access-control-expose-headers")).toEqual(
        expect.arrayContaining(["mcp-session-id", "www-authenticate"]),
      );
      await r.body?.cancel();
    }
    // A client that is no browser sends no Origin: its answer depends on none, and says so.
    const plain = await fetch(server.url, { method: "POST", headers: MCP_HEADERS, body: JSON.stringify(INIT) });
    expect(plain.status).toBe(200);
    expect(plain.headers.get("access-control-allow-origin")).toBeNull();
    expect(plain.headers.get("vary")).toBeNull();
    await plain.body?.cancel();
  });

  it("runs a whole MCP session for a page on http://localhost:6274 (the Inspector's default port)", async () => {
    const origin = "http://localhost:6274";
    const client = new Client({ name: "browser-like", version: "1" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { origin } } }),
    );
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain("html_to_md");
    const result = await client.callTool({ name: "html_to_md", arguments: { html: "<h2>From the browser</h2>" } });
    expect((result.structuredContent as { markdown: string }).markdown).toBe("## From the browser\n");
    await client.close();
  });

  it("refuses every other origin: 403, and no CORS header a browser could use", async () => {
    for (const origin of FOREIGN_ORIGINS) {
      const pre = await preflight(server.url, origin);
      expect(pre.status, origin).toBe(403);
      expect(pre.headers.get("access-control-allow-origin")).toBeNull();
      const post = await initialize(server.url, origin);
      expect(post.status, origin).toBe(403);
      expect(post.headers.get("access-control-allow-origin")).toBeNull();
      expect(post.headers.get("mcp-session-id")).toBeNull();
      expect(await post.text()).toMatch(/Origin .* is not allowed/);
    }
  });
});

describe("a loopback-bound server with a token and SPECGATE_HTTP_ALLOWED_ORIGINS", () => {
  const TOKEN = "loopback-origin-token-0123456789";
  let server: HttpHandle;
  beforeAll(async () => {
    server = await start({ SPECGATE_HTTP_TOKEN: TOKEN, SPECGATE_HTTP_ALLOWED_ORIGINS: "https://tools.example.com" });
  });
  afterAll(() => server.close());

  it("allows the listed origin as well as loopback origins, and still asks both for the token", async () => {
    for (const origin of ["https://tools.example.com", "http://localhost:6274"]) {
      const noToken = await initialize(server.url, origin);
      expect(noToken.status, origin).toBe(401);
      const ok = await initialize(server.url, origin, { authorization: `Bearer ${TOKEN}` });
      expect(ok.status, origin).toBe(200);
      await ok.body?.cancel();
    }
    // A loopback page can read the 401's challenge; the listed origin gets no CORS unless it is
    // also in SPECGATE_HTTP_CORS_ORIGINS.
    const loopback = await initialize(server.url, "http://localhost:6274");
    expect(loopback.headers.get("access-control-allow-origin")).toBe("http://localhost:6274");
    expect(headerList(loopback, "access-control-expose-headers")).toContain("www-authenticate");
    expect(
      (await initialize(server.url, "https://tools.example.com")).headers.get("access-control-allow-origin"),
    ).toBeNull();
  });

  it("still refuses unlisted foreign origins with a valid token", async () => {
    const r = await initialize(server.url, "http://evil.example", { authorization: `Bearer ${TOKEN}` });
    expect(r.status).toBe(403);
    expect(r.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("a server bound beyond loopback", () => {
  // Checked on the access rules themselves: tests bind loopback only.
  const config = loadConfig({
    SPECGATE_HTTP_HOST: "0.0.0.0",
    SPECGATE_HTTP_PORT: "3000",
    SPECGATE_HTTP_TOKEN: "x".repeat(32),
  });
  const cors = createCors(config.http.corsOrigins, false);
  const access = createAccess(config.http, () => 3000, cors);

  it("allows loopback origins of other ports neither through the Origin check nor through CORS", () => {
    for (const origin of ["http://localhost:6274", "http://127.0.0.1:5173"]) {
      expect(access.originAllowed(origin), origin).toBe(false);
      expect(cors.allows(origin), origin).toBe(false);
    }
  });
});

describe("isLoopbackOrigin", () => {
  it("accepts bare loopback origins on any port and nothing else", () => {
    for (const origin of [...LOOPBACK_ORIGINS, "http://127.1.2.3:9", "HTTP://LOCALHOST:1"])
      expect(isLoopbackOrigin(origin), origin).toBe(true);
    for (const origin of [
      ...FOREIGN_ORIGINS,
      "http://localhost:6274/",
      "http://user@localhost:6274",
      "ftp://localhost",
      "chrome-extension://abc",
      "",
      "localhost:6274",
    ])
      expect(isLoopbackOrigin(origin), origin).toBe(false);
  });
});
