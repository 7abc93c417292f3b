/**
 * `specgate serve --stdio` spoken to byte by byte: whatever the test writes goes to stdin as is
 * (malformed lines, invalid UTF-8, a 29 MB line), and every line the server writes to stdout is
 * kept, parsed, in order. Waits are on events (a line arriving, the process exiting).
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { CLI, ROOT, assertBuilt, stopChild } from "./spawn.js";

export interface StdioMessage {
  jsonrpc?: string;
  id?: unknown;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
}

export interface RawStdio {
  readonly child: ChildProcessWithoutNullStreams;
  /** Every line written to stdout so far, parsed (a line that is not JSON is kept as a string). */
  readonly lines: (StdioMessage | string)[];
  stderr(): string;
  /** Writes bytes to stdin, ending with a newline unless `newline` is false. */
  write(data: string | Buffer, newline?: boolean): Promise<void>;
  /** Writes one JSON-RPC request. */
  request(id: number | string, method: string, params?: unknown): Promise<void>;
  /** Resolves with the first line (from `from` on) for which `match` holds; rejects if the process exits first. */
  next(match: (m: StdioMessage) => boolean, from?: number): Promise<StdioMessage>;
  /** `initialize` + `notifications/initialized`. */
  initialize(): Promise<void>;
  stop(): Promise<number | null>;
}

export function spawnRawStdio(env: Record<string, string> = {}): RawStdio {
  assertBuilt();
  const child = spawn(process.execPath, [CLI, "serve", "--stdio"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", ...env },
  });
  const lines: (StdioMessage | string)[] = [];
  let err = "";
  let buf = "";
  const waiters = new Set<() => void>();
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    buf += d;
    for (let nl = buf.indexOf("\n"); nl !== -1; nl = buf.indexOf("\n")) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      try {
        lines.push(JSON.parse(line) as StdioMessage);
      } catch {
        lines.push(line);
      }
    }
    for (const w of [...waiters]) w();
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
  child.stdin.on("error", () => undefined);
  const write = (data: string | Buffer, newline = true) =>
    new Promise<void>((resolve, reject) => {
      const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data);
      child.stdin.write(newline ? Buffer.concat([bytes, Buffer.from("\n")]) : bytes, (e) =>
        e ? reject(e) : resolve(),
      );
    });
  const next = (match: (m: StdioMessage) => boolean, from = 0) =>
    new Promise<StdioMessage>((resolve, reject) => {
      const check = () => {
        for (let i = from; i < lines.length; i++) {
          const m = lines[i]!;
          if (typeof m !== "string" && match(m)) {
            done();
            resolve(m);
            return;
          }
        }
      };
      const exited = (code: number | null) => {
        done();
        reject(
          new Error(
            `specgate exited (${code}) before the expected line; stdout lines: ${lines.length}; stderr:\n${err.slice(-2000)}`,
          ),
        );
      };
      const done = () => {
        waiters.delete(check);
        child.off("exit", exited);
      };
      waiters.add(check);
      child.once("exit", exited);
      check();
    });
  const request = (id: number | string, method: string, params?: unknown) =>
    write(JSON.stringify({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) }));
  return {
    child,
    lines,
    stderr: () => err,
    write,
    request,
    next,
    initialize: async () => {
      await request("init", "initialize", {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "raw", version: "1" },
      });
      await next((m) => m.id === "init");
      await write(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
    },
    stop: async () => {
      child.stdin.end();
      return stopChild(child);
    },
  };
}
