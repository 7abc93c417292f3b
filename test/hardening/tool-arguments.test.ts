/**
 * `tools/call` whose `arguments` is not an object (an array, a string, null, a number): the
 * caller gets JSON-RPC −32602 (invalid params) whose message starts with E_INVALID_INPUT and says
 * what to send — never −32603 with the schema library's raw issue list — and the connection
 * keeps serving. In memory with the SDK client, and on a spawned stdio server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { connectInMemory, type Harness } from "../helpers/runtime.js";
import { spawnRawStdio, type RawStdio } from "../helpers/stdio-raw.js";

const BAD: [string, unknown][] = [
  ["an array", ["<p>x</p>"]],
  ["an empty array", []],
  ["a string", "<p>x</p>"],
  ["null", null],
  ["a number", 42],
];

describe("arguments that are not an object, in memory", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await connectInMemory();
  });
  afterAll(async () => h.close());

  for (const [name, args] of BAD) {
    it(`${name} → −32602 E_INVALID_INPUT with a readable message`, async () => {
      const error = await h.client
        .request(
          { method: "tools/call", params: { name: "html_to_md", arguments: args as Record<string, unknown> } },
          CallToolResultSchema,
        )
        .then(
          () => undefined,
          (e: unknown) => e as { code: number; message: string; data?: unknown },
        );
      expect(error?.code).toBe(-32602);
      expect(error?.message).toMatch(/E_INVALID_INPUT: `arguments` of tools\/call must be an object/);
      expect(error?.message).not.toMatch(/"code"|"path"|invalid_type|expected record/);
      expect(error?.data).toMatchObject({ code: "E_INVALID_INPUT" });
    });
  }

  it("the connection keeps serving", async () => {
    const r = await h.client.callTool({ name: "html_to_md", arguments: { html: "<b>x</b>" } });
    expect(r.structuredContent).toMatchObject({ markdown: "**x**\n" });
  });
});

describe("arguments that are not an object, on stdio", () => {
  let stdio: RawStdio;
  beforeAll(async () => {
    stdio = spawnRawStdio();
    await stdio.initialize();
  });
  afterAll(async () => {
    expect(await stdio.stop()).toBe(0);
  });

  it("an array → −32602 with the request's id, and the next call is served", async () => {
    const from = stdio.lines.length;
    await stdio.request(1, "tools/call", { name: "html_to_md", arguments: ["<p>x</p>"] });
    expect(await stdio.next((m) => m.id === 1, from)).toMatchObject({
      error: { code: -32602, message: expect.stringMatching(/^E_INVALID_INPUT: /) },
    });
    await stdio.request(2, "tools/call", { name: "html_to_md", arguments: { html: "<p>x</p>" } });
    expect((await stdio.next((m) => m.id === 2, from)).result).toMatchObject({
      structuredContent: { markdown: "x\n" },
    });
  });
});
