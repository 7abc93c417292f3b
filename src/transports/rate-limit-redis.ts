/**
 * A token bucket in Redis, so that a per-client rate limit holds across every SpecGate instance
 * sharing that Redis (one Lua script per request: refill by elapsed time on Redis' own clock,
 * take a token, expire idle buckets). Redis is an accelerator here too: when it is not ready,
 * slow (past the L2 timeout) or failing, the instance falls back to its own in-memory bucket —
 * the limit then holds per instance — and never refuses a request because Redis is down.
 */
import type { Cluster, Redis } from "ioredis";
import type { Logger } from "../logger.js";
import { MemoryTokenBucket, type RateDecision, type RateLimiter } from "./rate-limit.js";

const TAKE = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call("HMGET", KEYS[1], "tokens", "at")
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) / 1000 * rate)
local ok = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  ok = 1
else
  wait = math.ceil((1 - tokens) / rate * 1000)
end
redis.call("HSET", KEYS[1], "tokens", tostring(tokens), "at", tostring(now))
redis.call("PEXPIRE", KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return { ok, wait }`;

interface TakeCommand {
  specgateRateTake(key: string, rate: number, burst: number): Promise<[number, number]>;
}

export interface RedisTokenBucketOptions {
  client: Redis | Cluster;
  ratePerSecond: number;
  burst: number;
  /** Key prefix (the cache prefix): `<prefix>rl:<client>`. */
  prefix: string;
  /** Longest wait for Redis before deciding locally. */
  timeoutMs: number;
  logger?: Logger;
}

export class RedisTokenBucket implements RateLimiter {
  private readonly options: RedisTokenBucketOptions;
  private readonly local: MemoryTokenBucket;
  private lastFailure = "";

  constructor(options: RedisTokenBucketOptions) {
    this.options = options;
    this.local = new MemoryTokenBucket({ ratePerSecond: options.ratePerSecond, burst: options.burst });
    options.client.defineCommand("specgateRateTake", { numberOfKeys: 1, lua: TAKE });
  }

  async take(key: string): Promise<RateDecision> {
    const { client, ratePerSecond, burst, prefix, timeoutMs } = this.options;
    if (client.status !== "ready") return this.local.takeSync(key);
    let timer: NodeJS.Timeout | undefined;
    try {
      const [ok, wait] = await Promise.race([
        (client as unknown as TakeCommand).specgateRateTake(`${prefix}rl:${key}`, ratePerSecond, burst),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      this.lastFailure = "";
      return { ok: ok === 1, retryAfterMs: Number(wait) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== this.lastFailure)
        this.options.logger?.warn(
          { err: message },
          "rate limit: Redis did not answer; limiting per instance meanwhile",
        );
      this.lastFailure = message;
      return this.local.takeSync(key);
    } finally {
      clearTimeout(timer);
    }
  }
}
