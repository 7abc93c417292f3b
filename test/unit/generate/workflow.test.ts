import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generateFiles } from "./generate-api.js";
import { fixtureRules, workflowSchema } from "./helpers.js";
import { workflowOptionProblems } from "../../../src/core/generate/workflow.js";

const run = promisify(execFile);
type Step = { name: string; run?: string; env?: Record<string, string> };

function steps(options = {}): Step[] {
  const file = generateFiles(fixtureRules("java-layered"), { targets: ["workflow"], ...options }).files.find((f) =>
    f.path.endsWith("design-guard.yml"),
  )!;
  return (parse(file.content) as { jobs: Record<string, { steps: Step[] }> }).jobs["design-guard"]!.steps;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "specgate-wf-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SUREFIRE = `<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="com.payflow.DesignRulesArchTest" tests="2" failures="1" errors="0">
  <testcase name="rule_arch_001" classname="com.payflow.DesignRulesArchTest" time="0.21">
    <failure message="Architecture Violation [Priority: MEDIUM] - Rule &apos;no classes that reside in a package &apos;..controller..&apos; should depend on classes that reside in a package &apos;..repository..&apos;, because RULE-ARCH-001 (MUST): Controller&#45716; Service&#47564; &#51032;&#51316;&apos; was violated (2 times):&#10;Field &lt;com.payflow.controller.UserController.repo&gt; has type &lt;com.payflow.repository.UserRepository&gt; in (UserController.java:0)&#10;Method &lt;com.payflow.controller.UserController.get(java.lang.Long)&gt; calls method &lt;com.payflow.repository.UserRepository.findById(java.lang.Long)&gt; in (UserController.java:25)" type="java.lang.AssertionError">java.lang.AssertionError: Architecture Violation
	at com.tngtech.archunit.lang.ArchRule$Assertions.assertNoViolation(ArchRule.java:94)</failure>
  </testcase>
  <testcase name="rule_arch_002" classname="com.payflow.DesignRulesArchTest" time="0.05"/>
</testsuite>
`;

const SEMGREP_SARIF = {
  version: "2.1.0",
  runs: [
    {
      tool: { driver: { name: "Semgrep OSS", rules: [{ id: "specgate.rule-sec-001" }] } },
      results: [{ ruleId: "specgate.rule-sec-001", message: { text: "x" }, locations: [] }],
    },
  ],
};

describe("design-guard workflow", () => {
  it("has shell steps that bash accepts", async () => {
    for (const s of steps().filter((x) => x.run)) {
      await expect(run("bash", ["-n", "-c", s.run!]), s.name).resolves.toBeDefined();
    }
  });

  it("merges Semgrep SARIF and ArchUnit's JUnit report into one SARIF log naming the rules", async () => {
    const collect = steps().find((s) => s.name === "Collect findings")!;
    await mkdir(path.join(dir, "target/surefire-reports"), { recursive: true });
    await writeFile(path.join(dir, "target/surefire-reports/TEST-com.payflow.DesignRulesArchTest.xml"), SUREFIRE);
    await writeFile(path.join(dir, "semgrep.sarif"), JSON.stringify(SEMGREP_SARIF));
    const { stdout } = await run("bash", ["-e", "-c", collect.run!], {
      cwd: dir,
      env: { ...process.env, ARCHUNIT_EXIT: "1" },
    });
    expect(stdout).toContain("SpecGate findings: 3 results from 2 tools");
    expect(stdout).not.toContain("::error::");
    const log = JSON.parse(await readFile(path.join(dir, "specgate-findings.sarif"), "utf8"));
    expect(log.version).toBe("2.1.0");
    expect(log.runs[0]).toEqual(SEMGREP_SARIF.runs[0]);
    const arch = log.runs[1];
    expect(arch.tool.driver.name).toBe("ArchUnit");
    expect(arch.tool.driver.rules).toEqual([
      { id: "RULE-ARCH-001", properties: { "specgate/rule_id": "RULE-ARCH-001" } },
    ]);
    expect(
      arch.results.map((r: any) => [
        r.ruleId,
        r.properties["specgate/rule_id"],
        r.locations[0].physicalLocation.artifactLocation.uri,
        r.locations[0].physicalLocation.region.startLine,
      ]),
    ).toEqual([
      ["RULE-ARCH-001", "RULE-ARCH-001", "src/main/java/com/payflow/controller/UserController.java", 1],
      ["RULE-ARCH-001", "RULE-ARCH-001", "src/main/java/com/payflow/controller/UserController.java", 25],
    ]);
    expect(arch.results[1].message.text).toMatch(/^Method <com\.payflow\.controller\.UserController\.get/);
  });

  it("flags an ArchUnit step that failed without checking rules, and still writes an empty log", async () => {
    const collect = steps().find((s) => s.name === "Collect findings")!;
    const { stdout } = await run("bash", ["-e", "-c", collect.run!], {
      cwd: dir,
      env: { ...process.env, ARCHUNIT_EXIT: "1" },
    });
    expect(stdout).toMatch(/::error::The ArchUnit step failed before checking any rule/);
    expect(JSON.parse(await readFile(path.join(dir, "specgate-findings.sarif"), "utf8")).runs).toEqual([]);
  });

  it("runs ast-grep from npm (no Docker, no pip), keeps its exit code 1 as a result, and merges its SARIF without counting a finding twice", async () => {
    const astgrep = steps().find((s) => s.name === "ast-grep (SpecGate rules) to SARIF")!;
    expect(astgrep.run).toContain(
      "npx --yes --package=@ast-grep/cli@0.51.1 ast-grep scan -c .specgate/ast-grep/sgconfig.yml --format sarif > astgrep.sarif",
    );
    expect(astgrep.run).not.toMatch(/docker|pip/i);
    // The scan found error-level matches (exit 1): recorded, the SARIF kept.
    const output = path.join(dir, "out");
    const found = astgrep.run!.replace(/^npx .*$/m, "(echo '{\"runs\": []}'; exit 1) > astgrep.sarif");
    await run("bash", ["-e", "-c", found], { cwd: dir, env: { ...process.env, GITHUB_OUTPUT: output } });
    expect([
      await readFile(output, "utf8"),
      JSON.parse(await readFile(path.join(dir, "astgrep.sarif"), "utf8")),
    ]).toEqual(["exit_code=1\n", { runs: [] }]);
    // npx could not fetch ast-grep (also exit 1, but no SARIF): a failure, which the collect step turns into exit 2.
    await rm(output);
    const unreachable = astgrep.run!.replace(/^npx .*$/m, "(echo 'npm error network' >&2; exit 1) > astgrep.sarif");
    const failed = await run("bash", ["-e", "-c", unreachable], {
      cwd: dir,
      env: { ...process.env, GITHUB_OUTPUT: output },
    });
    expect([await readFile(output, "utf8"), failed.stdout]).toEqual([
      "exit_code=2\n",
      expect.stringMatching(/^::error::ast-grep could not run the SpecGate rules \(exit code 2\)/),
    ]);

    const result = (ruleId: string, uri: string, line: number) => ({
      ruleId,
      level: "error",
      message: { text: "x" },
      locations: [{ physicalLocation: { artifactLocation: { uri }, region: { startLine: line } } }],
    });
    await writeFile(
      path.join(dir, "semgrep.sarif"),
      JSON.stringify({
        version: "2.1.0",
        runs: [
          {
            tool: { driver: { name: "Semgrep OSS" } },
            results: [result(".specgate.semgrep.specgate.rule-dev-001", "src/A.java", 4)],
          },
        ],
      }),
    );
    await writeFile(
      path.join(dir, "astgrep.sarif"),
      JSON.stringify({
        version: "2.1.0",
        runs: [
          {
            tool: { driver: { name: "ast-grep" } },
            results: [
              result("specgate.rule-dev-001", "src/A.java", 4),
              result("specgate.rule-dev-001", "src/A.java", 9),
              result("specgate.rule-arch-001.java-2", "src/B.java", 3),
            ],
          },
        ],
      }),
    );
    const collect = steps().find((s) => s.name === "Collect findings")!;
    const { stdout } = await run("bash", ["-e", "-c", collect.run!], {
      cwd: dir,
      env: { ...process.env, ASTGREP_EXIT: "1" },
    });
    expect(stdout).toContain("SpecGate findings: 3 results from 2 tools");
    const log = JSON.parse(await readFile(path.join(dir, "specgate-findings.sarif"), "utf8"));
    expect(log.runs[1].results.map((r: any) => [r.ruleId, r.locations[0].physicalLocation.region.startLine])).toEqual([
      ["specgate.rule-dev-001", 9],
      ["specgate.rule-arch-001.java-2", 3],
    ]);
  });

  it("fails the collect step (exit 2) when the ast-grep scan could not run, so its rules never pass unchecked", async () => {
    const collect = steps().find((s) => s.name === "Collect findings")!;
    await expect(
      run("bash", ["-e", "-c", collect.run!], { cwd: dir, env: { ...process.env, ASTGREP_EXIT: "8" } }),
    ).rejects.toMatchObject({
      code: 2,
      stdout: expect.stringMatching(/::error::The ast-grep scan failed/),
    });
  });

  it("installs SpecGate from a package spec, git URL or tarball when told, and refuses shell syntax", async () => {
    const gate = steps({ workflow: { specgatePackage: "github:acme/specgate#v0.1.0" } }).find(
      (s) => s.name === "SpecGate gate",
    )!;
    expect(gate.run).toContain("npx --yes --package=github:acme/specgate#v0.1.0 specgate gate");
    expect(workflowOptionProblems({ specgatePackage: "specgate; rm -rf /" })).toEqual([
      expect.stringMatching(/^specgate_package /),
    ]);
    expect(workflowOptionProblems({ specgatePackage: "https://npm.acme.internal/specgate-0.1.0.tgz" })).toEqual([]);
  });

  it("records the gate's exit code without failing the step, and the last step exits with it", async () => {
    const gate = steps({ workflow: { specgateVersion: "9.9.9" } }).find((s) => s.name === "SpecGate gate")!;
    expect(gate.run).toContain("npx --yes --package=@specgate/cli@9.9.9 specgate gate");
    // The gate ran and failed: its JSON carries the decision, and its exit code is recorded.
    const script = gate.run!.replace(/^npx .*$/m, `(echo '{"decision": "FAIL"}'; exit 1) > specgate-gate.json`);
    const output = path.join(dir, "out");
    const first = await run("bash", ["-e", "-c", script], { cwd: dir, env: { ...process.env, GITHUB_OUTPUT: output } });
    expect(await readFile(output, "utf8")).toBe("exit_code=1\n");
    expect(first.stdout).toBe("");
    // npx could not fetch or start specgate (also exit 1): no verdict, so an error (2) that says why.
    await rm(output);
    const broken = gate.run!.replace(/^npx .*$/m, "(echo 'npm error 404 Not Found' >&2; exit 1) > specgate-gate.json");
    const second = await run("bash", ["-e", "-c", broken], {
      cwd: dir,
      env: { ...process.env, GITHUB_OUTPUT: output },
    });
    expect(await readFile(output, "utf8")).toBe("exit_code=2\n");
    expect(second.stdout).toMatch(
      /^::error::SpecGate produced no gate result \(exit code 1\): check that 'npx --yes --package=@specgate\/cli@9\.9\.9 specgate' can run/,
    );
    const last = steps().at(-1)!;
    await expect(
      run("bash", ["-e", "-c", last.run!], { env: { ...process.env, GATE_EXIT: "1" } }),
    ).rejects.toMatchObject({ code: 1 });
    await expect(
      run("bash", ["-e", "-c", last.run!], { env: { ...process.env, GATE_EXIT: "0" } }),
    ).resolves.toBeDefined();
  });

  it("filters pull requests by branch when asked and rejects options that would inject into the file", () => {
    const wf = generateFiles(fixtureRules("java-layered"), {
      targets: ["workflow"],
      workflow: { branches: ["main", "release/**"], nodeVersion: "22" },
    }).files[0]!;
    const doc = parse(wf.content) as any;
    expect(doc.on.pull_request.branches).toEqual(["main", "release/**"]);
    expect(workflowSchema()(doc)).toBe(true);
    for (const workflow of [
      { branches: ["main\nrun: evil"] },
      { specgateVersion: "1.0; curl x | sh" },
      { nodeVersion: "${{ github.token }}" },
      { thresholds: { fail: 150 } },
    ]) {
      expect(
        () => generateFiles(fixtureRules("java-layered"), { targets: ["workflow"], workflow }),
        JSON.stringify(workflow),
      ).toThrow(expect.objectContaining({ code: "E_INVALID_INPUT" }));
    }
  });
});
