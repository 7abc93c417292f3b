/**
 * Malformed input on stdio, on a spawned `specgate serve --stdio`: every line that is not one
 * JSON-RPC message gets a JSON-RPC error on stdout (−32700 when it is not JSON, −32600 when it is
 * JSON but not a message; the request's id when one can be read, else null), a warning on stderr,
 * and the session goes on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnRawStdio, type RawStdio, type StdioMessage } from "../helpers/stdio-raw.js";

let stdio: RawStdio;
beforeAll(async () => {
  stdio = spawnRawStdio({ LOG_LEVEL: "warn" });
  await stdio.initialize();
});
afterAll(async () => {
  expect(await stdio.stop()).toBe(0);
});

let pings = 0;
/** Writes `line`, then a ping; resolves with every line the server wrote between the two. */
async function answersTo(line: string | Buffer): Promise<unknown[]> {
  const from = stdio.lines.length;
  const id = `ping-${++pings}`;
  await stdio.write(line);
  await stdio.request(id, "ping");
  await stdio.next((m) => m.id === id, from);
  const out = stdio.lines.slice(from);
  return out.slice(
    0,
    out.findIndex((m) => typeof m === "object" && (m as StdioMessage).id === id),
  );
}

describe("malformed lines on stdio", () => {
  const cases: [string, string | Buffer, number, unknown][] = [
    ["not JSON", "not json", -32700, null],
    ["invalid UTF-8", Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), -32700, null],
    ["a JSON string", '"hello"', -32600, null],
    ["null", "null", -32600, null],
    ["an empty batch", "[]", -32600, null],
    ["an object id", '{"jsonrpc":"2.0","id":{"x":1},"method":"tools/list"}', -32600, null],
    ["no method", '{"jsonrpc":"2.0","id":9}', -32600, 9],
    ["wrong version", '{"jsonrpc":"1.0","id":"v1","method":"tools/list"}', -32600, "v1"],
  ];
  for (const [name, line, code, id] of cases) {
    it(`${name} → ${code} with id ${JSON.stringify(id)}`, async () => {
      const answers = await answersTo(line);
      expect(answers).toEqual([{ jsonrpc: "2.0", id, error: { code, message: expect.any(String) } }]);
    });
  }

  it("a batch gets one −32600 error per message, with the messages' ids, as a JSON-RPC batch answer", async () => {
    const batch = JSON.stringify([
      { jsonrpc: "2.0", id: 7, method: "tools/list" },
      { jsonrpc: "2.0", id: 8, method: "ping" },
      42,
    ]);
    const answers = await answersTo(batch);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toEqual(
      [7, 8, null].map((id) => ({
        jsonrpc: "2.0",
        id,
        error: { code: -32600, message: expect.stringMatching(/batch/i) },
      })),
    );
  });

  it("a blank line is ignored", async () => {
    expect(await answersTo("   ")).toEqual([]);
  });

  it("invalid UTF-8 inside a string of a valid request is read as U+FFFD and served", async () => {
    const from = stdio.lines.length;
    const line = Buffer.concat([
      Buffer.from(
        '{"jsonrpc":"2.0","id":"utf","method":"tools/call","params":{"name":"html_to_md","arguments":{"html":"<p>a',
      ),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('b</p>"}}}'),
    ]);
    await stdio.write(line);
    const answer = await stdio.next((m) => m.id === "utf", from);
    expect(answer.result?.structuredContent).toEqual(expect.objectContaining({ markdown: "a\ufffd\ufffdb\n" }));
  });

  it("each was logged on stderr, and the session goes on", async () => {
    // stderr is a pipe of its own: its lines may arrive after the answers on stdout.
    const warnings = () =>
      stdio
        .stderr()
        .split("\n")
        .filter((l) => /"level":("warn"|40)/.test(l) && /malformed/i.test(l));
    await expect.poll(() => warnings().length).toBeGreaterThanOrEqual(cases.length + 1);
    const from = stdio.lines.length;
    await stdio.request(100, "tools/call", { name: "html_to_md", arguments: { html: "<p>still here</p>" } });
    const answer = await stdio.next((m) => m.id === 100, from);
    expect(answer.result?.structuredContent).toEqual(expect.objectContaining({ markdown: "still here\n" }));
  });
});
