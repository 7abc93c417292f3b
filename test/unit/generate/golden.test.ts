/**
 * Golden outputs: the rules of the five standards documents (test/fixtures/corpus/specgate-docs/
 * standards, transcribed in test/fixtures/rules) and two Java rule sets, to all four targets.
 * Run with UPDATE_GOLDEN=1 to rewrite the expected files after an intended change, then review
 * the diff.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateFiles, type GenerateOptions } from "../../../src/core/generate/index.js";
import type { DesignRuleSpec } from "../../../src/core/spec/design-rule-spec.js";
import { FIXTURES, STANDARDS, allStandardRules, fixtureRules } from "./helpers.js";

const GOLDEN = path.join(FIXTURES, "generate", "golden");
const UPDATE = process.env.UPDATE_GOLDEN === "1";
const PINNED = { workflow: { specgateVersion: "1.0.0" } } satisfies GenerateOptions;

const CASES: { name: string; rules: () => DesignRuleSpec[]; options: GenerateOptions }[] = [
  ...STANDARDS.map((s) => ({ name: `standards-${s}`, rules: () => fixtureRules(`standards-${s}`), options: PINNED })),
  { name: "standards-all", rules: allStandardRules, options: { ...PINNED, project: "SpecGate" } },
  {
    name: "spring-examples",
    rules: () => fixtureRules("spring-examples"),
    options: { ...PINNED, archunit: { basePackage: "com.example" } },
  },
  {
    name: "java-layered",
    rules: () => fixtureRules("java-layered"),
    options: {
      project: "PayFlow",
      workflow: { specgateVersion: "1.0.0", branches: ["main", "release/**"], thresholds: { fail: 40, warn: 20 } },
    },
  },
];

function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name), base) : [path.relative(base, path.join(dir, e.name))],
  );
}

describe("golden outputs", () => {
  for (const c of CASES) {
    it(`${c.name}: files and skipped reasons match the reviewed golden copy`, () => {
      const result = generateFiles(c.rules(), c.options);
      const dir = path.join(GOLDEN, c.name);
      const skipped = `${JSON.stringify(result.skipped, null, 2)}\n`;
      if (UPDATE) {
        rmSync(dir, { recursive: true, force: true });
        for (const f of result.files) {
          mkdirSync(path.dirname(path.join(dir, "files", f.path)), { recursive: true });
          writeFileSync(path.join(dir, "files", f.path), f.content);
        }
        writeFileSync(path.join(dir, "skipped.json"), skipped);
      }
      const expected = listFiles(path.join(dir, "files")).sort();
      expect(result.files.map((f) => f.path).sort()).toEqual(expected);
      for (const f of result.files)
        expect(f.content, f.path).toBe(readFileSync(path.join(dir, "files", f.path), "utf8"));
      expect(skipped).toBe(readFileSync(path.join(dir, "skipped.json"), "utf8"));
    });
  }

  it("covers every standards rule in the .mdc guidance and gives a Semgrep rule to each rule with a code pattern", () => {
    const rules = allStandardRules();
    const result = generateFiles(rules, PINNED);
    const inMdc = new Set(
      result.files.filter((f) => f.target === "mdc" && !f.path.endsWith("overview.mdc")).flatMap((f) => f.rule_ids),
    );
    expect([...inMdc].sort()).toEqual(rules.map((r) => r.rule_id).sort());
    const semgrep = result.files.find((f) => f.target === "semgrep")!;
    const withPatterns = rules.filter(
      (r) =>
        r.ci_info.semgrep_rule ||
        r.validation_conditions?.code_patterns ||
        (r.development_info as { violation_detection?: unknown } | undefined)?.violation_detection,
    );
    expect(semgrep.rule_ids.sort()).toEqual(withPatterns.map((r) => r.rule_id).sort());
    const noPattern = rules.filter((r) => !semgrep.rule_ids.includes(r.rule_id));
    for (const r of noPattern)
      expect(result.skipped).toContainEqual(expect.objectContaining({ rule_id: r.rule_id, target: "semgrep" }));
  });
});
