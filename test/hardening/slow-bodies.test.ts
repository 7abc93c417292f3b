/**
 * Slow request bodies against the memory budget, on spawned servers with raw sockets:
 *
 * - 57 sockets that declare a 1 MB body and send one byte of it. A body holds memory for what
 *   has arrived, not for what it declared, so 77 legitimate calls made meanwhile all succeed.
 * - 100 sockets from one client address that send 900 KB each and stall, at a 256 MB cap. One
 *   client holds at most its share of the memory reserved for unfinished bodies (the rest are
 *   refused with 503), so another client's calls succeed and the process stays under its cap.
 */
import { connect, type Socket } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { until } from "../helpers/cache.js";
import { loadDocuments, mixCall } from "../helpers/load.js";
import { peakRssMb } from "../helpers/proc.js";
import { ensureBuilt } from "../helpers/specgate-process.js";
import { startHttp, type SpawnedServer } from "../helpers/spawn.js";

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
});

interface SlowBody {
  socket: Socket;
  /** What the server wrote back so far. */
  reply(): string;
  /** Resolves once the server has read the headers and run its handler (it answered `100 Continue`). */
  continued: Promise<void>;
}

/** A POST /mcp whose headers declare `contentLength` bytes and ask for `100 Continue` before the body. */
function slowBody(port: number, contentLength: number, localAddress = "127.0.0.1"): SlowBody {
  let reply = "";
  const socket = connect({ host: "127.0.0.1", port, localAddress });
  socket.setEncoding("latin1");
  socket.on("error", () => undefined);
  const continued = new Promise<void>((resolve, reject) => {
    socket.on("data", (d: string) => {
      reply += d;
      if (reply.startsWith("HTTP/1.1 100")) resolve();
      else if (reply.startsWith("HTTP/1.1")) reject(new Error(`no 100 Continue: ${reply.slice(0, 200)}`));
    });
    socket.once("close", () => reject(new Error(`closed before 100 Continue: ${reply.slice(0, 200)}`)));
  });
  continued.catch(() => undefined);
  socket.write(
    `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${contentLength}\r\nExpect: 100-continue\r\n\r\n`,
  );
  return { socket, reply: () => reply, continued };
}

// The load mix on corpus documents grown to 150 KB, the size of a long design document.
const corpus = loadDocuments();
const grow = (s: string) => s.repeat(Math.ceil((150 * 1024) / s.length));
const docs = { ...corpus, md: grow(corpus.md), html: grow(corpus.html) };

/** `n` calls of the load mix (every tool, 150 KB documents), one after another. */
async function legitCalls(url: string, n: number): Promise<{ served: number; failed: string[] }> {
  const client = new Client({ name: "legit", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  let served = 0;
  const failed: string[] = [];
  for (let i = 0; i < n; i++) {
    const [name, args] = mixCall(i, false, docs);
    try {
      const r = await client.callTool({ name, arguments: args });
      if (r.isError) failed.push(`${name}: ${(r.content as { text: string }[])[0]!.text}`);
      else served++;
    } catch (error) {
      failed.push(`${name}: ${String(error)}`);
    }
  }
  await client.close();
  return { served, failed };
}

async function metric(server: SpawnedServer, name: string): Promise<number | undefined> {
  const text = await (await fetch(`${server.base}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(" ").pop());
}

describe("bodies that trickle", () => {
  it("57 sockets each sending one byte of a declared 1 MB body: 77 of 77 legitimate calls succeed", async () => {
    await ensureBuilt();
    // The request timeout is long so the attack lasts the whole test.
    const server = await startHttp({ LOG_LEVEL: "warn", SPECGATE_HTTP_REQUEST_TIMEOUT_MS: "600000" });
    cleanup.push(() => server.stop());
    const port = Number(new URL(server.url).port);
    const slow = Array.from({ length: 57 }, () => slowBody(port, 1_000_000));
    cleanup.push(async () => slow.forEach((s) => s.socket.destroy()));
    await Promise.all(slow.map((s) => s.continued));
    for (const s of slow) s.socket.write("{");
    const { served, failed } = await legitCalls(server.url, 77);
    expect(failed).toEqual([]);
    expect(served).toBe(77);
    // The slow sockets are still open and unanswered: the attack lasted the whole time.
    expect(slow.filter((s) => !s.socket.destroyed && !/HTTP\/1\.1 [45]/.test(s.reply()))).toHaveLength(57);
    expect(await peakRssMb(server.child.pid!)).toBeLessThan(1024);
  });

  it("one client stalling 100 bodies of 900 KB holds only its share; another client's calls succeed under a 256 MB cap", async () => {
    await ensureBuilt();
    const server = await startHttp({
      LOG_LEVEL: "warn",
      SPECGATE_MEMORY_LIMIT_MB: "256",
      SPECGATE_HTTP_REQUEST_TIMEOUT_MS: "600000",
    });
    cleanup.push(() => server.stop());
    const port = Number(new URL(server.url).port);
    const sent = 900 * 1024;
    const slow = Array.from({ length: 100 }, () => slowBody(port, 1_000_000, "127.0.0.2"));
    cleanup.push(async () => slow.forEach((s) => s.socket.destroy()));
    await Promise.all(slow.map((s) => s.continued));
    for (const s of slow) s.socket.write(Buffer.alloc(sent, 0x20));
    // Every body is either held by the server (900 KB of it received) or refused.
    await until(
      async () => {
        const receiving = (await metric(server, "specgate_http_bodies_receiving")) ?? -1;
        const bytes = (await metric(server, "specgate_http_body_bytes_receiving")) ?? -1;
        const refused = slow.filter((s) => /HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 503/.test(s.reply())).length;
        return receiving + refused === slow.length && bytes === receiving * sent;
      },
      30_000,
      "the server to hold or refuse every slow body",
    );
    const refused = slow.filter((s) => /HTTP\/1\.1 503/.test(s.reply()));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.reply()).toMatch(/unfinished request bodies/);
    const { served, failed } = await legitCalls(server.url, 20);
    expect(failed).toEqual([]);
    expect(served).toBe(20);
    expect(await peakRssMb(server.child.pid!)).toBeLessThan(256);
  });
});
