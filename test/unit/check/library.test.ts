/** The library's `check`: the same use case as the rule_check tool, from plain arguments. */
import { describe, expect, it } from "vitest";
import { check, formatCheck } from "../../../src/index.js";

describe("check() from the library", () => {
  it("runs hand-written rules on buffers and formats the result", async () => {
    const result = await check(
      [
        {
          rule_id: "RULE-DEV-001",
          priority: "SHOULD NOT",
          scope: "web/**/*.ts",
          validation_conditions: { structural_patterns: ["console.log($$$A)"] },
        },
      ],
      {
        files: [{ path: "web/a.ts", content: "const a = 1;\nconsole.log(a);\n" }],
      },
    );
    expect(result.findings.map((f) => [f.rule_id, f.file, f.line, f.column])).toEqual([
      ["RULE-DEV-001", "web/a.ts", 2, 1],
    ]);
    expect(formatCheck(result, "github")).toBe(
      "::warning file=web/a.ts,line=2,col=1,title=RULE-DEV-001 (SHOULD NOT)::RULE-DEV-001 (SHOULD NOT): RULE-DEV-001\n",
    );
  });

  it("throws E_INVALID_INPUT for rules it cannot read", async () => {
    await expect(check([{ rule_id: "x" }], { files: [] })).rejects.toMatchObject({ code: "E_INVALID_INPUT" });
  });
});
