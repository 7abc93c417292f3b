/**
 * Logging: pino JSON to file descriptor 2 only. Standard output belongs to the stdio transport
 * and to the CLI's machine-readable output, so nothing here may ever write to fd 1.
 *
 * Secrets are removed twice: known secret-bearing keys are redacted by path, and every form of
 * the configured secrets — as written, URL-encoded, JSON-escaped, Base64 (a Basic credential) —
 * is scrubbed from every line (see {@link createLogger} and src/secrets.ts).
 */
import { pino, type Logger, type DestinationStream } from "pino";
import { Scrubber } from "./secrets.js";

export type { Logger };

const REDACT_PATHS = [
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "req.headers.authorization",
  "headers.cookie",
  "*.headers.cookie",
  "token",
  "*.token",
  "password",
  "*.password",
  "apiToken",
  "*.apiToken",
  "pat",
  "*.pat",
];

export interface LoggerOptions {
  level?: string;
  /** Secret values that must never appear in a log line, in any of their forms (see secretForms). */
  secrets?: readonly string[];
  /** Where lines go; defaults to fd 2. Tests pass a sink stream. */
  destination?: DestinationStream | NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const scrubber = new Scrubber(options.secrets ?? []);
  const target = options.destination ?? pino.destination({ fd: 2, sync: false });
  const stream: DestinationStream = scrubber.empty ? (target as DestinationStream) : scrubbing(target, scrubber);
  return pino(
    {
      level: options.level ?? "info",
      base: { pid: process.pid, name: "specgate" },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
}

function scrubbing(target: DestinationStream | NodeJS.WritableStream, scrubber: Scrubber): DestinationStream {
  return {
    write(line: string) {
      (target as DestinationStream).write(scrubber.scrub(line));
    },
  };
}

/** A logger that drops everything (library API, unit tests). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
