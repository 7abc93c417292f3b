/**
 * The one error contract of SpecGate.
 *
 * Every failure a caller can act on is a {@link SpecGateError} with a stable `code`. The pipeline
 * turns it into an MCP tool result with `isError: true`; the CLI turns it into exit code 2 (or 1
 * for gate/lint failures) and a message on stderr. Anything else that escapes a handler is an
 * internal error: its details go to the log, and the caller sees `E_INTERNAL` with no internals.
 */

export const ERROR_CODES = [
  "E_INVALID_INPUT",
  "E_TOO_LARGE",
  "E_TIMEOUT",
  "E_CANCELLED",
  "E_OVERLOADED",
  "E_NOT_FOUND",
  "E_AUTH",
  "E_FORBIDDEN",
  "E_RATE_LIMITED",
  "E_UPSTREAM",
  "E_CONFIG",
  "E_CONFLICT",
  "E_INTERNAL",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Codes a caller may simply retry (after `retryAfterMs` when given). */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "E_TIMEOUT",
  "E_OVERLOADED",
  "E_RATE_LIMITED",
  "E_UPSTREAM",
]);

export interface SpecGateErrorOptions {
  /** Overrides the default retryability of the code. */
  retryable?: boolean;
  /** Milliseconds after which a retry is sensible (rate limits, overload). */
  retryAfterMs?: number;
  /** Small, caller-safe structured details (e.g. the JSON path of a bad field). Never secrets. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class SpecGateError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: SpecGateErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SpecGateError";
    this.code = code;
    this.retryable = options.retryable ?? RETRYABLE.has(code);
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details;
  }

  /** The caller-facing shape (tool results, CLI JSON output). */
  toJSON(): ErrorPayload {
    const out: ErrorPayload = { code: this.code, message: this.message, retryable: this.retryable };
    if (this.retryAfterMs !== undefined) out.retry_after_ms = this.retryAfterMs;
    if (this.details !== undefined) out.details = this.details;
    return out;
  }
}

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  retryable: boolean;
  retry_after_ms?: number;
  details?: Record<string, unknown>;
}

export function isSpecGateError(error: unknown): error is SpecGateError {
  return error instanceof SpecGateError;
}

/** True for the errors `AbortSignal.timeout()` / `AbortController.abort()` produce. */
export function isAbortError(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === "AbortError" || error.name === "TimeoutError" || (error as { code?: unknown }).code === "ABORT_ERR")
  );
}

/**
 * Normalises anything thrown into a SpecGateError. `signal` tells a deadline from a cancellation
 * when the thrown value is an abort error.
 */
export function toSpecGateError(error: unknown, signal?: AbortSignal): SpecGateError {
  if (error instanceof SpecGateError) return error;
  if (signal?.aborted || isAbortError(error)) {
    const reason: unknown = signal?.reason;
    if (reason instanceof SpecGateError) return reason;
    const timedOut =
      (reason instanceof Error && reason.name === "TimeoutError") ||
      (error instanceof Error && error.name === "TimeoutError");
    return timedOut
      ? new SpecGateError(
          "E_TIMEOUT",
          "The call ran past its deadline and was abandoned. Retry, or split the input into smaller parts.",
          { cause: error },
        )
      : new SpecGateError("E_CANCELLED", "The call was cancelled before it finished.", {
          cause: error,
          retryable: true,
        });
  }
  return new SpecGateError("E_INTERNAL", "SpecGate hit an internal error; the details are in the server log.", {
    cause: error,
  });
}

/** Throws the right SpecGateError when `signal` has fired. Cheap enough for hot loops. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw toSpecGateError(signal.reason, signal);
}

/** A zod-style path as it reads in a message: `documents[3].content`; `arguments` for the root. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "arguments";
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

/**
 * For tools that take a batch: throws E_TOO_LARGE when one item's text is over the limit, so the
 * item gets its own error entry while the rest of the batch is processed.
 */
export function assertItemSize(text: string, limit: number, path: string): void {
  const bytes = oversizedBytes(text, limit);
  if (bytes !== undefined) {
    throw new SpecGateError(
      "E_TOO_LARGE",
      `\`${path}\` is ${formatBytes(bytes)}; the limit is ${formatBytes(limit)}. Split the document or trim it.`,
      {
        details: { path, bytes, limit },
      },
    );
  }
}

/** The UTF-8 size of `text` when it is over `limit`, else undefined (cheap for most strings). */
export function oversizedBytes(text: string, limit: number): number | undefined {
  // UTF-8 needs at most 3 bytes per UTF-16 unit, and at least 1.
  if (text.length * 3 <= limit) return undefined;
  const bytes = text.length > limit ? text.length : Buffer.byteLength(text, "utf8");
  return bytes > limit ? bytes : undefined;
}

/** A size as it reads in a message: `1.5 MB`, `12 KB`. */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** E_TOO_LARGE for a result over the limit, saying what to do about it. */
export function resultTooLarge(chars: number, limitChars: number, hint: string): SpecGateError {
  const mb = (n: number) => Math.max(1, Math.round(n / 1024 / 1024));
  const size = Number.isFinite(chars) ? `about ${mb(chars)} MB, ` : "";
  return new SpecGateError(
    "E_TOO_LARGE",
    `The result would be ${size}over this server's ${mb(limitChars)} MB limit on one answer (SPECGATE_MAX_RESULT_MB). ${hint} Or raise SPECGATE_MAX_RESULT_MB.`,
    {
      details: {
        reason: "result_size",
        limit_mb: mb(limitChars),
        ...(Number.isFinite(chars) ? { result_mb: mb(chars) } : {}),
      },
    },
  );
}
