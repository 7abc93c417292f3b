/**
 * Streamable HTTP transport: `POST|GET|DELETE /mcp`, `GET /healthz`, `GET /metrics`.
 *
 * Every request first passes the Host allow-list (DNS rebinding; /healthz and /metrics too).
 * Before any MCP processing, every /mcp request then passes, in order: CORS preflight (only for
 * SPECGATE_HTTP_CORS_ORIGINS), Origin allow-list, bearer-token auth when a token is configured
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
import { randomUUID } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { ConfigError } from "../config.js";
import type { SpecGateServer } from "../server.js";
import { PendingBodies, readBody, registerBodyGauges } from "./body.js";
import { createCors } from "./cors.js";
import { createAccess, defaultRateLimiter, firstHeader, isLoopbackHost } from "./http-access.js";
import { rpcError, sendJson } from "./http-json.js";
import { SessionTable, type Session } from "./http-sessions.js";
import type { RateLimiter } from "./rate-limit.js";
import { VERSION } from "../version.js";

export { bearerMatches, isLoopbackHost } from "./http-access.js";

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

/** JSON-RPC batches (an array body) larger than this are refused: one request, bounded work. */
export const MAX_BATCH = 32;

export interface HttpOptions {
  /** Shared rate-limit store (e.g. Redis-backed); defaults to an in-memory token bucket. */
  rateLimiter?: RateLimiter;
}

export async function startHttpServer(specgate: SpecGateServer, options: HttpOptions = {}): Promise<HttpHandle> {
  const { runtime } = specgate;
  const { config, logger, metrics } = runtime;
  const http = config.http;
  const loopback = isLoopbackHost(http.host);
  if (!loopback && !http.token) {
    throw new ConfigError(
      `SPECGATE_HTTP_TOKEN must be set to serve on ${http.host}, a non-loopback address: without it anyone who can reach the port could call SpecGate.`,
    );
  }
  const sessions = new SessionTable({ maxSessions: http.maxSessions, clientSharePercent: http.clientSharePercent, idleMs: http.sessionIdleMs }, closeSession);
  const pending = new PendingBodies(Math.floor((runtime.memory.budgetBytes * http.clientSharePercent) / 100));
  registerBodyGauges(runtime.metrics.registry, pending);
  const log = logger.child({ component: "http" });
  let port = http.port;
  let closing = false;
  const limiter = http.rateLimitPerSecond > 0 ? (options.rateLimiter ?? defaultRateLimiter(specgate)) : undefined;
  const cors = createCors(http.corsOrigins);
  const { hostAllowed, originAllowed, authorized, clientKey } = createAccess(http, () => port, cors);

  // Slow clients (slowloris): headers must arrive within headersTimeoutMs and the whole request
  // within requestTimeoutMs, checked every second (Node's default check runs every 30 s).
  const serverOptions = {
    requestTimeout: http.requestTimeoutMs,
    headersTimeout: http.headersTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(http.headersTimeoutMs / 2))),
    // Idle keep-alive sockets live 30 s: a busy client whose own 4 s idle timer fires late would
    // otherwise send a request on a socket the server has just closed (the keep-alive race).
    keepAliveTimeout: 30_000,
  };
  // Responses not finished: on shutdown, POSTs to /mcp get to write their answer (a result, or
  // E_CANCELLED once the drain bound passes), and the rest theirs, before connections are closed.
  const open = { posts: 0, all: 0 };
  let answered: (() => void) | undefined;
  const server = createHttpServer(serverOptions, (req, res) => {
    const route = routeOf(req.url);
    const post = route === "/mcp" && req.method === "POST";
    open.all++;
    if (post) open.posts++;
    res.once("close", () => {
      open.all--;
      if (post) open.posts--;
      answered?.();
    });
    res.on("finish", () => metrics.httpRequests.inc({ route, status: String(res.statusCode) }));
    handle(req, res, route).catch((error: unknown) => {
      log.error({ err: error }, "unhandled error in HTTP handler");
      if (!res.headersSent) sendJson(res, 500, rpcError(-32603, "Internal server error"));
      else res.end();
    });
  });
  server.maxHeadersCount = 100;

  async function handle(req: IncomingMessage, res: ServerResponse, route: string): Promise<void> {
    // DNS rebinding: a page on another site whose name resolves here sends that name as Host.
    if (!hostAllowed(req.headers.host)) return sendJson(res, 403, rpcError(-32000, `Host "${req.headers.host ?? ""}" is not allowed.`));
    if (route === "/healthz") {
      if (req.method !== "GET" && req.method !== "HEAD") return sendJson(res, 405, { error: "method not allowed" });
      return sendJson(res, closing ? 503 : 200, health(), closing ? DRAINING_HEADERS : {});
    }
    if (closing) return shuttingDown(res);
    if (route === "/metrics") {
      if (!authorized(req)) return unauthorized(res);
      res.writeHead(200, { "content-type": runtime.metrics.registry.contentType });
      res.end(await runtime.metrics.registry.metrics());
      return;
    }
    if (route !== "/mcp") return sendJson(res, 404, { error: "not found", endpoints: ["/mcp", "/healthz", "/metrics"] });

    if (req.method === "OPTIONS") return cors.preflight(req, res);
    if (!originAllowed(req.headers.origin)) return sendJson(res, 403, rpcError(-32000, `Origin "${req.headers.origin}" is not allowed.`));
    cors.decorate(req, res);
    if (!authorized(req)) return unauthorized(res);
    if (limiter) {
      const decision = await limiter.take(clientKey(req));
      if (!decision.ok) {
        req.resume();
        const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
        return sendJson(res, 429, rpcError(-32000, `Too many requests: retry after ${seconds} s.`), { "retry-after": String(seconds) });
      }
    }

    const sessionId = firstHeader(req, "mcp-session-id");
    if (req.method === "POST") {
      const contentType = req.headers["content-type"] ?? "";
      if (!/^application\/json\b/i.test(contentType)) {
        return sendJson(res, 415, rpcError(-32000, "Content-Type must be application/json."));
      }
      const body = await readBody(req, res, { maxBodyBytes: http.maxBodyBytes, memory: runtime.memory, client: clientKey(req), pending });
      if (body === undefined) return; // already answered
      // The drain may have begun while the body arrived.
      if (closing) {
        body.release();
        return shuttingDown(res);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.bytes.toString("utf8")); // its cost was metered as it arrived
      } catch {
        return sendJson(res, 400, rpcError(-32700, "Parse error: the body is not valid JSON."));
      } finally {
        body.release();
      }
      if (Array.isArray(parsed) && (parsed.length === 0 || parsed.length > MAX_BATCH)) {
        return sendJson(res, 400, rpcError(-32600, `Invalid request: a batch must hold 1 to ${MAX_BATCH} messages.`));
      }
      if (http.stateless) return serveStateless(req, res, parsed);
      if (sessionId) return withSession(sessionId, res, (s) => s.transport.handleRequest(req, res, parsed));
      if (!isInitialize(parsed)) {
        return sendJson(res, 400, rpcError(-32000, "Bad request: no Mcp-Session-Id header; start with an initialize request."));
      }
      const admission = sessions.admit(clientKey(req));
      if (!admission.ok) return sendJson(res, 503, rpcError(-32000, admission.message), { "retry-after": "5" });
      const session = await openSession(clientKey(req));
      session.active++;
      try {
        await session.transport.handleRequest(req, res, parsed);
      } finally {
        session.active--;
        session.lastSeen = Date.now();
      }
      return;
    }
    if (req.method === "GET" || req.method === "DELETE") {
      if (http.stateless) return sendJson(res, 405, rpcError(-32000, "Method not allowed: this server is stateless."), { allow: "POST" });
      if (!sessionId) return sendJson(res, 400, rpcError(-32000, "Bad request: Mcp-Session-Id header is required."));
      // An open GET stream is not activity: it must not keep its session from eviction or expiry.
      return withSession(sessionId, res, (s) => s.transport.handleRequest(req, res), req.method === "DELETE");
    }
    return sendJson(res, 405, rpcError(-32000, "Method not allowed."), { allow: "GET, POST, DELETE" });
  }

  async function withSession(id: string, res: ServerResponse, fn: (s: Session) => Promise<void>, busy = true): Promise<void> {
    const session = sessions.get(id);
    if (!session) return sendJson(res, 404, rpcError(-32001, "Session not found; re-initialize."));
    session.lastSeen = Date.now();
    if (!busy) return fn(session);
    session.active++;
    try {
      await fn(session);
    } finally {
      session.active--;
      session.lastSeen = Date.now();
    }
  }

  async function openSession(client: string): Promise<Session> {
    const server = specgate.newSession();
    const session: Session = { server, client, lastSeen: Date.now(), active: 0, transport: undefined as unknown as StreamableHTTPServerTransport };
    session.transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, session);
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
      },
    });
    session.transport.onclose = () => {
      const id = session.transport.sessionId;
      if (id) sessions.delete(id);
    };
    await server.connect(session.transport);
    return session;
  }

  async function serveStateless(req: IncomingMessage, res: ServerResponse, parsed: unknown): Promise<void> {
    const mcp = specgate.newSession();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on("close", () => {
      void transport.close();
      void mcp.close();
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res, parsed);
  }

  function health() {
    const tiers = runtime.health();
    const mem = runtime.memory.snapshot();
    const status = closing ? "draining" : tiers.l2 === "down" || mem.overloaded ? "degraded" : "ok";
    return {
      status,
      version: VERSION,
      uptime_s: Math.round((Date.now() - runtime.startedAt) / 1000),
      cache: tiers,
      memory: { rss_mb: Math.round(mem.rssBytes / 1048576), limit_mb: Math.round(mem.limitBytes / 1048576), overloaded: mem.overloaded },
      calls_in_flight: runtime.pipeline.inFlight,
      sessions: sessions.size,
      mode: http.stateless ? "stateless" : "sessions",
    };
  }

  const sweeper = setInterval(() => sessions.sweep(), Math.min(60_000, Math.max(1000, Math.floor(http.sessionIdleMs / 4))));
  sweeper.unref();

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(http.port, http.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const hostForUrl = http.host.includes(":") ? `[${http.host}]` : http.host;
  const url = `http://${hostForUrl}:${port}/mcp`;
  log.info({ url, mode: http.stateless ? "stateless" : "sessions", auth: Boolean(http.token) }, "SpecGate MCP server listening");

  /** Resolves once `done()` holds (checked as responses finish), or after `ms`. */
  function settle(done: () => boolean, ms: number): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        answered = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      answered = () => done() && finish();
    });
  }

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
        await settle(() => open.posts === 0, ANSWER_GRACE_MS);
        await Promise.allSettled([...sessions.values()].map(closeSession)); // ends GET streams
        sessions.clear();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await settle(() => open.all === 0, LAST_ANSWERS_MS);
        server.closeAllConnections();
        await stopped;
      })();
      return closed;
    },
  };
}

async function closeSession(session: Session): Promise<void> {
  await Promise.allSettled([session.transport.close(), session.server.close()]);
}

function routeOf(url: string | undefined): string {
  const path = (url ?? "/").split("?")[0] ?? "/";
  return path === "/mcp" || path === "/healthz" || path === "/metrics" ? path : "other";
}

function isInitialize(body: unknown): boolean {
  return Array.isArray(body) ? body.some((m) => isInitializeRequest(m)) : isInitializeRequest(body);
}

function shuttingDown(res: ServerResponse): void {
  sendJson(res, 503, rpcError(-32000, "The server is shutting down. Retry in a moment."), DRAINING_HEADERS);
}

function unauthorized(res: ServerResponse): void {
  sendJson(res, 401, rpcError(-32001, "Unauthorized: send Authorization: Bearer <SPECGATE_HTTP_TOKEN>."), { "www-authenticate": 'Bearer realm="specgate"' });
}
