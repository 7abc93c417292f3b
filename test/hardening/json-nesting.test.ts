/**
 * JSON that costs far more to materialise than it weighs: 32 MB of `[`×N `]`×N (16 million
 * arrays, one inside the other) on POST /mcp, a 29 MB line of the same on stdio, objects nested a
 * million deep, two million empty arrays side by side. Each is refused as a parse error before
 * JSON.parse builds anything (HTTP 400 / JSON-RPC −32700; on stdio an error reply with id null),
 * the process stays under its memory cap (peak RSS from /proc), and legitimate calls are served
 * while it happens and after.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ensureBuilt } from "../helpers/specgate-process.js";
import { peakRssMb } from "../helpers/proc.js";
import { startHttp, type SpawnedServer } from "../helpers/spawn.js";
import { spawnRawStdio } from "../helpers/stdio-raw.js";

const CAP_MB = 1024;
const HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };

/** `[`×n then `]`×n: valid JSON, n arrays deep. */
function nestedArrays(n: number): Buffer {
  return Buffer.alloc(2 * n)
    .fill("[", 0, n)
    .fill("]", n);
}

let server: SpawnedServer;
beforeAll(async () => {
  await ensureBuilt();
  server = await startHttp({ LOG_LEVEL: "warn", SPECGATE_MEMORY_LIMIT_MB: String(CAP_MB) });
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

/** Runs `attack` while a legitimate client calls a tool in a loop; returns the attack's outcome and the loop's results. */
async function underAttack<T>(attack: () => Promise<T>): Promise<{ outcome: T; served: number; failed: string[] }> {
  const client = new Client({ name: "legit", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
  let done = false;
  let served = 0;
  const failed: string[] = [];
  const loop = (async () => {
    let i = 0;
    do {
      try {
        const r = await client.callTool({ name: "html_to_md", arguments: { html: `<p>legit ${i++}</p>` } }, undefined, {
          timeout: 120_000,
        });
        if (r.isError) failed.push(JSON.stringify(r.content));
        else served++;
      } catch (error) {
        failed.push(String(error));
      }
    } while (!done);
  })();
  const outcome = await attack().finally(() => (done = true));
  await loop;
  await client.close();
  return { outcome, served, failed };
}

async function post(
  body: Buffer | string,
): Promise<{ status: number; json: { id?: unknown; error?: { code: number; message: string } } }> {
  const r = await fetch(server.url, { method: "POST", headers: HEADERS, body });
  return { status: r.status, json: (await r.json()) as { error?: { code: number; message: string } } };
}

describe("nested JSON on POST /mcp", () => {
  it("32 MB of [×N ]×N: 400 with a −32700 parse error, RSS under the cap, legitimate calls served throughout", async () => {
    const n = 16 * 1024 * 1024 - 64; // the whole body just under the 32 MB limit
    const { outcome, served, failed } = await underAttack(() => post(nestedArrays(n)));
    expect(outcome.status).toBe(400);
    expect(outcome.json.error?.code).toBe(-32700);
    expect(outcome.json.error?.message).toMatch(/nests deeper than 64/);
    expect(outcome.json.id).toBeNull();
    expect(failed).toEqual([]);
    expect(served).toBeGreaterThan(0);
    expect(await peakRssMb(server.child.pid!)).toBeLessThan(CAP_MB);
  });

  it("objects a million deep and two million arrays side by side are refused the same way", async () => {
    const deepObjects = `${'{"a":'.repeat(1_000_000)}1${"}".repeat(1_000_000)}`;
    const wide = `[${"[],".repeat(2_000_000)}[]]`;
    for (const [body, message] of [
      [deepObjects, /nests deeper than 64/],
      [wide, /more than 1,000,000 values/],
    ] as const) {
      const r = await post(body);
      expect(r.status).toBe(400);
      expect(r.json.error?.code).toBe(-32700);
      expect(r.json.error?.message).toMatch(message);
    }
    expect(await peakRssMb(server.child.pid!)).toBeLessThan(CAP_MB);
  });

  it("JSON nested 64 deep inside tool arguments is still served", async () => {
    const client = new Client({ name: "legit", version: "1" });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    // The JSON-RPC envelope takes 3 levels (message, params, arguments); `findings` adds its own.
    let nested: unknown = 1;
    for (let i = 0; i < 58; i++) nested = { n: nested };
    const r = await client.callTool({
      name: "gate_score",
      arguments: {
        rules: [{ rule_id: "RULE-API-001", priority: "MUST" }],
        findings: [{ rule_id: "RULE-API-001", file: "a.ts", line: 1, properties: nested }],
      },
    });
    expect(r.isError).toBeFalsy();
    await client.close();
  });
});

describe("nested JSON on stdio", () => {
  it("a 29 MB line of [×N ]×N gets an error reply with id null, RSS stays under the cap, and the session goes on", async () => {
    const stdio = spawnRawStdio({ SPECGATE_MEMORY_LIMIT_MB: String(CAP_MB) });
    try {
      await stdio.initialize();
      const from = stdio.lines.length;
      await stdio.write(nestedArrays(14_500_000));
      await stdio.request(2, "tools/call", { name: "html_to_md", arguments: { html: "<p>after the attack</p>" } });
      const answer = await stdio.next((m) => m.id === 2, from);
      expect(answer.result?.structuredContent).toEqual(expect.objectContaining({ markdown: "after the attack\n" }));
      const refused = stdio.lines.slice(from).find((m) => typeof m !== "string" && m.error !== undefined);
      expect(refused).toMatchObject({
        jsonrpc: "2.0",
        id: null,
        error: { code: -32700, message: expect.stringMatching(/nests deeper than 64/) },
      });
      expect(await peakRssMb(stdio.child.pid!)).toBeLessThan(CAP_MB);
    } finally {
      expect(await stdio.stop()).toBe(0);
    }
  });
});
