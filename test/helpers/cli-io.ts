import { PassThrough, Readable } from "node:stream";
import type { CliIO } from "../../src/cli/io.js";

/** A CliIO whose stdout and stderr are kept in memory; `stdin` text is given up front. */
export function memoryIO(stdin = ""): { io: CliIO; stdout: () => string; stderr: () => string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on("data", (c: Buffer) => out.push(c));
  stderr.on("data", (c: Buffer) => err.push(c));
  return {
    io: { stdout, stderr, stdin: Readable.from([Buffer.from(stdin)]), env: {}, cwd: process.cwd(), isTTY: false },
    stdout: () => Buffer.concat(out).toString("utf8"),
    stderr: () => Buffer.concat(err).toString("utf8"),
  };
}
