/**
 * The library API keeps its promise: bad arguments are a SpecGateError with code E_INVALID_INPUT
 * naming the argument — never a TypeError from deep inside, never an empty result — checked with
 * the schemas of the tool that does the same work. Every exported function is either checked
 * this way or listed below as taking no user input (or checking it itself).
 */
import { describe, expect, it } from "vitest";
import * as lib from "../../src/index.js";
import { LIBRARY_ARGUMENTS } from "../../src/library-input.js";

const { SpecGateError } = lib;

/** Exported functions that need no argument check here, and why. */
const NOT_CHECKED_HERE: Record<string, string> = {
  SpecGateError: "the error class",
  GitHubClient: "a client class, configured by the program",
  loadConfig: "reads an environment; throws ConfigError naming the variable",
  createRuntime: "infrastructure, given a Config",
  createServer: "infrastructure, given a Runtime",
  startHttpServer: "infrastructure",
  serveStdio: "infrastructure",
  connectRedis: "infrastructure, given a Config; never throws",
  fetchPages: "runs confluence_fetch's own input schema through the pipeline",
  loadRuleset: "throws E_NOT_FOUND / E_INVALID_INPUT for any reference it cannot read",
  readRules: "the lenient reader: takes anything and lists the issues",
};

async function invalid(call: () => unknown): Promise<InstanceType<typeof SpecGateError>> {
  let error: unknown;
  try {
    await call();
  } catch (e) {
    error = e;
  }
  expect(error, "should have thrown").toBeInstanceOf(SpecGateError);
  expect((error as InstanceType<typeof SpecGateError>).code).toBe("E_INVALID_INPUT");
  return error as InstanceType<typeof SpecGateError>;
}

const bad = <T>(v: unknown) => v as T;

describe("library arguments", () => {
  it("the issue's cases: lint(undefined), lint({}), extract(null), a bogus checkType, convert(42)", async () => {
    expect((await invalid(() => lib.lint(bad(undefined)))).message).toMatch(/^Invalid arguments for lint: content: /);
    expect((await invalid(() => lib.lint(bad({})))).message).toMatch(/^Invalid arguments for lint: content: /);
    expect((await invalid(() => lib.extract(bad(null)))).message).toMatch(/^Invalid arguments for extract: content: /);
    expect((await invalid(() => lib.lint("# x", { checkType: bad("bogus") }))).message).toMatch(
      /^Invalid arguments for lint: options\.checkType: .*full.*basic.*structure/,
    );
    expect((await invalid(() => lib.convert(bad(42)))).message).toMatch(/^Invalid arguments for convert: html: /);
  });

  const cases: [string, () => unknown, RegExp][] = [
    ["convert options", () => lib.convert("<p>x</p>", bad({ baseUrl: 7 })), /options\.baseUrl/],
    ["convert null options", () => lib.convert("<p>x</p>", bad(null)), /options/],
    ["lint format", () => lib.lint("# x", { format: bad("pdf") }), /options\.format/],
    ["lint ruleset", () => lib.lint("# x", { ruleset: bad(42) }), /options\.ruleset/],
    ["lintBatch not a list", () => lib.lintBatch(bad("# x")), /documents/],
    ["lintBatch item", () => lib.lintBatch([bad({ text: "# x" })]), /documents\[0\]/],
    ["extract minReliability", () => lib.extract("# x", { minReliability: bad("high") }), /options\.minReliability/],
    ["extract keywords", () => lib.extract("# x", { keywords: bad("lower") }), /options\.keywords/],
    ["score", () => lib.score(bad(undefined)), /input/],
    ["score rules", () => lib.score(bad({ rules: "RULE-API-001" })), /input\.rules/],
    ["check options", () => lib.check([], bad(undefined)), /options/],
    ["check files", () => lib.check([], bad({ files: [{ path: "a.ts" }] })), /options\.files\[0\]\.content/],
    ["checkCandidate", () => lib.checkCandidate(bad({ pattern: "eval($X)" })), /candidate/],
    ["generate options", () => lib.generate([], bad({ targets: ["pdf"] })), /options\.targets/],
    ["generateFiles", () => lib.generateFiles(bad("RULE-API-001")), /rules/],
    ["generateFromDocument", () => lib.generateFromDocument(bad(undefined)), /content/],
    ["applyFixes", () => lib.applyFixes(bad(undefined), []), /content/],
    ["applyFixes fixes", () => lib.applyFixes("x", bad({})), /fixes/],
    ["parsePageUrl", () => lib.parsePageUrl(bad(undefined), new URL("https://wiki.example.com/wiki")), /input/],
    ["parsePageUrl base", () => lib.parsePageUrl("/x/HQD4bQ", bad("https://wiki.example.com")), /base/],
    ["decodeTinyLink", () => lib.decodeTinyLink(bad(42)), /code/],
    ["semgrepRuleId", () => lib.semgrepRuleId(bad(null)), /ruleId/],
    ["renderRadar", () => lib.renderRadar(bad({})), /result/],
    ["gateToSarif", () => lib.gateToSarif(bad(null)), /result/],
    ["gateToAnnotations", () => lib.gateToAnnotations(bad([])), /result/],
    ["formatCheck", () => lib.formatCheck(bad({}), "sarif"), /result/],
    ["formatAnnotations", () => lib.formatAnnotations(bad("::error::x")), /annotations/],
    ["buildSarifLog", () => lib.buildSarifLog(bad({}), bad(null), bad(undefined)), /tool/],
    [
      "upsertStickyComment",
      () => lib.upsertStickyComment(bad({}), bad({ repository: "a/b", number: 1, body: "x", marker: "m" })),
      /client/,
    ],
    ["syncHitlIssues", () => lib.syncHitlIssues(bad(null), bad({ repository: "a/b", documents: [] })), /client/],
    ["text with NUL", () => lib.convert("<p>a\u0000</p>"), /`html` is not text/],
  ];
  for (const [name, call, field] of cases) {
    it(`${name}: E_INVALID_INPUT naming the argument`, async () => {
      expect((await invalid(call)).message).toMatch(field);
    });
  }

  it("covers every exported function", () => {
    const functions = Object.entries(lib)
      .filter(([, v]) => typeof v === "function")
      .map(([k]) => k);
    const unchecked = functions.filter((name) => !(name in LIBRARY_ARGUMENTS) && !(name in NOT_CHECKED_HERE));
    expect(unchecked).toEqual([]);
    expect(Object.keys(LIBRARY_ARGUMENTS).filter((name) => !functions.includes(name))).toEqual([]);
  });
});

describe("valid arguments work as before", () => {
  const doc =
    "# Payments API 설계서\n\n## 설계 규칙\n\n**RULE-API-001** (MUST): APIs must log every request.\n- 적용 범위: src/api/**\n";

  it("the chain extract → score → radar, SARIF and annotations; lint → applyFixes", async () => {
    const { rules } = await lib.extract(doc, { source: { id: "docs/payments.md" }, minReliability: 0 });
    expect(rules.length).toBeGreaterThan(0);
    const result = await lib.score({
      rules,
      findings: [{ rule_id: rules[0]!.rule_id, file: "src/api/a.ts", line: 1 }],
    });
    expect(lib.renderRadar(result)).toContain(lib.RADAR_MARKER);
    expect(lib.gateToSarif(result).runs[0]!.results.length).toBeGreaterThan(0);
    expect(lib.gateToAnnotations(result, 10)).toMatch(/^::(error|warning|notice) /m);
    const linted = await lib.lint(doc, { checkType: "full", format: "markdown" });
    expect(typeof lib.applyFixes(doc, linted.violations).output).toBe("string");
    const batch = await lib.lintBatch(
      [
        { id: "a", content: doc },
        { id: "b", content: "bad\u0000" },
      ],
      { concurrency: 2 },
    );
    expect(batch.results.map((r) => r.ok)).toEqual([true, false]);
  });

  it("convert with options, check → formatCheck, generate, URLs and annotations", async () => {
    const converted = await lib.convert('<p><a href="/wiki/x">x</a></p>', {
      baseUrl: "https://wiki.example.com/wiki",
      spaceKey: "K",
    });
    expect(converted.markdown).toBe("[x](https://wiki.example.com/wiki/x)\n");
    const rules = [
      {
        rule_id: "RULE-DEV-001",
        priority: "MUST NOT",
        scope: { file_patterns: ["**/*.ts"] },
        validation_conditions: { structural_patterns: ["console.log($$$A)"] },
      },
    ];
    const checked = await lib.check(rules, { files: [{ path: "src/a.ts", content: "console.log(1);\n" }] });
    expect(checked.findings).toHaveLength(1);
    for (const format of lib.CHECK_FORMATS) expect(typeof lib.formatCheck(checked, format)).toBe("string");
    expect((await lib.generate(rules, { targets: ["astgrep"] })).files.length).toBeGreaterThan(0);
    const read = lib.readRules(rules).rules;
    expect(lib.generateFiles(read, { targets: ["mdc"] }).files.length).toBeGreaterThan(0);
    expect((await invalid(() => lib.generateFiles(rules as never))).message).toMatch(
      /^Invalid arguments for generateFiles: rules\[0\]\./,
    );
    expect(lib.semgrepRuleId("RULE-DEV-001")).toMatch(/^specgate\./);
    expect(lib.decodeTinyLink("HQD4bQ")).toMatch(/^\d+$/);
    expect(lib.parsePageUrl("/x/HQD4bQ", new URL("https://wiki.example.com/wiki"))).toBeTypeOf("object");
    expect(lib.formatAnnotations([{ level: "warning", message: "m", file: "a.ts", line: 1 }])).toMatch(/^::warning /);
    const sarif = lib.buildSarifLog(
      { name: "x", version: "1" },
      [{ id: "R1", shortDescription: "d" }],
      [{ ruleId: "R1", level: "error", message: "m" }],
    );
    expect(sarif.version).toBe("2.1.0");
  });
});
