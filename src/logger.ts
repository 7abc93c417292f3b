/**
 * Logging: pino JSON to file descriptor 2 only. Standard output belongs to the stdio transport
 * and to the CLI's machine-readable output, so nothing here may ever write to fd 1.
 *
 * Secrets are removed twice: known secret-bearing keys are redacted by path, and the literal
 * values of configured secrets are scrubbed from every line (see {@link createLogger}).
 */
import { pino, type Logger, type DestinationStream } from "pino";

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
  /** Literal secret values that must never appear in a log line. */
  secrets?: readonly string[];
  /** Where lines go; defaults to fd 2. Tests pass a sink stream. */
  destination?: DestinationStream | NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 4);
  const target = options.destination ?? pino.destination({ fd: 2, sync: false });
  const stream: DestinationStream = secrets.length === 0 ? (target as DestinationStream) : scrubbing(target, secrets);
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

function scrubbing(target: DestinationStream | NodeJS.WritableStream, secrets: readonly string[]): DestinationStream {
  return {
    write(line: string) {
      let out = line;
      for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join("[redacted]");
      (target as DestinationStream).write(out);
    },
  };
}

/** A logger that drops everything (library API, unit tests). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
