/**
 * The workflow target for GitLab and Bitbucket: the generated file parses, and its script lines,
 * run in one bash session as the runners run them, scan with the generated ast-grep rules and
 * score the gate in a repository whose code breaks a rule. `npx … specgate` and `npx … ast-grep`
 * become the built CLI and the ast-grep SpecGate ships with.
 */
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CLI, ROOT, assertBuilt } from "../../helpers/spawn.js";
import { generateFiles } from "./generate-api.js";
import { fixtureRules } from "./helpers.js";
import { VERSION } from "../../../src/version.js";

const run = promisify(execFile);
const AST_GREP = path.join(ROOT, "node_modules/.bin/ast-grep");

let repo: string;
beforeEach(async () => {
  assertBuilt();
  repo = await mkdtemp(path.join(tmpdir(), "specgate-flavour-"));
  await mkdir(path.join(repo, "docs/design"), { recursive: true });
  await mkdir(path.join(repo, "src/models"), { recursive: true });
  await copyFile(path.join(ROOT, "docs/examples/payment-api.md"), path.join(repo, "docs/design/payment-api.md"));
});
afterEach(() => rm(repo, { recursive: true, force: true }));

async function generate(flavour: string, extra: string[] = []): Promise<string> {
  await run(
    process.execPath,
    [
      CLI,
      "generate",
      "docs/design/payment-api.md",
      "--targets",
      "workflow,astgrep",
      "--flavour",
      flavour,
      "--out",
      ".",
      "-q",
      ...extra,
    ],
    { cwd: repo },
  );
  const file = flavour === "gitlab" ? ".specgate/ci/specgate.gitlab-ci.yml" : ".specgate/ci/bitbucket-pipelines.yml";
  return readFile(path.join(repo, file), "utf8");
}

/** The script lines in one bash session that stops at the first failing line, as GitLab and Bitbucket run them. */
async function runScript(lines: string[]): Promise<{ code: number; stdout: string }> {
  const script = lines
    .map((l) =>
      l
        .replace(/npx --yes --package=@specgate\/cli@\S+ specgate/g, `"${process.execPath}" "${CLI}"`)
        .replace(/npx --yes --package=@ast-grep\/cli@\S+ ast-grep/g, `"${AST_GREP}"`),
    )
    .join("\n");
  expect(script).not.toContain("npx");
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
  return run("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], { cwd: repo, env }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );
}

const gateOf = async () =>
  JSON.parse(await readFile(path.join(repo, "specgate-gate.json"), "utf8")) as {
    decision: string;
    drift_score: number;
  };

const BREAKS = "export function amountOf(input: string): number {\n  return parseFloat(input);\n}\n";
const KEEPS = "export function amountOf(minor: number): number {\n  return minor;\n}\n";

describe("workflow flavour gitlab", () => {
  type Job = { image: string; script: string[]; artifacts: { when: string; paths: string[] }; rules: unknown[] };

  it("writes a job file to include whose script finds the broken MUST rule and fails the job on the gate", async () => {
    await writeFile(path.join(repo, "src/models/payment.ts"), BREAKS);
    const jobs = parse(await generate("gitlab", ["--fail", "5", "--warn", "1"])) as Record<string, Job>;
    const job = jobs["design-guard"]!;
    expect(job.image).toBe("node:20");
    expect(job.artifacts).toMatchObject({ when: "always", paths: expect.arrayContaining(["specgate-gate.json"]) });
    expect(job.script.join("\n")).toContain(`npx --yes --package=@specgate/cli@${VERSION} specgate gate`);
    const r = await runScript(job.script);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/SpecGate: FAIL, Drift Score \d+/);
    const gate = await gateOf();
    expect(gate.decision).toBe("FAIL");
    const findings = JSON.parse(await readFile(path.join(repo, "specgate-findings.sarif"), "utf8")) as {
      runs: { results: { ruleId: string }[] }[];
    };
    expect(findings.runs.flatMap((x) => x.results.map((y) => y.ruleId))).toEqual([
      expect.stringMatching(/rule-data-001/i),
    ]);
  });

  it("passes the job when the code keeps the rules", async () => {
    await writeFile(path.join(repo, "src/models/payment.ts"), KEEPS);
    const job = (parse(await generate("gitlab")) as Record<string, Job>)["design-guard"]!;
    const r = await runScript(job.script);
    expect(r.code).toBe(0);
    expect(await gateOf()).toMatchObject({ decision: "PASS", drift_score: 0 });
  });
});

describe("workflow flavour bitbucket", () => {
  type Step = { step: { name: string; script: string[]; artifacts: string[] } };

  it("writes a pipelines file whose pull-request step runs the guard", async () => {
    await writeFile(path.join(repo, "src/models/payment.ts"), BREAKS);
    const file = parse(await generate("bitbucket", ["--fail", "5"])) as {
      image: string;
      pipelines: { "pull-requests": Record<string, Step[]>; custom: Record<string, Step[]> };
    };
    expect(file.image).toBe("node:20");
    const step = file.pipelines["pull-requests"]["**"]![0]!.step;
    expect(file.pipelines.custom["design-guard"]![0]!.step).toEqual(step);
    expect(step.artifacts).toContain("specgate-gate.json");
    const r = await runScript(step.script);
    expect(r.code).toBe(1);
    expect((await gateOf()).decision).toBe("FAIL");
  });
});

describe("workflow flavour option", () => {
  it("github stays the default; an unknown flavour is refused", () => {
    const rules = fixtureRules("java-layered");
    const paths = (flavour?: string) =>
      generateFiles(rules, {
        targets: ["workflow"],
        workflow: flavour ? { flavour: flavour as "gitlab" } : {},
      }).files.map((f) => f.path);
    expect(paths()).toEqual([".github/workflows/design-guard.yml", ".specgate/rules.json"]);
    expect(paths("github")).toEqual(paths());
    expect(paths("gitlab")).toEqual([".specgate/ci/specgate.gitlab-ci.yml", ".specgate/rules.json"]);
    expect(paths("bitbucket")).toEqual([".specgate/ci/bitbucket-pipelines.yml", ".specgate/rules.json"]);
    expect(() => paths("jenkins")).toThrow(/flavour "jenkins" is not one of github, gitlab, bitbucket/);
  });
});
