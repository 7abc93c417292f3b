/**
 * rule_check against hostile code and patterns: huge files, deeply nested code, a pattern with
 * thousands of metavariables, an oversized pattern. Each ends in a result or a clean error (the
 * outcome is asserted, never a time), and the server goes on serving.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectInMemory, type Harness } from "../helpers/runtime.js";

type Out = {
  findings: { rule_id: string; file: string; line: number }[];
  unchecked: { rule_id: string; reason: string }[];
  stats: { skipped_files: { file: string; reason: string }[]; left_out: { reason: string }[] };
  candidate?: { valid: boolean; problem?: string };
};

const CONSOLE = {
  rule_id: "RULE-DEV-001",
  priority: "MUST NOT",
  scope: { file_patterns: ["**/*.ts"] },
  validation_conditions: { structural_patterns: ["console.log($$$A)"] },
};
const PRINTLN = {
  rule_id: "RULE-DEV-002",
  priority: "MUST NOT",
  scope: { file_patterns: ["**/*.java"] },
  validation_conditions: { structural_patterns: ["System.out.println($$$A)"] },
};
const metavariablePattern = (n: number) => `f(${Array.from({ length: n }, (_, i) => `$A${i}`).join(", ")})`;

describe("rule_check with hostile code and patterns", () => {
  let h: Harness;
  let ws: string;
  beforeAll(async () => {
    ws = await mkdtemp(path.join(tmpdir(), "specgate-hostile-"));
    await writeFile(path.join(ws, "huge.ts"), `${"const x = 1;\n".repeat(1_000_000)}console.log(x);\n`); // 13 MB
    await writeFile(path.join(ws, "small.ts"), "console.log(1);\n");
    h = await connectInMemory({ env: { SPECGATE_WORKSPACE: ws } });
  });
  afterAll(async () => {
    await h.close();
    await rm(ws, { recursive: true, force: true });
  });

  const call = (args: Record<string, unknown>) => h.client.callTool({ name: "rule_check", arguments: args });
  const ok = async (args: Record<string, unknown>): Promise<Out> => {
    const r = await call(args);
    expect(r.isError, JSON.stringify(r.content).slice(0, 300)).toBeFalsy();
    return r.structuredContent as Out;
  };
  const errorCode = async (args: Record<string, unknown>) => {
    const r = await call(args);
    expect(r.isError).toBe(true);
    return (r.content as { text: string }[])[0]!.text.split(":")[0];
  };

  it("checks a 6.6 MB buffer to its last line, and names the buffers ast-grep would skip instead of passing them", async () => {
    const comment = `// ${"x".repeat(70)}\n`;
    const big = `${comment.repeat(90_000)}console.log(1);\n`;
    const out = await ok({ rules: [CONSOLE], files: [{ path: "big.ts", content: big }] });
    expect(out.findings.map((f) => [f.file, f.line])).toEqual([["big.ts", 90_001]]);
    const skipped = await ok({
      rules: [CONSOLE],
      files: [
        { path: "bigger.ts", content: `${comment.repeat(120_000)}console.log(2);\n` }, // 8.9 MB
        { path: "long.ts", content: `${"x;\n".repeat(300_000)}console.log(3);\n` }, // 300,001 lines
        { path: "small.ts", content: "console.log(1);" },
      ],
    });
    expect(skipped.findings.map((f) => f.file)).toEqual(["small.ts"]);
    expect(skipped.stats.skipped_files).toEqual([
      { file: "bigger.ts", reason: "7 MB or 300,000 lines or more: ast-grep does not read it" },
      { file: "long.ts", reason: "7 MB or 300,000 lines or more: ast-grep does not read it" },
    ]);
  });

  it("refuses a buffer over the document limit, and skips (and names) a file over it on disk", async () => {
    expect(
      await errorCode({ rules: [CONSOLE], files: [{ path: "x.ts", content: "x".repeat(11 * 1024 * 1024) }] }),
    ).toBe("E_TOO_LARGE");
    const out = await ok({ rules: [CONSOLE], paths: ["*.ts"] });
    expect(out.findings.map((f) => f.file)).toEqual(["small.ts"]);
    expect(out.stats.skipped_files).toEqual([
      { file: "huge.ts", reason: "7 MB or 300,000 lines or more: ast-grep does not read it" },
    ]);
  });

  it("checks deeply nested code (100,000 levels) and still finds what is after it", async () => {
    const n = 100_000;
    const ts = `const deep = ${"[".repeat(n)}1${"]".repeat(n)};\nconst calls = ${"f(".repeat(n)}0${")".repeat(n)};\nconsole.log(deep);\n`;
    const java = `class Deep { int f() { return ${"(".repeat(n)}1${")".repeat(n)}; }\n void g() { ${"{".repeat(20_000)} System.out.println(1); ${"}".repeat(20_000)} } }\n`;
    const out = await ok({
      rules: [CONSOLE, PRINTLN],
      files: [
        { path: "deep.ts", content: ts },
        { path: "Deep.java", content: java },
      ],
    });
    expect(out.findings.map((f) => [f.rule_id, f.file, f.line]).sort()).toEqual([
      ["RULE-DEV-001", "deep.ts", 3],
      ["RULE-DEV-002", "Deep.java", 2],
    ]);
  });

  it("answers a pattern with thousands of metavariables with the limit, as a candidate and inside a rule", async () => {
    const pattern = metavariablePattern(3000);
    const candidate = await ok({
      candidate: {
        rule_id: "RULE-DEV-003",
        pattern: pattern.slice(0, 9_990),
        language: "typescript",
        examples: { violating: ["f(1)"], compliant: [] },
      },
    });
    expect(candidate.candidate).toMatchObject({
      valid: false,
      problem: expect.stringMatching(/the limit is (200 metavariables|4000)/),
    });
    const out = await ok({
      rules: [
        {
          rule_id: "RULE-DEV-003",
          priority: "MUST",
          scope: { file_patterns: ["**/*.ts"] },
          validation_conditions: { structural_patterns: [pattern] },
        },
        CONSOLE,
      ],
      files: [
        { path: "a.ts", content: `f(${Array.from({ length: 3000 }, (_, i) => i).join(",")});\nconsole.log(1);\n` },
      ],
    });
    expect(out.findings.map((f) => f.rule_id)).toEqual(["RULE-DEV-001"]);
    expect(out.unchecked).toEqual([{ rule_id: "RULE-DEV-003", reason: expect.stringMatching(/the limit is 4000/) }]);
    // Within the limits, a wide pattern on a wide call is matched as written.
    const wide = metavariablePattern(150);
    const within = await ok({
      candidate: {
        rule_id: "RULE-DEV-004",
        pattern: wide,
        language: "typescript",
        examples: { violating: [`f(${Array.from({ length: 150 }, (_, i) => i).join(",")});`], compliant: ["f(1, 2);"] },
      },
    });
    expect(within.candidate).toMatchObject({ valid: true, passes: true });
  });

  it("refuses a candidate pattern longer than the input schema allows, and keeps serving", async () => {
    expect(
      await errorCode({
        candidate: {
          rule_id: "RULE-DEV-005",
          pattern: "x".repeat(10_001),
          language: "java",
          examples: { violating: [], compliant: [] },
        },
      }),
    ).toBe("E_INVALID_INPUT");
    expect(
      (await ok({ rules: [CONSOLE], files: [{ path: "a.ts", content: "console.log(2);" }] })).findings,
    ).toHaveLength(1);
  });
});
