import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCliInProcess as cli } from "../../helpers/cli.js";
import { startFakeGitHub, type FakeGitHub } from "../../helpers/fake-github.js";
import { documentId, documentTitle } from "../../../src/cli/hitl.js";
import { corpusPath } from "../../helpers/fixtures.js";

const DOCS = [
  "01-API-Design-Perfect.md",
  "02-Architecture-Design-TitleError.md",
  "03-Data-Model-Design-MissingRules.md",
];
const SHA = "0123456789abcdef0123456789abcdef01234567";
let dir: string;
let gh: FakeGitHub | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "specgate-hitl-"));
  await mkdir(path.join(dir, "docs"));
  for (const d of DOCS)
    await writeFile(
      path.join(dir, "docs", d),
      await readFile(corpusPath("specgate-docs", "test-documents", d), "utf8"),
    );
});
afterEach(async () => {
  await gh?.close();
  gh = undefined;
  await rm(dir, { recursive: true, force: true });
});

const issues = (fake: FakeGitHub) => [...fake.repo("acme/payflow").issues.values()].sort((a, b) => a.number - b.number);

describe("specgate lint --github-issues (HITL, against a fake GitHub API)", () => {
  it("opens one issue per medium or low document with its label, and says so on stderr", async () => {
    gh = await startFakeGitHub();
    gh.repo("acme/payflow");
    const env = {
      GITHUB_TOKEN: gh.token,
      GITHUB_API_URL: gh.apiUrl,
      GITHUB_REPOSITORY: "acme/payflow",
      GITHUB_SHA: SHA,
    };
    const r = await cli(["lint", "docs", "--github-issues"], { env, cwd: dir });
    expect(r.code).toBe(1); // 03 grades low: the lint still fails the job
    expect(r.stdout).toContain("docs/03-Data-Model-Design-MissingRules.md"); // the report is printed as usual
    const list = issues(gh);
    expect(list.map((i) => [i.number, i.state, i.labels.map((l) => l.name)])).toEqual([
      [1, "open", ["specgate:hitl-review"]],
      [2, "open", ["specgate:must-fix"]],
    ]);
    expect(list[0]!.title).toBe("[SpecGate] Review needed: 잘못된 제목 (quality 70/100)");
    expect(list[0]!.body).toContain(
      `https://github.com/acme/payflow/blob/${SHA}/docs/02-Architecture-Design-TitleError.md`,
    );
    expect(list[0]!.body).toContain("`title_format_mismatch`");
    expect(list[1]!.title).toMatch(/^\[SpecGate\] Must fix: .* \(quality 55\/100\)$/);
    expect(list[1]!.body).toContain("`design_rules_missing`");
    expect(r.stderr).toContain(
      "GitHub issue #1 created for docs/02-Architecture-Design-TitleError.md (medium, specgate:hitl-review): https://github.test/acme/payflow/issues/1",
    );
    expect(r.stderr).toContain(
      "GitHub issue #2 created for docs/03-Data-Model-Design-MissingRules.md (low, specgate:must-fix)",
    );
    expect(r.stderr).toContain("GitHub issues in acme/payflow: 2 created (3 documents).");
  });

  it("never duplicates: a second run leaves the issues as they are; a fixed document's issue is closed", async () => {
    gh = await startFakeGitHub();
    gh.repo("acme/payflow");
    const env = { GITHUB_TOKEN: gh.token, GITHUB_API_URL: gh.apiUrl, GITHUB_REPOSITORY: "acme/payflow" };
    await cli(["lint", "docs", "--github-issues"], { env, cwd: dir });
    const again = await cli(["lint", "docs", "--github-issues"], { env, cwd: dir });
    expect(again.stderr).toContain("GitHub issues in acme/payflow: 2 unchanged (3 documents).");
    expect(issues(gh)).toHaveLength(2);
    expect(gh.requests.filter((q) => q.method === "POST")).toHaveLength(2);

    // The title fixed: 02 now grades high, so its review issue is closed as completed.
    const file = path.join(dir, "docs", DOCS[1]!);
    await writeFile(
      file,
      (await readFile(file, "utf8")).replace(/^# 잘못된 제목$/m, "# [PayFlow] Architecture 설계서"),
    );
    const fixed = await cli(["lint", "docs", "--github-issues"], { env, cwd: dir });
    expect(fixed.stderr).toContain("GitHub issue #1 closed for docs/02-Architecture-Design-TitleError.md (high)");
    expect(issues(gh).map((i) => [i.number, i.state])).toEqual([
      [1, "closed"],
      [2, "open"],
    ]);
    expect(issues(gh)[0]!.state_reason).toBe("completed");
  });

  it("needs GITHUB_TOKEN and the repository: exit 2 before linting, with a message naming what is missing", async () => {
    const none = await cli(["lint", "docs", "--github-issues"], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stdout).toBe("");
    expect(none.stderr).toMatch(
      /^specgate lint --github-issues needs GITHUB_TOKEN .* and the repository \(GITHUB_REPOSITORY, set by Actions, or --repository owner\/name\)\.$/m,
    );
    const noRepo = await cli(["lint", "docs", "--github-issues"], { cwd: dir, env: { GITHUB_TOKEN: "t" } });
    expect(noRepo.code).toBe(2);
    expect(noRepo.stderr).not.toContain("GITHUB_TOKEN");
    expect(noRepo.stderr).toContain("needs the repository");

    gh = await startFakeGitHub();
    gh.repo("acme/payflow");
    const flag = await cli(
      ["lint", "docs/01-API-Design-Perfect.md", "--github-issues", "--repository", "acme/payflow"],
      { cwd: dir, env: { GITHUB_TOKEN: gh.token, GITHUB_API_URL: gh.apiUrl } },
    );
    expect(flag.code).toBe(0);
    expect(flag.stderr).toContain("GitHub issues in acme/payflow: none needed (1 document).");
    const badToken = await cli(["lint", "docs", "--github-issues"], {
      cwd: dir,
      env: { GITHUB_TOKEN: "wrong", GITHUB_API_URL: gh.apiUrl, GITHUB_REPOSITORY: "acme/payflow" },
    });
    expect(badToken.code).toBe(2);
    expect(badToken.stderr).toContain("E_AUTH");
  });

  it("names an issue by the document's # title and keys it on its path relative to the working directory", () => {
    expect(documentTitle("<!-- x -->\n# [PayFlow] API 설계서 ##\n\n## 1. 개요\n")).toBe("[PayFlow] API 설계서");
    expect(documentTitle("## only a section\n")).toBeUndefined();
    expect(documentTitle(`# ${" ".repeat(60_000)}#`)).toBeUndefined();
    expect(documentId("docs/api.md", "/repo")).toBe("docs/api.md");
    expect(documentId("/repo/docs/../docs/api.md", "/repo")).toBe("docs/api.md");
    expect(documentId("/elsewhere/api.md", "/repo")).toBe("/elsewhere/api.md");
    expect(documentId("-", "/repo")).toBe("stdin");
  });
});
