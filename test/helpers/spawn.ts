/** Spawns the built `specgate` binary (dist/cli.js) for end-to-end tests. `npm test` builds first. */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { patient } from "./patience.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const CLI = path.join(ROOT, "dist/cli.js");

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error("dist/cli.js is missing: run `npm run build` (npm test does it for you).");
}

export interface SpawnedServer {
  child: ChildProcessWithoutNullStreams;
  url: string;
  base: string;
  stderr: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `specgate serve --http` on a free port and resolves once it listens. */
export async function startHttp(env: Record<string, string> = {}, args: string[] = []): Promise<SpawnedServer> {
  assertBuilt();
  const child = spawn(process.execPath, [CLI, "serve", "--http", ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", SPECGATE_HTTP_PORT: "0", LOG_LEVEL: "info", ...env },
  });
  let err = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (d: string) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${err}`)), patient(15_000));
    const onData = () => {
      const m = /SpecGate (http:\/\/\S+\/mcp)/.exec(err);
      if (m) {
        clearTimeout(timer);
        child.stderr.off("data", onData);
        resolve(m[1]!);
      }
    };
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${err}`));
    });
  });
  return {
    child,
    url,
    base: url.replace(/\/mcp$/, ""),
    stderr: () => err,
    stop: (signal = "SIGTERM") => stopChild(child, signal),
  };
}

export function stopChild(
  child: ChildProcessWithoutNullStreams,
  signal: NodeJS.Signals = "SIGTERM",
): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), patient(15_000));
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill(signal);
  });
}

/** Runs the CLI to completion. */
export function runBin(
  args: string[],
  options: { input?: string; env?: Record<string, string>; cwd?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  assertBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", ...options.env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}
