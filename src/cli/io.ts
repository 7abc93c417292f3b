/**
 * The CLI's contact with the outside world, injectable so commands are tested in process:
 * machine output on stdout, human messages and logs on stderr, exit codes 0 (ok), 1 (gate or
 * lint failure), 2 (usage or input error).
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { Readable, Writable } from "node:stream";
import { SpecGateError } from "../errors.js";
import { MAX_DOCUMENT_BYTES } from "../config.js";
import { decodeText } from "../core/input-text.js";

export { CliExit, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "./exit.js";

export interface CliIO {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** True when stderr is a terminal (progress bars, colours). */
  isTTY: boolean;
}

export function write(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

/**
 * Reads a file (or stdin for `-`) as UTF-8, refusing more than `maxBytes` while reading
 * (E_TOO_LARGE), never after, and bytes that are not text — NUL bytes, UTF-16, invalid UTF-8 —
 * with E_INVALID_INPUT naming the file as the user gave it (`name`; core/input-text.ts).
 */
export async function readInput(
  file: string,
  io: CliIO,
  options: { name?: string; maxBytes?: number } = {},
): Promise<string> {
  const maxBytes = options.maxBytes ?? MAX_DOCUMENT_BYTES;
  let stream: Readable;
  if (file === "-") stream = io.stdin;
  else {
    try {
      const info = await stat(file);
      if (info.isDirectory()) throw new SpecGateError("E_INVALID_INPUT", `${file} is a directory, not a file.`);
      if (info.size > maxBytes) {
        throw new SpecGateError(
          "E_TOO_LARGE",
          `${file} is ${(info.size / 1024 / 1024).toFixed(1)} MB; the limit is ${maxBytes / 1024 / 1024} MB.`,
        );
      }
    } catch (error) {
      if (error instanceof SpecGateError) throw error;
      throw new SpecGateError(
        "E_NOT_FOUND",
        `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
      );
    }
    stream = createReadStream(file);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    total += buf.byteLength;
    if (total > maxBytes) {
      if (file !== "-") stream.destroy();
      throw new SpecGateError(
        "E_TOO_LARGE",
        `${file === "-" ? "Standard input" : file} is over the ${maxBytes / 1024 / 1024} MB limit.`,
      );
    }
    chunks.push(buf);
  }
  return decodeText(Buffer.concat(chunks), file === "-" ? "Standard input" : (options.name ?? file));
}

/** A one-line progress indicator on stderr (only on a terminal). */
export function progressLine(io: CliIO, label: string): { update(done: number, total?: number): void; end(): void } {
  if (!io.isTTY) return { update: () => undefined, end: () => undefined };
  return {
    update(done, total) {
      const pct = total ? ` ${Math.floor((done / total) * 100)}%` : "";
      io.stderr.write(`\r${label} ${done}${total ? `/${total}` : ""}${pct}   `);
    },
    end() {
      io.stderr.write("\n");
    },
  };
}
