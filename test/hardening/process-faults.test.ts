/**
 * Faults of the things around SpecGate, on spawned `specgate serve --http` processes:
 *
 * - Redis killed, paused and restarted while 12 HTTP clients run a mix of every tool: zero
 *   failed calls (Redis is an accelerator, never a dependency).
 * - SIGTERM during a batch: every in-flight call ends with its result or a clean error within
 *   the shutdown bound, the process exits 0, and spec_generate leaves only whole files (atomic
 *   writes: no partial file, no temporary file).
 */
import { mkdtemp, readFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { PATIENCE, sleep, until } from "../helpers/cache.js";
import { startRedis, type RedisProcess } from "../helpers/redis-server.js";
import { ensureBuilt } from "../helpers/specgate-process.js";
import { startHttp, type SpawnedServer } from "../helpers/spawn.js";

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
});

const doc = (i: number) =>
  `# Load${i} API 설계서\n\n## 설계 규칙\n\n- **RULE-API-${String(i % 900).padStart(3, "0")}** (MUST): 모든 API 응답은 ${i} ms 안에 와야 한다.\n  - 적용 범위: src/api/**\n  - 근거: 지연 시간\n  - 참조: https://example.com/${i}\n\n## 기술 스펙\n\n\`\`\`json\n{"n": ${i}}\n\`\`\`\n`;

/** One call of the mix; `i` varies the input so that some calls miss every cache and some hit. */
function mixed(i: number): [string, Record<string, unknown>] {
  const n = i % 40;
  switch (i % 6) {
    case 0:
      return ["html_to_md", { html: `<h2>Page ${n}</h2><p>${"text ".repeat(50)}${n}</p>` }];
    case 1:
      return ["speclint_lint", { content: doc(n) }];
    case 2:
      return ["rule_extract", { content: doc(n) }];
    case 3:
      return ["spec_generate", { content: doc(n), targets: ["mdc", "semgrep"] }];
    case 4:
      return [
        "gate_score",
        {
          rules: [{ rule_id: "RULE-API-001", priority: "MUST" }],
          findings: [{ rule_id: "RULE-API-001", file: `src/${n}.ts`, line: n + 1 }],
        },
      ];
    default:
      return ["cache_stats", {}];
  }
}

async function client(url: string): Promise<Client> {
  const c = new Client({ name: "load", version: "1" });
  await c.connect(new StreamableHTTPClientTransport(new URL(url)));
  return c;
}

describe("Redis killed, paused and restarted under a mixed load through HTTP", () => {
  it("zero failed calls", async () => {
    await ensureBuilt();
    const redis: RedisProcess = await startRedis();
    cleanup.push(() => redis.stop());
    const server = await startHttp({
      REDIS_URL: redis.url,
      LOG_LEVEL: "warn",
      SPECGATE_REDIS_BREAKER_COOLDOWN_MS: "500",
      SPECGATE_CACHE_L1_MB: "1",
    });
    cleanup.push(() => server.stop());
    const clients = await Promise.all(Array.from({ length: 12 }, () => client(server.url)));
    cleanup.push(() => Promise.all(clients.map((c) => c.close())));
    const failures: string[] = [];
    let calls = 0;
    let running = true;
    const workers = clients.map(async (c, w) => {
      for (let i = w; running; i += clients.length) {
        const [name, args] = mixed(i);
        try {
          const r = (await c.callTool({ name, arguments: args }, undefined, { timeout: 15_000 })) as CallToolResult;
          if (r.isError) failures.push(`${name}: ${(r.content[0] as { text: string }).text}`);
        } catch (error) {
          failures.push(`${name}: ${String(error)}`);
        }
        calls++;
      }
    });
    const after = async (n: number, what: string) => {
      const target = calls + n;
      await until(() => calls >= target, 20_000, what);
    };
    await after(100, "calls with Redis up");
    await redis.kill();
    await after(150, "calls with Redis dead");
    await redis.restart();
    await until(
      async () =>
        ((await (await fetch(`${server.base}/healthz`)).json()) as { cache: { l2: string } }).cache.l2 === "up",
      15_000,
      "L2 back up",
    );
    await after(100, "calls after the restart");
    redis.pause();
    await sleep(2500);
    redis.resume();
    await after(100, "calls after the pause");
    running = false;
    await Promise.all(workers);
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(450);
    expect(server.stderr()).not.toMatch(/"level":"(error|fatal)"/);
  });
});

describe("SIGTERM during a batch", () => {
  it("in-flight calls end with a result or a clean error within the bound, and spec_generate leaves only whole files", async () => {
    await ensureBuilt();
    const workspace = await mkdtemp(path.join(tmpdir(), "specgate-sigterm-"));
    const SHUTDOWN_MS = 3000;
    const server: SpawnedServer = await startHttp({
      SPECGATE_WORKSPACE: workspace,
      SPECGATE_SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_MS),
      LOG_LEVEL: "warn",
      SPECGATE_MAX_CONCURRENCY: "4",
    });
    cleanup.push(() => server.stop());
    const clients = await Promise.all(Array.from({ length: 6 }, () => client(server.url)));
    const big = Array.from({ length: 100 }, (_, i) => ({ id: `d${i}`, content: doc(i).repeat(40) }));
    const calls: [string, Record<string, unknown>][] = [
      ["rule_extract", { documents: big }],
      ["speclint_lint", { documents: big }],
      ["spec_write", { content: Array.from({ length: 60 }, (_, i) => doc(i)).join("\n") }],
      ["spec_write", { content: doc(7).repeat(200), project: "second" }],
      ["html_to_md", { html: "<p>x</p>".repeat(200_000) }],
      [
        "gate_score",
        { rules: [{ rule_id: "RULE-API-001", priority: "MUST" }], lint: { content: doc(1).repeat(3000) } },
      ],
    ];
    const outcomes = calls.map(([name, args], i) =>
      clients[i]!.callTool({ name, arguments: args }, undefined, { timeout: 30_000 }).then(
        (r) => ({ name, result: r as CallToolResult }),
        (error: unknown) => ({ name, error: String(error) }),
      ),
    );
    // Let the calls get going, then ask the server to stop.
    await until(
      async () =>
        ((await (await fetch(`${server.base}/healthz`)).json()) as { calls_in_flight: number }).calls_in_flight >= 5,
      10_000,
      "calls in flight",
    );
    const stopped = Date.now();
    const exit = server.stop("SIGTERM");
    const settled = await Promise.all(outcomes);
    const code = await exit;
    const took = Date.now() - stopped;
    expect(code).toBe(0);
    // The shutdown bound held: the process did not wait for the batches to finish. (The slack
    // beyond the bound is for a machine whose cores are busy with other work.)
    expect(took).toBeLessThan(SHUTDOWN_MS + 3000 * PATIENCE);
    for (const o of settled) {
      // A call that reached the server only after SIGTERM is refused cleanly: 503 "shutting down".
      if ("error" in o) {
        expect(o.error, `${o.name} ended with a transport error instead of a result`).toMatch(
          /The server is shutting down/,
        );
        continue;
      }
      const r = o.result;
      if (r.isError) expect((r.content[0] as { text: string }).text).toMatch(/^E_(CANCELLED|OVERLOADED|TIMEOUT): /);
      else expect(r.structuredContent).toBeTypeOf("object");
    }
    // Whatever spec_write wrote is whole: no temporary files, and every file it reported is complete.
    const files = await listFiles(workspace);
    expect(files.filter((f) => f.endsWith(".tmp") || path.basename(f).startsWith("."))).toEqual([]);
    // Both spec_write calls may write the same path (the overview): the file on disk is then
    // exactly one of the two versions, never a mix or a prefix.
    const versions = new Map<string, string[]>();
    for (const o of settled) {
      if (o.name !== "spec_write" || !("result" in o) || o.result.isError) continue;
      const out = o.result.structuredContent as { files: { path: string; content: string }[]; written: string[] };
      for (const written of out.written)
        versions.set(written, [...(versions.get(written) ?? []), out.files.find((f) => f.path === written)!.content]);
    }
    for (const [written, candidates] of versions)
      expect(candidates).toContain(await readFile(path.join(workspace, written), "utf8"));
    for (const f of files) expect((await readFile(f, "utf8")).length).toBeGreaterThan(0);
  });
});

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else out.push(full);
  }
  return out;
}
