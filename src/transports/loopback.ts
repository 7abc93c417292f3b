/**
 * Loopback names and origins. A server bound to loopback is reachable only from this machine, so
 * a browser page served from this machine (any port: the MCP Inspector's UI on 6274, a dev
 * server) may call it; a page from anywhere else may not, even when its name resolves here.
 */

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/i;

/** `127.x.x.x`, `::1` (bracketed or not), `localhost`, or an IPv4-mapped `127.x.x.x`. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host.replace(/^\[|\]$/g, ""));
}

/**
 * True for an `Origin` header naming a loopback host on any port — `http://localhost:6274`,
 * `http://127.0.0.1:5173`, `http://[::1]:8080` (http or https). Anything else is false: other
 * hosts (`http://localhost.evil.example`, `http://127.0.0.1.evil.example`), `null`, other
 * schemes, and values that are not a bare origin (a path, user info).
 */
export function isLoopbackOrigin(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  if (url.origin !== origin.toLowerCase()) return false;
  return isLoopbackHost(url.hostname);
}
