/**
 * One rule for text, everywhere: UTF-8 without NUL. Binary input (NUL bytes), UTF-16 and bytes
 * that are not UTF-8 are E_INVALID_INPUT naming the field or file — for every tool (real SDK
 * client and pipeline), every CLI command that reads a document, and the library — never a
 * binary copied to standard output, never "no rules", never exit 0.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { extract, lint, SpecGateError } from "../../src/index.js";
import { runCliInProcess } from "../helpers/cli.js";
import { connectInMemory, type Harness } from "../helpers/runtime.js";

/** The first bytes of a PNG: what `bin.dat` holds. */
const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x01,
  0x00,
]);
const RULE = "**RULE-API-001** (MUST): APIs must log requests.\n";
const NUL_DOC = `# P API 설계서\n\n## 설계 규칙\n\n${RULE}\u0000\u0000binary tail`;

let h: Harness;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "specgate-binary-"));
  await writeFile(path.join(dir, "bin.dat"), Buffer.concat([PNG, Buffer.from(RULE)]));
  await writeFile(path.join(dir, "latin1.md"), Buffer.from(`# Caf\xe9 API\n\n${RULE}`, "latin1"));
  await writeFile(
    path.join(dir, "utf16.md"),
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`# API\n\n${RULE}`, "utf16le")]),
  );
  await writeFile(path.join(dir, "ok.md"), `# P API 설계서\n\n## 설계 규칙\n\n${RULE}`);
  h = await connectInMemory({ env: { SPECGATE_WORKSPACE: dir } });
});
afterAll(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await h.client.callTool({ name, arguments: args })) as CallToolResult;
}
const text = (r: CallToolResult) => (r.content[0] as { text: string }).text;

describe("tools: a string with NUL is not text", () => {
  const rules = [{ rule_id: "RULE-API-001", priority: "MUST", title: "APIs log requests" }];
  const cases: [string, Record<string, unknown>, string][] = [
    ["html_to_md", { html: `<p>a</p>\u0000` }, "`html`"],
    ["speclint_lint", { content: NUL_DOC }, "`content`"],
    ["rule_extract", { content: NUL_DOC }, "`content`"],
    ["spec_generate", { content: NUL_DOC, targets: ["mdc"] }, "`content`"],
    ["spec_generate", { rules: [{ ...rules[0], title: "a\u0000b" }], targets: ["mdc"] }, "`rules[0].title`"],
    ["gate_score", { rules, lint: { content: NUL_DOC } }, "`lint.content`"],
    ["rule_check", { rules, files: [{ path: "src/a.ts", content: "console.log(1);\u0000" }] }, "`files[0].content`"],
  ];
  for (const [tool, args, field] of cases) {
    it(`${tool}: ${field}`, async () => {
      const r = await call(tool, args);
      expect(r.isError, JSON.stringify(r.structuredContent ?? r.content).slice(0, 300)).toBe(true);
      expect(text(r)).toMatch(/^E_INVALID_INPUT: /);
      expect(text(r)).toContain(`${field} is not text: it contains a NUL character`);
    });
  }

  it("a batch reports the binary document as its own error, like lint does", async () => {
    for (const tool of ["rule_extract", "speclint_lint"]) {
      const r = await call(tool, {
        documents: [{ content: `# P API 설계서\n\n## 설계 규칙\n\n${RULE}` }, { content: NUL_DOC }],
      });
      expect(r.isError, tool).toBeFalsy();
      expect(JSON.stringify(r.structuredContent), tool).toMatch(
        /E_INVALID_INPUT[^}]*The document is not text: it contains a NUL character/,
      );
    }
  });
});

describe("CLI: binary, UTF-16 and non-UTF-8 files fail with a message naming the file", () => {
  const commands = [["convert"], ["convert", "--json"], ["lint"], ["extract"], ["generate"]];
  for (const command of commands) {
    it(`specgate ${command.join(" ")} bin.dat`, async () => {
      const file = path.join(dir, "bin.dat");
      const run = await runCliInProcess([...command, file], { cwd: dir, env: { SPECGATE_WORKSPACE: dir } });
      expect(run.code).toBe(2);
      // lint reports each file's outcome on stdout (one of many files may fail); the others print nothing.
      if (command[0] !== "lint") expect(run.stdout).toBe("");
      expect(run.stdout + run.stderr).toContain(
        `E_INVALID_INPUT: ${file} is not text: it contains NUL bytes, as binary data does (line 3)`,
      );
      expect(run.stdout + run.stderr).not.toMatch(/no rules|\u0000|PNG/i);
    });
  }

  it("standard input with NUL bytes, a Latin-1 file and a UTF-16 file are refused with their reason", async () => {
    const stdin = await runCliInProcess(["convert", "-"], { cwd: dir, stdin: PNG });
    expect([stdin.code, stdin.stdout]).toEqual([2, ""]);
    expect(stdin.stderr).toMatch(/E_INVALID_INPUT: Standard input is not text: it contains NUL bytes/);
    const latin1 = await runCliInProcess(["extract", path.join(dir, "latin1.md")], { cwd: dir });
    expect([latin1.code, latin1.stdout]).toEqual([2, ""]);
    expect(latin1.stderr).toMatch(/E_INVALID_INPUT: \S*latin1\.md is not text: its bytes are not valid UTF-8/);
    const utf16 = await runCliInProcess(["lint", "utf16.md"], { cwd: dir });
    expect(utf16.code).toBe(2);
    expect(utf16.stdout + utf16.stderr).toMatch(/utf16\.md is not text: it is UTF-16 .*save it as UTF-8/);
  });

  it("a good file still works", async () => {
    const run = await runCliInProcess(["extract", path.join(dir, "ok.md"), "--format", "json"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("RULE-API-001");
  });
});

describe("library: the same rule", () => {
  it("lint and extract refuse NUL with E_INVALID_INPUT", async () => {
    for (const attempt of [() => lint(NUL_DOC), () => extract(NUL_DOC)]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SpecGateError);
      expect(error).toMatchObject({
        code: "E_INVALID_INPUT",
        message: expect.stringMatching(/is not text: it contains a NUL character \(line 6\)/),
      });
    }
  });
});
