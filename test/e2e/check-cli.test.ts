/**
 * `specgate check` as CI and developers run it, from the sample repository's root: exit 0 / 1 / 2,
 * the four formats, JSON paths relative to the current directory, a diff on standard input, and
 * its SARIF piped into `specgate gate` — the same Drift Score as the ast-grep scan gives.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixturePath } from "../helpers/fixtures.js";
import { runCliInProcess } from "../helpers/cli.js";
import { runBin } from "../helpers/spawn.js";

const CONTROLLER = "src/main/java/com/acme/shop/controller/OrderController.java";

describe("specgate check", () => {
  let repo: string;
  beforeAll(async () => {
    repo = await mkdtemp(path.join(tmpdir(), "specgate-check-cli-"));
    await cp(fixturePath("check", "shop-repo"), repo, { recursive: true });
    await cp(fixturePath("check", "shop-orders-design.en.md"), path.join(repo, "design.md"));
    const extract = await runBin(["extract", "design.md"], { cwd: repo });
    expect(extract.code, extract.stderr).toBe(0);
    await writeFile(path.join(repo, "rules.json"), extract.stdout);
  });
  afterAll(async () => rm(repo, { recursive: true, force: true }));
  const cli = (args: string[], stdin?: string) =>
    runCliInProcess(args, { cwd: repo, ...(stdin === undefined ? {} : { stdin }) });

  it("exits 1 with findings, listing them per file (stylish), and 0 on clean code", async () => {
    const dirty = await cli(["check", "--rules", "rules.json"]);
    expect(dirty.code, dirty.stderr).toBe(1);
    expect(dirty.stdout).toContain(
      `${CONTROLLER}\n  3:1  error    RULE-ARCH-001 (MUST NOT): Controllers must not depend on repositories. (controller → repository)  RULE-ARCH-001\n      import com.acme.shop.repository.OrderRepository;`,
    );
    expect(dirty.stdout).toContain("6 findings in 4 files (6 of 7 rules checked)."); // the four sources (design.md and rules.json are in no checked language)
    expect(dirty.stdout).toContain("unchecked RULE-API-001: no violation pattern and no forbidden dependency");
    const clean = await cli(["check", "src/main/java/com/acme/shop/repository", "--rules", "rules.json"]);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toContain("0 findings in 1 file");
  });

  it("writes {findings, unchecked, stats} as JSON with paths relative to the current directory, and reads the rules from the document too", async () => {
    const json = await cli(["check", "src", path.join(repo, "web"), "--rules", "design.md", "--format", "json"]);
    expect(json.code, json.stderr).toBe(1);
    const out = JSON.parse(json.stdout) as {
      findings: { rule_id: string; file: string; line: number }[];
      unchecked: unknown[];
      stats: { files: number };
    };
    expect(Object.keys(out)).toEqual(["findings", "unchecked", "stats"]);
    expect(out.findings.map((f) => `${f.file}:${f.line} ${f.rule_id}`)).toEqual([
      `${CONTROLLER}:3 RULE-ARCH-001`,
      `${CONTROLLER}:20 RULE-SEC-001`,
      `${CONTROLLER}:21 RULE-DEV-001`,
      "src/main/java/com/acme/shop/service/OrderService.java:7 RULE-SEC-002",
      "src/main/java/com/acme/shop/service/OrderService.java:15 RULE-DEV-001",
      "web/src/api/orders.ts:5 RULE-DEV-002",
    ]);
    expect(out.stats.files).toBe(4);
  });

  it("reports only the changed lines of a diff read from standard input, as GitHub annotations", async () => {
    const diff = [
      `--- a/${CONTROLLER}`,
      `+++ b/${CONTROLLER}`,
      "@@ -20,2 +20,2 @@",
      '-        log.info("order payload {}", request.getId());',
      '+        log.info("order payload {}", request.getBody());',
      '         System.out.println("creating order");',
      "",
    ].join("\n");
    const out = await cli(["check", "--rules", "rules.json", "--diff", "-", "--format", "github"], diff);
    expect(out.code, out.stderr).toBe(1);
    expect(out.stdout).toBe(
      `::error file=${CONTROLLER},line=20,col=9,title=RULE-SEC-001 (MUST NOT)::RULE-SEC-001 (MUST NOT): Request bodies must never be written to logs.\n`,
    );
  });

  it("exits 2 on bad input, saying what is wrong", async () => {
    for (const [args, message] of [
      [["check"], /required option '--rules <file>'/],
      [["check", "--rules", "missing.json"], /E_NOT_FOUND/],
      [["check", "--rules", "design.md", "/etc"], /outside the current directory/],
      [["check", "--rules", "design.md", "--format", "xml"], /Allowed choices are stylish, json, sarif, github/],
    ] as const) {
      const r = await cli([...args]);
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    await writeFile(path.join(repo, "bad.json"), '[{"rule_id": "nope"}]');
    const bad = await cli(["check", "--rules", "bad.json"]);
    expect([bad.code, bad.stderr]).toEqual([
      2,
      expect.stringMatching(/E_INVALID_INPUT: Some rules in bad\.json cannot be read/),
    ]);
    const notDiff = await cli(["check", "--rules", "rules.json", "--diff", "-"], "hello");
    expect([notDiff.code, notDiff.stderr]).toEqual([2, expect.stringMatching(/no file header/)]);
  });

  it("feeds its SARIF to `specgate gate` (the built binary): Drift Score 56.5, FAIL", async () => {
    const sarif = await runBin(["check", "--rules", "rules.json", "--format", "sarif"], { cwd: repo });
    expect(sarif.code, sarif.stderr).toBe(1);
    const log = JSON.parse(sarif.stdout) as {
      runs: { results: { ruleId: string; properties: Record<string, string> }[] }[];
    };
    expect(log.runs[0]!.results.every((r) => r.properties["specgate/rule_id"] === r.ruleId)).toBe(true);
    await writeFile(path.join(repo, "check.sarif"), sarif.stdout);
    const gate = await runBin(["gate", "--rules", "rules.json", "--sarif", "check.sarif", "--format", "json"], {
      cwd: repo,
    });
    expect(gate.code, gate.stderr).toBe(1);
    const result = JSON.parse(gate.stdout) as { drift_score: number; decision: string; unmapped: unknown[] };
    expect([result.drift_score, result.decision, result.unmapped]).toEqual([56.5, "FAIL", []]);
    expect(JSON.parse(await readFile(path.join(repo, "rules.json"), "utf8")).rules).toHaveLength(7);
  });
});
