/**
 * Every tool against random and hostile arguments (fast-check), through the real SDK client and
 * the real pipeline. Each case must end in a valid result or a clean error with a stable code
 * (never E_INTERNAL, never a protocol failure or a hang), and a normal call must succeed after.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { TOOLS } from "../../src/tools/index.js";
import { connectInMemory, type Harness } from "../helpers/runtime.js";

let h: Harness;
beforeAll(async () => {
  // Tools that may write (spec_write) write only into a scratch workspace.
  const workspace = await mkdtemp(path.join(tmpdir(), "specgate-fuzz-"));
  h = await connectInMemory({ env: { SPECGATE_TOOL_TIMEOUT_MS: "10000", SPECGATE_WORKSPACE: workspace } });
});
afterAll(async () => {
  await h.close();
});

/** Strings a careless parser chokes on. */
const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc.constantFrom(
    "",
    "\u0000\u0000",
    "\uD800 lone surrogate \uDFFF",
    "\u200B\u200C\u200D\uFEFF zero-width",
    "\u202E\u2066 RTL override",
    "line\r\nline\rline\n",
    "<".repeat(5000),
    "<div>".repeat(20_000),
    "<![CDATA[ unterminated",
    '<ac:structured-macro ac:name="code"><ac:plain-text-body><![CDATA[x',
    "**RULE-API-001** (MUST): ".repeat(2000),
    "# ".repeat(10_000),
    "`".repeat(10_000),
    "[".repeat(10_000) + "](".repeat(10_000),
    "*_".repeat(20_000),
    "a".repeat(1_000_000),
    "__proto__",
    "constructor",
    JSON.stringify({ __proto__: { polluted: true } }),
  ),
);

const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom("__proto__", "constructor", "prototype")), tie("value"), {
      maxKeys: 5,
    }),
  ),
})).value;

function argumentsFor(tool: (typeof TOOLS)[number]): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.keys(
    ((tool.inputSchema as unknown as { shape?: Record<string, unknown> }).shape ?? {}) as object,
  );
  const known = props.length > 0 ? fc.constantFrom(...props) : fc.string();
  return fc.oneof(
    fc.dictionary(fc.string(), hostileValue, { maxKeys: 4 }),
    fc.dictionary(known, hostileValue, { maxKeys: Math.max(1, props.length) }),
    fc.dictionary(known, hostileString, { maxKeys: Math.max(1, props.length) }),
  );
}

function assertClean(result: CallToolResult): void {
  if (result.isError) {
    const text = (result.content[0] as { text?: string }).text ?? "";
    expect(text).toMatch(/^E_[A-Z_]+: /);
    expect(text.startsWith("E_INTERNAL")).toBe(false);
  } else {
    expect(result.structuredContent).toBeTypeOf("object");
  }
}

describe("fuzzing every tool's arguments", () => {
  for (const tool of TOOLS) {
    it(`${tool.name}: random and hostile arguments end cleanly and the server keeps serving`, async () => {
      await fc.assert(
        fc.asyncProperty(argumentsFor(tool), async (args) => {
          const result = (await h.client.callTool({ name: tool.name, arguments: args })) as CallToolResult;
          assertClean(result);
        }),
        { numRuns: 150, seed: 20261126, endOnFailure: true },
      );
      const normal = (await h.client.callTool({
        name: "html_to_md",
        arguments: { html: "<p>after fuzzing</p>" },
      })) as CallToolResult;
      expect(normal.isError).toBeFalsy();
    });
  }

  it("prototype-pollution keys in arguments never reach Object.prototype", async () => {
    for (const tool of TOOLS) {
      const args = JSON.parse(
        `{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}`,
      ) as Record<string, unknown>;
      assertClean((await h.client.callTool({ name: tool.name, arguments: args })) as CallToolResult);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
