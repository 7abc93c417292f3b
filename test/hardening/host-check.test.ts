/**
 * DNS rebinding against /healthz and /metrics on a token-less loopback server (spawned): a page on
 * another site whose name now resolves to 127.0.0.1 sends its own name as Host. Both endpoints
 * refuse that Host with 403, like /mcp, and answer the loopback names.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../helpers/specgate-process.js";
import { startHttp, type SpawnedServer } from "../helpers/spawn.js";

let server: SpawnedServer;
let port: number;
beforeAll(async () => {
  await ensureBuilt();
  server = await startHttp({ LOG_LEVEL: "warn" });
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

/** A GET with exactly this Host header, on a raw socket; resolves with the status line and body. */
function get(path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let reply = "";
    const socket = connect({ host: "127.0.0.1", port }, () =>
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
    );
    socket.setEncoding("utf8");
    socket.on("data", (d: string) => (reply += d));
    socket.on("error", reject);
    socket.on("close", () =>
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0),
        body: reply.slice(reply.indexOf("\r\n\r\n") + 4),
      }),
    );
  });
}

describe("Host check on every endpoint", () => {
  for (const path of ["/healthz", "/metrics", "/mcp"]) {
    it(`${path} refuses a rebinding Host with 403`, async () => {
      for (const host of [`attacker.example:${port}`, "attacker.example", `127.0.0.1.attacker.example:${port}`]) {
        const r = await get(path, host);
        expect(r.status, host).toBe(403);
        expect(r.body).toMatch(/not allowed/);
        expect(r.body).not.toMatch(/specgate_|uptime_s/);
      }
    });
  }

  it("/healthz and /metrics answer the loopback names", async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      expect((await get("/healthz", host)).status).toBe(200);
      const metrics = await get("/metrics", host);
      expect(metrics.status).toBe(200);
      expect(metrics.body).toMatch(/process_resident_memory_bytes/);
    }
  });
});
