/** The library API (`import { lint, lintBatch, applyFixes } from "specgate"`). */
import { describe, expect, it } from "vitest";
import { applyFixes, lint, lintBatch, loadRuleset } from "../../src/index.js";
import { readCorpus } from "../helpers/fixtures.js";

describe("library API", () => {
  it("lint() picks the ruleset from the language and accepts a loaded ruleset", async () => {
    const content = await readCorpus("specgate-docs", "test-documents/04-Security-Design-MissingCode.md");
    expect((await lint(content)).score).toBe(95);
    const ruleset = await loadRuleset("specgate");
    expect((await lint(content, { ruleset, checkType: "basic" })).violations).toEqual([]);
  });

  it("lintBatch() keeps order, isolates a broken document, and refuses more than 100", async () => {
    const good = await readCorpus("specgate-docs", "test-documents/01-API-Design-Perfect.md");
    const r = await lintBatch([{ id: "a", content: good }, { id: "b", content: "bad\u0000" }, { content: "" }]);
    expect(r.results.map((e) => [e.index, e.id, e.ok])).toEqual([
      [0, "a", true],
      [1, "b", false],
      [2, undefined, true],
    ]);
    expect(r.results[1]).toMatchObject({ ok: false, error: { code: "E_INVALID_INPUT" } });
    expect(r).toMatchObject({
      score: 0,
      grade: "low",
      stats: { documents: 3, linted: 2, failed: 1, max_score: 100, min_score: 0 },
    });
    await expect(lintBatch(Array.from({ length: 101 }, () => ({ content: "# x" })))).rejects.toMatchObject({
      code: "E_INVALID_INPUT",
    });
  });

  it("applyFixes() applies non-overlapping fixes and skips one that overlaps an applied replacement", () => {
    const content = "a\nb\nc\n";
    const out = applyFixes(content, [
      { start_line: 2, end_line: 3, text: "B\n", description: "replace b" },
      {
        start_line: 2,
        end_line: 2,
        text: "x\n",
        description: "insert before b (overlaps the replacement's start: applied first)",
      },
      { start_line: 2, end_line: 3, text: "β\n", description: "replace b again: overlaps, skipped" },
      { start_line: 4, end_line: 4, text: "d\n", description: "append" },
    ]);
    expect(out).toEqual({ output: "a\nx\nB\nc\nd\n", applied: 3, skipped: 1 });
    expect(
      applyFixes("a", [{ start_line: 2, end_line: 2, text: "b\n", description: "append without final newline" }])
        .output,
    ).toBe("a\nb\n");
  });
});
