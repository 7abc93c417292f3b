import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import AjvDraft04 from "ajv-draft-04";
import ajvFormats from "ajv-formats";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCliInProcess as cli } from "../../helpers/cli.js";
import { startFakeGitHub, type FakeGitHub } from "../../helpers/fake-github.js";
import { corpusPath, fixturePath, schemaPath } from "../../helpers/fixtures.js";

const FIX = fixturePath("gate");
const RULES = path.join(FIX, "rules.json");
const SEMGREP = path.join(FIX, "semgrep.sarif");
const CODEQL = path.join(FIX, "codeql.sarif");
let dir: string;
let gh: FakeGitHub | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "specgate-gate-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await gh?.close();
  gh = undefined;
});

async function file(name: string, content: unknown): Promise<string> {
  const p = path.join(dir, name);
  await writeFile(p, typeof content === "string" ? content : JSON.stringify(content));
  return p;
}
const findings = (ruleId: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    rule_id: ruleId,
    file: `src/f${i}.ts`,
    line: i + 1,
    message: `violation ${i}`,
  }));

describe("specgate gate", () => {
  it("passes (exit 0) and prints the verdict, areas and violations as text", async () => {
    const r = await cli(["gate", "--rules", RULES, "--sarif", SEMGREP, "--sarif", CODEQL]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^SpecGate gate: PASS — Drift Score 17\.3\/100 \(FAIL ≥ 50, WARNING ≥ 30\); 3 violations/);
    expect(r.stdout).toContain("src/main/java/com/acme/UserController.java:25: RULE-API-001 (MUST, 10 pts)");
    expect(r.stdout).toContain("fix: Remove the verb from the URL");
  });

  it("fails (exit 1) at 50 and warns (exit 0, message on stderr) at 30; --warn-as-failure exits 1", async () => {
    const fail = await cli([
      "gate",
      "--rules",
      RULES,
      "--findings",
      await file("fail.json", findings("RULE-API-001", 5)),
      "--format",
      "json",
    ]);
    expect(fail.code).toBe(1);
    expect(JSON.parse(fail.stdout)).toMatchObject({ drift_score: 50, decision: "FAIL" });
    expect(fail.stderr).toContain("SpecGate gate: FAIL");
    const warnFile = await file("warn.json", findings("RULE-API-001", 3));
    const warn = await cli(["gate", "--rules", RULES, "--findings", warnFile]);
    expect(warn.code).toBe(0);
    expect(warn.stderr).toMatch(
      /^warning: SpecGate gate WARNING — Drift Score 30\.0\/100 is at or above the warning threshold 30\.$/m,
    );
    const strict = await cli(["gate", "--rules", RULES, "--findings", warnFile, "--warn-as-failure"]);
    expect(strict.code).toBe(1);
    const tuned = await cli(["gate", "--rules", RULES, "--findings", warnFile, "--fail", "25", "--warn", "10"]);
    expect(tuned.code).toBe(1);
  });

  it("exits 2 on bad input, naming the file and the JSON path", async () => {
    const bad = await file("bad.sarif", {
      version: "2.1.0",
      runs: [
        {
          tool: { driver: { name: "x" } },
          results: [{ ruleId: "RULE-API-001", level: "fatal", message: { text: "m" } }],
        },
      ],
    });
    const r = await cli(["gate", "--rules", RULES, "--sarif", bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`E_INVALID_INPUT: Malformed SARIF: ${bad}:$.runs[0].results[0].level`);
    expect((await cli(["gate", "--rules", RULES, "--sarif", path.join(dir, "missing.sarif")])).code).toBe(2);
    const notJson = await cli(["gate", "--rules", RULES, "--sarif", await file("x.sarif", "{ nope")]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/x\.sarif is not valid JSON/);
    expect((await cli(["gate", "--rules", RULES, "--fail", "abc"])).code).toBe(2);
    expect((await cli(["gate", "--rules", RULES, "--format", "xml"])).code).toBe(2);
    expect((await cli(["gate", "--sarif", SEMGREP])).code).toBe(2);
    const badRules = await cli([
      "gate",
      "--rules",
      await file("r.json", [{ rule_id: "RULE-API-001", priority: "NEVER" }]),
    ]);
    expect(badRules.code).toBe(2);
    expect(badRules.stderr).toContain("r.json[0].priority");
  });

  it("writes SpecGate SARIF that validates against the SARIF 2.1.0 schema", async () => {
    const r = await cli(["gate", "--rules", RULES, "--sarif", SEMGREP, "--sarif", CODEQL, "--format", "sarif"]);
    expect(r.code).toBe(0);
    const log = JSON.parse(r.stdout) as {
      runs: { tool: { driver: { rules: Record<string, unknown>[] } }; results: Record<string, unknown>[] }[];
    };
    // CommonJS packages: their `default` export is the class / plugin.
    const ajv = new AjvDraft04.default({ strict: false, allErrors: true });
    ajvFormats.default(ajv);
    const schema = JSON.parse(await readFile(schemaPath("sarif-schema-2.1.0.json"), "utf8")) as object;
    const validate = ajv.compile(schema);
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const run = log.runs[0]!;
    expect(run.results.map((x) => (x.properties as Record<string, unknown>)["specgate/rule_id"])).toEqual([
      "RULE-API-001",
      "RULE-ARCH-001",
      "RULE-PERF-002",
    ]);
    const api = run.tool.driver.rules.find((x) => x.id === "RULE-API-001")!;
    expect(api.helpUri).toBe("https://wiki.example.com/pages/123");
    expect((api.properties as Record<string, unknown>)["specgate/rule_id"]).toBe("RULE-API-001");
    expect(run.results[0]!.ruleIndex).toBe(run.tool.driver.rules.indexOf(api));
    // Reading SpecGate's own SARIF back gives the same score.
    const again = await cli([
      "gate",
      "--rules",
      RULES,
      "--sarif",
      await file("own.sarif", r.stdout),
      "--format",
      "json",
    ]);
    expect(JSON.parse(again.stdout).drift_score).toBe(17.3);
  });

  it("prints GitHub annotations, most severe first, capped with a notice", async () => {
    const many = [
      ...findings("RULE-PERF-002", 40).map((f) => ({ ...f, level: "note" })),
      ...findings("RULE-API-001", 30).map((f) => ({ ...f, level: "error" })),
    ];
    const r = await cli(["gate", "--rules", RULES, "--findings", await file("many.json", many), "--format", "github"]);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(52);
    expect(lines.slice(0, 30).every((l) => l.startsWith("::error file=src/f"))).toBe(true);
    expect(lines[0]).toMatch(/^::error file=src\/f0\.ts,line=1,title=RULE-API-001 \(MUST\)::violation 0%0AFix: /);
    expect(lines[30]).toMatch(/^::notice file=/);
    expect(lines[50]).toBe(
      "::notice::20 more SpecGate violations are not shown as annotations; see the Drift Radar or the SARIF output.",
    );
    expect(lines[51]).toMatch(/^::error title=SpecGate gate::SpecGate gate: FAIL/);
    expect(r.code).toBe(1);
  });

  it("prints the radar as markdown and appends it to $GITHUB_STEP_SUMMARY", async () => {
    const summary = await file("summary.md", "# Earlier step\n");
    const r = await cli(["gate", "--rules", RULES, "--sarif", SEMGREP, "--format", "markdown", "--summary"], {
      env: { GITHUB_STEP_SUMMARY: summary },
    });
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith("<!-- specgate:drift-radar -->\n## 🎯 Drift Radar")).toBe(true);
    const text = await readFile(summary, "utf8");
    expect(text.startsWith("# Earlier step\n<!-- specgate:drift-radar -->")).toBe(true);
    const noEnv = await cli(["gate", "--rules", RULES, "--sarif", SEMGREP, "--summary"]);
    expect(noEnv.stderr).toContain("GITHUB_STEP_SUMMARY is not set");
  });

  it("folds a lint result into the decision", async () => {
    const low = await cli([
      "gate",
      "--rules",
      RULES,
      "--sarif",
      SEMGREP,
      "--lint",
      await file("lint.json", { score: 55, grade: "low", violations: [], stats: {} }),
    ]);
    expect(low.code).toBe(1);
    expect(low.stdout).toContain("document quality 55/100 (low) → FAIL");
    const notLint = await cli(["gate", "--rules", RULES, "--lint", await file("other.json", { rules: [] })]);
    expect(notLint.code).toBe(2);
    expect(notLint.stderr).toContain("other.json is not a speclint result");
  });

  it("lints a design document given to --lint: high passes, medium warns, low fails, each part reported", async () => {
    const docs = corpusPath("specgate-docs", "test-documents");
    const high = await cli([
      "gate",
      "--rules",
      RULES,
      "--sarif",
      SEMGREP,
      "--lint",
      path.join(docs, "01-API-Design-Perfect.md"),
      "--format",
      "json",
    ]);
    expect(high.code).toBe(0);
    expect(JSON.parse(high.stdout)).toMatchObject({
      decision: "PASS",
      drift_decision: "PASS",
      quality_gate: { score: 100, grade: "high", decision: "PASS", violations: 0 },
    });

    const medium = await cli([
      "gate",
      "--rules",
      RULES,
      "--sarif",
      SEMGREP,
      "--lint",
      path.join(docs, "02-Architecture-Design-TitleError.md"),
    ]);
    expect(medium.code).toBe(0);
    expect(medium.stdout).toContain("drift 10.9/100 → PASS; document quality 70/100 (medium) → WARNING");
    expect(medium.stdout).toMatch(/02-Architecture-Design-TitleError\.md:1: title_format_mismatch /);
    // The warning names its cause: here the document, not the Drift Score (10.9, below 30).
    expect(medium.stderr).toMatch(
      /^warning: SpecGate gate WARNING — the design document \S+02-Architecture-Design-TitleError\.md scores 70\/100 \(medium\) and needs human review\.$/m,
    );
    expect(medium.stderr).not.toMatch(/warning threshold/);

    const low = await cli([
      "gate",
      "--rules",
      RULES,
      "--sarif",
      SEMGREP,
      "--lint",
      path.join(docs, "03-Data-Model-Design-MissingRules.md"),
      "--format",
      "json",
    ]);
    expect(low.code).toBe(1);
    const lowOut = JSON.parse(low.stdout) as {
      decision: string;
      drift_decision: string;
      quality_gate: { grade: string; document: string; top: { code: string }[] };
      radar_markdown: string;
    };
    expect(lowOut).toMatchObject({
      decision: "FAIL",
      drift_decision: "PASS",
      quality_gate: { grade: "low", document: path.join(docs, "03-Data-Model-Design-MissingRules.md") },
    });
    expect(lowOut.quality_gate.top.map((t) => t.code).sort()).toEqual(["design_rules_missing", "no_rules_found"]);
    expect(lowOut.radar_markdown).toContain("`design_rules_missing`");

    // A drift FAIL is not rescued by a perfect document.
    const drift = await cli([
      "gate",
      "--rules",
      RULES,
      "--findings",
      await file("fail.json", findings("RULE-API-001", 5)),
      "--lint",
      path.join(docs, "01-API-Design-Perfect.md"),
    ]);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain("drift 50.0/100 → FAIL; document quality 100/100 (high) → PASS");
  });

  it("takes `specgate lint -f json` output, a ruleset and a check type for the document", async () => {
    const doc = corpusPath("specgate-docs", "test-documents", "02-Architecture-Design-TitleError.md");
    const report = await cli(["lint", doc, "-f", "json"]);
    const asJson = await cli([
      "gate",
      "--rules",
      RULES,
      "--lint",
      await file("report.json", report.stdout),
      "--format",
      "json",
    ]);
    expect(JSON.parse(asJson.stdout).quality_gate).toMatchObject({ score: 70, grade: "medium" });
    // Only the headings: the title defect is still there, the rule/spec relation is not checked.
    const structure = await cli([
      "gate",
      "--rules",
      RULES,
      "--lint",
      doc,
      "--lint-check-type",
      "structure",
      "--format",
      "json",
    ]);
    expect(JSON.parse(structure.stdout).quality_gate.score).toBeGreaterThan(70);
    const badRuleset = await cli(["gate", "--rules", RULES, "--lint", doc, "--lint-ruleset", "nope"]);
    expect(badRuleset.code).toBe(2);
    expect(badRuleset.stderr).toMatch(/E_NOT_FOUND|E_INVALID_INPUT/);
  });

  it("counts only new findings against a baseline from an earlier run", async () => {
    const before = await cli([
      "gate",
      "--rules",
      RULES,
      "--findings",
      await file("main.json", findings("RULE-API-001", 4)),
      "--format",
      "json",
    ]);
    const baseline = await file("baseline.json", before.stdout);
    const r = await cli([
      "gate",
      "--rules",
      RULES,
      "--findings",
      await file("pr.json", findings("RULE-API-001", 6)),
      "--baseline",
      baseline,
      "--format",
      "json",
    ]);
    expect(JSON.parse(r.stdout)).toMatchObject({ drift_score: 20, stats: { violations: 2, suppressed: 4 } });
  });

  it("creates, then updates, the sticky Drift Radar comment on the PR from the Actions event", async () => {
    gh = await startFakeGitHub();
    gh.addPullRequest("acme/payflow", 12);
    const event = await file("event.json", {
      pull_request: { number: 12, head: { sha: "feedface00112233445566778899aabbccddeeff" } },
    });
    const env = {
      GITHUB_TOKEN: gh.token,
      GITHUB_API_URL: gh.apiUrl,
      GITHUB_REPOSITORY: "acme/payflow",
      GITHUB_EVENT_PATH: event,
      GITHUB_SHA: "0000000",
    };
    const first = await cli(["gate", "--rules", RULES, "--sarif", SEMGREP, "--github-comment"], { env });
    expect(first.code).toBe(0);
    expect(first.stderr).toContain("Drift Radar comment created on #12");
    const failing = await cli(
      ["gate", "--rules", RULES, "--findings", await file("f.json", findings("RULE-API-001", 6)), "--github-comment"],
      { env },
    );
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain("Drift Radar comment updated on #12");
    const comments = gh.repo("acme/payflow").issues.get(12)!.comments;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("**Drift Score: 60.0/100** · **⛔ FAIL**");
    expect(comments[0]!.body).toContain(
      "https://github.com/acme/payflow/blob/feedface00112233445566778899aabbccddeeff/src/f0.ts#L1",
    );
  });

  it("warns instead of crashing on a fork's read-only token, and explains missing settings", async () => {
    gh = await startFakeGitHub();
    gh.addPullRequest("acme/payflow", 3);
    gh.readOnly = true;
    const env = { GITHUB_TOKEN: gh.token, GITHUB_API_URL: gh.apiUrl, GITHUB_REPOSITORY: "acme/payflow" };
    const fork = await cli(["gate", "--rules", RULES, "--sarif", SEMGREP, "--github-comment", "--pr", "3"], { env });
    expect(fork.code).toBe(0);
    expect(fork.stderr).toMatch(/warning: .*read-only token/);
    const noToken = await cli(["gate", "--rules", RULES, "--sarif", SEMGREP, "--github-comment", "--pr", "3"], {
      env: { GITHUB_REPOSITORY: "acme/payflow" },
    });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain("E_CONFIG: --github-comment needs GITHUB_TOKEN");
    const noPr = await cli(["gate", "--rules", RULES, "--sarif", SEMGREP, "--github-comment"], { env });
    expect(noPr.code).toBe(0);
    expect(noPr.stderr).toContain("not for a pull request");
    const badToken = await cli(["gate", "--rules", RULES, "--sarif", SEMGREP, "--github-comment", "--pr", "3"], {
      env: { ...env, GITHUB_TOKEN: "nope" },
    });
    expect(badToken.code).toBe(2);
    expect(badToken.stderr).toContain("E_AUTH");
  });
});
