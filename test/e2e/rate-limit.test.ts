import { describe, expect, it } from "vitest";
import { startHttp } from "../helpers/spawn.js";

describe("HTTP rate limit", () => {
  it("answers 429 with Retry-After past the limit, and nothing runs", async () => {
    const server = await startHttp({ SPECGATE_HTTP_RATE_LIMIT_RPS: "1", SPECGATE_HTTP_RATE_LIMIT_BURST: "2" });
    try {
      const body = JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "r", version: "1" } },
      });
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
