/** `.specgate.yaml`: discovery upwards, validation, flags over the file, and the MCP workspace. */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCliInProcess as cli } from "../../helpers/cli.js";
import { corpusPath, fixturePath, readCorpus } from "../../helpers/fixtures.js";
import { FIXTURES as GENERATE_FIXTURES } from "../generate/helpers.js";
import { FakeConfluence, corpusPages } from "../../helpers/fake-confluence.js";
import { connectInMemory, type Harness } from "../../helpers/runtime.js";

/** Scores 55: grade low (exit 1) with the bundled ruleset, medium under the lenient one. */
const DOC = path.join(corpusPath("specgate-docs"), "test-documents", "03-Data-Model-Design-MissingRules.md");
const LENIENT = "extends: specgate\nquality_scoring:\n  thresholds: { high_quality: 80, medium_quality: 50 }\n";

let tmp: string;
let repo: string;
let deeper: string;
let h: Harness | undefined;
let fake: FakeConfluence | undefined;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), "specgate-config-"));
  // tmp/outer/.specgate.yaml (invalid, above the repository: never read)
  // tmp/outer/repo/{.git/, .specgate.yaml, lenient.yaml, docs/sub/doc.md, docs/archive/old.md}
  repo = path.join(tmp, "outer", "repo");
  deeper = path.join(repo, "docs", "sub");
  await mkdir(path.join(repo, ".git"), { recursive: true });
  await mkdir(deeper, { recursive: true });
  await mkdir(path.join(repo, "docs", "archive"), { recursive: true });
  await writeFile(path.join(tmp, "outer", ".specgate.yaml"), "min_score: 500\n");
  await writeFile(path.join(repo, "lenient.yaml"), LENIENT);
  await writeFile(path.join(repo, ".specgate.yaml"), "ruleset: lenient.yaml\nformat: json\n");
  await copyFile(DOC, path.join(deeper, "doc.md"));
  await copyFile(DOC, path.join(repo, "docs", "archive", "old.md"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});
afterEach(async () => {
  await h?.close();
  await fake?.close();
  h = undefined;
  fake = undefined;
});

async function project(name: string, config: string, ext = ".yaml"): Promise<string> {
  const dir = path.join(tmp, name);
  await mkdir(path.join(dir, ".git"), { recursive: true });
  await writeFile(path.join(dir, `.specgate${ext}`), config);
  await copyFile(DOC, path.join(dir, "doc.md"));
  await writeFile(path.join(dir, "lenient.yaml"), LENIENT);
  return dir;
}

interface LintJson {
  results: { file: string; score: number; grade: string }[];
}

describe("configuration file", () => {
  it("is found walking up from the current directory; its ruleset is relative to it; its format is the default", async () => {
    const r = await cli(["lint", "doc.md"], { cwd: deeper });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as LintJson).results[0]).toMatchObject({ score: 55, grade: "medium" });
  });

  it("stops at the directory holding .git: a file above the repository is not read", async () => {
    await mkdir(path.join(tmp, "outer", "bare", ".git"), { recursive: true });
    await copyFile(DOC, path.join(tmp, "outer", "bare", "doc.md"));
    const r = await cli(["lint", "doc.md"], { cwd: path.join(tmp, "outer", "bare") });
    // The invalid file one level up would be exit 2; the default ruleset grades the document low.
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/doc\.md\s+55\/100 low/);
  });

  it("flags override the file; --no-config ignores it; --config reads another file", async () => {
    const flags = await cli(["lint", "doc.md", "--format", "stylish", "--ruleset", "specgate"], { cwd: deeper });
    expect(flags.code).toBe(1);
    expect(flags.stdout).toMatch(/doc\.md\s+55\/100 low/);
    const minScore = await cli(["lint", "doc.md", "--min-score", "60"], { cwd: deeper });
    expect(minScore.code).toBe(1);
    expect(JSON.parse(minScore.stdout)).toMatchObject({ results: [{ grade: "medium" }] });

    const none = await cli(["--no-config", "lint", "doc.md"], { cwd: deeper });
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/doc\.md\s+55\/100 low/);

    await writeFile(path.join(repo, "other.yaml"), "min_score: 0\n");
    const other = await cli(["lint", "doc.md", "--config", "../../other.yaml"], { cwd: deeper });
    expect(other.code).toBe(0);
    expect(other.stdout).toMatch(/doc\.md\s+55\/100 low/);
    const missing = await cli(["lint", "doc.md", "--config", "nope.yaml"], { cwd: deeper });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Cannot read configuration file .*nope\.yaml: ENOENT/);
  });

  it("ignore leaves files out of lint and extract document expansion", async () => {
    const dir = await project("ignoring", "ignore: ['archive/**']\nmin_score: 0\nformat: json\n");
    await mkdir(path.join(dir, "archive"));
    await copyFile(DOC, path.join(dir, "archive", "old.md"));
    const lint = await cli(["lint", "."], { cwd: dir });
    expect(lint.code).toBe(0);
    expect((JSON.parse(lint.stdout) as LintJson).results.map((x) => x.file)).toEqual(["doc.md"]);
    const all = await cli(["--no-config", "lint", ".", "--format", "json", "--min-score", "0"], { cwd: dir });
    expect((JSON.parse(all.stdout) as LintJson).results.map((x) => x.file).sort()).toEqual([
      "archive/old.md",
      "doc.md",
    ]);
    const extract = await cli(["extract", ".", "--format", "json"], { cwd: dir });
    expect(extract.stderr).not.toContain("archive");
    expect(extract.stdout).not.toContain("archive/old.md");
  });

  it("an invalid file is exit 2 naming the file, the key path and what is expected", async () => {
    const dir = await project(
      "invalid",
      "min_score: high\ngate:\n  fial: 10\ngenerate:\n  targets: [mdc, nope]\nconfluence:\n  base_url: ftp://wiki\n",
    );
    const r = await cli(["lint", "doc.md"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`E_CONFIG: ${path.join(dir, ".specgate.yaml")}: `);
    expect(r.stderr).toContain("min_score: expected number");
    expect(r.stderr).toContain('gate.fial: unknown key (did you mean "fail"?)');
    expect(r.stderr).toMatch(/generate\.targets\[1\]: expected one of mdc, /);
    expect(r.stderr).toContain("confluence.base_url: expected an absolute http(s) URL");

    const json = await project("invalid-json", '{ "min_score": 101 }', ".json");
    const j = await cli(["lint", "doc.md"], { cwd: json });
    expect(j.code).toBe(2);
    expect(j.stderr).toMatch(/\.specgate\.json: min_score: expected number to be <=100/);
  });

  it("refuses anything that looks like a secret: they go in the environment", async () => {
    const dir = await project(
      "secret",
      "confluence:\n  base_url: https://acme.atlassian.net/wiki\n  api_token: hunter2-very-secret\n",
    );
    const r = await cli(["lint", "doc.md"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/confluence\.api_token: looks like a secret; secrets go in the environment/);
    expect(r.stderr).not.toContain("hunter2");
  });

  it("gate takes fail and warn from the file; generate its targets", async () => {
    const dir = await project("gating", "gate: { fail: 10, warn: 5 }\ngenerate: { targets: [semgrep] }\n");
    const rules = path.join(fixturePath("gate"), "rules.json");
    const sarif = path.join(fixturePath("gate"), "semgrep.sarif");
    const gate = await cli(["gate", "--rules", rules, "--sarif", sarif], { cwd: dir });
    expect(gate.code).toBe(1);
    expect(gate.stdout).toMatch(/\(FAIL ≥ 10, WARNING ≥ 5\)/);
    const flag = await cli(["gate", "--rules", rules, "--sarif", sarif, "--fail", "90", "--warn", "80"], { cwd: dir });
    expect(flag.code).toBe(0);
    expect(flag.stdout).toMatch(/\(FAIL ≥ 90, WARNING ≥ 80\)/);

    const security = path.join(GENERATE_FIXTURES, "rules", "standards-security.json");
    const generate = await cli(["generate", security, "-q"], { cwd: dir });
    expect(generate.code).toBe(0);
    expect(generate.stdout).toBe(".specgate/semgrep/specgate-rules.yml\tsemgrep\t4 rules\n");
  });

  it("speclint_lint uses the ruleset of the file in SPECGATE_WORKSPACE when the call names none", async () => {
    const dir = await project("workspace", "ruleset: lenient.yaml\n");
    const content = await readCorpus("specgate-docs", "test-documents", "03-Data-Model-Design-MissingRules.md");
    h = await connectInMemory({ env: { SPECGATE_WORKSPACE: dir } });
    const configured = await h.client.callTool({ name: "speclint_lint", arguments: { content } });
    expect(configured.isError).toBeFalsy();
    expect(configured.structuredContent).toMatchObject({ score: 55, grade: "medium" });
    const named = await h.client.callTool({ name: "speclint_lint", arguments: { content, ruleset: "specgate" } });
    expect(named.structuredContent).toMatchObject({ score: 55, grade: "low" });
  });

  it("fetch takes the Confluence base URL from the file; CONFLUENCE_BASE_URL wins over it", async () => {
    fake = await FakeConfluence.start({ flavour: "datacenter", pages: corpusPages() });
    const { CONFLUENCE_BASE_URL: baseUrl, ...credentials } = fake.env();
    const fromFile = await project("confluence", `confluence:\n  base_url: ${baseUrl}/\n`);
    const r = await cli(["fetch", "--page-id", "1844969501"], { cwd: fromFile, env: credentials });
    expect(r.stderr).not.toMatch(/E_CONFIG/);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).documents[0].title).toBe("지원");

    // Nothing listens on port 9: only the environment's URL can answer.
    const elsewhere = await project("confluence-env", "confluence:\n  base_url: http://127.0.0.1:9/wiki\n");
    const env = await cli(["fetch", "--page-id", "1844969501"], { cwd: elsewhere, env: fake.env() });
    expect(env.code).toBe(0);
    expect(JSON.parse(env.stdout).documents[0].title).toBe("지원");
  });
});
