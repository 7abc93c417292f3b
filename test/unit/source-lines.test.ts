import { describe, expect, it } from "vitest";
import { SourceLines } from "../../src/core/markdown/lines.js";

const all = (source: string) => {
  const lines = new SourceLines(source);
  return Array.from({ length: lines.length }, (_, i) => lines.get(i + 1));
};

describe("a document's lines by number", () => {
  it("reads the lines as a split at line breaks does, without a last empty line after a final break", () => {
    for (const source of ["a\nb", "a\nb\n", "a\n\nb\n\n", "\n", "\n\n", "one line", "# 제목\n\n본문 줄\n"]) {
      const expected = source.split("\n");
      if (source.endsWith("\n")) expected.pop();
      expect(all(source), JSON.stringify(source)).toEqual(expected);
    }
    expect(all("")).toEqual([]);
  });

  it("drops a carriage return before a line break, and gives '' beyond either end", () => {
    const lines = new SourceLines("a\r\nb\r\n");
    expect([lines.get(1), lines.get(2)]).toEqual(["a", "b"]);
    expect([lines.get(0), lines.get(3)]).toEqual(["", ""]);
  });

  it("gives each line's offsets in the source, the line break excluded", () => {
    const source = "ab\ncd\n";
    const lines = new SourceLines(source);
    expect([lines.start(1), lines.end(1), lines.start(2), lines.end(2)]).toEqual([0, 2, 3, 5]);
    expect(source.slice(lines.start(2), lines.end(2))).toBe("cd");
  });

  it("indexes a long document (the offsets' array grows as it fills)", () => {
    const source = Array.from({ length: 10_000 }, (_, i) => `line ${i}`).join("\n");
    const lines = new SourceLines(source);
    expect(lines.length).toBe(10_000);
    expect(lines.get(9_999)).toBe("line 9998");
    expect(lines.get(10_000)).toBe("line 9999");
  });
});
