/** `specgate lint` through runCli with in-memory streams. */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCliInProcess } from "../helpers/cli.js";
import { corpusPath, readCorpus } from "../helpers/fixtures.js";

const docs = corpusPath("specgate-docs");
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), "speclint-cli-"));
});

describe("specgate lint", () => {
  it("lints a file (stylish) and exits 0 when it grades medium or high", async () => {
    const r = await runCliInProcess(["lint", "test-documents/05-Performance-Design-MissingHistory.md"], { cwd: docs });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "test-documents/05-Performance-Design-MissingHistory.md  95/100 high\n  515:1  warning  '변경 이력' 섹션이 없습니다",
    );
    expect(r.stdout.trimEnd().split("\n").pop()).toMatch(/^✖ 1 problem \(0 errors, 1 warning, 0 info\) in 1 file/);
  });

  it("expands globs and directories, and exits 1 when a document grades low (the default minimum)", async () => {
    const r = await runCliInProcess(["lint", "test-documents/*.md", "standards", "--format", "json"], { cwd: docs });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { results: { file: string; score: number; below_minimum: boolean }[] };
    expect(json.results).toHaveLength(10);
    expect(json.results.filter((x) => x.below_minimum).map((x) => [x.file, x.score])).toEqual([
      ["test-documents/03-Data-Model-Design-MissingRules.md", 55],
    ]);
    expect(json.results.map((x) => x.file)).toContain("standards/SpecGate-API-Design.md");
  });

  it("--min-score sets the bar", async () => {
    const file = "test-documents/05-Performance-Design-MissingHistory.md";
    expect((await runCliInProcess(["lint", file, "--min-score", "96"], { cwd: docs })).code).toBe(1);
    expect((await runCliInProcess(["lint", file, "--min-score", "95"], { cwd: docs })).code).toBe(0);
    const bad = await runCliInProcess(["lint", file, "--min-score", "lots"], { cwd: docs });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--min-score must be a number/);
  });

  it("without --min-score the minimum is the ruleset's medium_quality: low fails, medium passes, as README says", async () => {
    // 70 (medium) passes and 55 (low) fails with the bundled ruleset; --min-score 0 never fails on the score.
    expect(
      (await runCliInProcess(["lint", "test-documents/02-Architecture-Design-TitleError.md"], { cwd: docs })).code,
    ).toBe(0);
    expect(
      (await runCliInProcess(["lint", "test-documents/03-Data-Model-Design-MissingRules.md"], { cwd: docs })).code,
    ).toBe(1);
    expect(
      (
        await runCliInProcess(["lint", "test-documents/03-Data-Model-Design-MissingRules.md", "--min-score", "0"], {
          cwd: docs,
        })
      ).code,
    ).toBe(0);
    // A ruleset that raises medium_quality raises the default minimum with it.
    const strict = path.join(tmp, "strict.yaml");
    await writeFile(
      strict,
      "extends: specgate\nquality_scoring:\n  thresholds: { high_quality: 95, medium_quality: 75 }\n",
    );
    expect(
      (
        await runCliInProcess(["lint", "test-documents/02-Architecture-Design-TitleError.md", "--ruleset", strict], {
          cwd: docs,
        })
      ).code,
    ).toBe(1);
    const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
    expect(readme).toMatch(
      /without it, it is the ruleset's\s+`medium_quality` threshold \(70 in the bundled rulesets\): a document graded `low` \(must fix\) fails/,
    );
  });

  it("reads standard input with -", async () => {
    const content = await readCorpus("specgate-docs", "test-documents/02-Architecture-Design-TitleError.md");
    const r = await runCliInProcess(["lint", "-", "--format", "github"], { stdin: content });
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toMatch(
      /^::error file=-,line=1,col=1,title=speclint title_format_mismatch \(-20\)::제목 '잘못된 제목'/,
    );
    expect(r.stdout).toContain("::notice file=-,title=speclint score::70/100 (medium)");
  });

  it("writes several formats at once with --output-<format>", async () => {
    const sarif = path.join(tmp, "out/speclint.sarif");
    const md = path.join(tmp, "out/report.md");
    const r = await runCliInProcess(
      ["lint", "test-documents/04-Security-Design-MissingCode.md", "--output-sarif", sarif, "--output-markdown", md],
      { cwd: docs },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("95/100 high");
    const log = JSON.parse(await readFile(sarif, "utf8"));
    expect(log.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toEqual(["code_example_missing"]);
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      "test-documents/04-Security-Design-MissingCode.md",
    );
    expect(await readFile(md, "utf8")).toContain("| 63 | warning | `code_example_missing` |");
  });

  it("--ruleset reads any file the user names; --check-type structure reads headings only", async () => {
    const ruleset = path.join(tmp, "lenient.yaml");
    await writeFile(
      ruleset,
      "extends: specgate\nquality_scoring:\n  thresholds: { high_quality: 80, medium_quality: 50 }\n",
    );
    const file = "test-documents/03-Data-Model-Design-MissingRules.md";
    const r = await runCliInProcess(["lint", file, "--ruleset", ruleset, "--format", "json"], { cwd: docs });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results[0]).toMatchObject({ score: 55, grade: "medium" });
    const structure = await runCliInProcess(["lint", file, "--check-type", "structure", "--format", "json"], {
      cwd: docs,
    });
    expect(JSON.parse(structure.stdout).results[0].violations.map((v: { code: string }) => v.code)).toEqual([
      "design_rules_missing",
    ]);
  });

  it("says why an argument names no document: an empty directory, a glob, a missing path", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "specgate-empty-"));
    const r = await runCliInProcess(["lint", dir], { cwd: docs });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${dir} is a directory with no documents in it (*.md, *.markdown, *.mdx, *.html, *.htm, *.xhtml).`,
    );
  });

  it("leaves out what a quoted !glob matches, from directories, globs and named files alike", async () => {
    const r = await runCliInProcess(
      ["lint", ".", "!standards/**", "!test-documents/0[2-5]*", "--format", "json", "--min-score", "0"],
      { cwd: docs },
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results.map((x: { file: string }) => x.file)).toEqual([
      "test-documents/01-API-Design-Perfect.md",
    ]);
    const named = await runCliInProcess(
      [
        "lint",
        "standards/SpecGate-API-Design.md",
        "test-documents/01-API-Design-Perfect.md",
        "!standards/**",
        "--format",
        "json",
      ],
      { cwd: docs },
    );
    expect(JSON.parse(named.stdout).results.map((x: { file: string }) => x.file)).toEqual([
      "test-documents/01-API-Design-Perfect.md",
    ]);
    expect(named.code).toBe(0);
  });

  it("exits 2 for files that match nothing or cannot be read, after reporting the others", async () => {
    const r = await runCliInProcess(["lint", "test-documents/01-API-Design-Perfect.md", "nope/*.md", "missing.md"], {
      cwd: docs,
    });
    expect(r.code).toBe(2);
    // What could not be linted is an error on stderr; the report on stdout is about the documents.
    expect(r.stderr).toContain("specgate lint: nope/*.md: E_NOT_FOUND: No file matches nope/*.md.");
    expect(r.stderr).toContain("specgate lint: missing.md: E_NOT_FOUND: No such file or directory: missing.md.");
    expect(r.stdout).not.toContain("E_NOT_FOUND");
    expect(r.stdout).toContain("test-documents/01-API-Design-Perfect.md  100/100 high");
    // Machine formats still list them, so a report is complete.
    const json = await runCliInProcess(
      ["lint", "test-documents/01-API-Design-Perfect.md", "missing.md", "--format", "json"],
      { cwd: docs },
    );
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).results).toContainEqual(
      expect.objectContaining({
        file: "missing.md",
        error: { code: "E_NOT_FOUND", message: "No such file or directory: missing.md." },
      }),
    );
    const badFormat = await runCliInProcess(["lint", "x.md", "--format", "xml"], { cwd: docs });
    expect(badFormat.code).toBe(2);
    const badRuleset = await runCliInProcess(["lint", "test-documents/01-API-Design-Perfect.md", "--ruleset", "nope"], {
      cwd: docs,
    });
    expect(badRuleset.code).toBe(2);
    expect(badRuleset.stderr).toMatch(/E_NOT_FOUND: Ruleset "nope" is neither a bundled ruleset/);
  });

  it("points SARIF helpUri at --docs-url or $SPECGATE_DOCS_URL, and refuses a relative one", async () => {
    const doc = "test-documents/02-Architecture-Design-TitleError.md";
    const helpUri = (out: string) =>
      (JSON.parse(out) as { runs: { tool: { driver: { rules: { id: string; helpUri: string }[] } } }[] }).runs[0]!.tool
        .driver.rules[1]!;
    const flag = await runCliInProcess(
      ["lint", doc, "-f", "sarif", "--docs-url", "https://docs.acme.example/specgate/"],
      { cwd: docs },
    );
    expect(helpUri(flag.stdout)).toMatchObject({
      id: "title_format_mismatch",
      helpUri: "https://docs.acme.example/specgate/rules/title_format_mismatch.md",
    });
    const env = await runCliInProcess(["lint", doc, "-f", "sarif"], {
      cwd: docs,
      env: { SPECGATE_DOCS_URL: "https://ghe.acme.example/tools/specgate/blob/main/docs" },
    });
    expect(helpUri(env.stdout).helpUri).toBe(
      "https://ghe.acme.example/tools/specgate/blob/main/docs/rules/title_format_mismatch.md",
    );
    const relative = await runCliInProcess(["lint", doc, "-f", "sarif", "--docs-url", "docs"], { cwd: docs });
    expect(relative.code).toBe(2);
    expect(relative.stderr).toContain("--docs-url must be an absolute http(s) URL");
    const badEnv = await runCliInProcess(["lint", doc, "-f", "sarif"], {
      cwd: docs,
      env: { SPECGATE_DOCS_URL: "docs/rules" },
    });
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toContain("SPECGATE_DOCS_URL");
  });
});
