/**
 * The limit on one answer (SPECGATE_MAX_RESULT_MB) over MCP, on the main thread and on a worker:
 * an answer over it is E_TOO_LARGE whose message says what to do, it is never cached (the same
 * call under a higher limit computes again and succeeds), and answers under it are untouched.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ruleLines } from "../helpers/large-docs.js";
import { connectInMemory, type Harness } from "../helpers/runtime.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Result = Awaited<ReturnType<Harness["client"]["callTool"]>>;
const text = (r: Result) => (r.content as { text: string }[])[0]!.text;

// 3,000 rule lines (~170 KB): spec_generate answers ~7 MB, rule_extract ~2.5 MB.
const doc = ruleLines(170 * 1024);

describe("the result limit", () => {
  for (const [where, env] of [
    ["on the main thread", { SPECGATE_WORKERS: "0" }],
    ["on a worker", { SPECGATE_WORKERS: "1", SPECGATE_WORKER_MIN_KB: "64" }],
  ] as const) {
    it(`${where}: an answer over SPECGATE_MAX_RESULT_MB is E_TOO_LARGE saying what to do`, async () => {
      h = await connectInMemory({ env: { ...env, SPECGATE_MAX_RESULT_MB: "1" } });
      const generated = await h.client.callTool({ name: "spec_generate", arguments: { content: doc } }, undefined, {
        timeout: 120_000,
      });
      expect(generated.isError).toBe(true);
      expect(text(generated)).toMatch(
        /^E_TOO_LARGE: .*1 MB limit on one answer.*Narrow `targets`.*SPECGATE_MAX_RESULT_MB/,
      );
      const extracted = await h.client.callTool({ name: "rule_extract", arguments: { content: doc } }, undefined, {
        timeout: 120_000,
      });
      expect(extracted.isError).toBe(true);
      expect(text(extracted)).toMatch(/^E_TOO_LARGE: .*raise `min_reliability`/);
      // A smaller answer passes.
      const small = await h.client.callTool({
        name: "spec_generate",
        arguments: { content: ruleLines(2 * 1024), targets: ["semgrep"] },
      });
      expect(small.isError).toBeFalsy();
    });
  }

  it("a refused answer is not cached: the same call computes again, and is refused again", async () => {
    h = await connectInMemory({ env: { SPECGATE_WORKERS: "0", SPECGATE_MAX_RESULT_MB: "1" } });
    const args = { content: doc };
    for (let i = 0; i < 2; i++)
      expect(text(await h.client.callTool({ name: "spec_generate", arguments: args }))).toMatch(/^E_TOO_LARGE/);
    const stats = (await h.client.callTool({ name: "cache_stats", arguments: {} })).structuredContent as {
      kinds: { kind: string; l1_hits: number; computed: number }[];
    };
    expect(stats.kinds.find((k) => k.kind === "generate")).toMatchObject({ l1_hits: 0, computed: 2 });
  });
});
