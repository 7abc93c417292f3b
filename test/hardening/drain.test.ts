/**
 * SIGTERM while a call is in flight, on a spawned server: while it drains, requests that arrive
 * on keep-alive connections opened before the signal, and on new connections, are answered —
 * 503 with `Connection: close` and Retry-After, new sessions included — never reset. The call in
 * flight ends with a result and the process exits 0.
 */
import { connect, type Socket } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { until } from "../helpers/cache.js";
import { FakeConfluence, corpusPages } from "../helpers/fake-confluence.js";
import { ensureBuilt } from "../helpers/specgate-process.js";
import { startHttp, type SpawnedServer } from "../helpers/spawn.js";

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
});

interface KeptSocket {
  socket: Socket;
  /** Everything read since the last `send`. */
  reply(): string;
  /** Writes a request and resolves with what comes back, once a whole response has arrived or the socket closed. */
  send(request: string): Promise<{ reply: string; error?: string | undefined; closed: boolean }>;
}

async function keepAlive(port: number): Promise<KeptSocket> {
  const socket = connect({ host: "127.0.0.1", port });
  await new Promise<void>((resolve) => socket.once("connect", resolve));
  socket.setEncoding("utf8");
  let buf = "";
  let error: string | undefined;
  let closed = false;
  let wake: (() => void) | undefined;
  socket.on("data", (d: string) => {
    buf += d;
    wake?.();
  });
  socket.on("error", (e) => {
    error = (e as NodeJS.ErrnoException).code ?? String(e);
    wake?.();
  });
  socket.on("close", () => {
    closed = true;
    wake?.();
  });
  const complete = () => {
    const head = buf.indexOf("\r\n\r\n");
    if (head === -1) return false;
    const length = /\r\ncontent-length: (\d+)/i.exec(buf.slice(0, head))?.[1];
    return length !== undefined && buf.length >= head + 4 + Number(length);
  };
  return {
    socket,
    reply: () => buf,
    send: (request) => {
      buf = "";
      socket.write(request);
      return new Promise((resolve) => {
        const check = () => {
          if (complete() || closed || error) {
            wake = undefined;
            resolve({ reply: buf, error, closed });
          }
        };
        wake = check;
        check();
      });
    },
  };
}

describe("SIGTERM drain", () => {
  it("keep-alive and new requests during the drain get 503 + Connection: close, never a reset; the call in flight ends with a result", async () => {
    await ensureBuilt();
    const fake = await FakeConfluence.start({ flavour: "cloud", pages: corpusPages() });
    cleanup.push(() => fake.close());
    fake.fault({ kind: "stall", times: Infinity });
    // The drain lasts until the call in flight ends: the test ends it (below), not a timer.
    const server: SpawnedServer = await startHttp({
      ...fake.env(),
      LOG_LEVEL: "warn",
      SPECGATE_SHUTDOWN_TIMEOUT_MS: "120000",
    });
    cleanup.push(() => server.stop());
    const port = Number(new URL(server.url).port);
    const host = `127.0.0.1:${port}`;

    // A call that waits on Confluence keeps the drain going.
    const client = new Client({ name: "in-flight", version: "1" });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    const pageId = corpusPages()[0]!.id;
    const inFlight = client
      .callTool({ name: "confluence_fetch", arguments: { page_id: pageId, bypass_cache: true } }, undefined, {
        timeout: 120_000,
      })
      .then(
        (r) => ({ result: r as CallToolResult }),
        (e: unknown) => ({ error: String(e) }),
      );
    await until(
      async () =>
        ((await (await fetch(`${server.base}/healthz`)).json()) as { calls_in_flight: number }).calls_in_flight >= 1,
      10_000,
      "the call to be in flight",
    );

    // Ten keep-alive connections, each idle after one answered request.
    const kept = await Promise.all(Array.from({ length: 10 }, () => keepAlive(port)));
    cleanup.push(async () => kept.forEach((k) => k.socket.destroy()));
    for (const k of kept)
      expect((await k.send(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\n\r\n`)).reply).toMatch(/^HTTP\/1\.1 200/);

    const init = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "late", version: "1" } },
    });
    // An initialize whose body is still on its way when the signal comes: the server has read its
    // headers (it answered 100 Continue) and waits for the body.
    const midBody = await keepAlive(port);
    const continued = midBody.send(
      `POST /mcp HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${Buffer.byteLength(init)}\r\nExpect: 100-continue\r\n\r\n`,
    );
    await until(() => midBody.reply().startsWith("HTTP/1.1 100"), 10_000, "100 Continue");
    void continued;

    const exited = new Promise<number | null>((resolve) => server.child.once("exit", resolve));
    server.child.kill("SIGTERM");
    // The server has taken the signal once a fresh request sees it draining (or cannot connect at all).
    await until(
      async () =>
        fetch(`${server.base}/healthz`).then(
          async (r) => ((await r.json()) as { status: string }).status === "draining",
          () => true,
        ),
      10_000,
      "the server to start draining",
    );

    const request = `POST /mcp HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${Buffer.byteLength(init)}\r\n\r\n${init}`;
    const answers = await Promise.all(kept.map((k) => k.send(request)));
    for (const a of answers) {
      expect(a.error).toBeUndefined();
      expect(a.reply).toMatch(/^HTTP\/1\.1 503/);
      expect(a.reply).toMatch(/\r\nconnection: close\r\n/i);
      expect(a.reply).toMatch(/\r\nretry-after: \d+\r\n/i);
      expect(a.reply).toMatch(/shutting down/);
    }
    // The initialize that was mid-body is refused too, not admitted as a new session.
    const late = await midBody.send(init);
    expect(late.error).toBeUndefined();
    expect(late.reply).toMatch(/HTTP\/1\.1 503[^]*\r\nconnection: close\r\n[^]*shutting down/i);
    // A new connection during the drain is answered the same way.
    const fresh = await keepAlive(port).then(
      (k) => k.send(request),
      (e: unknown) => ({ reply: "", error: String(e), closed: true }),
    );
    expect(fresh.error).toBeUndefined();
    expect(fresh.reply).toMatch(/^HTTP\/1\.1 503/);

    // Confluence goes away: the call in flight ends with a clean error, and with it the drain.
    await fake.close();
    const outcome = await inFlight;
    expect("result" in outcome ? (outcome.result.content[0] as { text: string }).text : outcome.error).toMatch(
      /^E_(CANCELLED|TIMEOUT|OVERLOADED|UPSTREAM): /,
    );
    expect(await exited).toBe(0);
  });
});
