/** The html_to_md tool through a real MCP client: new arguments reach the converter, warnings come back. */
import { afterEach, describe, expect, it } from "vitest";
import { connectInMemory, type Harness } from "../../helpers/runtime.js";
import { macro, rich } from "./helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("html_to_md tool", () => {
  it("resolves links with base_url, space_key, page_id and jira_base_url", async () => {
    h = await connectInMemory();
    const html = `<p><ac:link><ri:page ri:content-title="Design Rules" /></ac:link> <ac:image><ri:attachment ri:filename="a.png" /></ac:image> ${macro("jira", { key: "SG-7" })}</p>`;
    const result = await h.client.callTool({
      name: "html_to_md",
      arguments: {
        html,
        base_url: "https://acme.atlassian.net/wiki",
        space_key: "SG",
        page_id: "99",
        jira_base_url: "https://acme.atlassian.net",
      },
    });
    expect(result.isError).toBeFalsy();
    const out = result.structuredContent as { markdown: string };
    expect(out.markdown).toBe(
      "[Design Rules](https://acme.atlassian.net/wiki/display/SG/Design+Rules) ![a.png](https://acme.atlassian.net/wiki/download/attachments/99/a.png) [SG-7](https://acme.atlassian.net/browse/SG-7)\n",
    );
  });

  it("returns warnings for unknown macros alongside the kept text", async () => {
    h = await connectInMemory();
    const result = await h.client.callTool({
      name: "html_to_md",
      arguments: { html: macro("roadmap-planner", {}, rich("<p>Q3 plan</p>")) },
    });
    const out = result.structuredContent as {
      markdown: string;
      warnings: { code: string; subject: string; count: number }[];
      stats: { format: string };
    };
    expect(out.markdown).toBe("Q3 plan\n");
    expect(out.warnings).toEqual([
      expect.objectContaining({ code: "unknown_macro", subject: "roadmap-planner", count: 1 }),
    ]);
    expect(out.stats.format).toBe("storage");
  });

  it("rejects a base_url that is not a URL with E_INVALID_INPUT", async () => {
    h = await connectInMemory();
    const result = await h.client.callTool({
      name: "html_to_md",
      arguments: { html: "<p>x</p>", base_url: "not a url" },
    });
    expect(result.isError).toBe(true);
    expect((result.content as { text: string }[])[0]!.text).toMatch(/^E_INVALID_INPUT: .*base_url/);
  });
});
