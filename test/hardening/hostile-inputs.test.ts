/**
 * Hostile arguments for every tool, through the real SDK client and pipeline: schema-aware
 * mutations of a valid call (wrong types, missing and extra fields, hostile strings in every
 * field) and a table of named attacks (10 MB + 1 byte, 100k-level HTML, unclosed markup, lone
 * surrogates, zero-width and RTL text, NUL, CRLF, YAML bombs and catastrophic patterns in
 * rulesets, prototype-pollution keys, a million SARIF results, traversal). Each call must end in
 * a valid result or a clean error with a stable code — never E_INTERNAL, a protocol failure or a
 * hang — and the server must keep serving.
 */
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { score } from "../../src/index.js";
import { TOOLS } from "../../src/tools/index.js";
import { connectInMemory, type Harness } from "../helpers/runtime.js";

const MB10 = 10 * 1024 * 1024;
let h: Harness;
let workspace: string;

beforeAll(async () => {
  workspace = await mkdtemp(path.join(tmpdir(), "specgate-hostile-"));
  const laughs = ["a: &a [x, x, x, x, x, x, x, x, x]"];
  for (let i = 1; i < 12; i++)
    laughs.push(
      `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(", ")}]`,
    );
  await writeFile(path.join(workspace, "bomb.yaml"), `${laughs.join("\n")}\n`);
  await writeFile(path.join(workspace, "deep.yaml"), `${"[".repeat(50_000)}${"]".repeat(50_000)}\n`);
  await writeFile(
    path.join(workspace, "alternation.yaml"),
    "extends: specgate\nstructure_checks:\n  title_format:\n    pattern: '^(a|a)*$'\n",
  );
  await writeFile(
    path.join(workspace, "nested.yaml"),
    "extends: specgate\nstructure_checks:\n  title_format:\n    pattern: '^(\\w+\\s?)*$'\n",
  );
  await writeFile(path.join(workspace, "proto.yaml"), "extends: specgate\n__proto__:\n  polluted: yes\n");
  await writeFile(path.join(workspace, "big.yaml"), `# ${"x".repeat(300 * 1024)}\n`);
  await mkdir(path.join(workspace, "sub"));
  await symlink("/etc/passwd", path.join(workspace, "sub", "passwd.yaml")).catch(() => undefined);
  h = await connectInMemory({ env: { SPECGATE_TOOL_TIMEOUT_MS: "20000", SPECGATE_WORKSPACE: workspace } });
});
afterAll(async () => h.close());

async function call(name: string, args: unknown): Promise<CallToolResult> {
  return (await h.client.callTool({ name, arguments: args as Record<string, unknown> }, undefined, {
    timeout: 45_000,
  })) as CallToolResult;
}

/** A clean ending: a structured result, or `E_CODE: message` that is not E_INTERNAL. Returns the code ("ok" on success). */
function clean(result: CallToolResult): string {
  if (!result.isError) {
    expect(result.structuredContent).toBeTypeOf("object");
    return "ok";
  }
  const text = (result.content[0] as { text?: string }).text ?? "";
  expect(text).toMatch(/^E_[A-Z_]+: \S/);
  expect(text).not.toMatch(/^E_INTERNAL/);
  return text.slice(0, text.indexOf(":"));
}

const RULES = [{ rule_id: "RULE-API-001", priority: "MUST", title: "APIs log requests" }];

/** A valid call per tool, the starting point of the mutations. */
const BASE: Record<string, Record<string, unknown>> = {
  confluence_fetch: { page_id: "123" },
  html_to_md: { html: "<p>x</p>", base_url: "https://wiki.example.com/wiki", space_key: "S", page_id: "1" },
  speclint_lint: { content: "# P API 설계서\n\n## 설계 규칙\n", check_type: "full", format: "auto" },
  rule_extract: {
    content: "**RULE-API-001** (MUST): APIs must log requests.",
    source: { id: "d" },
    min_reliability: 10,
  },
  spec_generate: { rules: RULES, targets: ["mdc", "semgrep"], project: "p", workflow: { branches: ["main"] } },
  spec_write: { rules: RULES, targets: ["mdc", "semgrep"], project: "p", workflow: { branches: ["main"] } },
  gate_score: {
    rules: RULES,
    findings: [{ rule_id: "RULE-API-001", file: "a.ts", line: 1, message: "m" }],
    thresholds: { fail: 50, warn: 30 },
  },
  rule_check: {
    rules: [
      {
        rule_id: "RULE-DEV-001",
        priority: "MUST NOT",
        scope: { file_patterns: ["**/*.ts"] },
        validation_conditions: { structural_patterns: ["console.log($$$A)"] },
      },
    ],
    files: [{ path: "src/a.ts", content: "console.log(1);" }],
    candidate: {
      rule_id: "RULE-DEV-002",
      pattern: "eval($X)",
      language: "typescript",
      examples: { violating: ["eval(x)"], compliant: ["ok(x)"] },
    },
  },
  rule_diff: {
    from: { rules: RULES, label: "v1" },
    to: { content: "**RULE-API-001** (SHOULD): APIs must log requests.", format: "markdown" },
  },
  cache_stats: {},
  cache_invalidate: { kind: "convert", pattern: "abc*" },
};

const hostileString = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.string({ unit: "grapheme", maxLength: 50 }),
  fc.constantFrom(
    "",
    "\u0000",
    "\uD800\uDFFF\uDC00",
    "\u200B\u200D\uFEFF\u202E\u2066",
    "a\r\nb\rc\u2028d",
    "<div>".repeat(5000),
    "<![CDATA[",
    '<ac:structured-macro ac:name="code"><ac:plain-text-body><![CDATA[x',
    "**RULE-API-001** (MUST): ".repeat(500),
    "../../../etc/passwd",
    "/etc/passwd",
    "__proto__",
    "x".repeat(300_000),
    "*a".repeat(100),
  ),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(fc.constantFrom("__proto__", "constructor", "prototype", "rule_id", "priority", "x"), hostileString, {
    maxKeys: 3,
  }),
);

/** One mutation of a valid call: a field replaced, removed or added, at the top or one level down. */
function mutated(tool: string): fc.Arbitrary<Record<string, unknown>> {
  const base = BASE[tool]!;
  const shape =
    (TOOLS.find((t) => t.name === tool)!.inputSchema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  const keys = [...new Set([...Object.keys(base), ...Object.keys(shape), "__proto__", "unknown_field"])];
  return fc
    .tuple(fc.constantFrom(...keys), fc.constantFrom("set", "delete", "nested"), hostileValue, fc.nat())
    .map(([key, op, value, pick]) => {
      const args: Record<string, unknown> = structuredClone(base);
      const put = (target: Record<string, unknown>, k: string) =>
        Object.defineProperty(target, k, { value, enumerable: true, writable: true, configurable: true });
      if (op === "delete") delete args[key];
      else if (op === "set" || typeof args[key] !== "object" || args[key] === null) put(args, key);
      else {
        const inner = structuredClone(args[key]) as Record<string, unknown> | unknown[];
        const target = Array.isArray(inner) ? inner[0] : inner;
        if (target === null || typeof target !== "object") (inner as unknown[])[0] = value;
        else {
          const innerKeys = Object.keys(target);
          put(target as Record<string, unknown>, innerKeys.length ? innerKeys[pick % innerKeys.length]! : "x");
        }
        args[key] = inner;
      }
      return args;
    });
}

describe("schema-aware mutations of a valid call, per tool", () => {
  for (const tool of TOOLS) {
    it(`${tool.name}: every mutation ends cleanly`, { timeout: 300_000 }, async () => {
      expect(clean(await call(tool.name, BASE[tool.name]))).toMatch(/^(ok|E_CONFIG)$/);
      await fc.assert(
        fc.asyncProperty(mutated(tool.name), async (args) => {
          clean(await call(tool.name, args));
        }),
        { numRuns: 250, seed: 4242, endOnFailure: true },
      );
      expect(clean(await call("html_to_md", { html: "<p>still serving</p>" }))).toBe("ok");
    });
  }
});

describe("named attacks", () => {
  const over = "a".repeat(MB10 + 1);
  const overUtf8 = "가".repeat(Math.floor(MB10 / 3) + 1); // 3 bytes each in UTF-8
  const deep = `${"<div>".repeat(100_000)}<p><strong>RULE-API-001</strong> (MUST): x</p>${"</div>".repeat(100_000)}`;
  const unclosed =
    '<table><tr><td><ul><li><p><strong>RULE-API-001</strong> (MUST): x<ac:structured-macro ac:name="info"><ac:rich-text-body><p>';
  const cases: [string, string, unknown, RegExp][] = [
    ["10 MB + 1 byte of HTML", "html_to_md", { html: over }, /^E_TOO_LARGE$/],
    ["10 MB + 1 byte in UTF-8 (Hangul)", "speclint_lint", { content: overUtf8 }, /^E_TOO_LARGE$/],
    ["10 MB + 1 byte to generate from", "spec_generate", { content: over }, /^E_TOO_LARGE$/],
    [
      "10 MB + 1 byte of a version to diff",
      "rule_diff",
      { from: { rules: [] }, to: { content: over } },
      /^E_TOO_LARGE$/,
    ],
    [
      "more rules a side than a diff compares",
      "rule_diff",
      { from: { rules: Array.from({ length: 1001 }, () => RULES[0]) }, to: { rules: RULES } },
      /^E_TOO_LARGE$/,
    ],
    ["10 MB + 1 byte to lint in the gate", "gate_score", { rules: RULES, lint: { content: over } }, /^E_TOO_LARGE$/],
    [
      "10 MB + 1 byte of code to check",
      "rule_check",
      { rules: RULES, files: [{ path: "a.ts", content: over }] },
      /^E_TOO_LARGE$/,
    ],
    [
      "code checked outside the workspace",
      "rule_check",
      { rules: RULES, paths: ["../../../etc/*"] },
      /^E_INVALID_INPUT$/,
    ],
    [
      "a buffer path out of the workspace",
      "rule_check",
      { rules: RULES, files: [{ path: "../../etc/passwd", content: "x" }] },
      /^E_INVALID_INPUT$/,
    ],
    ["HTML nested 100,000 levels", "html_to_md", { html: deep }, /^(ok|E_INVALID_INPUT)$/],
    ["HTML nested 100,000 levels, linted", "speclint_lint", { content: deep }, /^(ok|E_INVALID_INPUT)$/],
    [
      "HTML nested 100,000 levels, extracted",
      "rule_extract",
      { content: deep, format: "html" },
      /^(ok|E_INVALID_INPUT)$/,
    ],
    ["unclosed tags and macros", "html_to_md", { html: unclosed }, /^ok$/],
    ["unclosed tags, extracted", "rule_extract", { content: unclosed }, /^ok$/],
    [
      "lone surrogates, zero-width, RTL, CRLF",
      "speclint_lint",
      {
        content:
          "# P \u202EAPI\u200B 설계서\r\n\r\n## 설계 규칙\r\n\r\n**RULE-API-001** (MUST): a\u2028b \uD800 c\uDFFF\r\n",
      },
      /^ok$/,
    ],
    ["NUL bytes (binary, not a document)", "speclint_lint", { content: "# P\u0000\u0000" }, /^E_INVALID_INPUT$/],
    [
      "the same, extracted (one rule for text: NUL is refused by every tool)",
      "rule_extract",
      { content: "**RULE-API-001** (MUST): a\u0000b\r\n" },
      /^E_INVALID_INPUT$/,
    ],
    [
      "lone surrogates, zero-width and RTL text, extracted",
      "rule_extract",
      { content: "**RULE-API-001** (MUST): ab \uD800 c\uDFFF\u2066\r\n- 적용 범위: src/\u200B**\r\n" },
      /^ok$/,
    ],
    ["a YAML bomb ruleset", "speclint_lint", { content: "# x", ruleset: "bomb.yaml" }, /^E_INVALID_INPUT$/],
    ["a ruleset nested 50,000 levels", "speclint_lint", { content: "# x", ruleset: "deep.yaml" }, /^E_INVALID_INPUT$/],
    [
      "a ruleset pattern with repeated alternatives",
      "speclint_lint",
      { content: "# x", ruleset: "alternation.yaml" },
      /^E_INVALID_INPUT$/,
    ],
    [
      "a ruleset pattern with nested repetition",
      "speclint_lint",
      { content: "# x", ruleset: "nested.yaml" },
      /^E_INVALID_INPUT$/,
    ],
    ["a ruleset with a __proto__ key", "speclint_lint", { content: "# x", ruleset: "proto.yaml" }, /^E_INVALID_INPUT$/],
    ["a ruleset over 256 KB", "speclint_lint", { content: "# x", ruleset: "big.yaml" }, /^E_INVALID_INPUT$/],
    [
      "a ruleset path out of the workspace",
      "speclint_lint",
      { content: "# x", ruleset: "../../../etc/passwd.yaml" },
      /^(E_FORBIDDEN|E_NOT_FOUND)$/,
    ],
    ["an absolute ruleset path", "speclint_lint", { content: "# x", ruleset: "/etc/passwd.yaml" }, /^E_FORBIDDEN$/],
    ["a path that is no ruleset", "speclint_lint", { content: "# x", ruleset: "/etc/hosts" }, /^E_NOT_FOUND$/],
    [
      "a ruleset symlinked out of the workspace",
      "gate_score",
      { rules: RULES, lint: { content: "# x", ruleset: "sub/passwd.yaml" } },
      /^E_FORBIDDEN$/,
    ],
    [
      "a glob that backtracks exponentially as a RegExp",
      "cache_invalidate",
      { kind: "confluence_page", pattern: `${"*1".repeat(99)}x` },
      /^ok$/,
    ],
    [
      "a base URL of 5 MB of slashes",
      "html_to_md",
      { html: '<a href="/x">x</a>', base_url: `https://a.example/${"/".repeat(5_000_000)}x` },
      /^(ok|E_INVALID_INPUT)$/,
    ],
    [
      "prototype-pollution keys in rules and findings",
      "gate_score",
      JSON.parse(
        `{"rules":[{"rule_id":"RULE-API-001","priority":"MUST","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}],"findings":[{"rule_id":"RULE-API-001","__proto__":{"polluted":1}}],"sarif":{"__proto__":{"polluted":1},"runs":[{"__proto__":{"x":1},"results":[]}]}}`,
      ),
      /^(ok|E_INVALID_INPUT)$/,
    ],
    [
      "prototype-pollution keys in generated rules",
      "spec_generate",
      JSON.parse(
        `{"rules":[{"rule_id":"RULE-API-001","priority":"MUST","__proto__":{"polluted":1},"validation_conditions":{"__proto__":{"polluted":1},"code_patterns":["(a+)+$"]}}],"targets":["semgrep","mdc"]}`,
      ),
      /^(ok|E_INVALID_INPUT)$/,
    ],
    [
      "writing with a traversing project name",
      "spec_write",
      { rules: RULES, project: "../../../tmp/evil", targets: ["mdc"] },
      /^ok$/,
    ],
  ];
  for (const [name, tool, args, expected] of cases) {
    it(`${name} (${tool})`, async () => {
      expect(clean(await call(tool, args))).toMatch(expected);
    });
  }

  it("10 MB + 1 byte in one document of a batch fails that document only (rule_extract)", async () => {
    const result = await call("rule_extract", {
      documents: [{ content: "**RULE-API-001** (MUST): APIs must log requests." }, { content: over }],
    });
    expect(clean(result)).toBe("ok");
    const docs = (result.structuredContent as { documents: { ok: boolean; error?: { code: string } }[] }).documents;
    expect(docs.map((d) => d.ok)).toEqual([true, false]);
    expect(docs[1]!.error!.code).toBe("E_TOO_LARGE");
  });

  it("nothing reached Object.prototype, and the server keeps serving", async () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(clean(await call("rule_extract", { content: "**RULE-API-001** (MUST): APIs must log requests." }))).toBe(
      "ok",
    );
  });

  it("a SARIF log with a million results is scored", async () => {
    const results = Array.from({ length: 1_000_000 }, (_, i) => ({
      ruleId: i % 2 ? "RULE-API-001" : "other",
      locations: [
        { physicalLocation: { artifactLocation: { uri: `src/f${i % 97}.ts` }, region: { startLine: (i % 500) + 1 } } },
      ],
    }));
    const result = await score({
      rules: RULES as never,
      sarif: { version: "2.1.0", runs: [{ tool: { driver: { name: "t" } }, results }] },
    });
    expect(result.stats.findings).toBe(1_000_000);
    expect(result.decision).toBe("FAIL");
    expect(result.violations.length).toBeLessThanOrEqual(1000);
  });

  it("a library caller's SARIF, findings and rules with cycles end in a result or E_INVALID_INPUT", async () => {
    const sarif: Record<string, unknown> = { version: "2.1.0" };
    const run: Record<string, unknown> = {
      tool: { driver: { name: "t", rules: [sarif] } },
      results: [{ ruleId: "RULE-API-001", message: { text: "m" } }],
    };
    (run.results as Record<string, unknown>[])[0]!.self = run;
    sarif.runs = [run, run];
    await expect(
      score({ rules: RULES as never, sarif: sarif as never, baseline: sarif as never }),
    ).resolves.toMatchObject({ decision: expect.stringMatching(/PASS|WARNING|FAIL/) });
    const findings: unknown[] = [{ rule_id: "RULE-API-001" }];
    findings.push(findings);
    await expect(score({ rules: RULES as never, findings: findings as never })).rejects.toMatchObject({
      code: "E_INVALID_INPUT",
    });
    const rule: Record<string, unknown> = { rule_id: "RULE-API-001", priority: "MUST" };
    rule.title = rule;
    await expect(
      score({ rules: [rule] as never, findings: [{ rule_id: "RULE-API-001" }] as never }),
    ).rejects.toMatchObject({ code: "E_INVALID_INPUT" });
  });
});
