/** The parse-cost check: exact depth and value counts on valid JSON, strings skipped whole, linear time. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonCostMeter, jsonCostError } from "../../src/transports/json-guard.js";

/** Depth and value count of a parsed value, the way the guard counts them (keys are not values). */
function measure(value: unknown, depth = 1): { depth: number; values: number } {
  if (value === null || typeof value !== "object") return { depth: 0, values: 1 };
  const children = Array.isArray(value) ? value : Object.values(value as object);
  let deepest = depth;
  let values = 1;
  for (const child of children) {
    const m = measure(child, depth + 1);
    deepest = Math.max(deepest, m.depth);
    values += m.values;
  }
  return { depth: deepest, values };
}

const check = (text: string, depth: number, values: number) => jsonCostError(Buffer.from(text), depth, values);

describe("jsonCostError", () => {
  it("counts exactly what JSON.parse would build: a limit one below the value's depth or count refuses it, at them accepts it", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.boolean(), (value, spaced) => {
        const text = JSON.stringify(value, null, spaced ? 2 : undefined);
        const m = measure(value);
        const depth = m.depth;
        expect(check(text, Math.max(depth, 1), m.values)).toBeUndefined();
        if (depth > 0) expect(check(text, depth - 1, m.values)).toMatch(/nests deeper than/);
        expect(check(text, 64, m.values - 1)).toMatch(/more than/);
      }),
      { numRuns: 500, seed: 16 },
    );
  });

  it("gives the same answer fed in chunks cut anywhere (inside strings and escapes included)", () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 5 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.nat({ max: 8 }),
        (value, cuts, slack) => {
          const bytes = Buffer.from(JSON.stringify(value));
          const m = measure(value);
          for (const [depth, values] of [
            [m.depth, m.values],
            [Math.max(0, m.depth - 1), m.values + slack],
            [64, Math.max(0, m.values - 1 - slack)],
          ] as const) {
            const meter = new JsonCostMeter(depth, values);
            const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
            let answer: string | undefined;
            let from = 0;
            for (const at of [...points, bytes.length]) {
              answer = meter.push(bytes.subarray(from, at)) ?? answer;
              from = at;
            }
            expect(answer).toBe(jsonCostError(bytes, depth, values));
          }
        },
      ),
      { numRuns: 500, seed: 17 },
    );
  });

  it("reads runs of backslashes before quotes right wherever the chunks are cut", () => {
    const bytes = Buffer.from(JSON.stringify({ a: '\\\\\\"[x\\', b: ['\\"', "\\\\", '"'], c: "\\".repeat(9) }));
    const whole = (depth: number) => jsonCostError(bytes, depth, 100);
    expect(whole(2)).toBeUndefined();
    expect(whole(1)).toMatch(/deeper/);
    for (let x = 0; x <= bytes.length; x++) {
      for (let y = x; y <= bytes.length; y += 3) {
        for (const depth of [1, 2]) {
          const meter = new JsonCostMeter(depth, 100);
          const answers = [
            meter.push(bytes.subarray(0, x)),
            meter.push(bytes.subarray(x, y)),
            meter.push(bytes.subarray(y)),
          ];
          expect(answers.find((a) => a !== undefined)).toBe(whole(depth));
        }
      }
    }
  });

  it("ignores brackets, quotes and colons inside strings, escaped quotes included", () => {
    const text = JSON.stringify({ a: '[[[{{{"\\":,,]]', b: ["\\", '\\"', "x\\\\"] });
    expect(check(text, 2, 6)).toBeUndefined();
    expect(check(text, 1, 6)).toMatch(/deeper/);
  });

  it("refuses the attacks and names the limit", () => {
    expect(jsonCostError(Buffer.from(`${"[".repeat(65)}${"]".repeat(65)}`))).toMatch(
      /^Parse error: the message nests deeper than 64 levels/,
    );
    expect(jsonCostError(Buffer.from(`${"[".repeat(64)}${"]".repeat(64)}`))).toBeUndefined();
    expect(jsonCostError(Buffer.from(`[${"0,".repeat(1_000_000)}0]`))).toMatch(/more than 1,000,000 values/);
    expect(jsonCostError(Buffer.from(`[${"0,".repeat(999_998)}0]`))).toBeUndefined();
  });

  it("leaves malformed JSON to JSON.parse (an unterminated string, stray closers)", () => {
    for (const text of ['"abc', "]]]]", '{"a":', "not json"]) expect(check(text, 4, 10)).toBeUndefined();
  });

  it("takes a 10 MB document in a string, brackets and all, as one value", () => {
    const doc = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "speclint_lint", arguments: { content: "# 설계 [x] {y}\n".repeat(600_000) } },
    });
    expect(jsonCostError(Buffer.from(doc))).toBeUndefined();
  });
});
