/**
 * The undici dispatcher the Confluence client sends through: a Pool to the configured origin,
 * or, behind a forward proxy, a ProxyAgent whose only origin is that same one.
 *
 * - https base: a CONNECT tunnel through the proxy, TLS end to end with Confluence (the proxy
 *   sees the host name and port, never the requests, credentials or pages; the certificate is
 *   checked against the base URL's host name, so a proxy cannot stand in for the wiki).
 * - http base: requests are forwarded in absolute form (`GET http://wiki/...`), as proxies expect
 *   for plain HTTP; the proxy sees everything, the Authorization header included.
 * - The client certificate and CA go to the TLS session with Confluence; an https proxy is
 *   checked against the same CA (public roots plus CONFLUENCE_CA_CERT).
 */
import { createRequire } from "node:module";
import type { Dispatcher, Pool } from "undici";
import type { ConfluenceSettings } from "./settings.js";

// undici takes longer to load than the rest of the server's start (~70 ms): it is loaded when a
// Confluence client is made, not when a server that may never reach Confluence starts.
const require = createRequire(import.meta.url);
const undici = () => require("undici") as typeof import("undici");

export interface PoolCounts {
  connected: number;
  free: number;
  pending: number;
  queued: number;
  running: number;
  size: number;
}

export interface ConfluenceDispatcher {
  readonly dispatcher: Dispatcher;
  /** Connections and requests, summed over the pools behind the dispatcher. */
  counts(): PoolCounts;
}

export function createDispatcher(settings: ConfluenceSettings, connectTimeoutMs: number): ConfluenceDispatcher {
  const { Pool, ProxyAgent } = undici();
  const { baseUrl, network } = settings;
  const poolOptions: Pool.Options = {
    connections: settings.concurrency,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 300_000,
    headersTimeout: settings.requestTimeoutMs,
    bodyTimeout: settings.requestTimeoutMs,
  };
  const tls = { ...network.tls, timeout: connectTimeoutMs };
  if (!network.proxy) {
    const pool = new Pool(baseUrl.origin, { ...poolOptions, connect: tls });
    return { dispatcher: pool, counts: () => sum([pool]) };
  }
  const pools: Pool[] = [];
  const dispatcher = new ProxyAgent({
    ...poolOptions,
    uri: network.proxy.href,
    proxyTunnel: baseUrl.protocol === "https:",
    requestTls: tls,
    proxyTls: { ...(network.tls.ca ? { ca: network.tls.ca } : {}), timeout: connectTimeoutMs },
    // Every pool it makes (to the origin through the tunnel, or to the proxy when forwarding)
    // keeps the client's limits, and is counted.
    factory: (origin: string | URL, options: object) => {
      const pool = new Pool(origin, { ...poolOptions, ...options });
      pools.push(pool);
      return pool;
    },
  });
  return { dispatcher, counts: () => sum(pools) };
}

function sum(pools: readonly Pool[]): PoolCounts {
  const out: PoolCounts = { connected: 0, free: 0, pending: 0, queued: 0, running: 0, size: 0 };
  for (const pool of pools) {
    const s = pool.stats;
    out.connected += s.connected;
    out.free += s.free;
    out.pending += s.pending;
    out.queued += s.queued;
    out.running += s.running;
    out.size += s.size;
  }
  return out;
}
