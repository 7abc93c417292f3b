/** An in-memory CliIO for running the CLI in process with `runCli`. */
import { PassThrough, Writable } from "node:stream";
import type { CliIO } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/program.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function memoryIO(options: { env?: Record<string, string>; cwd?: string; stdin?: string } = {}): { io: CliIO; out: () => string; err: () => string } {
  const sink = () => {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        chunks.push(String(chunk));
        cb();
      },
    });
    return { stream, text: () => chunks.join("") };
  };
  const stdout = sink();
  const stderr = sink();
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? "");
  const io: CliIO = { stdout: stdout.stream, stderr: stderr.stream, stdin, env: { LOG_LEVEL: "silent", ...options.env }, cwd: options.cwd ?? process.cwd(), isTTY: false };
  return { io, out: stdout.text, err: stderr.text };
}

/** Runs `specgate <argv…>` in process. */
export async function cli(argv: string[], options: Parameters<typeof memoryIO>[0] = {}): Promise<CliRun> {
  const { io, out, err } = memoryIO(options);
  const code = await runCli(argv, io);
  return { code, stdout: out(), stderr: err() };
}
