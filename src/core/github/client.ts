/**
 * A small GitHub REST client over undici: what the gate needs (PR comments, issues), done the way
 * CI needs it.
 *
 * - Every request has a deadline (`timeoutMs`, combined with the caller's signal).
 * - Rate limits (429, or 403 with `x-ratelimit-remaining: 0` / `retry-after` / a secondary-limit
 *   message) are waited out when the wait is short (≤ `maxWaitMs`) and retries are left;
 *   otherwise E_RATE_LIMITED says when to retry.
 * - 5xx and network failures of idempotent requests are retried a few times with backoff; a POST
 *   is not (it may have been applied).
 * - 401 → E_AUTH, 403 → E_FORBIDDEN, 404 → E_NOT_FOUND, 422 → E_INVALID_INPUT, each saying
 *   what to check. Raw response bodies go to the debug log only; messages quote GitHub's short
 *   `message` field at most.
 * - `apiUrl` may be GitHub Enterprise (`https://ghe.example.com/api/v3`); pagination follows
 *   `Link: rel="next"` only within that origin, so the token never leaves it.
 */
import { Agent, request, type Dispatcher } from "undici";
import { SpecGateError, isAbortError } from "../../errors.js";
import type { Logger } from "../../logger.js";
import { VERSION } from "../../version.js";
import { trimEndChars } from "../text.js";

export interface GitHubClientOptions {
  token: string;
  /** REST API root; default https://api.github.com (Enterprise: https://HOST/api/v3). */
  apiUrl?: string;
  /** Deadline of each request. Default 15 s. */
  timeoutMs?: number;
  /** Retries after a rate limit or a server error. Default 3. */
  maxRetries?: number;
  /** The longest rate-limit wait that is waited out rather than reported. Default 60 s. */
  maxWaitMs?: number;
  dispatcher?: Dispatcher;
  logger?: Logger;
  /** Injectable for tests: how to wait, and what time it is (ms). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void> | undefined;
  now?: () => number;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** What the request does, for error messages: "listing the comments of PR #3 in acme/app". */
  what?: string | undefined;
}

export interface GitHubResponse<T> {
  status: number;
  data: T;
  headers: Record<string, string | string[] | undefined>;
}

type Method = "GET" | "POST" | "PATCH" | "DELETE";

export class GitHubClient {
  readonly apiUrl: string;
  private readonly origin: string;
  private readonly options: Required<Pick<GitHubClientOptions, "timeoutMs" | "maxRetries" | "maxWaitMs">> &
    GitHubClientOptions;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void> | undefined;
  private readonly now: () => number;

  constructor(options: GitHubClientOptions) {
    if (!options.token)
      throw new SpecGateError(
        "E_CONFIG",
        "GITHUB_TOKEN is not set: GitHub comments and issues need a token (in Actions: `env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}`).",
      );
    this.apiUrl = trimEndChars(options.apiUrl ?? "https://api.github.com", "/");
    this.origin = new URL(this.apiUrl).origin;
    this.options = { timeoutMs: 15_000, maxRetries: 3, maxWaitMs: 60_000, ...options };
    this.ownsDispatcher = !options.dispatcher;
    this.dispatcher =
      options.dispatcher ??
      new Agent({ connections: 8, headersTimeout: this.options.timeoutMs, bodyTimeout: this.options.timeoutMs });
    this.sleep = options.sleep ?? sleepFor;
    this.now = options.now ?? Date.now;
  }

  /** One REST call (with waits and retries as described above). `path` is relative to apiUrl, or a full URL on its origin. */
  async request<T>(method: Method, path: string, opts: RequestOptions = {}): Promise<GitHubResponse<T>> {
    const url = this.resolve(path, opts.query);
    const what = opts.what ?? `${method} ${new URL(url).pathname}`;
    for (let attempt = 0; ; attempt++) {
      const signal = opts.signal
        ? AbortSignal.any([opts.signal, AbortSignal.timeout(this.options.timeoutMs)])
        : AbortSignal.timeout(this.options.timeoutMs);
      let res: Dispatcher.ResponseData;
      try {
        res = await request(url, {
          method,
          dispatcher: this.dispatcher,
          signal,
          headers: {
            accept: "application/vnd.github+json",
            authorization: `Bearer ${this.options.token}`,
            "user-agent": `specgate/${VERSION}`,
            "x-github-api-version": "2022-11-28",
            ...(opts.body !== undefined ? { "content-type": "application/json" } : {}),
          },
          ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
        });
      } catch (error) {
        if (opts.signal?.aborted)
          throw opts.signal.reason instanceof SpecGateError
            ? opts.signal.reason
            : new SpecGateError("E_CANCELLED", `Cancelled while ${what}.`, { cause: error });
        const code = String((error as { code?: unknown }).code ?? "");
        const timedOut = isAbortError(error) || code.includes("TIMEOUT");
        // A connection that failed is retried; a request that timed out is not (the wait would multiply).
        if (!timedOut && method !== "POST" && attempt < this.options.maxRetries) {
          await this.sleep(backoff(attempt), opts.signal);
          continue;
        }
        throw timedOut
          ? new SpecGateError(
              "E_TIMEOUT",
              `GitHub did not answer within ${Math.round(this.options.timeoutMs / 1000)} s while ${what}. Retry later.`,
              { cause: error },
            )
          : new SpecGateError(
              "E_UPSTREAM",
              `Cannot reach GitHub at ${this.origin} while ${what} (${(error as Error).message}). Check GITHUB_API_URL and the network.`,
              { cause: error },
            );
      }
      const text = await res.body.text().catch(() => "");
      const data = parseJson(text);
      if (res.statusCode < 300) return { status: res.statusCode, data: data as T, headers: res.headers };
      this.options.logger?.debug({ status: res.statusCode, what, body: text.slice(0, 2000) }, "GitHub request failed");

      const limit = this.rateLimitWait(res.statusCode, res.headers, data);
      if (limit !== undefined) {
        if (limit <= this.options.maxWaitMs && attempt < this.options.maxRetries) {
          this.options.logger?.warn({ waitMs: limit, what }, "GitHub rate limit reached; waiting");
          await this.sleep(limit, opts.signal);
          continue;
        }
        throw new SpecGateError(
          "E_RATE_LIMITED",
          `GitHub's rate limit stopped ${what}; it allows new requests in ${Math.ceil(limit / 1000)} s. Retry then, or use a token with a higher limit.`,
          { retryAfterMs: limit },
        );
      }
      if (res.statusCode >= 500 && method !== "POST" && attempt < this.options.maxRetries) {
        await this.sleep(backoff(attempt), opts.signal);
        continue;
      }
      throw statusError(res.statusCode, what, githubMessage(data));
    }
  }

  /** Every item of a paginated list (`per_page=100`, following `Link: rel="next"`), up to `maxPages` pages. */
  async *paginate<T>(path: string, opts: RequestOptions & { maxPages?: number } = {}): AsyncGenerator<T> {
    let next: string | undefined = this.resolve(path, { per_page: 100, ...opts.query });
    for (let page = 0; next !== undefined && page < (opts.maxPages ?? 100); page++) {
      const res: GitHubResponse<unknown> = await this.request<unknown>("GET", next, {
        signal: opts.signal,
        what: opts.what,
      });
      if (!Array.isArray(res.data))
        throw new SpecGateError("E_UPSTREAM", `GitHub answered ${opts.what ?? path} with something other than a list.`);
      for (const item of res.data) yield item as T;
      next = nextLink(res.headers.link);
    }
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private resolve(path: string, query?: RequestOptions["query"]): string {
    const url = /^https?:\/\//.test(path) ? new URL(path) : new URL(`${this.apiUrl}/${path.replace(/^\/+/, "")}`);
    if (url.origin !== this.origin)
      throw new SpecGateError(
        "E_UPSTREAM",
        `Refusing to send the GitHub token to ${url.origin} (the API is ${this.origin}).`,
      );
    for (const [k, v] of Object.entries(query ?? {}))
      if (v !== undefined && !url.searchParams.has(k)) url.searchParams.set(k, String(v));
    return url.href;
  }

  /** Milliseconds to wait when the response is a rate limit, else undefined. */
  private rateLimitWait(
    status: number,
    headers: Record<string, string | string[] | undefined>,
    data: unknown,
  ): number | undefined {
    if (status !== 403 && status !== 429) return undefined;
    const retryAfter = Number(header(headers, "retry-after"));
    const remaining = header(headers, "x-ratelimit-remaining");
    const reset = Number(header(headers, "x-ratelimit-reset"));
    const secondary = /rate limit/i.test(githubMessage(data) ?? "");
    if (Number.isFinite(retryAfter) && header(headers, "retry-after") !== undefined)
      return Math.max(0, retryAfter * 1000);
    if (remaining === "0" && Number.isFinite(reset)) return Math.max(1000, reset * 1000 - this.now());
    if (status === 429 || secondary || remaining === "0") return 60_000;
    return undefined;
  }
}

function statusError(status: number, what: string, message: string | undefined): SpecGateError {
  const quoted = message ? `: ${message}` : "";
  switch (status) {
    case 401:
      return new SpecGateError(
        "E_AUTH",
        `GitHub rejected the token while ${what} (401${quoted}). Check GITHUB_TOKEN: it must be valid and not expired.`,
      );
    case 403:
      return new SpecGateError(
        "E_FORBIDDEN",
        `GitHub refused ${what} (403${quoted}). The token lacks permission: in GitHub Actions grant \`permissions: pull-requests: write\` and \`issues: write\`; pull requests from forks only get a read-only token.`,
      );
    case 404:
      return new SpecGateError(
        "E_NOT_FOUND",
        `GitHub found nothing while ${what} (404${quoted}). Check GITHUB_REPOSITORY and the pull request or issue number; private repositories also answer 404 to tokens that cannot see them.`,
      );
    case 410:
    case 422:
      return new SpecGateError("E_INVALID_INPUT", `GitHub rejected ${what} (${status}${quoted}).`);
    default:
      return new SpecGateError("E_UPSTREAM", `GitHub answered ${status} while ${what}${quoted}. Retry later.`);
  }
}

/** The `rel="next"` URL of a Link header. */
export function nextLink(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value.join(",") : value;
  if (!text) return undefined;
  for (const m of text.matchAll(/<([^>]*)>\s*;\s*rel="([^"]*)"/g)) if (m[2]!.split(/\s+/).includes("next")) return m[1];
  return undefined;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function githubMessage(data: unknown): string | undefined {
  const m = (data as { message?: unknown } | null)?.message;
  return typeof m === "string" ? m.replace(/\s+/g, " ").slice(0, 200) : undefined;
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function backoff(attempt: number): number {
  return Math.min(8000, 500 * 2 ** attempt);
}

function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
