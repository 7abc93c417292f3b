/**
 * SPECGATE_TOOLSETS and SPECGATE_READ_ONLY (docs/mcp.md): which tools a server lists and
 * runs. A tool left out is unknown to the server, for listing and calling alike.
 */
import { afterEach, describe, expect, it } from "vitest";
import { TOOLS } from "../../src/tools/index.js";
import { connectInMemory, type Harness } from "../helpers/runtime.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const names = async (harness: Harness) => (await harness.client.listTools()).tools.map((t) => t.name);

describe("toolsets and read-only mode", () => {
  it("serves every tool by default, cache_invalidate and spec_write included", async () => {
    h = await connectInMemory();
    expect(await names(h)).toEqual(TOOLS.map((t) => t.name));
    expect(await names(h)).toEqual(expect.arrayContaining(["spec_write", "cache_invalidate", "confluence_fetch"]));
    // A tool without a toolset would be served whatever SPECGATE_TOOLSETS says.
    expect(TOOLS.filter((t) => t.toolset === undefined).map((t) => t.name)).toEqual([]);
  });

  it("serves only the named toolsets, and a tool outside them cannot be called", async () => {
    h = await connectInMemory({ env: { SPECGATE_TOOLSETS: "rules,generate,gate" } });
    expect(await names(h)).toEqual(["rule_extract", "spec_generate", "spec_write", "rule_diff", "gate_score"]);
    await expect(h.client.callTool({ name: "html_to_md", arguments: { html: "<p>x</p>" } })).rejects.toThrow(
      /Unknown tool "html_to_md"\. Available: rule_extract, spec_generate, spec_write, rule_diff, gate_score/,
    );
  });

  it("read-only mode lists no tool that writes or invalidates, and every tool it lists says it is read-only", async () => {
    h = await connectInMemory({ env: { SPECGATE_READ_ONLY: "true" } });
    const { tools } = await h.client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      "confluence_fetch",
      "html_to_md",
      "speclint_lint",
      "rule_extract",
      "spec_generate",
      "rule_check",
      "rule_diff",
      "gate_score",
      "cache_stats",
    ]);
    for (const t of tools) expect(t.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    await expect(h.client.callTool({ name: "cache_invalidate", arguments: { kind: "convert" } })).rejects.toThrow(
      /Unknown tool "cache_invalidate"/,
    );
    await expect(
      h.client.callTool({ name: "spec_write", arguments: { rules: [{ rule_id: "RULE-API-001", priority: "MUST" }] } }),
    ).rejects.toThrow(/Unknown tool "spec_write"/);
  });

  it("lists confluence_fetch without Confluence configured, and a call says what to configure", async () => {
    h = await connectInMemory({ env: { SPECGATE_TOOLSETS: "confluence" } });
    expect(await names(h)).toEqual(["confluence_fetch", "html_to_md"]);
    const r = await h.client.callTool({ name: "confluence_fetch", arguments: { page_id: "123" } });
    expect(r.isError).toBe(true);
    expect((r.content as { text: string }[])[0]!.text).toMatch(/^E_CONFIG: .*CONFLUENCE_BASE_URL/);
  });
});
