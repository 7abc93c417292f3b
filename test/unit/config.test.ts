import { describe, expect, it } from "vitest";
import { ConfigError, configSecrets, loadConfig } from "../../src/config.js";

describe("loadConfig", () => {
  it("has working defaults with an empty environment (memory-only, loopback, port 3000)", () => {
    const c = loadConfig({});
    expect(c.http).toMatchObject({ host: "127.0.0.1", port: 3000, token: undefined, stateless: false });
    expect(c.limits.memoryLimitBytes).toBe(1024 * 1024 * 1024);
    expect(c.limits.maxDocumentBytes).toBe(10 * 1024 * 1024);
    expect(c.cache.redisUrl).toBeUndefined();
    expect(Object.isFrozen(c) && Object.isFrozen(c.http)).toBe(true);
  });

  it("reads PORT when SPECGATE_HTTP_PORT is unset, and prefers SPECGATE_HTTP_PORT", () => {
    expect(loadConfig({ PORT: "8080" }).http.port).toBe(8080);
    expect(loadConfig({ PORT: "8080", SPECGATE_HTTP_PORT: "9090" }).http.port).toBe(9090);
  });

  it("gives one client 25 % of the HTTP sessions and body memory unless SPECGATE_HTTP_CLIENT_SHARE says otherwise", () => {
    expect(loadConfig({}).http.clientSharePercent).toBe(25);
    expect(loadConfig({ SPECGATE_HTTP_CLIENT_SHARE: "100" }).http.clientSharePercent).toBe(100);
  });

  it("limits one answer to 32 MB and runs large calls on the cores (at most 4) unless told otherwise; 0 workers = in-process", () => {
    const c = loadConfig({});
    expect(c.limits.maxResultBytes).toBe(32 * 1024 * 1024);
    expect(c.limits.workers).toBeGreaterThanOrEqual(1);
    expect(c.limits.workers).toBeLessThanOrEqual(4);
    expect(c.limits.workerMinChars).toBe(128 * 1024);
    // Under a 512 MB cap a worker's own memory is worth more to the calls: none unless asked for.
    expect(loadConfig({ SPECGATE_MEMORY_LIMIT_MB: "256" }).limits.workers).toBe(0);
    expect(loadConfig({ SPECGATE_MEMORY_LIMIT_MB: "256", SPECGATE_WORKERS: "2" }).limits.workers).toBe(2);
    const set = loadConfig({ SPECGATE_MAX_RESULT_MB: "8", SPECGATE_WORKERS: "0", SPECGATE_WORKER_MIN_KB: "0" });
    expect(set.limits).toMatchObject({ maxResultBytes: 8 * 1024 * 1024, workers: 0, workerMinChars: 0 });
  });

  it("gives each worker a 64 MB young generation (V8's 48 MB under a cap below 1 GB) unless SPECGATE_WORKER_YOUNG_MB says otherwise", () => {
    expect(loadConfig({}).limits.workerYoungMb).toBe(64);
    expect(loadConfig({ SPECGATE_MEMORY_LIMIT_MB: "768" }).limits.workerYoungMb).toBe(48);
    expect(loadConfig({ SPECGATE_WORKER_YOUNG_MB: "128" }).limits.workerYoungMb).toBe(128);
  });

  it("treats empty strings as unset", () => {
    expect(loadConfig({ REDIS_URL: "", SPECGATE_MAX_CONCURRENCY: " " }).cache.redisUrl).toBeUndefined();
  });

  it.each([
    ["SPECGATE_MAX_CONCURRENCY", "many"],
    ["SPECGATE_MEMORY_LIMIT_MB", "64"],
    ["REDIS_URL", "http://localhost:6379"],
    ["CONFLUENCE_BASE_URL", "not a url"],
    ["SPECGATE_HTTP_TOKEN", "short"],
    ["LOG_LEVEL", "loud"],
    ["SPECGATE_HTTP_STATELESS", "maybe"],
    ["SPECGATE_HTTP_CLIENT_SHARE", "0"],
    ["SPECGATE_HTTP_CLIENT_SHARE", "101"],
    ["SPECGATE_HTTP_CLIENT_SHARE", "half"],
    ["SPECGATE_MAX_RESULT_MB", "0"],
    ["SPECGATE_WORKERS", "-1"],
    ["SPECGATE_WORKERS", "some"],
    ["SPECGATE_WORKER_YOUNG_MB", "4"],
    ["SPECGATE_WORKER_YOUNG_MB", "4096"],
    ["SPECGATE_TOOLSETS", "rules,linting"],
    ["SPECGATE_READ_ONLY", "sometimes"],
  ])("stops on a bad %s with a message naming it", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });

  it("parses lists and booleans, strips trailing slashes from base URLs", () => {
    const c = loadConfig({
      SPECGATE_HTTP_ALLOWED_ORIGINS: "https://a.example, https://b.example",
      SPECGATE_HTTP_STATELESS: "yes",
      CONFLUENCE_BASE_URL: "https://acme.atlassian.net/wiki/",
    });
    expect(c.http.allowedOrigins).toEqual(["https://a.example", "https://b.example"]);
    expect(c.http.stateless).toBe(true);
    expect(c.confluence.baseUrl).toBe("https://acme.atlassian.net/wiki");
  });

  it("serves every toolset, writes included, unless SPECGATE_TOOLSETS and SPECGATE_READ_ONLY say otherwise", () => {
    const all = ["confluence", "lint", "rules", "generate", "check", "gate", "cache"];
    expect(loadConfig({}).mcp).toEqual({ toolsets: all, readOnly: false });
    expect(loadConfig({ SPECGATE_TOOLSETS: "all" }).mcp.toolsets).toEqual(all);
    // Order and case do not matter; the flow's order is kept.
    expect(loadConfig({ SPECGATE_TOOLSETS: " Gate, rules ", SPECGATE_READ_ONLY: "true" }).mcp).toEqual({
      toolsets: ["rules", "gate"],
      readOnly: true,
    });
  });

  it("names the unknown toolset and the known ones", () => {
    expect(() => loadConfig({ SPECGATE_TOOLSETS: "rules,linting,gates" })).toThrow(
      'Invalid configuration — SPECGATE_TOOLSETS: unknown toolsets "linting", "gates"; known: confluence, lint, rules, generate, check, gate, cache (or all)',
    );
  });

  it("lists the secrets it holds (for redaction), including a Redis password", () => {
    const c = loadConfig({
      SPECGATE_HTTP_TOKEN: "t".repeat(20),
      CONFLUENCE_API_TOKEN: "conf-secret",
      REDIS_URL: "redis://user:p%40ss@localhost:6379",
    });
    expect(configSecrets(c).sort()).toEqual(["conf-secret", "p@ss", "t".repeat(20)].sort());
  });
});
