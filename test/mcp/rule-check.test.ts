/**
 * rule_check through a real SDK client: its contract (read-only, schemas), the candidate
 * authoring loop end to end (prove a pattern → hand it to spec_generate → rule_check runs it),
 * the rules it cannot check and why, bad input, and the cache.
 */
import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectInMemory, type Harness } from "../helpers/runtime.js";

type Candidate = {
  valid: boolean;
  passes: boolean;
  kind: string;
  problem?: string;
  violating: { index: number; matched: boolean; matches: { line: number }[] }[];
  compliant: { index: number; matched: boolean }[];
  hand_off?: { validation_conditions: Record<string, string[]> };
};
type Out = {
  findings: { rule_id: string; file: string; line: number; snippet: string }[];
  unchecked: { rule_id: string; reason: string }[];
  stats: Record<string, unknown>;
  candidate?: Candidate;
};

const VIOLATING = [
  'class A { void f(Request req) { log.info("body {}", req.getBody()); } }',
  'class B { void g(Request r) {\n  logger.info("a {} b {}", 1, r.getBody());\n} }',
];
const COMPLIANT = [
  'class C { void f(Request req) { log.info("id {}", req.getId()); } }',
  'class D { void f(Request req) { log.debug("body {}", req.getBody()); } }',
];

describe("rule_check over MCP", () => {
  let h: Harness;
  let ws: string;
  beforeAll(async () => {
    ws = await mkdtemp(path.join(tmpdir(), "specgate-rc-"));
    await mkdir(path.join(ws, "src"), { recursive: true });
    await writeFile(
      path.join(ws, "src", "Api.java"),
      'class Api { void f(Request req) { log.info("b {}", req.getBody()); } }\n',
    );
    h = await connectInMemory({ env: { SPECGATE_WORKSPACE: ws } });
  });
  afterAll(async () => {
    await h.close();
    await rm(ws, { recursive: true, force: true });
  });

  const call = async (args: Record<string, unknown>) => h.client.callTool({ name: "rule_check", arguments: args });
  const ok = async (args: Record<string, unknown>): Promise<Out> => {
    const r = await call(args);
    expect(r.isError, JSON.stringify(r.content).slice(0, 300)).toBeFalsy();
    return r.structuredContent as Out;
  };
  const fails = async (args: Record<string, unknown>, code: string, message: RegExp) => {
    const r = await call(args);
    expect(r.isError).toBe(true);
    expect((r.content as { text: string }[])[0]!.text).toMatch(new RegExp(`^${code}: `));
    expect((r.content as { text: string }[])[0]!.text).toMatch(message);
  };

  it("is listed as a read-only, closed-world tool with input and output schemas", async () => {
    const { tools } = await h.client.listTools();
    const tool = tools.find((t) => t.name === "rule_check")!;
    expect(tool.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
    expect(Object.keys((tool.inputSchema as { properties: object }).properties).sort()).toEqual([
      "candidate",
      "content",
      "diff",
      "files",
      "format",
      "paths",
      "rules",
    ]);
    expect(Object.keys((tool.outputSchema as { properties: object }).properties).sort()).toEqual([
      "candidate",
      "findings",
      "stats",
      "unchecked",
    ]);
  });

  it("proves a candidate pattern, hands it to spec_generate, and then finds the violation with it", async () => {
    const rule = {
      rule_id: "RULE-SEC-007",
      priority: "MUST NOT",
      description: "Request bodies must not be logged at info level.",
      scope: { file_patterns: ["src/**/*.java"] },
    };
    // Without a pattern the rule has no check.
    const before = await ok({ rules: [rule], paths: ["src"] });
    expect(before.findings).toEqual([]);
    expect(before.unchecked).toEqual([
      { rule_id: "RULE-SEC-007", reason: expect.stringMatching(/no violation pattern/) },
    ]);

    // A first try matches too little: only a body that is the second argument.
    const narrow = (
      await ok({
        rules: [rule],
        candidate: {
          rule_id: "RULE-SEC-007",
          pattern: "$LOG.info($MSG, $REQ.getBody())",
          language: "java",
          examples: { violating: VIOLATING, compliant: COMPLIANT },
        },
      })
    ).candidate!;
    expect(narrow).toMatchObject({ valid: true, passes: false, kind: "structural" });
    expect(narrow.violating.map((v) => v.matched)).toEqual([true, false]);

    // The second passes: every violating example matched, no compliant one.
    const good = (
      await ok({
        rules: [rule],
        candidate: {
          rule_id: "RULE-SEC-007",
          pattern: "$LOG.info($$$ARGS, $REQ.getBody())",
          language: "java",
          examples: { violating: VIOLATING, compliant: COMPLIANT },
        },
      })
    ).candidate!;
    expect(good).toMatchObject({ valid: true, passes: true });
    expect(good.violating.map((v) => v.matches.map((m) => m.line))).toEqual([[1], [2]]);
    expect(good.compliant.every((c) => !c.matched)).toBe(true);
    expect(good.hand_off).toEqual({
      validation_conditions: { structural_patterns: ["$LOG.info($$$ARGS, $REQ.getBody())"], languages: ["java"] },
    });

    // Handed to spec_generate, it becomes an ast-grep rule; rule_check now finds the violation.
    const proven = { ...rule, validation_conditions: good.hand_off!.validation_conditions };
    const generated = await h.client.callTool({
      name: "spec_generate",
      arguments: { rules: [proven], targets: ["astgrep"] },
    });
    const files = (generated.structuredContent as { files: { path: string; content: string }[] }).files;
    expect(files.map((f) => f.path)).toEqual([
      ".specgate/ast-grep/sgconfig.yml",
      ".specgate/ast-grep/rules/rule-sec-007.yml",
    ]);
    expect(files[1]!.content).toContain("pattern: $LOG.info($$$ARGS, $REQ.getBody())");
    const after = await ok({ rules: [proven], paths: ["src"] });
    expect(after.findings.map((f) => [f.rule_id, f.file, f.line])).toEqual([["RULE-SEC-007", "src/Api.java", 1]]);
    expect(after.unchecked).toEqual([]);
  });

  it("answers a candidate that does not parse, or a regex candidate, without running it on nothing", async () => {
    const broken = (
      await ok({
        candidate: {
          rule_id: "RULE-SEC-008",
          pattern: "$LOG.info($$$ARGS",
          language: "java",
          examples: { violating: VIOLATING, compliant: [] },
        },
      })
    ).candidate!;
    expect(broken).toMatchObject({
      valid: false,
      passes: false,
      problem: expect.stringMatching(/does not parse as java/),
    });
    const regex = (
      await ok({
        candidate: {
          rule_id: "RULE-SEC-008",
          pattern: "getBody\\(\\)",
          language: "java",
          examples: { violating: VIOLATING, compliant: [COMPLIANT[0]!] },
        },
      })
    ).candidate!;
    expect(regex).toMatchObject({
      valid: true,
      passes: true,
      kind: "regex",
      hand_off: { validation_conditions: { code_patterns: ["getBody\\(\\)"], languages: ["java"] } },
    });
  });

  it("lists rules it cannot check with the reason, and checks the rest", async () => {
    const out = await ok({
      rules: [
        {
          rule_id: "RULE-DEV-001",
          priority: "MUST NOT",
          scope: { file_patterns: ["**/*.java"] },
          validation_conditions: { structural_patterns: ["System.out.println($$$A", "foo($X)"] },
        },
        { rule_id: "RULE-DEV-002", priority: "MUST NOT", validation_conditions: { structural_patterns: ["eval($X)"] } },
        { rule_id: "RULE-DEV-003", priority: "SHOULD" },
      ],
      files: [{ path: "src/X.java", content: "class X { void f() { foo(1); } }" }],
    });
    expect(out.findings.map((f) => [f.rule_id, f.line, f.snippet])).toEqual([
      ["RULE-DEV-001", 1, "class X { void f() { foo(1); } }"],
    ]);
    expect(out.unchecked).toEqual([
      { rule_id: "RULE-DEV-002", reason: expect.stringMatching(/has no language/) },
      { rule_id: "RULE-DEV-003", reason: expect.stringMatching(/no violation pattern/) },
    ]);
    expect(out.stats.left_out).toEqual([
      {
        rule_id: "RULE-DEV-001",
        reason: expect.stringMatching(/"System\.out\.println\(\$\$\$A" left out: it does not parse as java/),
      },
    ]);
  });

  it("refuses bad input with a code and a message that says what to do", async () => {
    const rules = [{ rule_id: "RULE-DEV-001", priority: "MUST" }];
    await fails({ rules }, "E_INVALID_INPUT", /give the code to check: `files`, `paths` and\/or `diff`/);
    await fails({ rules, paths: ["../../etc/**"] }, "E_INVALID_INPUT", /must be a glob relative to the workspace/);
    await fails({ rules, files: [{ path: "/etc/passwd", content: "x" }] }, "E_INVALID_INPUT", /outside the workspace/);
    await fails(
      {
        rules,
        files: [
          { path: "a.ts", content: "x" },
          { path: "./a.ts", content: "y" },
        ],
      },
      "E_INVALID_INPUT",
      /given twice/,
    );
    await fails({ rules, diff: "not a diff" }, "E_INVALID_INPUT", /no file header/);
    await fails({ rules: [{ rule_id: "nope", priority: "MUST" }], paths: ["src"] }, "E_INVALID_INPUT", /RULE-AREA-NNN/);
    await fails(
      {
        candidate: {
          rule_id: "RULE-X-001",
          pattern: "x",
          language: "klingon",
          examples: { violating: [], compliant: [] },
        },
      },
      "E_INVALID_INPUT",
      /not a language ast-grep parses/,
    );
    const nine = "x".repeat(9 * 1024 * 1024);
    await fails(
      {
        rules,
        files: [
          { path: "a.ts", content: nine },
          { path: "b.ts", content: nine },
        ],
      },
      "E_TOO_LARGE",
      /files hold 18\.0 MB; the limit is 10 MB/,
    );
    // And the server keeps serving.
    expect((await ok({ rules, files: [{ path: "a.ts", content: "x" }] })).stats.rules).toBe(1);
  });

  it("caches a call that carries all its code, never one that reads the workspace", async () => {
    const stats = async () => {
      const kinds = (
        (await h.client.callTool({ name: "cache_stats", arguments: {} })).structuredContent as {
          kinds: { kind: string; l1_hits: number; computed: number }[];
        }
      ).kinds;
      const check = kinds.find((k) => k.kind === "check");
      return { hits: check?.l1_hits ?? 0, computed: check?.computed ?? 0 };
    };
    const args = {
      rules: [{ rule_id: "RULE-DEV-009", priority: "MUST", validation_conditions: { code_patterns: ["TODO"] } }],
      files: [{ path: "a.ts", content: "// TODO\n" }],
    };
    const first = await ok(args);
    const before = await stats();
    expect(await ok(args)).toEqual(first);
    const after = await stats();
    expect([after.hits - before.hits, after.computed - before.computed]).toEqual([1, 0]);
    await ok({ ...args, files: undefined, paths: ["src"] });
    await ok({ ...args, files: undefined, paths: ["src"] });
    expect(await stats()).toEqual(after);
  });
});
