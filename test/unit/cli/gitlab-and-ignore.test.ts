/** `specgate lint --format gitlab` (GitLab code quality) and the `.specgateignore` file. */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCliInProcess as cli } from "../../helpers/cli.js";
import { fixturePath } from "../../helpers/fixtures.js";

interface Issue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: string;
  location: { path: string; lines: { begin: number } };
}

describe("--format gitlab", () => {
  it("lists every violation as a code-quality issue with a unique, stable fingerprint", async () => {
    const args = ["lint", "defects.ko.md", "payflow-api-design.en.md", "--format", "gitlab", "--min-score", "0"];
    const r = await cli(args, { cwd: fixturePath("lint") });
    expect(r.code).toBe(0);
    const issues = JSON.parse(r.stdout) as Issue[];
    const json = JSON.parse(
      (
        await cli(["lint", "defects.ko.md", "payflow-api-design.en.md", "--format", "json"], {
          cwd: fixturePath("lint"),
        })
      ).stdout,
    ) as {
      results: { file: string; violations: { code: string; severity: string; line: number }[] }[];
    };
    const expected = json.results.flatMap((f) =>
      f.violations.map((v) => ({ path: f.file, code: v.code, line: v.line, severity: v.severity })),
    );
    expect(
      issues.map((i) => ({
        path: i.location.path,
        code: i.check_name.replace(/^speclint\//, ""),
        line: i.location.lines.begin,
      })),
    ).toEqual(expected.map(({ path: p, code, line }) => ({ path: p, code, line })));
    expect(issues.map((i) => i.severity)).toEqual(
      expected.map((v) => ({ error: "major", warning: "minor", info: "info" })[v.severity]),
    );
    for (const i of issues) expect(i.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
    // The same input gives the same fingerprints: GitLab compares them across pipelines.
    expect(
      (JSON.parse((await cli(args, { cwd: fixturePath("lint") })).stdout) as Issue[]).map((i) => i.fingerprint),
    ).toEqual(issues.map((i) => i.fingerprint));
  });
});

describe(".specgateignore", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "specgate-ignore-"));
    await mkdir(path.join(dir, "design/archive"), { recursive: true });
    await copyFile(fixturePath("lint", "payflow-api-design.en.md"), path.join(dir, "design/api.md"));
    await copyFile(fixturePath("lint", "defects.ko.md"), path.join(dir, "design/archive/old.md"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("leaves out what it matches (gitignore syntax), from directories and named files alike", async () => {
    const before = await cli(["lint", "design", "--format", "json", "--min-score", "0"], { cwd: dir });
    expect((JSON.parse(before.stdout) as { results: { file: string }[] }).results.map((r) => r.file)).toEqual([
      "design/api.md",
      "design/archive/old.md",
    ]);
    await writeFile(path.join(dir, ".specgateignore"), "# old documents\narchive/\n");
    for (const args of [["design"], ["design/api.md", "design/archive/old.md"], ["design/**/*.md"]]) {
      const r = await cli(["lint", ...args, "--format", "json", "--min-score", "0"], { cwd: dir });
      expect(r.code, args.join(" ")).toBe(0);
      expect((JSON.parse(r.stdout) as { results: { file: string }[] }).results.map((x) => x.file)).toEqual([
        "design/api.md",
      ]);
    }
    // A negation in the file brings one back, as in .gitignore.
    await writeFile(path.join(dir, ".specgateignore"), "design/archive/*\n!design/archive/old.md\n");
    const back = await cli(["lint", "design", "--format", "json", "--min-score", "0"], { cwd: dir });
    expect((JSON.parse(back.stdout) as { results: { file: string }[] }).results.map((x) => x.file)).toEqual([
      "design/api.md",
      "design/archive/old.md",
    ]);
  });
});
