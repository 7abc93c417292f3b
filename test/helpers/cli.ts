/** Runs the CLI in process with captured streams (fast; no build needed). */
import { PassThrough, Readable } from "node:stream";
import { runCli } from "../../src/cli/program.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCliInProcess(
  args: string[],
  options: { stdin?: string | Buffer; env?: Record<string, string>; cwd?: string } = {},
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
  const code = await runCli(args, {
    stdout,
    stderr,
    stdin: Readable.from(
      options.stdin === undefined
        ? []
        : [typeof options.stdin === "string" ? Buffer.from(options.stdin) : options.stdin],
    ),
    env: { LOG_LEVEL: "silent", ...options.env },
    cwd: options.cwd ?? process.cwd(),
    isTTY: false,
  });
  await new Promise((r) => setImmediate(r));
  return { code, stdout: out, stderr: err };
}
