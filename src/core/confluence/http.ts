/**
 * The HTTP layer of the Confluence client: one undici Pool to the configured origin (keep-alive,
 * a connection limit; behind a proxy, a ProxyAgent with that one origin: dispatcher.ts), its own
 * concurrency limit (separate from the tool semaphore), per-request timeouts plus the call's
 * AbortSignal, bodies read as streams under a byte cap, and retries.
 *
 * Failure modes, by design:
 * - Only the configured origin is ever contacted: paths are appended to the base, and redirects
 *   are followed only when they stay on the same origin under the base path.
 * - 429/503 honour Retry-After (seconds or HTTP date) and X-RateLimit-Reset; the wait is shared
 *   by every request of the client (one 429 pauses them all, instead of a stampede). Other 5xx
 *   and connection resets back off exponentially with jitter. At most 3 tries, and never a wait
 *   that ends past the call's deadline: then the call fails at once (E_RATE_LIMITED with
 *   retry_after_ms, or the last error). Other 4xx never retry.
 * - A response body over the cap is abandoned while reading (E_TOO_LARGE) and its socket closed.
 * - An aborted call (deadline, cancellation) destroys its socket; nothing stays checked out.
 * - Every body is scrubbed of the client's own credentials (the token or PAT as written,
 *   URL-encoded, Base64, the whole Basic credential) as it is read: an upstream or proxy that
 *   echoes the request's headers reaches no log, error message or tool result with them. The
 *   same goes for custom header values (CONFLUENCE_CUSTOM_HEADERS) and the proxy's password.
 */
import { setTimeout as sleep } from "node:timers/promises";
import pLimit, { type LimitFunction } from "p-limit";
import type { Dispatcher } from "undici";
import { SpecGateError, toSpecGateError } from "../../errors.js";
import type { Logger } from "../../logger.js";
import { VERSION } from "../../version.js";
import {
  DEFAULT_BACKOFF,
  MAX_TRIES,
  backoffMs,
  isRetryableNetworkError,
  isRetryableStatus,
  networkCode,
  serverWaitMs,
  type BackoffOptions,
} from "./retry.js";
import { createDispatcher, type ConfluenceDispatcher } from "./dispatcher.js";
import { withoutCredentials } from "./network.js";
import { networkPathError } from "./network-errors.js";
import type { UpstreamMetrics } from "./ports.js";
import { authorizationHeader, type ConfluenceSettings } from "./settings.js";
import { Scrubber, basicCredential } from "../../secrets.js";
import type { RequestOptions } from "./types.js";
import { networkError, statusError, type FailureContext } from "./upstream-errors.js";
import { trimEndChars } from "../text.js";

export interface HttpOptions {
  settings: ConfluenceSettings;
  /** Largest response body read (a 10 MB page plus its JSON envelope). */
  maxBodyBytes: number;
  metrics?: UpstreamMetrics | undefined;
  logger?: Logger | undefined;
  backoff?: Partial<BackoffOptions>;
  connectTimeoutMs?: number;
  now?: () => number;
  random?: () => number;
}

export interface GetOptions extends RequestOptions {
  /** For messages: "page 123", "the search". */
  what: string;
  target: FailureContext["target"];
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

const ERROR_BODY_CAP = 64 * 1024;
const MAX_REDIRECTS = 3;

export class ConfluenceHttp {
  readonly dispatcher: Dispatcher;
  private readonly counts: ConfluenceDispatcher["counts"];
  private readonly limit: LimitFunction;
  private readonly settings: ConfluenceSettings;
  private readonly basePath: string;
  private readonly headers: Record<string, string>;
  private readonly backoff: BackoffOptions;
  private readonly maxBodyBytes: number;
  private readonly metrics: UpstreamMetrics | undefined;
  private readonly logger: Logger | undefined;
  /** The client's own credentials in every form: no upstream body reaches a log, an error or a result with them. */
  private readonly scrubber: Scrubber;
  private readonly now: () => number;
  private readonly random: () => number;
  /** Epoch ms until which every request waits (set by 429/503 and spent quotas). */
  private pausedUntil = 0;

  constructor(options: HttpOptions) {
    const { settings } = options;
    this.settings = settings;
    this.basePath = trimEndChars(settings.baseUrl.pathname, "/");
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.maxBodyBytes = options.maxBodyBytes;
    this.metrics = options.metrics;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    const authorization = authorizationHeader(settings.auth);
    const { auth } = settings;
    this.scrubber = new Scrubber([
      ...(auth.kind === "basic"
        ? [auth.secret, basicCredential(auth.user, auth.secret)]
        : auth.kind === "bearer"
          ? [auth.token]
          : []),
      ...settings.network.secrets,
    ]);
    // Custom headers may replace Accept and User-Agent; Authorization is SpecGate's alone (network.ts refuses it).
    this.headers = {
      accept: "application/json",
      "user-agent": `specgate/${VERSION}`,
      ...settings.network.headers,
      ...(authorization ? { authorization } : {}),
    };
    this.limit = pLimit(settings.concurrency);
    const made = createDispatcher(settings, options.connectTimeoutMs ?? 10_000);
    this.dispatcher = made.dispatcher;
    this.counts = made.counts;
    const { proxy } = settings.network;
    if (proxy) {
      this.logger?.info(
        { proxy: withoutCredentials(proxy), tunnel: settings.baseUrl.protocol === "https:" },
        "confluence requests go through a proxy",
      );
      if (settings.baseUrl.protocol === "http:" && authorization)
        this.logger?.warn(
          { proxy: withoutCredentials(proxy) },
          "CONFLUENCE_BASE_URL is plain http: the proxy sees the Confluence credentials; use https",
        );
    }
  }

  /** Connections and requests of the pool, plus the shared rate-limit pause. */
  stats(): {
    connected: number;
    free: number;
    pending: number;
    queued: number;
    running: number;
    size: number;
    pausedUntil: number;
  } {
    const s = this.counts();
    return {
      connected: s.connected,
      free: s.free,
      pending: s.pending,
      queued: s.queued,
      running: s.running,
      size: s.size,
      pausedUntil: this.pausedUntil,
    };
  }

  /**
   * GETs `pathAndQuery` (relative to the wiki base) and parses the JSON body, with the retry
   * policy above. Throws a SpecGateError (E_AUTH, E_FORBIDDEN, E_NOT_FOUND, E_RATE_LIMITED,
   * E_TOO_LARGE, E_TIMEOUT, E_UPSTREAM, E_INVALID_INPUT, or the signal's reason).
   */
  async getJson<T>(pathAndQuery: string, o: GetOptions): Promise<T> {
    const ctx: FailureContext = {
      flavour: this.settings.flavour,
      auth: this.settings.auth.kind,
      what: o.what,
      target: o.target,
      host: this.settings.baseUrl.host,
    };
    let path = pathAndQuery;
    let redirects = 0;
    for (let attempt = 1; ; attempt++) {
      await this.waitForPause(o);
      let res: RawResponse;
      try {
        res = await this.limit(() => this.send(path, o));
      } catch (error) {
        if (o.signal.aborted) throw toSpecGateError(o.signal.reason, o.signal);
        if (error instanceof SpecGateError) throw error;
        const final =
          networkPathError(error, this.settings) ?? networkError(error, ctx, this.settings.requestTimeoutMs);
        this.logger?.debug({ err: error, path, attempt }, "confluence request failed");
        if (attempt < MAX_TRIES && isRetryableNetworkError(error) && networkCode(error) !== "ENOTFOUND") {
          await this.backoffWait(backoffMs(attempt, this.backoff, this.random), o, final);
          continue;
        }
        throw final;
      }

      const { status, headers, text } = res;
      const wait = serverWaitMs(status, headers, this.now());
      if (wait !== undefined)
        this.pausedUntil = Math.max(this.pausedUntil, this.now() + Math.min(wait, this.backoff.maxServerWaitMs));
      if (status >= 200 && status < 300) return this.parse<T>(text, headers, ctx);

      if (status >= 300 && status < 400) {
        const next = this.sameBaseRedirect(headers.location, path);
        if (next !== undefined && redirects < MAX_REDIRECTS) {
          redirects++;
          attempt--;
          path = next;
          continue;
        }
        throw statusError(status, text, ctx);
      }
      if (isRetryableStatus(status)) {
        const final = statusError(status, text, ctx, wait);
        this.logger?.debug({ status, path, attempt, waitMs: wait }, "confluence request will be retried");
        if (attempt >= MAX_TRIES) throw final;
        if (wait !== undefined && wait > this.backoff.maxServerWaitMs) throw final;
        if (wait === undefined) await this.backoffWait(backoffMs(attempt, this.backoff, this.random), o, final);
        else this.countRetry(o);
        continue;
      }
      this.logger?.debug({ status, path, body: text.slice(0, 2000) }, "confluence refused the request");
      throw statusError(status, text, ctx);
    }
  }

  /** Closes idle connections; destroys whatever is still open after a short grace. */
  async close(): Promise<void> {
    const closing = this.dispatcher.close().catch(() => undefined);
    const timer = new Promise((resolve) => setTimeout(resolve, 1000).unref());
    const closed = await Promise.race([closing.then(() => true), timer.then(() => false)]);
    if (!closed || this.counts().connected > 0) await this.dispatcher.destroy().catch(() => undefined);
  }

  private async send(path: string, o: GetOptions): Promise<RawResponse> {
    if (o.signal.aborted) throw toSpecGateError(o.signal.reason, o.signal);
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    let answer: Dispatcher.ResponseData;
    try {
      answer = await this.dispatcher.request({
        origin: this.settings.baseUrl.origin,
        path: this.basePath + path,
        method: "GET",
        headers: this.headers,
        signal: o.signal,
      });
    } catch (error) {
      if (!o.signal.aborted)
        this.metrics?.upstreamRequestDuration.observe({ service: "confluence", status: "error" }, seconds());
      throw error;
    }
    const { statusCode, headers, body } = answer;
    if (o.tally) o.tally.requests++;
    this.metrics?.upstreamRequestDuration.observe({ service: "confluence", status: String(statusCode) }, seconds());
    const ok = statusCode >= 200 && statusCode < 300;
    const cap = ok ? this.maxBodyBytes : ERROR_BODY_CAP;
    const declared = Number(headers["content-length"]);
    if (ok && Number.isFinite(declared) && declared > cap) {
      body.destroy();
      throw this.tooLarge(o.what, declared);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of body) {
      const buf = chunk as Buffer;
      total += buf.byteLength;
      if (total > cap) {
        body.destroy();
        if (ok) throw this.tooLarge(o.what, total);
        break;
      }
      chunks.push(buf);
    }
    // A proxy or gateway may echo the request headers into its answer: the credentials go here,
    // before anything reads the body.
    return { status: statusCode, headers, text: this.scrubber.scrubBytes(Buffer.concat(chunks)) };
  }

  private tooLarge(what: string, bytes: number): SpecGateError {
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
    return new SpecGateError(
      "E_TOO_LARGE",
      `${what} is over ${mb(this.maxBodyBytes)} (read ${mb(bytes)} so far); SpecGate refuses documents over 10 MB. Split the page.`,
      {
        details: { limit: this.maxBodyBytes },
      },
    );
  }

  private parse<T>(text: string, headers: RawResponse["headers"], ctx: FailureContext): T {
    try {
      return JSON.parse(text) as T;
    } catch {
      const type = String(headers["content-type"] ?? "no content type").split(";")[0];
      this.logger?.debug(
        { contentType: type, body: text.slice(0, 500) },
        "confluence answered with something other than JSON",
      );
      throw new SpecGateError(
        "E_UPSTREAM",
        `Confluence answered ${ctx.what} with ${type} instead of JSON: CONFLUENCE_BASE_URL may point at a login (SSO) page or a proxy rather than the wiki's REST API.`,
        { details: { upstream: "confluence", contentType: type } },
      );
    }
  }

  /** A Location on the same origin and under the base path, as a path relative to the base. */
  private sameBaseRedirect(location: string | string[] | undefined, from: string): string | undefined {
    const loc = Array.isArray(location) ? location[0] : location;
    if (!loc) return undefined;
    const base = this.settings.baseUrl;
    const target = new URL(loc, new URL(this.basePath + from, base.origin));
    if (target.origin !== base.origin) return undefined;
    if (this.basePath && !target.pathname.startsWith(`${this.basePath}/`)) return undefined;
    return target.pathname.slice(this.basePath.length) + target.search;
  }

  private async waitForPause(o: GetOptions): Promise<void> {
    const wait = this.pausedUntil - this.now();
    if (wait <= 0) return;
    if (o.deadlineAt !== undefined && this.now() + wait > o.deadlineAt) {
      throw new SpecGateError(
        "E_RATE_LIMITED",
        `Confluence asked SpecGate to wait ${Math.ceil(wait / 1000)} s (rate limit), longer than this call has left. Retry after that.`,
        { retryAfterMs: wait, details: { upstream: "confluence" } },
      );
    }
    await this.sleep(wait, o);
  }

  private async backoffWait(ms: number, o: GetOptions, final: SpecGateError): Promise<void> {
    if (o.deadlineAt !== undefined && this.now() + ms > o.deadlineAt) throw final;
    this.countRetry(o);
    await this.sleep(ms, o);
  }

  private countRetry(o: GetOptions): void {
    if (o.tally) o.tally.retries++;
  }

  private async sleep(ms: number, o: GetOptions): Promise<void> {
    try {
      await sleep(ms, undefined, { signal: o.signal });
    } catch (error) {
      throw toSpecGateError(o.signal.reason ?? error, o.signal);
    }
  }
}
