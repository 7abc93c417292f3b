import { afterEach, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { connectInMemory, type Harness } from "../helpers/runtime.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const doc = "# PayFlow API 설계서\n\n## 2. 설계 규칙\n\n- **RULE-API-001** (MUST): 모든 API는 JSON으로 응답해야 한다\n";
const tooBig = "가".repeat(Math.ceil((10 * 1024 * 1024) / 3) + 10);

describe("a document over 10 MB inside a batch", () => {
  for (const tool of ["speclint_lint", "rule_extract"]) {
    it(`${tool}: is that document's own E_TOO_LARGE error; the others are processed`, async () => {
      h = await connectInMemory();
      const r = (await h.client.callTool({
        name: tool,
        arguments: { documents: [{ content: doc }, { content: tooBig }, { content: doc }] },
      })) as CallToolResult;
      expect(r.isError).toBeFalsy();
      const out = r.structuredContent as {
        results?: { ok: boolean; error?: { code: string; message: string } }[];
        documents?: { ok: boolean; error?: { code: string; message: string } }[];
      };
      const entries = out.results ?? out.documents!;
      expect(entries.map((e) => e.ok)).toEqual([true, false, true]);
      expect(entries[1]!.error!.code).toBe("E_TOO_LARGE");
      expect(entries[1]!.error!.message).toMatch(/`documents\[1\]\.content` is 10\.0 MB/);
    });
  }

  it("a single content over 10 MB still fails the call", async () => {
    h = await connectInMemory();
    const r = (await h.client.callTool({ name: "speclint_lint", arguments: { content: tooBig } })) as CallToolResult;
    expect(r.isError).toBe(true);
    expect((r.content[0] as { text: string }).text).toMatch(/^E_TOO_LARGE: `content`/);
  });
});
