/** Rulesets: bundled ones, team rulesets with extends, and every way a ruleset file is refused. */
import { mkdir, mkdtemp, readFile, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { LINT_CODES } from "../../src/core/lint/codes.js";
import { lint } from "../../src/core/lint/linter.js";
import { loadRuleset } from "../../src/core/lint/ruleset/load.js";
import { readCorpus, referencePath } from "../helpers/fixtures.js";

let workspace: string;
const put = async (name: string, text: string) => {
  const file = path.join(workspace, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
};
const inWorkspace = { workspace: () => workspace };
const load = (ref: string) => loadRuleset(ref, { workspace: inWorkspace.workspace(), allowAnyPath: false });

beforeAll(async () => {
  workspace = await mkdtemp(path.join(tmpdir(), "speclint-rulesets-"));
});

describe("bundled rulesets", () => {
  it("specgate carries exactly the deductions, thresholds and suggestion texts of the reference ruleset (test/fixtures/reference/speclint-rules.yaml)", async () => {
    const reference = parse(await readFile(referencePath("speclint-rules.yaml"), "utf8")) as {
      quality_scoring: { deductions: Record<string, number>; thresholds: Record<string, number> };
      improvement_suggestions: Record<string, string>;
    };
    const r = await loadRuleset("specgate");
    // pattern_invalid came after the reference; a ruleset that does not name it deducts 5 (LATER_DEDUCTIONS).
    expect([...Object.keys(reference.quality_scoring.deductions), "pattern_invalid"].sort()).toEqual(
      [...LINT_CODES].sort(),
    );
    expect(r.deductions.pattern_invalid).toBe(5);
    for (const [code, points] of Object.entries(reference.quality_scoring.deductions))
      expect(r.deductions[code as (typeof LINT_CODES)[number]]).toBe(-points);
    expect(r.thresholds).toEqual({ high: 90, medium: 70, low: 0 });
    for (const [code, text] of Object.entries(reference.improvement_suggestions)) {
      expect(r.suggestions[code as (typeof LINT_CODES)[number]]).toBe(
        text
          .split("\n")
          .map((l) => l.trimEnd())
          .join("\n")
          .trim(),
      );
    }
    expect(r.language).toBe("ko");
  });

  it("specgate-en extends specgate with English texts and the same deductions", async () => {
    const [ko, en] = await Promise.all([loadRuleset("specgate"), loadRuleset("specgate-en")]);
    expect(en.deductions).toEqual(ko.deductions);
    expect(en.language).toBe("en");
    expect(en.title.pattern.test("# PayFlow API Design Document")).toBe(true);
    expect(en.suggestions.scope_missing).toMatch(/^Add a '- Scope: \.\.\.' sub-item/);
  });

  it("the reference speclint-rules.yaml itself loads as a ruleset and its stricter patterns apply", async () => {
    const r = await loadRuleset(referencePath("speclint-rules.yaml"), { allowAnyPath: true });
    const doc = await readCorpus("specgate-docs", "test-documents/01-API-Design-Perfect.md");
    const result = await lint(doc, { ruleset: r });
    // Its title pattern wants the project in brackets; its section patterns match "## 2. 설계 규칙" as written.
    expect(result.violations.map((v) => [v.code, v.line])).toEqual([["title_format_mismatch", 1]]);
    expect((await lint(doc.replace("# SpecGate API 설계서", "# [SpecGate] API 설계서"), { ruleset: r })).score).toBe(
      100,
    );
  });
});

describe("bundled rulesets parsed at build time", () => {
  it("dist/rulesets/<name>.json is the YAML as parsed and validated, stamped with the YAML's hash", async () => {
    const { BUNDLED_RULESETS, BUNDLED_DIR, sourceHash } = await import("../../src/core/lint/ruleset/load.js");
    const { parseRulesetYaml } = await import("../../src/core/lint/ruleset/parse.js");
    for (const name of BUNDLED_RULESETS) {
      const yamlText = await readFile(path.join(BUNDLED_DIR, `${name}.yaml`), "utf8");
      const compiled = JSON.parse(
        await readFile(path.join(BUNDLED_DIR, "..", "dist", "rulesets", `${name}.json`), "utf8"),
      ) as { source_sha256: string; ruleset: unknown };
      expect(compiled.source_sha256, name).toBe(sourceHash(yamlText));
      expect(compiled.ruleset, name).toEqual(JSON.parse(JSON.stringify(parseRulesetYaml(yamlText, name))));
    }
  });
});

describe("team rulesets with extends", () => {
  it("override deductions, thresholds, severities (off), areas and content limits, through a chain of files", async () => {
    await put(
      "rules/team.yaml",
      [
        "extends: specgate",
        "quality_scoring:",
        "  deductions: { change_history_missing: -20 }",
        "  thresholds: { high_quality: 95 }",
        "checks:",
        "  rule_spec_relation_missing: off",
        "  change_history_missing: error",
        "area_codes:",
        "  valid_areas: [API, DATA, ARCH, SEC, PERF, PAY]",
      ].join("\n"),
    );
    await put("rules/strict.yaml", "extends: ./team.yaml\ncontent_checks:\n  min_must_rules: 5\n");
    const team = await load("rules/team.yaml");
    expect(team.name).toBe(path.join(await realWorkspace(), "rules/team.yaml"));
    const history = await readCorpus("specgate-docs", "test-documents/05-Performance-Design-MissingHistory.md");
    const r = await lint(history, { ruleset: team });
    expect(r.violations.map((v) => [v.code, v.severity, v.deduction])).toEqual([
      ["change_history_missing", "error", 20],
    ]);
    expect([r.score, r.grade]).toEqual([80, "medium"]);
    const architecture = await readCorpus("specgate-docs", "standards/SpecGate-Architecture-Design.md");
    expect((await lint(architecture, { ruleset: team })).violations).toEqual([]); // relation check off
    const strict = await load("rules/strict.yaml");
    const s = await lint(architecture, { ruleset: strict });
    expect(s.violations.map((v) => [v.code, v.message])).toEqual([
      ["design_rules_insufficient", "MUST 규칙이 3개입니다 (최소 5개)."],
    ]);
    expect(strict.validAreas).toContain("PAY");
  });

  it("a file without extends is laid over the bundled ruleset of its language", async () => {
    await put(
      "en-only.yaml",
      "language: en\nquality_scoring:\n  thresholds: { high_quality: 99, medium_quality: 50 }\n",
    );
    const r = await load("en-only.yaml");
    expect(r.title.pattern.test("# PayFlow API Design Document")).toBe(true);
    expect(r.thresholds).toMatchObject({ high: 99, medium: 50 });
  });

  it("is picked up again after the file changes", async () => {
    const file = await put(
      "changing.yaml",
      "extends: specgate\nquality_scoring:\n  deductions: { code_example_missing: -7 }\n",
    );
    expect((await load("changing.yaml")).deductions.code_example_missing).toBe(7);
    expect(await load("changing.yaml")).toBe(await load("changing.yaml"));
    await writeFile(file, "extends: specgate\nquality_scoring:\n  deductions: { code_example_missing: -9 }\n");
    await utimes(file, new Date(), new Date(Date.now() + 5000));
    expect((await load("changing.yaml")).deductions.code_example_missing).toBe(9);
  });
});

describe("refused rulesets (E_INVALID_INPUT naming the key, E_FORBIDDEN, E_NOT_FOUND)", () => {
  it.each([
    [
      "an unknown deduction key",
      "quality_scoring:\n  deductions: { title_format_mismatc: -20 }\n",
      "quality_scoring.deductions.title_format_mismatc",
    ],
    ["an unknown top-level key", "qualty_scoring: {}\n", "qualty_scoring"],
    [
      "a wrong value type",
      "quality_scoring:\n  thresholds: { high_quality: lots }\n",
      "quality_scoring.thresholds.high_quality",
    ],
    [
      "thresholds out of order",
      "quality_scoring:\n  thresholds: { high_quality: 60, medium_quality: 70 }\n",
      "quality_scoring.thresholds.high_quality",
    ],
    ["an invalid severity", "checks: { scope_missing: loud }\n", "checks.scope_missing"],
    [
      "an invalid regular expression",
      "structure_checks:\n  title_format: { pattern: '^# (' }\n",
      "structure_checks.title_format.pattern",
    ],
    [
      "a pattern that backtracks catastrophically",
      "structure_checks:\n  title_format: { pattern: '^# (\\w+\\s?)+설계서$' }\n",
      "structure_checks.title_format.pattern",
    ],
    ["a prototype-polluting key", "checks:\n  __proto__: { polluted: true }\n", "__proto__"],
    ["a constructor key", "metadata:\n  constructor: x\n", "constructor"],
  ])("%s", async (_, yaml, key) => {
    const name = `bad-${key.replace(/\W/g, "_")}.yaml`;
    await put(name, yaml);
    const error = await load(name).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "E_INVALID_INPUT", details: { key } });
    expect((error as Error).message).toContain(`\`${key}\``);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("a YAML bomb (billion laughs) is refused quickly, by the alias limit", async () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++)
      levels.push(
        `l${i}: &l${i} [${Array(9)
          .fill(i === 1 ? "*a" : `*l${i - 1}`)
          .join(", ")}]`,
      );
    await put("bomb.yaml", `metadata:\n${levels.map((l) => `  ${l}`).join("\n")}\n`);
    const error = await load("bomb.yaml").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "E_INVALID_INPUT" });
    expect((error as Error).message).toMatch(/alias/i);
  });

  it("YAML syntax errors name the line and never echo the file's content", async () => {
    await put("syntax.yaml", "checks:\n  scope_missing: [off\nSECRET_TOKEN=abc123\n");
    const error = (await load("syntax.yaml").catch((e: unknown) => e)) as Error & { code: string };
    expect(error.code).toBe("E_INVALID_INPUT");
    expect(error.message).toMatch(/YAML error at line \d+/);
    expect(error.message).not.toContain("abc123");
  });

  it("extends cycles and oversized files", async () => {
    await put("cycle-a.yaml", "extends: ./cycle-b.yaml\n");
    await put("cycle-b.yaml", "extends: ./cycle-a.yaml\n");
    await expect(load("cycle-a.yaml")).rejects.toMatchObject({
      code: "E_INVALID_INPUT",
      message: expect.stringContaining("cycle"),
    });
    await put("huge.yaml", `metadata: "${"x".repeat(300 * 1024)}"\n`);
    await expect(load("huge.yaml")).rejects.toMatchObject({
      code: "E_INVALID_INPUT",
      message: expect.stringContaining("256 KB"),
    });
  });

  it("from a tool call, only the bundled set and files under the workspace are read", async () => {
    const outside = await mkdtemp(path.join(tmpdir(), "speclint-outside-"));
    await writeFile(path.join(outside, "evil.yaml"), "extends: specgate\n");
    await expect(load(path.join(outside, "evil.yaml"))).rejects.toMatchObject({ code: "E_FORBIDDEN" });
    await expect(load("../../../../etc/nothing-here.yaml")).rejects.toMatchObject({ code: "E_FORBIDDEN" }); // no probing outside
    await symlink(path.join(outside, "evil.yaml"), path.join(workspace, "link.yaml"));
    await expect(load("link.yaml")).rejects.toMatchObject({ code: "E_FORBIDDEN" });
    await put("escape.yaml", `extends: ${path.join(outside, "evil.yaml")}\n`);
    await expect(load("escape.yaml")).rejects.toMatchObject({ code: "E_FORBIDDEN" });
    await expect(load("missing.yaml")).rejects.toMatchObject({ code: "E_NOT_FOUND" });
    await expect(load("notes.txt")).rejects.toMatchObject({
      code: "E_NOT_FOUND",
      message: expect.stringContaining("neither a bundled ruleset"),
    });
    // The CLI and the library may read any path the user names.
    expect((await loadRuleset(path.join(outside, "evil.yaml"), { allowAnyPath: true })).language).toBe("ko");
  });
});

async function realWorkspace(): Promise<string> {
  const { realpath } = await import("node:fs/promises");
  return realpath(workspace);
}
