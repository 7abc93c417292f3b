/**
 * Sessions held open by GET event streams, on spawned servers with real streams:
 *
 * - with SPECGATE_HTTP_MAX_SESSIONS=20 and 20 sessions each holding a GET stream, a new client
 *   still gets a session: an open stream is not activity, so the longest-idle session is evicted
 *   (and its stream ended);
 * - such sessions expire after SPECGATE_HTTP_SESSION_IDLE_S like any idle one;
 * - one client address holds at most SPECGATE_HTTP_CLIENT_SHARE percent of the sessions: a
 *   client opening 20 streaming sessions from 127.0.0.2 keeps 5, and a client on 127.0.0.1 is
 *   served.
 */
import { afterAll, describe, expect, it } from "vitest";
import { Agent, fetch as undiciFetch } from "undici";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { until } from "../helpers/cache.js";
import { ensureBuilt } from "../helpers/specgate-process.js";
import { startHttp, type SpawnedServer } from "../helpers/spawn.js";

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
});

const HEADERS = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
  "mcp-protocol-version": "2025-06-18",
};
const INIT = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "streams", version: "1" } },
};

interface Stream {
  session: string;
  /** True once the server has ended the GET stream. */
  ended(): boolean;
  close(): void;
}

/** Opens a session from `localAddress` and a GET event stream on it, and keeps the stream open. */
async function streamingSession(url: string, dispatcher: Agent): Promise<Stream> {
  const init = await undiciFetch(url, { method: "POST", headers: HEADERS, body: JSON.stringify(INIT), dispatcher });
  await init.text();
  expect(init.status).toBe(200);
  const session = init.headers.get("mcp-session-id")!;
  const h = { ...HEADERS, "mcp-session-id": session };
  await (
    await undiciFetch(url, {
      method: "POST",
      headers: h,
      body: '{"jsonrpc":"2.0","method":"notifications/initialized"}',
      dispatcher,
    })
  ).text();
  const controller = new AbortController();
  const get = await undiciFetch(url, {
    method: "GET",
    headers: { ...h, accept: "text/event-stream" },
    dispatcher,
    signal: controller.signal,
  });
  expect(get.status).toBe(200);
  let ended = false;
  void (async () => {
    try {
      for await (const _ of get.body!) void _;
    } catch {
      /* aborted by the test */
    }
    ended = true;
  })();
  return { session, ended: () => ended, close: () => controller.abort() };
}

async function sessions(server: SpawnedServer): Promise<number> {
  return ((await (await fetch(`${server.base}/healthz`)).json()) as { sessions: number }).sessions;
}

async function legitClientWorks(url: string): Promise<void> {
  const client = new Client({ name: "legit", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  const r = await client.callTool({ name: "html_to_md", arguments: { html: "<p>served</p>" } });
  expect(r.isError).toBeFalsy();
  await client.close();
}

async function server(env: Record<string, string>): Promise<SpawnedServer> {
  await ensureBuilt();
  const s = await startHttp({ LOG_LEVEL: "warn", ...env });
  cleanup.push(() => s.stop());
  return s;
}

function agent(localAddress: string): Agent {
  const a = new Agent({ connect: { localAddress }, connections: 64 });
  cleanup.push(() => a.destroy());
  return a;
}

describe("sessions held by GET streams", () => {
  it("20 of 20 sessions streaming: a new client still gets a session, and the evicted session's stream ends", async () => {
    const s = await server({ SPECGATE_HTTP_MAX_SESSIONS: "20", SPECGATE_HTTP_CLIENT_SHARE: "100" });
    const streams: Stream[] = [];
    const local = agent("127.0.0.1");
    for (let i = 0; i < 20; i++) streams.push(await streamingSession(s.url, local));
    cleanup.push(async () => streams.forEach((x) => x.close()));
    expect(await sessions(s)).toBe(20);
    await legitClientWorks(s.url);
    // The longest-idle session made room, and its client heard so: its stream was ended.
    await until(() => streams[0]!.ended(), 10_000, "the evicted session's stream to end");
    expect(await sessions(s)).toBeLessThanOrEqual(20);
  });

  it("sessions with an open stream expire after the idle time", async () => {
    const s = await server({ SPECGATE_HTTP_SESSION_IDLE_S: "1" });
    const local = agent("127.0.0.1");
    const streams = await Promise.all(Array.from({ length: 5 }, () => streamingSession(s.url, local)));
    cleanup.push(async () => streams.forEach((x) => x.close()));
    await until(async () => (await sessions(s)) === 0, 5_000, "streaming sessions to expire");
    await until(() => streams.every((x) => x.ended()), 5_000, "the expired sessions' streams to end");
  });

  it("one client address holds at most its share of the sessions; another client is served", async () => {
    const s = await server({ SPECGATE_HTTP_MAX_SESSIONS: "20", SPECGATE_HTTP_CLIENT_SHARE: "25" });
    const other = agent("127.0.0.2");
    const streams: Stream[] = [];
    cleanup.push(async () => streams.forEach((x) => x.close()));
    for (let i = 0; i < 20; i++) streams.push(await streamingSession(s.url, other));
    // Each new session of that client replaced its own longest-idle one.
    expect(await sessions(s)).toBe(5);
    await until(() => streams.slice(0, 15).every((x) => x.ended()), 10_000, "the client's older streams to end");
    expect(streams.slice(15).some((x) => x.ended())).toBe(false);
    await legitClientWorks(s.url);
  });
});
