/**
 * `specgate cache stats|invalidate`: the shared L2 (Redis) seen from an operator's shell.
 *
 * A CLI process has no cache worth reporting of its own, so these commands work on the Redis
 * the environment configures (REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS, and
 * SPECGATE_CACHE_PREFIX): `stats` reports the server and SpecGate's keys per kind (a SCAN, which
 * is fine for an operator and too slow for a request path); hit ratios live in each running
 * server (the `cache_stats` tool, `/metrics`). `invalidate` unlinks the matching keys and
 * broadcasts the invalidation so every running server drops its memory copies.
 */
import type { Command } from "commander";
import { CacheBus } from "../../cache/bus.js";
import { FORMAT_VERSION } from "../../cache/codec.js";
import { globMatcher } from "../../cache/keys.js";
import { connectRedis, describeRedis } from "../../cache/redis/connect.js";
import { RemoteTier } from "../../cache/remote-tier.js";
import { configCredentials, loadConfig, type Config } from "../../config.js";
import { SpecGateError } from "../../errors.js";
import { createLogger } from "../../logger.js";
import { CACHE_KINDS } from "../../tools/cache-policies.js";
import { CliExit, EXIT_USAGE, write, type CliIO } from "../io.js";

/** CLI operations are not on a request path: give Redis a human-scale bound. */
const CLI_TIMEOUT_MS = 2000;

export function registerCache(program: Command, io: CliIO): void {
  const cache = program
    .command("cache")
    .description("Inspect or invalidate the shared Redis cache (L2) of a SpecGate deployment.");

  cache
    .command("stats")
    .description(
      "Report the Redis server and SpecGate's cached keys per kind (SCAN). Hit ratios are per server: see the cache_stats tool or /metrics.",
    )
    .option("--json", "print JSON")
    .option("--no-keys", "skip counting keys per kind (a SCAN of the whole server)")
    .action(async (opts: { json?: boolean; keys: boolean }) => {
      const config = loadConfig(io.env, io.cwd);
      await withTier(config, io, async (tier) => {
        const info = await tier.info();
        if (!info) throw unreachable(config);
        const byKind = opts.keys ? await tier.countByKind() : undefined;
        const out = {
          target: describeRedis(config),
          mode: info.mode,
          version: info.version,
          masters: info.masters,
          keys: info.keys,
          memory_bytes: info.memoryBytes,
          prefix: config.cache.prefix,
          format: FORMAT_VERSION,
          ...(byKind ? { keys_by_kind: byKind } : {}),
        };
        if (opts.json) return write(io.stdout, `${JSON.stringify(out, null, 2)}\n`);
        const lines = [
          `L2: ${out.target} (${out.mode}, Redis ${out.version}, ${out.masters} master${out.masters === 1 ? "" : "s"})`,
          `Server: ${out.keys} keys, ${(out.memory_bytes / 1048576).toFixed(1)} MB used`,
        ];
        if (byKind) {
          lines.push(`SpecGate keys (prefix "${out.prefix}", layout f${out.format}):`);
          const kinds = Object.keys(byKind).sort();
          if (kinds.length === 0) lines.push("  (none)");
          for (const k of kinds) lines.push(`  ${k.padEnd(20)} ${String(byKind[k]).padStart(8)}`);
        }
        lines.push(
          "Hit ratios are per server instance: call the cache_stats tool or scrape /metrics (specgate_cache_events_total).",
        );
        return write(io.stdout, `${lines.join("\n")}\n`);
      });
    });

  cache
    .command("invalidate")
    .description(
      "Drop cached results of a kind (optionally only keys matching a glob) from Redis and from every running server's memory.",
    )
    .argument("<kind>", `one of ${CACHE_KINDS.join(", ")}`)
    .argument("[pattern]", "glob over the key's readable part, e.g. a Confluence page id 12345 or 123*")
    .option("--json", "print JSON")
    .action(async (kind: string, pattern: string | undefined, opts: { json?: boolean }) => {
      if (!(CACHE_KINDS as readonly string[]).includes(kind))
        throw new CliExit(EXIT_USAGE, `specgate: unknown cache kind "${kind}"; use one of ${CACHE_KINDS.join(", ")}.`);
      if (pattern !== undefined && (pattern.length === 0 || pattern.length > 200))
        throw new CliExit(EXIT_USAGE, "specgate: the pattern must be 1-200 characters.");
      const config = loadConfig(io.env, io.cwd);
      await withTier(config, io, async (tier) => {
        const matches = pattern === undefined ? undefined : globMatcher(pattern);
        const removed = await tier.deleteKind(kind, matches);
        if (removed === undefined) throw unreachable(config);
        const bus = new CacheBus(tier, `cli-${process.pid}`, {
          invalidate: () => undefined,
          filled: () => undefined,
          resync: () => undefined,
        });
        const broadcast = await bus.publish({ t: "inv", kind, ...(pattern === undefined ? {} : { pattern }) });
        const out = { kind, ...(pattern === undefined ? {} : { pattern }), removed, broadcast };
        if (opts.json) return write(io.stdout, `${JSON.stringify(out, null, 2)}\n`);
        return write(
          io.stdout,
          `Removed ${removed} ${kind}${pattern ? ` entries matching "${pattern}"` : " entries"} from Redis; ` +
            `${broadcast ? "running servers were told to drop their memory copies" : "the broadcast to running servers FAILED (their memory copies expire within SPECGATE_CACHE_L1_TTL_S)"}.\n`,
        );
      });
    });
}

async function withTier(config: Config, io: CliIO, fn: (tier: RemoteTier) => Promise<void>): Promise<void> {
  const c = config.cache;
  if (!c.redisUrl && !c.redisClusterNodes && !c.redisSentinels) {
    throw new CliExit(
      EXIT_USAGE,
      "specgate: no Redis configured (REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS). A server without Redis keeps its cache in its own memory: use its cache_stats and cache_invalidate tools.",
    );
  }
  const logger = createLogger({ level: "error", secrets: configCredentials(config), destination: io.stderr });
  const driver = await connectRedis(config, logger, { instanceId: `cli-${process.pid}` });
  if (!driver) throw unreachable(config);
  const tier = new RemoteTier({ driver, prefix: c.prefix, timeoutMs: CLI_TIMEOUT_MS, breakerThreshold: 1000 });
  try {
    if (!driver.ready()) throw unreachable(config, driver.lastError);
    await fn(tier);
  } finally {
    await tier.close();
  }
}

function unreachable(config: Config, reason?: string): SpecGateError {
  return new SpecGateError(
    "E_UPSTREAM",
    `Redis at ${describeRedis(config)} is unreachable${reason ? ` (${reason})` : ""}. Check the address, credentials and network.`,
  );
}
