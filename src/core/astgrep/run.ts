/**
 * Runs the ast-grep binary as a child process, bounded like every piece of work SpecGate does:
 *
 * - the call's signal (deadline, cancellation, shutdown) kills the child's whole process group
 *   with SIGKILL at once, and the promise rejects with E_TIMEOUT / E_CANCELLED;
 * - stdout is read as a stream of JSON lines (`--json=stream`) and handed over line by line, so
 *   a scan with many matches never sits in memory as one string; a single line over
 *   `maxLineBytes` is E_TOO_LARGE;
 * - stderr keeps its last 16 KB for the error message.
 *
 * A separate process, not an in-process binding: a scan runs on every core, cannot block the
 * event loop, and a pathological input costs at most the deadline (docs/rule-check.md).
 */
import { spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { SpecGateError, throwIfAborted, toSpecGateError } from "../../errors.js";
import { findAstGrep } from "./binary.js";

export interface RunOptions {
  cwd: string;
  signal?: AbortSignal | undefined;
  /** Called with each parsed line of stdout (with `--json=stream`). Without it, stdout is ignored. */
  onJson?: (value: unknown) => void;
  /** Longest stdout line accepted (default 32 MB). */
  maxLineBytes?: number;
  /** Piped to ast-grep's standard input (with `--stdin`); default: none. */
  input?: Readable;
  /** Called with the child's process id once it started. */
  onSpawn?: (pid: number) => void;
  /** Called with each line of stderr that starts with `sg: ` (`--inspect` output); such lines are not kept for the error message. */
  onInspect?: (line: string) => void;
}

export interface RunResult {
  /** ast-grep's exit code: 0, or 1 when it found error-level matches; others are failures. */
  code: number;
  stderr: string;
}

const STDERR_KEEP = 16 * 1024;

/** Runs `ast-grep <args>`; rejects on abort, on a missing binary, and on oversized output. */
export async function runAstGrep(args: readonly string[], options: RunOptions): Promise<RunResult> {
  throwIfAborted(options.signal);
  const binary = await findAstGrep();
  throwIfAborted(options.signal);
  const maxLine = options.maxLineBytes ?? 32 * 1024 * 1024;
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn(binary.command, [...binary.prefix, ...args], {
      cwd: options.cwd,
      stdio: [options.input ? "pipe" : "ignore", options.onJson ? "pipe" : "ignore", "pipe"],
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", HOME: process.env.HOME ?? "" },
      // Its own process group, so a kill reaches the shim's child too (when the shim runs).
      detached: process.platform !== "win32",
      windowsHide: true,
    });
    let settled = false;
    let stderr = "";
    let failure: SpecGateError | undefined;
    const kill = () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        if (process.platform !== "win32" && child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
        else child.kill("SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    const finish = (error: SpecGateError | undefined, result?: RunResult) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener("abort", onAbort);
      if (error) reject(error);
      else resolve(result!);
    };
    const onAbort = () => {
      kill();
      finish(toSpecGateError(options.signal!.reason, options.signal));
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    child.once("spawn", () => {
      if (child.pid !== undefined) options.onSpawn?.(child.pid);
    });
    if (options.input && child.stdin) {
      child.stdin.on("error", () => undefined); // EPIPE when ast-grep stops reading: its exit says why
      options.input.pipe(child.stdin);
    }

    child.stderr!.setEncoding("utf8");
    let partial = "";
    child.stderr!.on("data", (chunk: string) => {
      if (!options.onInspect) {
        stderr = (stderr + chunk).slice(-STDERR_KEEP);
        return;
      }
      const lines = (partial + chunk).split("\n");
      partial = lines.pop()!;
      if (partial.length > STDERR_KEEP) partial = partial.slice(-STDERR_KEEP);
      for (const line of lines) {
        if (line.startsWith("sg: ")) options.onInspect(line);
        else stderr = `${stderr}${line}\n`.slice(-STDERR_KEEP);
      }
    });
    if (options.onJson && child.stdout) {
      const onJson = options.onJson;
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      child.stdout.on("data", (chunk: Buffer) => {
        if (failure) return;
        let start = 0;
        for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
          const part = chunk.subarray(start, nl);
          const line = pending.length ? Buffer.concat([...pending, part]).toString("utf8") : part.toString("utf8");
          pending = [];
          pendingBytes = 0;
          start = nl + 1;
          if (!line.trim()) continue;
          try {
            onJson(JSON.parse(line));
          } catch (error) {
            failure =
              error instanceof SpecGateError
                ? error
                : new SpecGateError("E_INTERNAL", "ast-grep wrote output SpecGate cannot read.", { cause: error });
            kill();
            return;
          }
        }
        if (start < chunk.length) {
          pending.push(chunk.subarray(start));
          pendingBytes += chunk.length - start;
          if (pendingBytes > maxLine) {
            failure = new SpecGateError(
              "E_TOO_LARGE",
              `A single match is larger than ${Math.round(maxLine / 1024 / 1024)} MB; narrow the rule's pattern or check smaller files.`,
            );
            pending = [];
            kill();
          }
        }
      });
    }
    child.on("error", (error: NodeJS.ErrnoException) => {
      finish(
        new SpecGateError(
          "E_CONFIG",
          `Cannot start ast-grep (${error.code ?? error.message}); reinstall SpecGate's dependencies with npm ci.`,
          { cause: error },
        ),
      );
    });
    child.on("close", (code, signal) => {
      if (partial && !partial.startsWith("sg: ")) stderr = `${stderr}${partial}`.slice(-STDERR_KEEP);
      if (failure) return finish(failure);
      if (options.signal?.aborted) return finish(toSpecGateError(options.signal.reason, options.signal));
      if (code === null)
        return finish(new SpecGateError("E_INTERNAL", `ast-grep was stopped by ${signal ?? "a signal"}.`));
      finish(undefined, { code, stderr });
    });
  });
}

/** The first lines of ast-grep's error report, without its help and decoration. */
export function astGrepErrorText(stderr: string): string {
  const lines = stderr
    .split("\n")
    .map((l) => l.replace(/^[\s✖╰▻]+/u, "").trim())
    .filter((l) => l && !/^(?:Help:|See also:|Caused by$)/.test(l));
  return lines.slice(0, 6).join(" — ").slice(0, 600) || "ast-grep failed without a message";
}
