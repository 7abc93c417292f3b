import { describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { createRuntime } from "../../src/runtime.js";
import { createServer } from "../../src/server.js";
import { startHttpServer } from "../../src/transports/http.js";
import { slowTool } from "../helpers/tools.js";

async function start(env: Record<string, string>, onStart?: () => void) {
  const config = loadConfig({ SPECGATE_HTTP_PORT: "0", ...env });
  const runtime = createRuntime({ config, logger: createLogger({ level: "silent" }) });
  const specgate = createServer({ runtime, tools: [slowTool(onStart ? { onStart } : {})] });
  const http = await startHttpServer(specgate);
  const client = new Client({ name: "shutdown", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
  return { http, client, runtime };
}

describe("graceful shutdown", () => {
  it("lets in-flight calls finish within the bound and refuses new connections", async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const { http, client } = await start({ SPECGATE_SHUTDOWN_TIMEOUT_MS: "5000" }, () => started());
    const inflight = client.callTool({
      name: "slow_echo",
      arguments: { ms: 300, text: "finished" },
    }) as Promise<CallToolResult>;
    // The call is really in flight (not still travelling to the server) when shutdown starts.
    await running;
    const closing = http.close();
    const result = await inflight;
    expect(result.structuredContent).toEqual({ text: "finished" });
    await closing;
    await expect(fetch(http.url.replace("/mcp", "/healthz"))).rejects.toThrow();
  });

  it("aborts calls still running after the bound with a clean retryable error", async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const { http, client, runtime } = await start({ SPECGATE_SHUTDOWN_TIMEOUT_MS: "100" }, () => started());
    const inflight = client.callTool({ name: "slow_echo", arguments: { ms: 10_000 } }).then(
      (r) => r as CallToolResult,
      (e: unknown) => e,
    );
    // Shutdown starts once the call is really running, not after a guess at how long that takes.
    await running;
    await runtime.pipeline.drain(100);
    const outcome = await inflight;
    expect((outcome as CallToolResult).isError).toBe(true);
    expect((outcome as CallToolResult).content[0]).toMatchObject({
      text: expect.stringMatching(/^E_CANCELLED: The server shut down/),
    });
    await http.close();
  });
});
