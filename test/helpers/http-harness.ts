/**
 * A SpecGate HTTP server in this process, built the way `specgate serve --http` builds it
 * (bootstrap → createServer → startHttpServer, with Redis when the env says so), plus a real SDK
 * Client over Streamable HTTP and helpers for /healthz and /metrics.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { bootstrap } from "../../src/bootstrap.js";
import { loadConfig } from "../../src/config.js";
import { createLogger, type Logger } from "../../src/logger.js";
import type { Runtime } from "../../src/runtime.js";
import { createServer } from "../../src/server.js";
import { startHttpServer, type HttpHandle } from "../../src/transports/http.js";

export interface HttpHarness {
  runtime: Runtime;
  handle: HttpHandle;
  client: Client;
  healthz(): Promise<{ status: string; cache: { l1: string; l2: string } }>;
  /** The value of one metric line (first match of `name{labels…}`), or undefined. */
  metric(name: string, labels?: Record<string, string>): Promise<number | undefined>;
  /** Calls a tool; resolves with the result (isError included), rejects on transport errors or the timeout. */
  call(
    name: string,
    args: Record<string, unknown>,
    timeoutMs?: number,
  ): Promise<{ isError?: boolean; structuredContent?: unknown; content?: unknown }>;
  close(): Promise<void>;
}

export async function startHttpHarness(env: Record<string, string>, logger?: Logger): Promise<HttpHarness> {
  const config = loadConfig({ LOG_LEVEL: "silent", SPECGATE_HTTP_PORT: "0", ...env });
  const runtime = await bootstrap(config, { logger: logger ?? createLogger({ level: "silent" }) });
  const specgate = createServer({ runtime });
  const handle = await startHttpServer(specgate);
  const client = new Client({ name: "specgate-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(handle.url)));
  const base = handle.url.replace(/\/mcp$/, "");
  return {
    runtime,
    handle,
    client,
    healthz: async () =>
      (await (await fetch(`${base}/healthz`)).json()) as { status: string; cache: { l1: string; l2: string } },
    metric: async (name, labels = {}) => {
      const text = await (await fetch(`${base}/metrics`)).text();
      for (const line of text.split("\n")) {
        if (!line.startsWith(name)) continue;
        const rest = line.slice(name.length);
        if (rest[0] !== " " && rest[0] !== "{") continue;
        if (Object.entries(labels).every(([k, v]) => rest.includes(`${k}="${v}"`)))
          return Number(line.split(" ").pop());
      }
      return undefined;
    },
    call: async (name, args, timeoutMs = 30_000) =>
      (await client.callTool({ name, arguments: args }, undefined, { timeout: timeoutMs })) as {
        isError?: boolean;
        structuredContent?: unknown;
      },
    close: async () => {
      await client.close().catch(() => undefined);
      await handle.close();
    },
  };
}
