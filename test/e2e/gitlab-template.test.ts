/**
 * The GitLab CI template (ci/gitlab/specgate.gitlab-ci.yml), its job run as a GitLab runner runs
 * it: the `script:` lines in one bash session (`set -eo pipefail`) with the job's variables, in a
 * repository holding a design document, its rules and code that breaks one of them. `npx … specgate`
 * is replaced by the built CLI (the package test proves what npx installs).
 */
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CLI, ROOT, assertBuilt } from "../helpers/spawn.js";
import { VERSION } from "../../src/version.js";

const run = promisify(execFile);

interface Job {
  extends?: string;
  image?: string;
  stage?: string;
  variables?: Record<string, string>;
  script?: string[];
  artifacts?: { when?: string; reports?: Record<string, string>; paths?: string[] };
}

const TEMPLATE = path.join(ROOT, "ci/gitlab/specgate.gitlab-ci.yml");
const text = await readFile(TEMPLATE, "utf8");
const template = parse(text) as Record<string, Job>;
/** The job as GitLab resolves `extends:` (one level, which is all the template uses). */
const job: Job = (() => {
  const own = template.specgate!;
  const base = own.extends ? template[own.extends]! : {};
  return { ...base, ...own, variables: { ...base.variables, ...own.variables } };
})();
const NPX = /npx --yes --package="\$SPECGATE_PACKAGE" specgate/g;

let repo: string;

beforeEach(async () => {
  assertBuilt();
  repo = await mkdtemp(path.join(tmpdir(), "specgate-gitlab-"));
  await mkdir(path.join(repo, "docs/design"), { recursive: true });
  await mkdir(path.join(repo, "src/models"), { recursive: true });
  await copyFile(path.join(ROOT, "docs/examples/payment-api.md"), path.join(repo, "docs/design/payment-api.md"));
  // RULE-DATA-001's violation pattern is `parseFloat($AMOUNT)`.
  await writeFile(
    path.join(repo, "src/models/payment.ts"),
    "export function amountOf(input: string): number {\n  return parseFloat(input);\n}\n",
  );
});
afterEach(() => rm(repo, { recursive: true, force: true }));

/** Runs the job's script with its variables (overridden by `variables`); returns the exit code and output. */
async function runJob(variables: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = job.script!.map((line) => line.replace(NPX, `"${process.execPath}" "${CLI}"`)).join("\n");
  expect(script).not.toContain("npx");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    ...job.variables,
    ...variables,
  };
  return run("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], { cwd: repo, env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

const readJson = async <T>(name: string) => JSON.parse(await readFile(path.join(repo, name), "utf8")) as T;

describe("ci/gitlab/specgate.gitlab-ci.yml", () => {
  it("is a job template: a hidden .specgate job with documented variables, the specgate job extending it, GitLab reports", () => {
    expect(template.specgate!.extends).toBe(".specgate");
    expect(job.image).toMatch(/^node:2\d/);
    expect(Object.keys(job.variables!).sort()).toEqual(
      [
        "SPECGATE_DOCUMENTS",
        "SPECGATE_FAIL",
        "SPECGATE_MIN_SCORE",
        "SPECGATE_PACKAGE",
        "SPECGATE_PATHS",
        "SPECGATE_RULES",
        "SPECGATE_WARN",
      ].sort(),
    );
    expect(job.variables!.SPECGATE_PACKAGE).toBe(`@specgate/cli@${VERSION}`);
    for (const name of Object.keys(job.variables!)) {
      expect(text, name).toMatch(new RegExp(`# .+\\n(?:    # .+\\n|    SPECGATE_\\w+: .+\\n)*    ${name}:`));
      expect(job.script!.join("\n"), name).toContain(`$${name}`);
    }
    // Every SpecGate run goes through npx with the package variable, quoted.
    const runs = job.script!.join("\n").match(/\bspecgate (?:lint|check|extract|"\$\{args)/g) ?? [];
    expect((job.script!.join("\n").match(NPX) ?? []).length).toBe(runs.length);
    expect(job.script!.join("\n")).toMatch(/specgate lint .*--format gitlab[\s\S]*> gl-code-quality-report\.json/);
    expect(job.artifacts).toMatchObject({
      when: "always",
      reports: { codequality: "gl-code-quality-report.json", junit: "specgate-lint.junit.xml" },
    });
  });

  it("lints, checks and scores: the finding breaks a MUST rule, the gate fails the job, every report parses", async () => {
    const { stdout } = await run(process.execPath, [CLI, "extract", "docs/design/payment-api.md"], { cwd: repo });
    await mkdir(path.join(repo, ".specgate"));
    await writeFile(path.join(repo, ".specgate/rules.json"), stdout);

    const r = await runJob({ SPECGATE_FAIL: "5", SPECGATE_WARN: "1" });
    expect(r.stdout).toMatch(/SpecGate: FAIL, Drift Score \d+/);
    expect(r.code).toBe(1);

    const quality =
      await readJson<{ check_name: string; fingerprint: string; location: { path: string } }[]>(
        "gl-code-quality-report.json",
      );
    expect(Array.isArray(quality)).toBe(true);
    for (const issue of quality) {
      expect(issue.check_name).toMatch(/^speclint\//);
      expect(issue.location.path).toBe("docs/design/payment-api.md");
    }
    const junit = await readFile(path.join(repo, "specgate-lint.junit.xml"), "utf8");
    expect(junit).toMatch(/^<\?xml[^>]*>\s*<testsuites[\s>]/);
    expect(junit).toContain('name="docs/design/payment-api.md"');
    const sarif = await readJson<{ runs: { results: { ruleId: string }[] }[] }>("specgate-check.sarif");
    expect(sarif.runs[0]!.results.map((x) => x.ruleId)).toEqual([expect.stringMatching(/RULE-DATA-001/i)]);
    const gate = await readJson<{ decision: string; drift_score: number }>("specgate-gate.json");
    expect(gate.decision).toBe("FAIL");
    expect(gate.drift_score).toBeGreaterThanOrEqual(5);
    expect((await readJson<{ results: { file: string }[] }>("specgate-lint.json")).results).toHaveLength(1);
  });

  it("passes when the code keeps the rules, reading the rules straight from the document", async () => {
    await writeFile(
      path.join(repo, "src/models/payment.ts"),
      "export function amountOf(minor: number): number {\n  return minor;\n}\n",
    );
    const r = await runJob({ SPECGATE_RULES: "docs/design/payment-api.md" });
    expect(r.code).toBe(0);
    expect(await readJson<{ decision: string }>("specgate-gate.json")).toMatchObject({
      decision: "PASS",
      drift_score: 0,
    });
    // The document's rules were extracted once, to JSON, for the check and the gate.
    const extracted = JSON.parse(await readFile(path.join(repo, "specgate-rules.json"), "utf8")) as {
      rules: { rule_id: string }[];
    };
    expect(extracted.rules.map((r) => r.rule_id)).toContain("RULE-DATA-001");
  });

  it("fails the job on a document graded below the minimum, after the gate has run and written its report", async () => {
    await writeFile(
      path.join(repo, "src/models/payment.ts"),
      "export function amountOf(minor: number): number {\n  return minor;\n}\n",
    );
    // A title off the template costs 20 points: 80 is graded medium (the gate warns), below a minimum of 90.
    const doc = path.join(repo, "docs/design/payment-api.md");
    await writeFile(doc, (await readFile(doc, "utf8")).replace(/^# .*$/m, "# Payments"));
    const r = await runJob({ SPECGATE_RULES: "docs/design/payment-api.md", SPECGATE_MIN_SCORE: "90" });
    expect(r.code).toBe(1);
    expect(await readJson<{ decision: string }>("specgate-gate.json")).toMatchObject({ decision: "WARNING" });
    const quality = await readJson<{ check_name: string }[]>("gl-code-quality-report.json");
    expect(quality.map((q) => q.check_name)).toContain("speclint/title_format_mismatch");
  });

  it("a missing rules file is an error (exit 2), not a pass", async () => {
    const r = await runJob({ SPECGATE_RULES: "nowhere/rules.json" });
    expect(r.code).toBe(2);
  });
});
