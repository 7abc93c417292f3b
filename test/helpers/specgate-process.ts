/**
 * SpecGate as a separate process: `node dist/cli.js serve --http` on a free loopback port, with
 * the environment the test gives it (e.g. REDIS_URL). dist/ is rebuilt first when any file under
 * src/ is newer than dist/cli.js, so a spawned server never runs stale code.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { freePort } from "./redis-server.js";
import { patient } from "./patience.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CLI = path.join(ROOT, "dist", "cli.js");

let built: Promise<void> | undefined;

/** Builds dist/ if it is missing or older than src/ (once per test file). */
export function ensureBuilt(): Promise<void> {
  built ??= (async () => {
    const cli = await stat(CLI).catch(() => undefined);
    const newest = await newestMtime(path.join(ROOT, "src"));
    if (cli && cli.mtimeMs >= newest) return;
    await promisify(execFile)(
      process.execPath,
      [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
      { cwd: ROOT },
    );
  })();
  return built;
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? await newestMtime(full) : (await stat(full)).mtimeMs);
  }
  return newest;
}

export interface SpecGateProcess {
  readonly url: string;
  readonly client: Client;
  readonly stderr: () => string;
  call(
    name: string,
    args: Record<string, unknown>,
    timeoutMs?: number,
  ): Promise<{ isError?: boolean; structuredContent?: unknown; content?: unknown }>;
  healthz(): Promise<{ status: string; cache: { l2: string } }>;
  stop(): Promise<void>;
}

/** `options.token`: the bearer token the client sends (when the server has SPECGATE_HTTP_TOKEN). */
export async function spawnSpecGate(
  env: Record<string, string>,
  options: { token?: string } = {},
): Promise<SpecGateProcess> {
  await ensureBuilt();
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [CLI, "serve", "--http", "--port", String(port)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", SPECGATE_HTTP_HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += String(d)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + patient(15_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`specgate exited with ${child.exitCode}: ${stderr}`);
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`specgate did not start on ${port}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const client = new Client({ name: "specgate-e2e", version: "1.0.0" });
  const requestInit = options.token ? { headers: { authorization: `Bearer ${options.token}` } } : undefined;
  await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`), requestInit ? { requestInit } : {}));
  return {
    url: `${base}/mcp`,
    client,
    stderr: () => stderr,
    call: async (name, args, timeoutMs = 30_000) =>
      (await client.callTool({ name, arguments: args }, undefined, { timeout: timeoutMs })) as {
        isError?: boolean;
        structuredContent?: unknown;
      },
    healthz: async () => (await (await fetch(`${base}/healthz`)).json()) as { status: string; cache: { l2: string } },
    stop: async () => {
      await client.close().catch(() => undefined);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), patient(10_000));
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
