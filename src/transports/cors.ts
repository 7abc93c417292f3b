/**
 * CORS for `/mcp`, only for the origins listed in `SPECGATE_HTTP_CORS_ORIGINS` and, when the
 * server is bound to loopback, for loopback origins on any port (a browser client such as the MCP
 * Inspector's UI on http://localhost:6274): a page served from one of them may call SpecGate
 * (with the bearer token when one is set); every other origin gets no CORS header at all, so
 * browsers keep their same-origin protection. These origins also pass the Origin allow-list
 * (DNS-rebinding check).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { isLoopbackOrigin } from "./loopback.js";

/** Request headers an MCP client sends (Streamable HTTP). */
const ALLOWED_HEADERS = "authorization, content-type, accept, mcp-session-id, mcp-protocol-version, last-event-id";
/** Response headers a browser client must be able to read. */
const EXPOSED_HEADERS = "mcp-session-id, mcp-protocol-version, www-authenticate, retry-after";

export interface Cors {
  /** True when `origin` is a listed CORS origin. */
  allows(origin: string | undefined): boolean;
  /**
   * Adds the CORS response headers for a listed origin (before anything is written), and
   * `Vary: Origin` to the answer of any request that carries an Origin.
   */
  decorate(req: IncomingMessage, res: ServerResponse): void;
  /** Answers a preflight (`OPTIONS`): 204 with the headers for a listed origin, 403 otherwise. */
  preflight(req: IncomingMessage, res: ServerResponse): void;
}

/**
 * `origins`: SPECGATE_HTTP_CORS_ORIGINS. `loopbackServer`: the server is bound to loopback, so
 * pages from loopback origins (this machine) get CORS too.
 */
export function createCors(origins: readonly string[] | undefined, loopbackServer = false): Cors {
  const listed = new Set((origins ?? []).map((o) => o.toLowerCase().replace(/\/$/, "")));
  const allows = (origin: string | undefined) =>
    origin !== undefined &&
    (listed.has(origin.toLowerCase()) || listed.has("*") || (loopbackServer && isLoopbackOrigin(origin)));
  const decorate = (req: IncomingMessage, res: ServerResponse) => {
    const origin = req.headers.origin;
    // Only a browser's request (one with an Origin) can get an answer that depends on it. A
    // request without one gets no Vary: its answer is never cacheable (POST, or an event stream
    // marked no-cache), and a header set here, before the MCP transport writes its own, makes
    // every small answer measurably slower (docs/benchmarks/startup-and-overhead.md).
    if (origin === undefined) return;
    res.setHeader("vary", "Origin");
    if (!allows(origin)) return;
    res.setHeader("access-control-allow-origin", origin);
    res.setHeader("access-control-expose-headers", EXPOSED_HEADERS);
  };
  return {
    allows,
    decorate,
    preflight: (req, res) => {
      decorate(req, res);
      if (!allows(req.headers.origin)) {
        res.writeHead(403, { "content-type": "text/plain" });
        res.end(
          "CORS: this origin is not allowed (SPECGATE_HTTP_CORS_ORIGINS, or a loopback origin when bound to loopback).",
        );
        return;
      }
      res.writeHead(204, {
        "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
        "access-control-allow-headers": ALLOWED_HEADERS,
        "access-control-max-age": "600",
      });
      res.end();
    },
  };
}
