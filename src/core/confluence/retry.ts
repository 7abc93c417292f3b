/**
 * The retry policy, as pure functions: which failures are worth another try, how long to wait
 * (the server's Retry-After / X-RateLimit-Reset first, else capped exponential backoff with
 * jitter), and nothing past the call's deadline.
 */

export interface BackoffOptions {
  /** First backoff step. */
  baseMs: number;
  /** Longest single backoff. */
  capMs: number;
  /** Longest wait a server may ask for; a longer Retry-After fails at once with E_RATE_LIMITED. */
  maxServerWaitMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, capMs: 4000, maxServerWaitMs: 30_000 };

/** At most this many tries per request (the first one included). */
export const MAX_TRIES = 3;

type HeaderValue = string | string[] | undefined;

function first(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * `Retry-After` in ms: delta-seconds (`120`, `1.5`) or an HTTP date. Undefined when absent or
 * unreadable; never negative.
 */
export function parseRetryAfter(value: HeaderValue, now: number): number | undefined {
  const v = first(value)?.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * `X-RateLimit-Reset` in ms from now: Atlassian sends an ISO timestamp; epoch seconds and
 * delta-seconds are accepted too.
 */
export function parseRateLimitReset(value: HeaderValue, now: number): number | undefined {
  const v = first(value)?.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) {
    const n = Number(v);
    return n > 1e9 ? Math.max(0, Math.round(n * 1000 - now)) : Math.round(n * 1000);
  }
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * How long the server asks us to wait, from a 429/503 (or any response saying the quota is
 * spent: `X-RateLimit-Remaining: 0`). Undefined when it says nothing.
 */
export function serverWaitMs(status: number, headers: Record<string, HeaderValue>, now: number): number | undefined {
  const retryAfter = parseRetryAfter(headers["retry-after"], now);
  if (retryAfter !== undefined && (status === 429 || status === 503)) return retryAfter;
  const remaining = first(headers["x-ratelimit-remaining"]);
  if (status === 429 || remaining?.trim() === "0") return parseRateLimitReset(headers["x-ratelimit-reset"], now);
  return undefined;
}

/** Capped exponential backoff with equal jitter, for try number `attempt` (1 = after the first failure). */
export function backoffMs(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** HTTP statuses worth retrying: rate limits and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

const RETRYABLE_NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** The error code of a network failure (undici wraps some in `cause`). */
export function networkCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 3 && e && typeof e === "object"; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code !== "ABORT_ERR") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Connection resets, refused connections and per-request timeouts are retried. */
export function isRetryableNetworkError(error: unknown): boolean {
  const code = networkCode(error);
  return code !== undefined && RETRYABLE_NETWORK_CODES.has(code);
}
