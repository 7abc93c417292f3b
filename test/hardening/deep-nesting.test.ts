import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectInMemory, type Harness } from "../helpers/runtime.js";

let h: Harness;
beforeAll(async () => {
  h = await connectInMemory();
});
afterAll(async () => h.close());

describe("deeply nested HTML through every tool that converts it", () => {
  const deep = `${"<div>".repeat(3_000)}<p><strong>RULE-API-001</strong> (MUST): x</p>`;
  const calls: [string, Record<string, unknown>][] = [
    ["html_to_md", { html: deep }],
    ["speclint_lint", { content: deep }],
    ["rule_extract", { content: deep }],
    ["spec_generate", { content: deep, targets: ["mdc"] }],
    ["gate_score", { rules: [{ rule_id: "RULE-API-001", priority: "MUST" }], lint: { content: deep } }],
  ];
  for (const [name, args] of calls) {
    it(`${name}: converts it or refuses it as input, never an internal error`, async () => {
      const result = await h.client.callTool({ name, arguments: args });
      if (result.isError)
        expect((result.content as { text: string }[])[0]!.text).toMatch(
          /^E_INVALID_INPUT: The HTML nests elements too deeply/,
        );
      else expect(result.structuredContent).toBeTypeOf("object");
    });
  }
});
