import { describe, expect, it } from "vitest";
import {
  backoffMs,
  isRetryableNetworkError,
  isRetryableStatus,
  parseRateLimitReset,
  parseRetryAfter,
  serverWaitMs,
} from "../../src/core/confluence/retry.js";
import { loadConfig } from "../../src/config.js";
import { resolveConfluenceSettings } from "../../src/core/confluence/settings.js";
import type { SpecGateError } from "../../src/errors.js";

const NOW = Date.parse("2025-09-25T00:00:00Z");

describe("retry policy", () => {
  it("reads Retry-After as seconds or as an HTTP date", () => {
    expect(parseRetryAfter("3", NOW)).toBe(3000);
    expect(parseRetryAfter("1.5", NOW)).toBe(1500);
    expect(parseRetryAfter(new Date(NOW + 7000).toUTCString(), NOW)).toBe(7000);
    expect(parseRetryAfter(new Date(NOW - 7000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter("soon", NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });

  it("reads X-RateLimit-Reset as an ISO time, epoch seconds or delta seconds", () => {
    expect(parseRateLimitReset("2025-09-25T00:00:04Z", NOW)).toBe(4000);
    expect(parseRateLimitReset(String(NOW / 1000 + 9), NOW)).toBe(9000);
    expect(parseRateLimitReset("2", NOW)).toBe(2000);
  });

  it("takes the server's wait from 429/503 and from a spent quota", () => {
    expect(serverWaitMs(429, { "retry-after": "2" }, NOW)).toBe(2000);
    expect(serverWaitMs(503, { "retry-after": "1" }, NOW)).toBe(1000);
    expect(serverWaitMs(429, { "x-ratelimit-reset": "2025-09-25T00:00:05Z" }, NOW)).toBe(5000);
    expect(serverWaitMs(200, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "2025-09-25T00:00:01Z" }, NOW)).toBe(
      1000,
    );
    expect(
      serverWaitMs(200, { "x-ratelimit-remaining": "12", "x-ratelimit-reset": "2025-09-25T00:00:01Z" }, NOW),
    ).toBeUndefined();
    expect(serverWaitMs(500, { "retry-after": "2" }, NOW)).toBeUndefined();
  });

  it("backs off exponentially with jitter, capped", () => {
    const opts = { baseMs: 100, capMs: 1000, maxServerWaitMs: 30_000 };
    expect(backoffMs(1, opts, () => 0)).toBe(50);
    expect(backoffMs(1, opts, () => 1)).toBe(100);
    expect(backoffMs(3, opts, () => 1)).toBe(400);
    expect(backoffMs(10, opts, () => 1)).toBe(1000);
    expect(backoffMs(10, opts, () => 0)).toBe(500);
  });

  it("retries rate limits, 5xx and resets, never other 4xx", () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 501].some(isRetryableStatus)).toBe(false);
    expect(isRetryableNetworkError(Object.assign(new Error("reset"), { code: "ECONNRESET" }))).toBe(true);
    expect(isRetryableNetworkError(Object.assign(new Error("x"), { cause: { code: "UND_ERR_SOCKET" } }))).toBe(true);
    expect(isRetryableNetworkError(Object.assign(new Error("x"), { code: "ERR_TLS_CERT_ALTNAME_INVALID" }))).toBe(
      false,
    );
  });
});

describe("Confluence settings", () => {
  const resolve = (env: Record<string, string>) => resolveConfluenceSettings(loadConfig(env));
  const configError = (env: Record<string, string>) => {
    try {
      resolve(env);
    } catch (error) {
      return error as SpecGateError;
    }
    throw new Error("expected E_CONFIG");
  };

  it("says which variables to set when Confluence is not configured", () => {
    const none = configError({});
    expect(none.code).toBe("E_CONFIG");
    expect(none.message).toMatch(/CONFLUENCE_BASE_URL/);
    expect(none.message).toMatch(/CONFLUENCE_EMAIL \+ CONFLUENCE_API_TOKEN/);
    expect(none.message).toMatch(/CONFLUENCE_PAT/);
    expect(configError({ CONFLUENCE_BASE_URL: "https://acme.atlassian.net/wiki" }).message).toMatch(
      /Cloud needs CONFLUENCE_EMAIL \+ CONFLUENCE_API_TOKEN/,
    );
    expect(configError({ CONFLUENCE_BASE_URL: "https://wiki.example.com" }).message).toMatch(
      /Data Center needs CONFLUENCE_PAT/,
    );
    expect(
      configError({ CONFLUENCE_BASE_URL: "https://acme.atlassian.net/wiki", CONFLUENCE_EMAIL: "a@b.c" }).message,
    ).toMatch(/set CONFLUENCE_API_TOKEN/);
    expect(
      configError({
        CONFLUENCE_BASE_URL: "https://wiki.example.com",
        CONFLUENCE_AUTH: "bearer",
        CONFLUENCE_EMAIL: "u",
        CONFLUENCE_API_TOKEN: "p",
      }).message,
    ).toMatch(/CONFLUENCE_PAT/);
  });

  it("detects the flavour and picks the auth automatically, overridable", () => {
    const cloud = resolve({
      CONFLUENCE_BASE_URL: "https://acme.atlassian.net",
      CONFLUENCE_EMAIL: "a@b.c",
      CONFLUENCE_API_TOKEN: "tok",
      CONFLUENCE_PAT: "pat",
    });
    expect(cloud.flavour).toBe("cloud");
    expect(cloud.baseUrl.href).toBe("https://acme.atlassian.net/wiki"); // /wiki added
    expect(cloud.auth.kind).toBe("basic");
    const dc = resolve({
      CONFLUENCE_BASE_URL: "https://wiki.example.com/confluence/",
      CONFLUENCE_EMAIL: "u",
      CONFLUENCE_API_TOKEN: "p",
      CONFLUENCE_PAT: "pat",
    });
    expect(dc.flavour).toBe("datacenter");
    expect(dc.baseUrl.href).toBe("https://wiki.example.com/confluence");
    expect(dc.auth.kind).toBe("bearer");
    expect(
      resolve({
        CONFLUENCE_BASE_URL: "https://wiki.example.com",
        CONFLUENCE_EMAIL: "u",
        CONFLUENCE_API_TOKEN: "p",
        CONFLUENCE_PAT: "x",
        CONFLUENCE_AUTH: "basic",
      }).auth.kind,
    ).toBe("basic");
    expect(
      resolve({ CONFLUENCE_BASE_URL: "http://127.0.0.1:9/wiki", CONFLUENCE_FLAVOUR: "cloud", CONFLUENCE_PAT: "x" })
        .flavour,
    ).toBe("cloud");
    expect(
      resolve({ CONFLUENCE_BASE_URL: "https://cwiki.apache.org/confluence", CONFLUENCE_AUTH: "none" }).auth.kind,
    ).toBe("none");
  });
});
