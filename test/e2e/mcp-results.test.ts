/**
 * The MCP surface as a client meets it over the spawned binary, on stdio and Streamable HTTP:
 * results chained through their text alone, toolsets and read-only mode, log notifications,
 * serverInfo, and the 401 challenge of a server with a static bearer token.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { LoggingMessageNotificationSchema, type LoggingMessageNotification } from "@modelcontextprotocol/sdk/types.js";
import { CLI, ROOT, assertBuilt, runBin, startHttp, type SpawnedServer } from "../helpers/spawn.js";
import { expectTextChainOutcome, runTextChain } from "../helpers/text-chain.js";

const TOKEN = "e2e-static-token-0123456789";
const INIT = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
};
const MCP_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };

async function stdioClient(env: Record<string, string> = {}): Promise<Client> {
  assertBuilt();
  const client = new Client({ name: "e2e-stdio", version: "1" });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [CLI, "serve", "--stdio"],
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", ...env },
      stderr: "ignore",
    }),
  );
  return client;
}

async function httpClient(url: string, token?: string): Promise<Client> {
  const client = new Client({ name: "e2e-http", version: "1" });
  await client.connect(
    new StreamableHTTPClientTransport(
      new URL(url),
      token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : undefined,
    ),
  );
  return client;
}

const names = async (client: Client) => (await client.listTools()).tools.map((t) => t.name);

/** Resolves with the first log notification the client receives. */
function firstLogMessage(client: Client): Promise<LoggingMessageNotification["params"]> {
  return new Promise((resolve) =>
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => resolve(n.params)),
  );
}
const UNKNOWN_MACRO =
  '<ac:structured-macro ac:name="mystery-widget"><ac:rich-text-body><p>x</p></ac:rich-text-body></ac:structured-macro>';

describe("stdio (spawned binary)", () => {
  it("chains rule_extract → spec_generate → gate_score through text content alone", async () => {
    const client = await stdioClient();
    try {
      expectTextChainOutcome(await runTextChain(client));
    } finally {
      await client.close();
    }
  });

  it("serves the configured toolsets, read-only, and sends warnings once a log level is set", async () => {
    const client = await stdioClient({ SPECGATE_TOOLSETS: "confluence,generate,cache", SPECGATE_READ_ONLY: "true" });
    try {
      expect(await names(client)).toEqual(["confluence_fetch", "html_to_md", "spec_generate", "cache_stats"]);
      expect(client.getServerCapabilities()?.logging).toEqual({});
      await client.setLoggingLevel("warning");
      const message = firstLogMessage(client);
      await client.callTool({ name: "html_to_md", arguments: { html: UNKNOWN_MACRO } });
      expect(await message).toMatchObject({
        level: "warning",
        logger: "specgate/html_to_md",
        data: { code: "unknown_macro" },
      });
    } finally {
      await client.close();
    }
  });

  it("refuses to start on an unknown toolset, naming it and the known ones", async () => {
    const r = await runBin(["serve", "--stdio"], { env: { SPECGATE_TOOLSETS: "rules,linting" } });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('SPECGATE_TOOLSETS: unknown toolset "linting"; known: confluence, lint, rules');
  });
});

describe("Streamable HTTP (spawned binary, static bearer token)", () => {
  let server: SpawnedServer;
  let readOnly: SpawnedServer;
  beforeAll(async () => {
    [server, readOnly] = await Promise.all([
      startHttp({ SPECGATE_HTTP_TOKEN: TOKEN }),
      startHttp({ SPECGATE_TOOLSETS: "rules,generate,gate", SPECGATE_READ_ONLY: "yes" }),
    ]);
  });
  afterAll(async () => {
    expect(await Promise.all([server.stop(), readOnly.stop()])).toEqual([0, 0]);
  });

  it("answers 401 with a Bearer challenge for a static token, without and with a wrong token", async () => {
    const missing = await fetch(server.url, { method: "POST", headers: MCP_HEADERS, body: JSON.stringify(INIT) });
    expect(missing.status).toBe(401);
    const challenge = missing.headers.get("www-authenticate")!;
    expect(challenge).toMatch(/^Bearer realm="specgate", error_description="A static bearer token is expected/);
    expect(challenge).not.toMatch(/error=|resource_metadata/);
    expect(await missing.json()).toMatchObject({ error: { code: -32001 } });

    const wrong = await fetch(server.url, {
      method: "POST",
      headers: { ...MCP_HEADERS, authorization: "Bearer not-the-token-at-all" },
      body: JSON.stringify(INIT),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toBe(
      'Bearer realm="specgate", error="invalid_token", error_description="The bearer token is not the static token this server was started with (SPECGATE_HTTP_TOKEN)"',
    );
    // No OAuth metadata is advertised, so no client goes looking for an authorization server.
    const metadata = await fetch(`${server.base}/.well-known/oauth-protected-resource`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(metadata.status).toBe(404);

    const right = await fetch(server.url, {
      method: "POST",
      headers: { ...MCP_HEADERS, authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(INIT),
    });
    expect(right.status).toBe(200);
    await right.body?.cancel();
  });

  it("chains through text content alone, and says who it is", async () => {
    const client = await httpClient(server.url, TOKEN);
    try {
      expect(client.getServerVersion()).toMatchObject({
        name: "specgate",
        title: "SpecGate",
        websiteUrl: "https://github.com/specgate/specgate",
        icons: [expect.objectContaining({ mimeType: "image/svg+xml" })],
      });
      expectTextChainOutcome(await runTextChain(client));
    } finally {
      await client.close();
    }
  });

  it("lists only the configured toolsets' read-only tools, and sends log messages on the session", async () => {
    const client = await httpClient(readOnly.url);
    try {
      expect(await names(client)).toEqual(["rule_extract", "spec_generate", "rule_diff", "gate_score"]);
      await client.setLoggingLevel("notice");
      const message = firstLogMessage(client);
      await client.callTool({
        name: "spec_generate",
        arguments: {
          rules: [{ rule_id: "RULE-API-001", priority: "MUST", title: "APIs log requests" }],
          targets: ["semgrep"],
        },
      });
      expect(await message).toMatchObject({
        level: "notice",
        logger: "specgate/spec_generate",
        data: { target: "semgrep", rule_id: "RULE-API-001" },
      });
    } finally {
      await client.close();
    }
  });
});
