/** `specgate cache stats|invalidate` against a real Redis, run in process with captured IO. */
import { PassThrough, Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/program.js";
import type { TieredCache } from "../../src/cache/tiered-cache.js";
import { POLICY, redisCache, until } from "../helpers/cache.js";
import { freePort, startRedis, type RedisProcess } from "../helpers/redis-server.js";

function sink() {
  let text = "";
  const stream = new Writable({
    write(chunk, _e, cb) {
      text += String(chunk);
      cb();
    },
  });
  return { stream, text: () => text };
}

async function cli(args: string[], env: Record<string, string>) {
  const out = sink();
  const err = sink();
  const code = await runCli(args, {
    stdout: out.stream,
    stderr: err.stream,
    stdin: new PassThrough(),
    env,
    cwd: process.cwd(),
    isTTY: false,
  });
  return { code, stdout: out.text(), stderr: err.text() };
}

let redis: RedisProcess;
let server: TieredCache;
beforeAll(async () => {
  redis = await startRedis();
  // A running "server" on the same Redis and prefix, to see the CLI's broadcast arrive.
  server = (await redisCache(redis.url, { prefix: "specgate:" })).cache;
  for (const id of ["4001", "4002", "5001"])
    await server.getOrCompute(POLICY.confluence_page, id, async () => ({ id }));
  await server.getOrCompute(POLICY.lint, { content: "# 결제 API 설계서" }, async () => ({ score: 88 }));
  await until(async () => Number((await redis.cli("dbsize")).trim()) === 4, 3000, "4 L2 writes");
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

describe("specgate cache", () => {
  it("stats: reports the server and SpecGate's keys per kind", async () => {
    const r = await cli(["cache", "stats", "--json"], { REDIS_URL: redis.url });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      target: `redis://127.0.0.1:${redis.port}`,
      mode: "redis",
      masters: 1,
      keys: 4,
      prefix: "specgate:",
      format: 1,
    });
    expect(out.keys_by_kind).toEqual({ confluence_page: 3, lint: 1 });
    const text = await cli(["cache", "stats"], { REDIS_URL: redis.url });
    expect(text.stdout).toMatch(/confluence_page\s+3/);
    expect(text.stdout).toMatch(/cache_stats tool/);
  });

  it("invalidate: unlinks matching keys and makes running servers drop their copies", async () => {
    expect(server.peek(server.key(POLICY.confluence_page, "4001"))).toBeDefined();
    const r = await cli(["cache", "invalidate", "confluence_page", "400*", "--json"], { REDIS_URL: redis.url });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ kind: "confluence_page", pattern: "400*", removed: 2, broadcast: true });
    expect(Number((await redis.cli("dbsize")).trim())).toBe(2);
    await until(
      () => server.peek(server.key(POLICY.confluence_page, "4001")) === undefined,
      3000,
      "the server to drop its copy",
    );
    expect(server.peek(server.key(POLICY.confluence_page, "5001"))).toEqual({ id: "5001" });
  });

  it("fails with a usage error without Redis, for an unknown kind, and when Redis is unreachable", async () => {
    const none = await cli(["cache", "stats"], {});
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no Redis configured/);
    const kind = await cli(["cache", "invalidate", "pages"], { REDIS_URL: redis.url });
    expect(kind.code).toBe(2);
    expect(kind.stderr).toMatch(/unknown cache kind "pages"/);
    const port = await freePort();
    const down = await cli(["cache", "stats"], {
      REDIS_URL: `redis://:hunter22@127.0.0.1:${port}`,
      SPECGATE_REDIS_CONNECT_TIMEOUT_MS: "300",
    });
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/E_UPSTREAM: Redis at redis:\/\/127\.0\.0\.1:\d+ is unreachable/);
    expect(down.stderr).not.toContain("hunter22");
  });
});
