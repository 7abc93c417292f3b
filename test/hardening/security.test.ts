/**
 * Security properties of a deployed SpecGate, tested as a client and an operator would see them:
 * the bearer token compared in constant time, CORS only for configured origins, a per-client
 * rate limit that holds across instances sharing Redis, and no secret — Confluence, GitHub,
 * HTTP, Redis — in any log line, error, metric, tool result or /healthz, even when every
 * upstream fails.
 */
import { createHash } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { createRuntime } from "../../src/runtime.js";
import { createServer } from "../../src/server.js";
import { bearerMatches, startHttpServer } from "../../src/transports/http.js";
import { createServer as createPlainServer } from "node:http";
import type { AddressInfo } from "node:net";
import { TieredCache } from "../../src/cache/tiered-cache.js";
import { fetchConfluence } from "../../src/core/confluence/fetch.js";
import { clientFor } from "../helpers/confluence.js";
import { FakeConfluence, corpusPages } from "../helpers/fake-confluence.js";
import { startFakeGitHub } from "../helpers/fake-github.js";
import { fixturePath } from "../helpers/fixtures.js";
import { startRedis, type RedisProcess } from "../helpers/redis-server.js";
import { spawnSpecGate, ensureBuilt } from "../helpers/specgate-process.js";
import { runBin } from "../helpers/spawn.js";

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
});

describe("bearer token", () => {
  const token = "s3cret-token-0123456789abcdef";
  const digest = createHash("sha256").update(token).digest();

  it("accepts exactly `Bearer <token>` (scheme in any case, surrounding space ignored)", () => {
    expect(bearerMatches(`Bearer ${token}`, digest)).toBe(true);
    expect(bearerMatches(`bearer   ${token}  `, digest)).toBe(true);
    for (const header of [
      undefined,
      "",
      token,
      `Basic ${token}`,
      `Bearer`,
      `Bearer `,
      `Bearer${token}`,
      `Bearer ${token}x`,
      `Bearer ${token.slice(0, -1)}`,
      `Bearer ${token.toUpperCase()}`,
    ]) {
      expect(bearerMatches(header, digest)).toBe(false);
    }
  });

  it("compares fixed-size digests, so a wrong token of any length is refused the same way (timingSafeEqual throws on unequal lengths)", () => {
    for (const wrong of [
      "x",
      token.slice(0, 8),
      "y".repeat(token.length),
      "z".repeat(16 * 1024),
      "\u0000".repeat(64),
      "가".repeat(500),
    ]) {
      expect(() => bearerMatches(`Bearer ${wrong}`, digest)).not.toThrow();
      expect(bearerMatches(`Bearer ${wrong}`, digest)).toBe(false);
    }
  });
});

describe("CORS", () => {
  it("answers preflights and adds headers only for SPECGATE_HTTP_CORS_ORIGINS, and still requires the token", async () => {
    const TOKEN = "cors-test-token-0123456789";
    const config = loadConfig({
      SPECGATE_HTTP_PORT: "0",
      SPECGATE_HTTP_CORS_ORIGINS: "https://app.example.com",
      SPECGATE_HTTP_TOKEN: TOKEN,
    });
    const handle = await startHttpServer(
      createServer({ runtime: createRuntime({ config, logger: createLogger({ level: "silent" }) }) }),
    );
    cleanup.push(() => handle.close());
    const preflight = (origin: string) =>
      fetch(handle.url, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization, content-type, mcp-session-id",
        },
      });

    const ok = await preflight("https://app.example.com");
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(ok.headers.get("access-control-allow-headers")).toMatch(/authorization/);
    expect(ok.headers.get("access-control-allow-headers")).toMatch(/mcp-session-id/);
    expect(ok.headers.get("access-control-allow-methods")).toMatch(/POST/);

    const evil = await preflight("https://evil.example.com");
    expect(evil.status).toBe(403);
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();

    const init = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "b", version: "1" } },
    };
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    const listed = await fetch(handle.url, {
      method: "POST",
      headers: { ...headers, origin: "https://app.example.com", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(init),
    });
    expect(listed.status).toBe(200);
    expect(listed.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(listed.headers.get("access-control-expose-headers")).toMatch(/mcp-session-id/);
    const noToken = await fetch(handle.url, {
      method: "POST",
      headers: { ...headers, origin: "https://app.example.com" },
      body: JSON.stringify(init),
    });
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    const foreign = await fetch(handle.url, {
      method: "POST",
      headers: { ...headers, origin: "https://evil.example.com", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(init),
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("SSRF: Confluence requests go to the configured origin and base path only", () => {
  it("redirects elsewhere and page URLs naming another host reach nothing", async () => {
    let stolen = 0;
    const attacker = createPlainServer((_req, res) => {
      stolen++;
      res.end("{}");
    });
    await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
    cleanup.push(() => new Promise((resolve) => attacker.close(resolve)));
    const evil = `127.0.0.1:${(attacker.address() as AddressInfo).port}`;
    const fake = await FakeConfluence.start({ flavour: "cloud", pages: corpusPages() });
    cleanup.push(() => fake.close());
    const { client } = clientFor(fake);
    cleanup.push(() => client.close());
    const own = new URL(fake.origin).host;
    const run = (target: Parameters<typeof fetchConfluence>[0]["target"]) =>
      fetchConfluence(
        { target },
        { client, cache: new TieredCache({ l1MaxBytes: 1024 * 1024 }), signal: AbortSignal.timeout(10_000) },
      ).then(
        () => "ok",
        (e: unknown) => (e as { code?: string }).code ?? String(e),
      );
    const page = "1844969501";
    for (const location of [
      `http://${evil}/steal`,
      `//${evil}/steal`,
      `http://${own}@${evil}/wiki/x`,
      `https://${own}/wiki/api/v2/pages/${page}`,
      `${fake.origin}/other-app/${page}`,
    ]) {
      fake.fault({ kind: "redirect", match: page, location });
      expect(await run({ kind: "page", id: page }), location).toBe("E_UPSTREAM");
    }
    for (const url of [
      `http://${evil}/wiki/spaces/QM/pages/${page}`,
      `http://${own}@${evil}/wiki/spaces/QM/pages/${page}`,
      `http://127.0.0.1.nip.io:${new URL(fake.origin).port}/wiki/x/HQD4bQ`,
      "file:///etc/passwd",
      "javascript:alert(1)",
      `gopher://${own}/wiki`,
    ]) {
      expect(await run({ kind: "url", url }), url).toBe("E_INVALID_INPUT");
    }
    expect(stolen).toBe(0);
    // The configured site itself still works.
    fake.clearFaults();
    expect(await run({ kind: "page", id: page })).toBe("ok");
  });
});

describe("rate limit across instances", () => {
  it("two processes sharing one Redis share each client's bucket; without Redis each has its own", async () => {
    await ensureBuilt();
    const redis = await startRedis();
    cleanup.push(() => redis.stop());
    // A token back every 1,000 s: the buckets do not refill during the test however slowly it runs.
    const env = {
      SPECGATE_HTTP_RATE_LIMIT_RPS: "0.001",
      SPECGATE_HTTP_RATE_LIMIT_BURST: "6",
      SPECGATE_CACHE_PREFIX: "rl-test:",
    };
    const shared = [
      await spawnSpecGate({ ...env, REDIS_URL: redis.url }),
      await spawnSpecGate({ ...env, REDIS_URL: redis.url }),
    ];
    const alone = [await spawnSpecGate(env), await spawnSpecGate(env)];
    for (const p of [...shared, ...alone]) cleanup.push(() => p.stop());
    // Each spawned process' own SDK client has already used one token (initialize) and maybe two.
    const burst = async (pair: typeof shared) => {
      const statuses: number[] = [];
      for (let i = 0; i < 16; i++) {
        const r = await fetch(pair[i % 2]!.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        });
        await r.text();
        statuses.push(r.status);
        if (r.status === 429) expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      }
      return statuses.filter((s) => s !== 429).length;
    };
    const sharedPassed = await burst(shared);
    const alonePassed = await burst(alone);
    // One bucket of 6 for both instances (less what the clients' own initialize took) …
    expect(sharedPassed).toBeLessThanOrEqual(6);
    // … against one bucket each.
    expect(alonePassed).toBeGreaterThan(sharedPassed);
    expect(alonePassed).toBeLessThanOrEqual(12);
    expect(await redis.cli("--scan", "--pattern", "rl-test:rl:*")).toMatch(/rl-test:rl:/);

    // Redis gone: the limit falls back to each instance's own bucket, requests are still answered.
    await redis.kill();
    const r = await fetch(shared[0]!.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect([400, 429]).toContain(r.status);
    expect((await shared[0]!.healthz()).status).toMatch(/ok|degraded/);
  });
});

describe("secrets never leave the process", () => {
  it("not in logs, errors, metrics, tool results or /healthz, through successes and failures of every upstream", async () => {
    await ensureBuilt();
    const SECRETS = {
      CONFLUENCE_API_TOKEN: "confluence-api-token-SECRET-7a1c",
      CONFLUENCE_PAT: "confluence-pat-SECRET-93be",
      GITHUB_TOKEN: "ghp_github-token-SECRET-55d2",
      SPECGATE_HTTP_TOKEN: "http-token-SECRET-0f0f0f0f0f",
      REDIS_PASSWORD: "redis-password-SECRET-c0ffee",
    };
    // Confluence accepts other credentials than SpecGate holds: every fetch is a 401.
    const confluence = await FakeConfluence.start({
      flavour: "cloud",
      pages: corpusPages(),
      auth: { email: "bot@example.com", token: "the-right-token" },
    });
    cleanup.push(() => confluence.close());
    // Redis wants another password than the one SpecGate holds.
    const redis: RedisProcess = await startRedis({ password: "the-right-redis-password" });
    cleanup.push(() => redis.stop());

    const env = {
      LOG_LEVEL: "debug",
      CONFLUENCE_BASE_URL: confluence.baseUrl,
      CONFLUENCE_EMAIL: "bot@example.com",
      CONFLUENCE_API_TOKEN: SECRETS.CONFLUENCE_API_TOKEN,
      GITHUB_TOKEN: SECRETS.GITHUB_TOKEN,
      SPECGATE_HTTP_TOKEN: SECRETS.SPECGATE_HTTP_TOKEN,
      REDIS_URL: `redis://:${SECRETS.REDIS_PASSWORD}@127.0.0.1:${redis.port}`,
      SPECGATE_REDIS_CONNECT_TIMEOUT_MS: "500",
    };
    const server = await spawnSpecGate(env, { token: SECRETS.SPECGATE_HTTP_TOKEN });
    cleanup.push(() => server.stop());
    const captured: string[] = [];
    const call = async (name: string, args: Record<string, unknown>) => {
      const result = await server.call(name, args, 60_000);
      captured.push(JSON.stringify(result));
      return result;
    };
    expect((await call("confluence_fetch", { page_id: "1844969501" })).isError).toBe(true);
    expect((await call("confluence_fetch", { page_ids: ["1844969501", "27821303"] })).isError).toBe(true);
    await call("html_to_md", { html: "<p>ok</p>" });
    await call("cache_stats", { count_l2_keys: true });
    await call("cache_invalidate", { kind: "convert" });
    await call("speclint_lint", { content: "# x", ruleset: "/etc/passwd.yaml" });
    for (const auth of [undefined, "Bearer wrong-token", `Bearer ${SECRETS.SPECGATE_HTTP_TOKEN}x`]) {
      const r = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}) },
        body: "{}",
      });
      captured.push(`${r.status} ${JSON.stringify([...r.headers])} ${await r.text()}`);
    }
    captured.push(await (await fetch(server.url.replace("/mcp", "/healthz"))).text());
    captured.push(
      await (
        await fetch(server.url.replace("/mcp", "/metrics"), {
          headers: { authorization: `Bearer ${SECRETS.SPECGATE_HTTP_TOKEN}` },
        })
      ).text(),
    );

    // GitHub: the gate CLI with a token GitHub refuses, then with GitHub failing.
    const gh = await startFakeGitHub({ token: "the-right-github-token" });
    cleanup.push(() => gh.close());
    gh.addPullRequest("acme/payflow", 3);
    const dir = await mkdtemp(path.join(tmpdir(), "specgate-secrets-"));
    const event = path.join(dir, "event.json");
    await writeFile(event, JSON.stringify({ pull_request: { number: 3 } }));
    const ghEnv = { ...env, GITHUB_API_URL: gh.apiUrl, GITHUB_REPOSITORY: "acme/payflow", GITHUB_EVENT_PATH: event };
    const rules = fixturePath("gate", "rules.json");
    const sarif = fixturePath("gate", "semgrep.sarif");
    for (const run of [
      await runBin(["gate", "--rules", rules, "--sarif", sarif, "--github-comment"], { env: ghEnv }),
      await runBin(["lint", "-", "--github-issues"], { env: ghEnv, input: "# Low quality\n" }),
      await runBin(["fetch", "--page-id", "1844969501"], { env }),
      await runBin(["cache", "stats"], { env }),
    ]) {
      captured.push(run.stdout, run.stderr);
    }
    gh.script(
      { status: 500, body: { message: "boom" } },
      { status: 500, body: { message: "boom" } },
      { status: 500, body: { message: "boom" } },
    );
    const failing = await runBin(["gate", "--rules", rules, "--sarif", sarif, "--github-comment"], {
      env: { ...ghEnv, GITHUB_TOKEN: gh.token },
    });
    captured.push(failing.stdout, failing.stderr);

    await server.stop();
    captured.push(server.stderr());
    const all = captured.join("\n");
    // The failures really happened (so the secrets were in play) …
    expect(all).toMatch(/E_AUTH/);
    expect(all).toMatch(/Redis is unreachable or refused/);
    expect(all).toMatch(/401/);
    // … and none of the secrets, nor their Basic-auth encoding, appears anywhere.
    const basic = Buffer.from(`bot@example.com:${SECRETS.CONFLUENCE_API_TOKEN}`).toString("base64");
    for (const [name, secret] of [
      ...Object.entries(SECRETS),
      ["basic auth", basic],
      ["url-encoded redis password", encodeURIComponent(SECRETS.REDIS_PASSWORD)],
    ]) {
      expect(all.includes(secret!), `${name} leaked`).toBe(false);
    }
    expect(all.length).toBeGreaterThan(5000);
  });
});
