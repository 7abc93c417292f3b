/**
 * Streamable HTTP transport: `POST|GET|DELETE /mcp`, `GET /healthz`, `GET /metrics`.
 *
 * Every request first passes the Host allow-list (DNS rebinding; /healthz and /metrics too).
 * Before any MCP processing, every /mcp request then passes, in order: CORS preflight (only for
 * SPECGATE_HTTP_CORS_ORIGINS, and loopback origins when bound to loopback), Origin allow-list, bearer-token auth when a token is configured
 * (constant-time compare; 401 and nothing runs otherwise), the per-client rate limit
 * (Redis-backed when Redis is configured), content-type, a body read with a byte cap (413) under
 * the memory guard and the client's share of unfinished bodies, with a bound on what its JSON
 * costs to parse (./body.ts, ./json-guard.ts). Malformed JSON gets a JSON-RPC parse error. Slow
 * clients are cut off by the header and request timeouts.
 *
 * Shutdown (close): the server keeps its connections while calls drain, and answers every request
 * that arrives meanwhile — on a kept-alive connection or a new one — with 503, Retry-After and
 * `Connection: close`, rather than resetting it; answers being written get a short grace; then
 * the connections close.
 *
 * Sessions (default): one SDK server + transport per MCP session, bounded in number and per client
 * and expired when idle (./http-sessions.ts); an unknown session id gets 404 so the client
 * re-initialises. Stateless mode (`SPECGATE_HTTP_STATELESS=true`, for load-balanced replicas)
 * builds a server per request.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { ConfigError, type Config } from "../config.js";
import type { Runtime } from "../runtime.js";
import type { SpecGateServer } from "../server.js";
import { PendingBodies, registerBodyGauges } from "./body.js";
import { createCors } from "./cors.js";
import { OpenResponses } from "./http-drain.js";
import { bearerChallenge, createAccess, defaultRateLimiter, isLoopbackHost } from "./http-access.js";
import { rpcError, sendJson } from "./http-json.js";
import { closeSession, createMcpEndpoint } from "./http-mcp.js";
import { SessionTable } from "./http-sessions.js";
import type { RateLimiter } from "./rate-limit.js";
import { VERSION } from "../version.js";

export { bearerMatches, isLoopbackHost } from "./http-access.js";
export { MAX_BATCH } from "./http-mcp.js";

export interface HttpHandle {
  readonly url: string;
  readonly port: number;
  readonly server: HttpServer;
  /** Live MCP sessions (stateful mode). */
  sessionCount(): number;
  /** Stops accepting, drains calls (bounded), closes sessions and connections. */
  close(): Promise<void>;
}

/** After the drain, how long answers still being written get before connections are closed. */
const ANSWER_GRACE_MS = 2000;

/** …and, once the sessions are closed, how long the last 503s get. */
const LAST_ANSWERS_MS = 500;

/** What every answer carries while the server drains: try again soon, on a new connection. */
const DRAINING_HEADERS = { "retry-after": "1", connection: "close" };

export interface HttpOptions {
  /** Shared rate-limit store (e.g. Redis-backed); defaults to an in-memory token bucket. */
  rateLimiter?: RateLimiter;
}

export async function startHttpServer(specgate: SpecGateServer, options: HttpOptions = {}): Promise<HttpHandle> {
  const { runtime } = specgate;
  const { config, logger, metrics } = runtime;
  const http = config.http;
  if (!isLoopbackHost(http.host) && !http.token) {
    throw new ConfigError(
      `SPECGATE_HTTP_TOKEN must be set to serve on ${http.host}, a non-loopback address: without it anyone who can reach the port could call SpecGate.`,
    );
  }
  const sessions = new SessionTable(
    { maxSessions: http.maxSessions, clientSharePercent: http.clientSharePercent, idleMs: http.sessionIdleMs },
    closeSession,
  );
  const pending = new PendingBodies(Math.floor((runtime.memory.budgetBytes * http.clientSharePercent) / 100));
  // Metrics are recorded from here on (src/perf/metrics.ts): /metrics can read them.
  const registry = await metrics.registry();
  registerBodyGauges(registry, pending);
  const log = logger.child({ component: "http" });
  let port = http.port;
  let closing = false;
  const limiter = http.rateLimitPerSecond > 0 ? (options.rateLimiter ?? defaultRateLimiter(specgate)) : undefined;
  const cors = createCors(http.corsOrigins, isLoopbackHost(http.host));
  const { hostAllowed, originAllowed, authorized, clientKey } = createAccess(http, () => port, cors);
  const mcp = createMcpEndpoint({ specgate, http, sessions, pending, clientKey, closing: () => closing, shuttingDown });
  const open = new OpenResponses();

  async function handle(req: IncomingMessage, res: ServerResponse, route: string): Promise<void> {
    // DNS rebinding: a page on another site whose name resolves here sends that name as Host.
    if (!hostAllowed(req.headers.host))
      return sendJson(res, 403, rpcError(-32000, `Host "${req.headers.host ?? ""}" is not allowed.`));
    if (route === "/healthz") {
      if (req.method !== "GET" && req.method !== "HEAD") return sendJson(res, 405, { error: "method not allowed" });
      return sendJson(res, closing ? 503 : 200, health(runtime, sessions, closing), closing ? DRAINING_HEADERS : {});
    }
    if (closing) return shuttingDown(res);
    if (route === "/metrics") {
      if (!authorized(req)) return unauthorized(req, res);
      res.writeHead(200, { "content-type": registry.contentType });
      res.end(await registry.metrics());
      return;
    }
    if (route !== "/mcp")
      return sendJson(res, 404, { error: "not found", endpoints: ["/mcp", "/healthz", "/metrics"] });

    if (req.method === "OPTIONS") return cors.preflight(req, res);
    if (!originAllowed(req.headers.origin))
      return sendJson(res, 403, rpcError(-32000, `Origin "${req.headers.origin}" is not allowed.`));
    cors.decorate(req, res);
    if (!authorized(req)) return unauthorized(req, res);
    if (limiter) {
      const decision = await limiter.take(clientKey(req));
      if (!decision.ok) {
        req.resume();
        const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
        return sendJson(res, 429, rpcError(-32000, `Too many requests: retry after ${seconds} s.`), {
          "retry-after": String(seconds),
        });
      }
    }
    return mcp(req, res);
  }

  const server = createHttpServer(serverOptions(http), (req, res) => {
    const route = routeOf(req.url);
    const started = performance.now();
    // One listener per response: counted until it closes, timed when it was answered in full.
    open.track(res, route === "/mcp" && req.method === "POST", () => {
      if (res.writableFinished)
        metrics.httpRequestDuration.observe(
          { route, method: methodOf(req.method), status: String(res.statusCode) },
          (performance.now() - started) / 1000,
        );
    });
    handle(req, res, route).catch((error: unknown) => {
      log.error({ err: error }, "unhandled error in HTTP handler");
      if (!res.headersSent) sendJson(res, 500, rpcError(-32603, "Internal server error"));
      else res.end();
    });
  });
  server.maxHeadersCount = 100;

  const sweeper = setInterval(
    () => sessions.sweep(),
    Math.min(60_000, Math.max(1000, Math.floor(http.sessionIdleMs / 4))),
  );
  sweeper.unref();

  await listen(server, http.port, http.host);
  port = (server.address() as AddressInfo).port;
  const hostForUrl = http.host.includes(":") ? `[${http.host}]` : http.host;
  const url = `http://${hostForUrl}:${port}/mcp`;
  log.info(
    { url, mode: http.stateless ? "stateless" : "sessions", auth: Boolean(http.token) },
    "SpecGate MCP server listening",
  );

  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    server,
    sessionCount: () => sessions.size,
    close: () => {
      closed ??= (async () => {
        // Connections stay open (idle keep-alive ones too) while the calls drain: a request that
        // arrives meanwhile is answered 503 + Connection: close, where closing its connection
        // would have reset it.
        closing = true;
        clearInterval(sweeper);
        await specgate.close();
        await open.postsAnswered(ANSWER_GRACE_MS);
        await Promise.allSettled([...sessions.values()].map(closeSession)); // ends GET streams
        sessions.clear();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await open.allAnswered(LAST_ANSWERS_MS);
        server.closeAllConnections();
        await stopped;
      })();
      return closed;
    },
  };
}

/**
 * Slow clients (slowloris): headers must arrive within headersTimeoutMs and the whole request
 * within requestTimeoutMs, checked every second (Node's default check runs every 30 s).
 */
function serverOptions(http: Config["http"]) {
  return {
    requestTimeout: http.requestTimeoutMs,
    headersTimeout: http.headersTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(http.headersTimeoutMs / 2))),
    // Idle keep-alive sockets live 30 s: a busy client whose own 4 s idle timer fires late would
    // otherwise send a request on a socket the server has just closed (the keep-alive race).
    keepAliveTimeout: 30_000,
  };
}

function listen(server: HttpServer, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** `/healthz`: degraded when Redis is down or memory is short, draining during shutdown. */
function health(runtime: Runtime, sessions: SessionTable, closing: boolean) {
  const http = runtime.config.http;
  const tiers = runtime.health();
  const mem = runtime.memory.snapshot();
  const status = closing ? "draining" : tiers.l2 === "down" || mem.overloaded ? "degraded" : "ok";
  return {
    status,
    version: VERSION,
    uptime_s: Math.round((Date.now() - runtime.startedAt) / 1000),
    cache: tiers,
    memory: {
      rss_mb: Math.round(mem.rssBytes / 1048576),
      limit_mb: Math.round(mem.limitBytes / 1048576),
      overloaded: mem.overloaded,
    },
    calls_in_flight: runtime.pipeline.inFlight,
    sessions: sessions.size,
    mode: http.stateless ? "stateless" : "sessions",
  };
}

/** The method as a label: the ones the endpoints answer, anything else as `other` (bounded cardinality). */
function methodOf(method: string | undefined): string {
  return method === "GET" || method === "POST" || method === "DELETE" || method === "OPTIONS" || method === "HEAD"
    ? method
    : "other";
}

function routeOf(url: string | undefined): string {
  if (url === "/mcp") return url; // nearly every request
  const path = (url ?? "/").split("?")[0] ?? "/";
  return path === "/mcp" || path === "/healthz" || path === "/metrics" ? path : "other";
}

function shuttingDown(res: ServerResponse): void {
  sendJson(res, 503, rpcError(-32000, "The server is shutting down. Retry in a moment."), DRAINING_HEADERS);
}

function unauthorized(req: IncomingMessage, res: ServerResponse): void {
  sendJson(res, 401, rpcError(-32001, "Unauthorized: send Authorization: Bearer <SPECGATE_HTTP_TOKEN>."), {
    "www-authenticate": bearerChallenge(req.headers.authorization),
  });
}
