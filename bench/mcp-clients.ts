/**
 * MCP clients for the benchmarks, all with the real SDK `Client`:
 *   - in memory: a linked transport pair against `createServer` on a runtime in this process;
 *   - stdio: `node dist/cli.js serve --stdio` spawned by the SDK's StdioClientTransport;
 *   - Streamable HTTP: `node dist/cli.js serve --http` on a free port, StreamableHTTPClientTransport.
 * The spawned servers run the compiled code: `npm run build` first.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport, getDefaultEnvironment } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { Runtime } from "../src/runtime.js";
import { createServer } from "../src/server.js";
import { ROOT } from "./lib.js";

export interface BenchClient {
  readonly name: string;
  /** Calls a tool; returns its structuredContent, throws on an error result. */
  call<T = Record<string, unknown>>(tool: string, args: Record<string, unknown>): Promise<T>;
  /** The server's RSS as its memory guard sees it (HTTP: from /healthz). */
  serverRssMb?(): Promise<number>;
  close(): Promise<void>;
}

const CLI = path.join(ROOT, "dist", "cli.js");
/** BENCH_SERVER_STDERR=1 shows the spawned servers' logs (warnings and errors) on this stderr. */
const SHOW_STDERR = process.env.BENCH_SERVER_STDERR === "1";
/** Longer than the SDK's 60 s default: a 10 MB call on a loaded machine can be slow. */
const REQUEST_TIMEOUT_MS = 180_000;

function wrap(name: string, client: Client, close: () => Promise<void>): BenchClient {
  return {
    name,
    async call<T>(tool: string, args: Record<string, unknown>): Promise<T> {
      const r = await client.callTool({ name: tool, arguments: args }, undefined, { timeout: REQUEST_TIMEOUT_MS });
      if (r.isError) throw new Error(`${tool} over ${name}: ${JSON.stringify(r.content).slice(0, 400)}`);
      return r.structuredContent as T;
    },
    close,
  };
}

/** The SDK client linked in memory to a SpecGate server on `runtime` (closing it leaves the runtime open). */
export async function inMemoryClient(runtime: Runtime): Promise<BenchClient> {
  const specgate = createServer({ runtime });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "bench", version: "1.0.0" });
  await Promise.all([specgate.server.connect(serverTransport), client.connect(clientTransport)]);
  return wrap("in-memory MCP", client, async () => {
    await client.close();
    await specgate.server.close();
  });
}

/** `specgate serve --stdio` in a child process, spoken to by the SDK's stdio client transport. */
export async function stdioClient(env: Record<string, string> = {}): Promise<BenchClient> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, "serve", "--stdio"],
    env: { ...getDefaultEnvironment(), LOG_LEVEL: "warn", ...env },
    cwd: ROOT,
    stderr: SHOW_STDERR ? "inherit" : "ignore",
    // Answers about a 10 MB document (rule_extract's rules) can be over the SDK's 10 MiB default.
    maxBufferSize: 256 * 1024 * 1024,
  });
  const client = new Client({ name: "bench", version: "1.0.0" });
  await client.connect(transport);
  return wrap("stdio", client, () => client.close());
}

/** `specgate serve --http` on a free port, one SDK client session over Streamable HTTP. */
export async function httpClient(env: Record<string, string> = {}): Promise<BenchClient> {
  const child = spawn(process.execPath, [CLI, "serve", "--http"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", ...env, SPECGATE_HTTP_PORT: "0" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      if (SHOW_STDERR) process.stderr.write(d);
      if (err.length < 64 * 1024) err += d;
      const m = /SpecGate (http:\S+\/mcp)/.exec(err);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`specgate serve --http exited ${code}: ${err}`)));
  });
  const client = new Client({ name: "bench", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  const wrapped = wrap("Streamable HTTP", client, async () => {
    await client.close();
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  });
  return {
    ...wrapped,
    async serverRssMb() {
      const health = (await (await fetch(url.replace(/\/mcp$/, "/healthz"))).json()) as { memory: { rss_mb: number } };
      return health.memory.rss_mb;
    },
  };
}
