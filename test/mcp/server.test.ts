import { afterEach, describe, expect, it } from "vitest";
import { connectInMemory, type Harness } from "../helpers/runtime.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("MCP server (in-process SDK client)", () => {
  it("names every tool and prompt it serves in its instructions, so a model knows the flow", async () => {
    h = await connectInMemory();
    const instructions = h.client.getInstructions() ?? "";
    const { tools } = await h.client.listTools();
    const { prompts } = await h.client.listPrompts();
    const named = [...tools.map((t) => t.name), ...prompts.map((p) => p.name)].filter(
      (name) => !["cache_stats", "cache_invalidate"].includes(name),
    );
    expect(named.filter((name) => !instructions.includes(name))).toEqual([]);
  });

  it("lists html_to_md with schemas and all four annotations", async () => {
    h = await connectInMemory();
    const { tools } = await h.client.listTools();
    const tool = tools.find((t) => t.name === "html_to_md");
    expect(tool).toBeDefined();
    expect(tool!.inputSchema.type).toBe("object");
    expect(tool!.inputSchema.required).toEqual(["html"]);
    expect(tool!.outputSchema?.type).toBe("object");
    expect(tool!.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
  });

  it("converts HTML and returns structured content plus the same result as JSON text", async () => {
    h = await connectInMemory();
    const result = await h.client.callTool({
      name: "html_to_md",
      arguments: { html: "<h2>설계 규칙</h2><p><strong>중요</strong> <em>강조</em></p>" },
    });
    expect(result.isError).toBeFalsy();
    const out = result.structuredContent as { markdown: string; stats: { format: string } };
    expect(out.markdown).toBe("## 설계 규칙\n\n**중요** *강조*\n");
    expect(out.stats.format).toBe("html");
    expect(JSON.parse((result.content as { text: string }[])[0]!.text)).toEqual(out);
  });

  it("answers bad arguments with E_INVALID_INPUT naming the field, then keeps serving", async () => {
    h = await connectInMemory();
    const bad = await h.client.callTool({ name: "html_to_md", arguments: { html: 42 } });
    expect(bad.isError).toBe(true);
    expect((bad.content as { text: string }[])[0]!.text).toMatch(/^E_INVALID_INPUT: .*html/);
    expect((bad._meta as Record<string, { code: string }>)["specgate/error"]!.code).toBe("E_INVALID_INPUT");
    const extra = await h.client.callTool({ name: "html_to_md", arguments: { html: "<p>x</p>", htm: 1 } });
    expect((extra.content as { text: string }[])[0]!.text).toMatch(/E_INVALID_INPUT.*htm/);
    const good = await h.client.callTool({ name: "html_to_md", arguments: { html: "<p>ok</p>" } });
    expect(good.isError).toBeFalsy();
  });
});
