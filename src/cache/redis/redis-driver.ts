/**
 * The Redis L2 driver over ioredis: standalone, Sentinel-managed or Cluster. Clients are built by
 * ./connect.ts with settings under which nothing waits for a dead server (no offline queue,
 * command timeout, explicit connect); this class only maps the driver interface to commands.
 *
 * Cluster safety: every command names one key (GET, SET, UNLINK, the lock scripts), so no
 * command ever spans slots; SCAN runs on every master, and the keys it finds are unlinked on
 * that master, one UNLINK per key in a pipeline.
 *
 * Pub/sub uses its own connection (a subscribed connection cannot run other commands). After
 * each (re)connection it subscribes again and calls `onSubscribed`; in cluster mode it attaches
 * to one master at a time (PUBLISH reaches every node) and moves to another if that one goes.
 */
import type { Cluster, Redis } from "ioredis";
import type { Logger } from "../../logger.js";
import type { RemoteCacheDriver, RemoteInfo } from "../types.js";

export type RedisClient = Redis | Cluster;

/** Compare-and-delete and compare-and-extend: only the lock's owner may release or extend it. */
const RELEASE_LOCK = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const EXTEND_LOCK = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

interface LockCommands {
  specgateReleaseLock(key: string, token: string): Promise<number>;
  specgateExtendLock(key: string, token: string, ttlMs: number): Promise<number>;
}

const SCAN_COUNT = 1000;

export interface RedisDriverOptions {
  name: "redis" | "redis-cluster" | "redis-sentinel";
  client: RedisClient;
  /** A fresh, not yet connected connection for pub/sub. */
  subscriber: () => Redis | Cluster;
  logger?: Logger;
}

export class RedisDriver implements RemoteCacheDriver {
  readonly name: string;
  readonly client: RedisClient;
  private readonly newSubscriber: () => Redis | Cluster;
  private readonly logger: Logger | undefined;
  /** The last connection error since the connection was last ready (e.g. WRONGPASS), for startup logs. */
  lastError: string | undefined;
  private subscriberConn: Redis | Cluster | undefined;
  private closing = false;

  constructor(options: RedisDriverOptions) {
    this.name = options.name;
    this.client = options.client;
    this.newSubscriber = options.subscriber;
    this.logger = options.logger;
    this.client.defineCommand("specgateReleaseLock", { numberOfKeys: 1, lua: RELEASE_LOCK });
    this.client.defineCommand("specgateExtendLock", { numberOfKeys: 1, lua: EXTEND_LOCK });
    // Errors surface through failed commands (and the breaker); keep them out of the default
    // "unhandled error event" path and log each distinct one once per outage.
    this.client.on("error", (error: Error) => {
      if (error.message === this.lastError) return;
      this.lastError = error.message;
      this.logger?.debug({ err: error.message }, "redis connection error");
    });
    this.client.on("ready", () => (this.lastError = undefined));
  }

  /** Connects once; rejects if the first attempt fails (the client keeps retrying in the background). */
  async connect(): Promise<void> {
    await this.client.connect();
  }

  ready(): boolean {
    // Once close() has begun, the connection may report "ready" until its socket has gone.
    return !this.closing && this.client.status === "ready";
  }

  onReady(listener: () => void): void {
    this.client.on("ready", listener);
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  async get(key: string): Promise<Buffer | undefined> {
    return (await this.client.getBuffer(key)) ?? undefined;
  }

  async set(key: string, value: Buffer, ttlMs: number): Promise<void> {
    await this.client.set(key, value, "PX", Math.max(1, Math.round(ttlMs)));
  }

  async delete(keys: readonly string[]): Promise<number> {
    const counts = await Promise.all(keys.map((key) => this.client.unlink(key)));
    return counts.reduce((a, b) => a + b, 0);
  }

  async deleteMatching(pattern: string, filter?: (key: string) => boolean, signal?: AbortSignal): Promise<number> {
    let removed = 0;
    for (const node of this.masters()) {
      await scan(node, pattern, signal, async (keys) => {
        const chosen = filter ? keys.filter(filter) : keys;
        if (chosen.length === 0) return;
        const results = (await node.pipeline(chosen.map((key) => ["unlink", key])).exec()) ?? [];
        for (const [error, count] of results) {
          if (error) throw error;
          removed += Number(count) || 0;
        }
      });
    }
    return removed;
  }

  async countMatching(
    pattern: string,
    group: (key: string) => string | undefined,
    signal?: AbortSignal,
  ): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const node of this.masters()) {
      await scan(node, pattern, signal, async (keys) => {
        for (const key of keys) {
          const name = group(key);
          if (name !== undefined) counts[name] = (counts[name] ?? 0) + 1;
        }
      });
    }
    return counts;
  }

  async acquireLock(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.client.set(key, token, "PX", Math.max(1, Math.round(ttlMs)), "NX")) === "OK";
  }

  async extendLock(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (
      (await (this.client as unknown as LockCommands).specgateExtendLock(
        key,
        token,
        Math.max(1, Math.round(ttlMs)),
      )) === 1
    );
  }

  async releaseLock(key: string, token: string): Promise<boolean> {
    return (await (this.client as unknown as LockCommands).specgateReleaseLock(key, token)) === 1;
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.client.publish(channel, message);
  }

  async subscribe(channel: string, onMessage: (message: string) => void, onSubscribed: () => void): Promise<void> {
    const open = () => {
      if (this.closing) return;
      const conn = this.newSubscriber();
      this.subscriberConn = conn;
      let lastError = "";
      conn.on("error", (error: Error) => {
        if (error.message === lastError) return;
        lastError = error.message;
        this.logger?.debug({ err: error.message }, "redis subscriber connection error");
      });
      conn.on("message", (from: string, message: string) => {
        if (from === channel) onMessage(message);
      });
      conn.on("ready", () => {
        lastError = "";
        conn.subscribe(channel).then(
          () => onSubscribed(),
          (error: unknown) =>
            this.logger?.debug({ err: String(error) }, "redis subscribe failed; will retry on reconnect"),
        );
      });
      // A standalone subscriber reconnects by itself; a cluster one ends when its node is gone.
      conn.once("end", () => {
        if (this.closing || this.subscriberConn !== conn) return;
        setTimeout(open, 500).unref();
      });
      conn.connect().catch(() => undefined);
    };
    open();
  }

  async info(): Promise<RemoteInfo> {
    let keys = 0;
    let memoryBytes = 0;
    let version = "";
    const masters = this.masters();
    for (const node of masters) {
      const [size, text] = await Promise.all([
        node.dbsize(),
        node.info("server").then(async (s) => s + (await node.info("memory"))),
      ]);
      keys += size;
      memoryBytes += Number(/^used_memory:(\d+)/m.exec(text)?.[1] ?? 0);
      version ||= /^redis_version:([^\r\n]+)/m.exec(text)?.[1] ?? "";
    }
    return { mode: this.name, version, keys, memoryBytes, masters: masters.length };
  }

  async close(): Promise<void> {
    this.closing = true;
    const conns = [this.client, this.subscriberConn].filter((c): c is RedisClient => c !== undefined);
    await Promise.all(
      conns.map(async (conn) => {
        if (conn.status === "ready") {
          await Promise.race([conn.quit().catch(() => undefined), new Promise((r) => setTimeout(r, 500).unref())]);
        }
        conn.disconnect();
      }),
    );
  }

  /** The connections SCAN must visit: every master of a cluster, or the one server. */
  private masters(): Redis[] {
    if ("nodes" in this.client && typeof this.client.nodes === "function" && this.name === "redis-cluster") {
      return (this.client as Cluster).nodes("master");
    }
    return [this.client as Redis];
  }
}

/** SCAN cursor loop over one node, handing each batch of keys to `each`; checks `signal` between batches. */
async function scan(
  node: Redis,
  pattern: string,
  signal: AbortSignal | undefined,
  each: (keys: string[]) => Promise<void>,
): Promise<void> {
  let cursor = "0";
  do {
    signal?.throwIfAborted();
    const [next, keys] = await node.scan(cursor, "MATCH", pattern, "COUNT", SCAN_COUNT);
    cursor = next;
    if (keys.length > 0) await each(keys);
  } while (cursor !== "0");
}
