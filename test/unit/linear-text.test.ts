/**
 * The linear helpers that replaced regexes with quadratic worst cases (src/core/text.ts) and the
 * glob matcher that replaced a backtracking RegExp (src/cache/keys.ts) must do exactly what the
 * regexes did: checked against them on random short strings, where the regex is still fast.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { globMatcher } from "../../src/cache/keys.js";
import { joinLines, stripParenthesized, trimEndChars, trimLineEnds, trimStartChars } from "../../src/core/text.js";

const tricky = fc.string({
  unit: fc.constantFrom(" ", "\t", "\n", "\r", "\u2028", "\u00a0", "a", "x", "(", ")", "（", "）", "/", "."),
  maxLength: 40,
});

describe("linear text helpers behave like the regexes they replace", () => {
  const cases: [string, (s: string) => string, (s: string) => string][] = [
    ["trimLineEnds", trimLineEnds, (s) => s.replace(/[ \t]+$/gm, "")],
    ["joinLines", joinLines, (s) => s.replace(/\s*\n\s*/g, " ")],
    ["stripParenthesized", stripParenthesized, (s) => s.replace(/\([^)]*\)|（[^）]*）/g, "")],
    ["trimEndChars", (s) => trimEndChars(s, "/."), (s) => s.replace(/[/.]+$/, "")],
    ["trimStartChars", (s) => trimStartChars(s, "\n"), (s) => s.replace(/^\n+/, "")],
  ];
  for (const [name, linear, regex] of cases) {
    it(name, () => {
      fc.assert(
        fc.property(tricky, (s) => linear(s) === regex(s)),
        { numRuns: 3000, seed: 11 },
      );
    });
  }

  it("stay linear on inputs that made the regexes quadratic", () => {
    const n = 2_000_000;
    expect(trimLineEnds(`${" ".repeat(n)}x`)).toHaveLength(n + 1);
    expect(joinLines(`${" ".repeat(n)}x\ny`)).toBe(`${" ".repeat(n)}x y`);
    expect(stripParenthesized("(".repeat(n))).toHaveLength(n);
    expect(trimEndChars(`${"/".repeat(n)}x`, "/")).toHaveLength(n + 1);
  });
});

describe("cache invalidation globs", () => {
  const globRegex = (glob: string) =>
    new RegExp(
      `^${[...glob].map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[\\^$.|+()[\]{}]/g, "\\$&"))).join("")}$`,
      "s",
    );

  it("match like an anchored glob RegExp", () => {
    const text = fc.string({ unit: fc.constantFrom("1", "2", ":", "a", "v"), maxLength: 12 });
    const glob = fc.string({ unit: fc.constantFrom("1", "2", ":", "a", "*", "?"), maxLength: 8 });
    fc.assert(
      fc.property(glob, text, (g, t) => globMatcher(g)(t) === globRegex(g).test(t)),
      { numRuns: 5000, seed: 7 },
    );
  });

  it("answer at once for a pattern that makes a backtracking RegExp run for hours", () => {
    // As a RegExp this takes ~30 s on 60 characters and grows exponentially with the stars.
    const matches = globMatcher(`${"*1".repeat(100)}x`);
    expect(matches("1".repeat(200))).toBe(false);
    expect(globMatcher("page:123*")("page:12345:v3")).toBe(true);
    expect(globMatcher("page:?23:*")("page:123:latest")).toBe(true);
  });
});
