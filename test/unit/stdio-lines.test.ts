/** The stdio line framer: whole lines out whatever the chunking, oversized lines dropped as they stream. */
import { describe, expect, it } from "vitest";
import { LineFramer } from "../../src/transports/stdio-lines.js";

async function frame(
  chunks: Buffer[],
  max: number,
): Promise<{ lines: string[]; chunksOut: number; oversized: number[] }> {
  const oversized: number[] = [];
  const framer = new LineFramer(max, (n) => oversized.push(n));
  const out: Buffer[] = [];
  framer.on("data", (b: Buffer) => out.push(b));
  const ended = new Promise((resolve) => framer.on("end", resolve));
  for (const c of chunks) framer.write(c);
  framer.end();
  await ended;
  return { lines: out.map((b) => b.toString("utf8")), chunksOut: out.length, oversized };
}

/** Cuts `text` at the given byte offsets. */
const cut = (text: string, at: number[]): Buffer[] => {
  const buf = Buffer.from(text, "utf8");
  const points = [0, ...at.filter((p) => p > 0 && p < buf.length).sort((a, b) => a - b), buf.length];
  return points.slice(1).map((end, i) => buf.subarray(points[i], end));
};

describe("LineFramer", () => {
  const text = '{"a":1}\n{"b":"설계 문서"}\n\n{"c":[1,2,3]}\n';

  it("hands over each line whole, in one chunk, however the input is cut", async () => {
    for (const at of [[], [1], [3, 9, 10], [8], [12, 13, 14, 15, 16], Array.from({ length: 60 }, (_, i) => i)]) {
      const r = await frame(cut(text, at), 1024);
      expect(r.lines).toEqual(['{"a":1}\n', '{"b":"설계 문서"}\n', "\n", '{"c":[1,2,3]}\n']);
      expect(r.oversized).toEqual([]);
    }
  });

  it("drops a line over the limit, reports it once, and goes on with the next line", async () => {
    const big = `{"x":"${"y".repeat(100)}"}`;
    const input = `{"a":1}\n${big}\n{"b":2}\n`;
    for (const at of [[], [10], [10, 40, 80], Array.from({ length: 30 }, (_, i) => i * 4)]) {
      const r = await frame(cut(input, at), 50);
      expect(r.lines).toEqual(['{"a":1}\n', '{"b":2}\n']);
      expect(r.oversized).toHaveLength(1);
    }
  });

  it("keeps a line of exactly the limit (newline not counted)", async () => {
    const line = "z".repeat(50);
    const r = await frame(cut(`${line}\n`, [20, 45]), 50);
    expect(r.lines).toEqual([`${line}\n`]);
    expect(r.oversized).toEqual([]);
  });
});
