/**
 * Who may call the HTTP endpoint: the Host allow-list (DNS rebinding), the Origin allow-list
 * (browsers: loopback origins on any port when the server is bound to loopback, plus
 * SPECGATE_HTTP_ALLOWED_ORIGINS — or, when that is unset, the server's own loopback origins —
 * plus CORS origins), the bearer token, the client key that rate limits and shares
 * are counted by, and the rate limiter itself.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { RedisDriver } from "../cache/redis/redis-driver.js";
import type { Config } from "../config.js";
import type { SpecGateServer } from "../server.js";
import type { Cors } from "./cors.js";
import { isLoopbackHost, isLoopbackOrigin } from "./loopback.js";
import { MemoryTokenBucket, type RateLimiter } from "./rate-limit.js";
import { RedisTokenBucket } from "./rate-limit-redis.js";

export { isLoopbackHost } from "./loopback.js";

export interface Access {
  hostAllowed(host: string | undefined): boolean;
  originAllowed(origin: string | undefined): boolean;
  authorized(req: IncomingMessage): boolean;
  /** The client's address, or the first X-Forwarded-For address behind a trusted proxy. */
  clientKey(req: IncomingMessage): string;
}

/** `port()` is read per request: the server may have been asked for port 0. */
export function createAccess(http: Config["http"], port: () => number, cors: Cors): Access {
  const loopback = isLoopbackHost(http.host);
  const expectedToken = http.token ? createHash("sha256").update(http.token).digest() : undefined;
  let hosts: { port: number; names: string[] } | undefined;
  /** The loopback names of this server's port, made once the port is known. */
  const loopbackHosts = (): string[] => {
    const p = port();
    if (hosts?.port !== p) hosts = { port: p, names: defaultLoopbackHosts(p) };
    return hosts.names;
  };
  return {
    hostAllowed: (host) => {
      const allowed = http.allowedHosts ?? (loopback ? loopbackHosts() : undefined);
      if (!allowed || allowed.includes("*")) return true;
      return host !== undefined && allowed.includes(host.toLowerCase());
    },
    originAllowed: (origin) => {
      if (origin === undefined) return true; // not a browser
      // A page served from this machine calling a server only this machine can reach.
      if (loopback && isLoopbackOrigin(origin)) return true;
      const allowed = http.allowedOrigins ?? loopbackHosts().map((h) => `http://${h}`);
      return allowed.includes("*") || allowed.includes(origin.toLowerCase()) || cors.allows(origin);
    },
    authorized: (req) => !expectedToken || bearerMatches(req.headers.authorization, expectedToken),
    clientKey: (req) => {
      const forwarded = http.trustProxy ? firstHeader(req, "x-forwarded-for")?.split(",")[0]?.trim() : undefined;
      return forwarded || req.socket.remoteAddress || "unknown";
    },
  };
}

/**
 * Whether an Authorization header is `Bearer <token>` for the token whose SHA-256 digest is
 * `expected`. The presented token is hashed too, so the comparison is `timingSafeEqual` over two
 * 32-byte digests: its time does not depend on where, or whether, the tokens differ, nor on the
 * presented token's length.
 */
export function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  if (
    header === undefined ||
    header.length < 8 ||
    header.slice(0, 6).toLowerCase() !== "bearer" ||
    !/\s/.test(header[6]!)
  )
    return false;
  const presented = header.slice(7).trim();
  return presented.length > 0 && timingSafeEqual(createHash("sha256").update(presented).digest(), expected);
}

/**
 * The `WWW-Authenticate` challenge of a 401 (RFC 6750): the Bearer scheme in realm "specgate", and
 * a description saying that the token is a static one set on the server, so that a client does not
 * look for an OAuth authorization server (none is advertised: no `resource_metadata`). `error` is
 * `invalid_token` only when a token was presented, as RFC 6750 §3.1 asks.
 */
export function bearerChallenge(header: string | undefined): string {
  const presented = header !== undefined && /^bearer\s+\S/i.test(header);
  return presented
    ? 'Bearer realm="specgate", error="invalid_token", error_description="The bearer token is not the static token this server was started with (SPECGATE_HTTP_TOKEN)"'
    : 'Bearer realm="specgate", error_description="A static bearer token is expected: Authorization: Bearer <the SPECGATE_HTTP_TOKEN of this server>. There is no OAuth sign-in"';
}

/** Redis-backed when the runtime has a Redis L2 (the limit then holds across instances), else in memory. */
export function defaultRateLimiter(specgate: SpecGateServer): RateLimiter {
  const { config, remote, logger } = specgate.runtime;
  const { rateLimitPerSecond: ratePerSecond, rateLimitBurst: burst } = config.http;
  if (remote instanceof RedisDriver) {
    const timeoutMs = Math.max(100, config.cache.redisTimeoutMs * 2);
    return new RedisTokenBucket({
      client: remote.client,
      ratePerSecond,
      burst,
      prefix: config.cache.prefix,
      timeoutMs,
      logger: logger.child({ component: "rate-limit" }),
    });
  }
  return new MemoryTokenBucket({ ratePerSecond, burst });
}

export function firstHeader(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function defaultLoopbackHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}
