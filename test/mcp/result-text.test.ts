/**
 * The text content of a result (docs/mcp.md): the result's JSON while it is at most 64 KB,
 * so that a client passing only text to the model can chain tools; above that, the tool's summary
 * and a note saying where the full result is and how to ask for less.
 */
import { afterEach, describe, expect, it } from "vitest";
import { TEXT_JSON_LIMIT } from "../../src/pipeline/result-text.js";
import { connectInMemory, type Harness } from "../helpers/runtime.js";
import { expectTextChainOutcome, runTextChain } from "../helpers/text-chain.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const text = (r: Record<string, unknown>) => (r.content as { text: string }[]).map((c) => c.text).join("");

/** A design document stating `n` standardized rules. */
function manyRules(n: number): string {
  const lines = ["# Payments API 설계서", "", "## 2. 설계 규칙", ""];
  for (let i = 1; i <= n; i++) {
    const id = String(i).padStart(3, "0");
    lines.push(
      `**RULE-API-${id}** (MUST): Endpoint number ${i} of the payments API must validate its request body against the published schema.`,
      `- 적용 범위: src/api/endpoint-${i}/**`,
      `- 근거: Unvalidated input ${i} reaches the ledger`,
      `- 참조: OpenAPI section ${i}`,
      "",
    );
  }
  return lines.join("\n");
}

describe("result text", () => {
  it("chains rule_extract → spec_generate → gate_score through content[].text alone", async () => {
    h = await connectInMemory();
    expectTextChainOutcome(await runTextChain(h.client));
  });

  it("is the summary plus a note on where the result is when the JSON is over 64 KB", async () => {
    h = await connectInMemory();
    const r = await h.client.callTool({ name: "rule_extract", arguments: { content: manyRules(150) } });
    expect(r.isError).toBeFalsy();
    const out = r.structuredContent as { rules: { rule_id: string }[] };
    expect(out.rules).toHaveLength(150);
    expect(Buffer.byteLength(JSON.stringify(out))).toBeGreaterThan(TEXT_JSON_LIMIT);
    const shown = text(r);
    expect(shown.split("\n")[0]).toBe(
      "150 rules (150 standardized, 0 keyword) from 1 document; 0 duplicates, 0 conflicts.",
    );
    expect(shown).toContain("- … 100 more in structuredContent.rules");
    expect(shown).toMatch(
      /\[Result over 64 KB of JSON: the text above is a summary\. The full result is in structuredContent .*Split the document \(or the batch\), or raise `min_reliability`/,
    );
    expect(() => JSON.parse(shown)).toThrow();
  });

  it("stays the JSON up to 64 KB: a result just under the limit is its own text", async () => {
    h = await connectInMemory();
    const r = await h.client.callTool({ name: "rule_extract", arguments: { content: manyRules(40) } });
    expect(Buffer.byteLength(JSON.stringify(r.structuredContent))).toBeLessThanOrEqual(TEXT_JSON_LIMIT);
    expect(JSON.parse(text(r))).toEqual(r.structuredContent);
  });
});
