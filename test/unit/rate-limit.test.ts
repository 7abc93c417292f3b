import { describe, expect, it } from "vitest";
import { MemoryTokenBucket } from "../../src/transports/rate-limit.js";
import { startHttp } from "../helpers/spawn.js";

describe("token bucket", () => {
  it("allows the burst, then refuses with a retry time, then refills at the rate", () => {
    let now = 0;
    const bucket = new MemoryTokenBucket({ ratePerSecond: 2, burst: 3, now: () => now });
    expect([1, 2, 3].map(() => bucket.takeSync("a").ok)).toEqual([true, true, true]);
    const refused = bucket.takeSync("a");
    expect(refused).toEqual({ ok: false, retryAfterMs: 500 });
    expect(bucket.takeSync("b").ok).toBe(true); // other clients are unaffected
    now += 500;
    expect(bucket.takeSync("a").ok).toBe(true);
    expect(bucket.takeSync("a").ok).toBe(false);
  });

  it("bounds the number of tracked clients", () => {
    const bucket = new MemoryTokenBucket({ ratePerSecond: 1, burst: 1, maxKeys: 2, now: () => 0 });
    bucket.takeSync("a");
    bucket.takeSync("b");
    bucket.takeSync("c"); // evicts "a"
    expect(bucket.takeSync("a").ok).toBe(true);
  });
});

describe("HTTP rate limit", () => {
  it("answers 429 with Retry-After past the limit, and nothing runs", async () => {
    const server = await startHttp({ SPECGATE_HTTP_RATE_LIMIT_RPS: "1", SPECGATE_HTTP_RATE_LIMIT_BURST: "2" });
    try {
      const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "r", version: "1" } } });
      const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await fetch(server.url, { method: "POST", headers, body });
        statuses.push(r.status);
        if (r.status === 429) expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
        await r.arrayBuffer();
      }
      expect(statuses.slice(0, 2)).toEqual([200, 200]);
      expect(statuses.slice(2)).toContain(429);
      // Health checks are never rate limited.
      expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
