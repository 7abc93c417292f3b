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

  it("lists the secrets it holds (for redaction), including a Redis password", () => {
    const c = loadConfig({ SPECGATE_HTTP_TOKEN: "t".repeat(20), CONFLUENCE_API_TOKEN: "conf-secret", REDIS_URL: "redis://user:p%40ss@localhost:6379" });
    expect(configSecrets(c).sort()).toEqual(["conf-secret", "p@ss", "t".repeat(20)].sort());
  });
});
