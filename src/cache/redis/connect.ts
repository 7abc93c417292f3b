/**
 * Builds the Redis L2 driver from the Config: `REDIS_URL` (standalone, `rediss://` for TLS,
 * credentials in the URL), `REDIS_CLUSTER_NODES` (ioredis Cluster) or `REDIS_SENTINELS`
 * (+ `REDIS_SENTINEL_MASTER`).
 *
 * The ioredis settings are chosen so that no call ever waits for a dead or paused server: an
 * explicit `connect()` (lazyConnect), no offline queue (a command on a broken connection fails
 * at once), `commandTimeout`, one retry per request, and a capped, jittered reconnect backoff
 * that never gives up.
 *
 * Startup policy: a Redis that is unreachable or refuses the credentials is a warning, not an
 * error. The server starts memory-only (L2 "down"), keeps reconnecting in the background, and
 * uses L2 as soon as it answers. Redis is an accelerator, never a dependency.
 */
import { hostname } from "node:os";
import { Cluster, Redis, type ClusterNode, type ClusterOptions, type RedisOptions } from "ioredis";
import type { Config } from "../../config.js";
import type { Logger } from "../../logger.js";
import { l2HardCapMs } from "../remote-tier.js";
import { RedisDriver } from "./redis-driver.js";

export interface ConnectOptions {
  /** Names the connections (`CLIENT LIST`) so operators can tell instances apart. */
  instanceId?: string;
  /** Wait at most this long for the first connection (default: the connect timeout). */
  waitMs?: number;
}

/** Reconnect delay: 100 ms doubling to 5 s, plus up to 100 ms of jitter so replicas spread out. */
export function reconnectDelay(attempt: number): number {
  return Math.min(100 * 2 ** Math.min(Math.max(attempt - 1, 0), 6), 5000) + Math.floor(Math.random() * 100);
}

/** The L2 driver for this config (connected if possible), or undefined when no Redis is configured. Never throws. */
export async function connectRedis(
  config: Config,
  logger: Logger,
  options: ConnectOptions = {},
): Promise<RedisDriver | undefined> {
  const driver = createRedisDriver(config, logger, options);
  if (!driver) return undefined;
  const target = describeRedis(config);
  const waitMs = options.waitMs ?? config.cache.redisConnectTimeoutMs;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      driver.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${waitMs} ms`)), waitMs);
      }),
    ]);
    logger.info({ redis: target, mode: driver.name }, "L2 cache connected");
  } catch (error) {
    logger.warn(
      {
        redis: target,
        mode: driver.name,
        err: driver.lastError ?? (error instanceof Error ? error.message : String(error)),
      },
      "Redis is unreachable or refused the connection: serving from memory only (L1) and retrying in the background",
    );
  } finally {
    clearTimeout(timer);
  }
  return driver;
}

/** The driver for this config, not yet connected; undefined without Redis settings. */
export function createRedisDriver(
  config: Config,
  logger: Logger,
  options: ConnectOptions = {},
): RedisDriver | undefined {
  const c = config.cache;
  const log = logger.child({ component: "redis" });
  const name = `specgate-${(options.instanceId ?? `${hostname()}-${process.pid}`).replace(/[^\w.-]/g, "").slice(0, 48)}`;
  const base: RedisOptions = {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // A backstop behind the facade's own per-operation timeouts (RemoteTier), which are what
    // bound a call; this one only frees ioredis' queue, so it must not fire merely because the
    // event loop was blocked for a moment.
    commandTimeout: l2HardCapMs(c.redisTimeoutMs) + 100,
    connectTimeout: c.redisConnectTimeoutMs,
    enableAutoPipelining: true,
    autoResubscribe: false,
    retryStrategy: reconnectDelay,
    // After a failover the old master answers READONLY: reconnect (and resend) to the new one.
    reconnectOnError: (error) => (error.message.startsWith("READONLY") ? 2 : false),
    connectionName: name,
  };
  if (c.redisUrl) {
    const url = c.redisUrl;
    return new RedisDriver({
      name: "redis",
      client: new Redis(url, base),
      subscriber: () => new Redis(url, { ...base, connectionName: `${name}-sub` }),
      logger: log,
    });
  }
  const creds = {
    ...(c.redisUsername ? { username: c.redisUsername } : {}),
    ...(c.redisPassword ? { password: c.redisPassword } : {}),
  };
  if (c.redisSentinels) {
    const sentinelOptions: RedisOptions = {
      ...base,
      ...creds,
      sentinels: c.redisSentinels.map(parseNode).map(({ host, port }) => ({ host, port })),
      name: c.redisSentinelMaster,
      ...(c.redisSentinelPassword ? { sentinelPassword: c.redisSentinelPassword } : {}),
      sentinelRetryStrategy: reconnectDelay,
      ...(c.redisTls ? { tls: {}, enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
    };
    return new RedisDriver({
      name: "redis-sentinel",
      client: new Redis(sentinelOptions),
      subscriber: () => new Redis({ ...sentinelOptions, connectionName: `${name}-sub` }),
      logger: log,
    });
  }
  if (c.redisClusterNodes) {
    const nodes = c.redisClusterNodes.map(parseNode);
    const first = nodes[0]!;
    const tls = c.redisTls || nodes.some((n) => n.tls);
    const nodeOptions: RedisOptions = {
      ...base,
      ...(first.username ? { username: first.username } : {}),
      ...(first.password ? { password: first.password } : {}),
      ...creds,
      ...(tls ? { tls: {} } : {}),
    };
    const clusterOptions: ClusterOptions = {
      lazyConnect: true,
      enableOfflineQueue: false,
      enableReadyCheck: true,
      enableAutoPipelining: true,
      clusterRetryStrategy: reconnectDelay,
      slotsRefreshTimeout: Math.max(1000, c.redisConnectTimeoutMs),
      retryDelayOnFailover: 100,
      retryDelayOnClusterDown: 100,
      scaleReads: "master",
      redisOptions: nodeOptions,
    };
    const cluster = new Cluster(
      nodes.map(({ host, port }): ClusterNode => ({ host, port })),
      clusterOptions,
    );
    // Pub/sub on one master at a time (PUBLISH reaches every node of a cluster); when that node
    // is gone the connection ends and the driver attaches to another.
    const subscriber = () => {
      const known = cluster.nodes("master").map((n) => ({ host: n.options.host ?? "", port: n.options.port ?? 6379 }));
      const pool = known.length > 0 ? known : nodes;
      const pick = pool[Math.floor(Math.random() * pool.length)]!;
      return new Redis({
        ...nodeOptions,
        host: pick.host,
        port: pick.port,
        connectionName: `${name}-sub`,
        retryStrategy: (attempt) => (attempt > 3 ? null : reconnectDelay(attempt)),
      });
    };
    return new RedisDriver({ name: "redis-cluster", client: cluster, subscriber, logger: log });
  }
  return undefined;
}

interface ParsedNode {
  host: string;
  port: number;
  username?: string;
  password?: string;
  tls: boolean;
}

/** `host:port`, `[v6]:port` or `redis[s]://[user:pass@]host:port`. */
export function parseNode(text: string): ParsedNode {
  const url = new URL(/^rediss?:\/\//.test(text) ? text : `redis://${text}`);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: Number(url.port || 6379),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    tls: url.protocol === "rediss:",
  };
}

/** Where L2 lives, for logs and `cache stats`: addresses only, never credentials. */
export function describeRedis(config: Config): string {
  const c = config.cache;
  const strip = (text: string) => {
    const n = parseNode(text);
    return `${n.tls ? "rediss" : "redis"}://${n.host.includes(":") ? `[${n.host}]` : n.host}:${n.port}`;
  };
  if (c.redisUrl) {
    const u = new URL(c.redisUrl);
    return `${u.protocol}//${u.host}${u.pathname.length > 1 ? u.pathname : ""}`;
  }
  if (c.redisSentinels) return `sentinel ${c.redisSentinelMaster} via ${c.redisSentinels.map(strip).join(",")}`;
  if (c.redisClusterNodes) return `cluster ${c.redisClusterNodes.map(strip).join(",")}`;
  return "none";
}
