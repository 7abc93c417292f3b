/**
 * The CLI against hostile standard input and arguments: binary and invalid UTF-8, 10 MB + 1
 * byte, random flags and values. Every run must end with exit 0, 1 or 2, messages on stderr
 * that start with `specgate:` (or commander's `error:`), and never an unexpected error with a
 * stack trace.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { runCliInProcess, type CliRun } from "../helpers/cli.js";
import { corpusPath } from "../helpers/fixtures.js";

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), "specgate-cli-fuzz-"));
});

function assertClean(run: CliRun): void {
  expect([0, 1, 2]).toContain(run.code);
  expect(run.stderr).not.toMatch(/unexpected error|\n\s+at .+:\d+:\d+/);
}

const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.from(a)),
  fc.constantFrom(
    Buffer.from([0xff, 0xfe, 0xfd, 0x80, 0xc3, 0x28, 0xe2, 0x82]),
    Buffer.from("\uFEFF# 제목 설계서\r\n\r\n## 설계 규칙\r\n**RULE-API-001** (MUST): x\r\n", "utf16le"),
    Buffer.concat([Buffer.from("# T\n"), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(" lone surrogate in UTF-8\n")]),
    Buffer.from(`${"<div>".repeat(100_000)}x`),
    Buffer.from('{"__proto__":{"polluted":1},"rules":[{"rule_id":"RULE-API-001","priority":"MUST"}]}'),
    Buffer.from('{"version":"2.1.0","runs":[{"results":[{"ruleId":"RULE-API-001","__proto__":{"x":1}}]}]}'),
    Buffer.from("[".repeat(100_000)),
  ),
  fc.string({ unit: "grapheme", maxLength: 500 }).map((s) => Buffer.from(s)),
);

const COMMANDS: string[][] = [
  ["convert", "-"],
  ["convert", "-", "--json"],
  ["lint", "-"],
  ["lint", "-", "--format", "sarif"],
  ["extract", "-"],
  ["generate", "-"],
  ["diff", "-", corpusPath("specgate-docs", "standards", "SpecGate-Security-Design.md")],
  ["gate", "--findings", "-"],
  ["gate", "--sarif", "-", "--rules", "-"],
];

describe("hostile standard input", () => {
  for (const command of COMMANDS) {
    it(`specgate ${command.join(" ")}`, async () => {
      await fc.assert(
        fc.asyncProperty(bytes, async (stdin) =>
          assertClean(await runCliInProcess(command, { stdin, cwd, env: { SPECGATE_WORKSPACE: cwd } })),
        ),
        { numRuns: 60, seed: 99, endOnFailure: true },
      );
    });
  }

  it("10 MB + 1 byte on standard input is refused as too large", async () => {
    const run = await runCliInProcess(["lint", "-"], { stdin: Buffer.alloc(10 * 1024 * 1024 + 1, 0x61), cwd });
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toMatch(/E_TOO_LARGE/);
  });
});

describe("random arguments", () => {
  const arg = fc.oneof(
    fc.constantFrom(
      "--json",
      "--format",
      "sarif",
      "--min-score",
      "-1",
      "NaN",
      "1e309",
      "--ruleset",
      "../../etc/passwd.yaml",
      "--out",
      "/",
      "--targets",
      "nope,mdc",
      "--fail",
      "--warn",
      "--",
      "-",
      "--no-such-flag",
      "\u0000",
      "--project",
      "../../x",
    ),
    fc.string({ maxLength: 30 }),
  );
  it("end with a usage error or a result, never a crash", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("convert", "lint", "extract", "diff", "generate", "gate", "cache", "fetch"),
        fc.array(arg, { maxLength: 6 }),
        async (command, args) => {
          assertClean(
            await runCliInProcess([command, ...args], { stdin: "# T\n", cwd, env: { SPECGATE_WORKSPACE: cwd } }),
          );
        },
      ),
      { numRuns: 200, seed: 5 },
    );
  });
});
