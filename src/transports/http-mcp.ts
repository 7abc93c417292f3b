/**
 * The `/mcp` endpoint once a request is let in (host, origin, token and rate limit checked):
 * the body (type, cap, metered JSON cost, memory), JSON-RPC framing, then the MCP session it
 * belongs to — or, in stateless mode, a server built for this request alone.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { Config } from "../config.js";
import type { SpecGateServer } from "../server.js";
import { readBody, type PendingBodies } from "./body.js";
import { firstHeader } from "./http-access.js";
import { rpcError, sendJson } from "./http-json.js";
import type { Session, SessionTable } from "./http-sessions.js";

/** JSON-RPC batches (an array body) larger than this are refused: one request, bounded work. */
export const MAX_BATCH = 32;

export interface McpEndpointDeps {
  specgate: SpecGateServer;
  http: Config["http"];
  sessions: SessionTable;
  pending: PendingBodies;
  clientKey: (req: IncomingMessage) => string;
  /** True once shutdown has begun: a body that finished arriving meanwhile is refused. */
  closing: () => boolean;
  /** Answers a request that arrives during shutdown. */
  shuttingDown: (res: ServerResponse) => void;
}

export type McpEndpoint = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function createMcpEndpoint(deps: McpEndpointDeps): McpEndpoint {
  const { specgate, http, sessions, pending, clientKey } = deps;
  const memory = specgate.runtime.memory;

  async function post(req: IncomingMessage, res: ServerResponse, sessionId: string | undefined): Promise<void> {
    const contentType = req.headers["content-type"] ?? "";
    if (!/^application\/json\b/i.test(contentType))
      return sendJson(res, 415, rpcError(-32000, "Content-Type must be application/json."));
    const body = await readBody(req, res, { maxBodyBytes: http.maxBodyBytes, memory, client: clientKey(req), pending });
    if (body === undefined) return; // already answered
    // The drain may have begun while the body arrived.
    if (deps.closing()) {
      body.release();
      return deps.shuttingDown(res);
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
    if (!isInitialize(parsed))
      return sendJson(
        res,
        400,
        rpcError(-32000, "Bad request: no Mcp-Session-Id header; start with an initialize request."),
      );
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
  }

  async function withSession(
    id: string,
    res: ServerResponse,
    fn: (s: Session) => Promise<void>,
    busy = true,
  ): Promise<void> {
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
    const session: Session = {
      server,
      client,
      lastSeen: Date.now(),
      active: 0,
      transport: undefined as unknown as StreamableHTTPServerTransport,
    };
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
    const transport = new StreamableHTTPServerTransport({}); // no session id generator: stateless
    res.on("close", () => {
      void transport.close();
      void mcp.close();
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res, parsed);
  }

  return async (req, res) => {
    const sessionId = firstHeader(req, "mcp-session-id");
    if (req.method === "POST") return post(req, res, sessionId);
    if (req.method === "GET" || req.method === "DELETE") {
      if (http.stateless)
        return sendJson(res, 405, rpcError(-32000, "Method not allowed: this server is stateless."), { allow: "POST" });
      if (!sessionId) return sendJson(res, 400, rpcError(-32000, "Bad request: Mcp-Session-Id header is required."));
      // An open GET stream is not activity: it must not keep its session from eviction or expiry.
      return withSession(sessionId, res, (s) => s.transport.handleRequest(req, res), req.method === "DELETE");
    }
    return sendJson(res, 405, rpcError(-32000, "Method not allowed."), { allow: "GET, POST, DELETE" });
  };
}

/** Closes a session's transport (ending its GET stream) and its server. */
export async function closeSession(session: Session): Promise<void> {
  await Promise.allSettled([session.transport.close(), session.server.close()]);
}

function isInitialize(body: unknown): boolean {
  return Array.isArray(body) ? body.some((m) => isInitializeRequest(m)) : isInitializeRequest(body);
}
