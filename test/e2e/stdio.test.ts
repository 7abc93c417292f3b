import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { CLI, ROOT, assertBuilt, stopChild } from "../helpers/spawn.js";

/** `specgate serve --stdio` spoken to line by line: raw JSON-RPC in, everything on stdout/stderr kept. */
function spawnStdio(env: Record<string, string>) {
  assertBuilt();
  const child = spawn(process.execPath, [CLI, "serve", "--stdio"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
  });
  const io = { out: "", err: "" };
  child.stdout.setEncoding("utf8").on("data", (d: string) => (io.out += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (io.err += d));
  const send = (msg: object) => child.stdin.write(`${JSON.stringify(msg)}\n`);
  const answered = (id: number) => io.out.split("\n").some((l) => l.includes(`"id":${id}`));
  /** Resolves when a response with this id is on stdout; rejects if the process exits first. */
  const waitFor = (id: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!answered(id)) return;
        done();
        resolve();
      };
      const exited = (code: number | null) => {
        done();
        if (answered(id)) resolve();
        else reject(new Error(`no response ${id}: the server exited (${code}); stderr:\n${io.err}`));
      };
      const done = () => {
        child.stdout.off("data", check);
        child.off("exit", exited);
      };
      child.stdout.on("data", check);
      child.on("exit", exited);
      check();
    });
  return { child, io, send, waitFor };
}

describe("stdio transport (spawned binary)", () => {
  it("writes nothing but JSON-RPC on stdout while logging to stderr", async () => {
    const { child, io, send, waitFor } = spawnStdio({ LOG_LEVEL: "debug" });
    send({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    });
    await waitFor(1);
    send({ jsonrpc: "2.0", method: "notifications/initialized" });
    send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    send({
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: { name: "html_to_md", arguments: { html: "<h1>제목</h1><p>본문</p>" } },
    });
    send({ jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "html_to_md", arguments: { html: 1 } } });
    child.stdin.write("this is not json\n");
    send({
      jsonrpc: "2.0",
      id: 5,
      method: "tools/call",
      params: { name: "html_to_md", arguments: { html: "<p>still serving</p>" } },
    });
    await waitFor(5);
    child.stdin.end();
    expect(await stopChild(child)).toBe(0);

    const lines = io.out.split("\n").filter((l) => l.length > 0);
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: "2.0" });
    const byId = new Map(
      lines
        .map((l) => JSON.parse(l) as { id?: number; result?: any })
        .filter((m) => m.id !== undefined)
        .map((m) => [m.id, m]),
    );
    expect(byId.get(2)!.result.tools.map((t: { name: string }) => t.name)).toContain("html_to_md");
    expect(byId.get(3)!.result.structuredContent.markdown).toBe("# 제목\n\n본문\n");
    expect(byId.get(4)!.result.isError).toBe(true);
    expect(byId.get(5)!.result.structuredContent.markdown).toBe("still serving\n");
    expect(io.err).toMatch(/"msg":"SpecGate MCP server ready on stdio"/);
  });

  it("works with the SDK's stdio client", async () => {
    assertBuilt();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, "serve", "--stdio"],
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "silent" },
      stderr: "pipe",
    });
    const client = new Client({ name: "e2e", version: "1" });
    await client.connect(transport);
    const r = await client.callTool({ name: "html_to_md", arguments: { html: "<h2>a</h2><p>b</p>" } });
    expect((r.structuredContent as { markdown: string }).markdown).toBe("## a\n\nb\n");
    await client.close();
  });

  it("takes a document under the 10 MB limit whose message is over 10 MiB once JSON-escaped", async () => {
    assertBuilt();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, "serve", "--stdio"],
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "silent" },
      stderr: "pipe",
    });
    const client = new Client({ name: "e2e", version: "1" });
    await client.connect(transport);
    // 6 MB of newlines in a comment: a 6 MB document, a 12 MB line on stdin.
    const html = `<p>kept</p><!--${"\n".repeat(6 * 1024 * 1024)}-->`;
    const r = await client.callTool({ name: "html_to_md", arguments: { html } });
    expect((r.structuredContent as { markdown: string }).markdown).toBe("kept\n");
    const after = await client.callTool({ name: "html_to_md", arguments: { html: "<p>still serving</p>" } });
    expect((after.structuredContent as { markdown: string }).markdown).toBe("still serving\n");
    await client.close();
  });

  it("answers a message over SPECGATE_HTTP_MAX_BODY_MB with an error, drops it, and keeps serving", async () => {
    const { child, io, send, waitFor } = spawnStdio({ LOG_LEVEL: "warn", SPECGATE_HTTP_MAX_BODY_MB: "1" });
    send({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    });
    await waitFor(1);
    send({ jsonrpc: "2.0", method: "notifications/initialized" });
    // 2 MB of document in one message, written in pieces as a pipe delivers it.
    const big = JSON.stringify({
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "html_to_md", arguments: { html: `<p>${"x".repeat(2 * 1024 * 1024)}</p>` } },
    });
    for (let i = 0; i < big.length; i += 65536) child.stdin.write(big.slice(i, i + 65536));
    child.stdin.write("\n");
    send({
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: { name: "html_to_md", arguments: { html: "<p>still serving</p>" } },
    });
    await waitFor(3);
    child.stdin.end();
    expect(await stopChild(child)).toBe(0);

    const messages = io.out
      .split("\n")
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as { id?: number | null; error?: { code: number; message: string }; result?: any });
    const refusal = messages.find((m) => m.id === null);
    expect(refusal?.error?.code).toBe(-32600);
    expect(refusal?.error?.message).toMatch(/too large.*SPECGATE_HTTP_MAX_BODY_MB/);
    expect(messages.some((m) => m.id === 2)).toBe(false);
    expect(messages.find((m) => m.id === 3)?.result.structuredContent.markdown).toBe("still serving\n");
    expect(io.err).toMatch(/over the size limit dropped/);
  });
});
