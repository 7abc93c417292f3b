/**
 * The whole chain, as a user runs it: design documents → rule_extract → spec_generate → (Semgrep
 * runs in CI: a hand-made SARIF log in Semgrep's shape) → gate_score, once through one MCP client
 * passing each tool's structuredContent to the next (as an AI assistant does), once through the
 * `specgate` binary (as CI does), and from a Confluence page in storage format.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixturePath, readCorpus, readFixture } from "../helpers/fixtures.js";
import { connectInMemory, type Harness } from "../helpers/runtime.js";
import { CONFIG_PREFIX, semgrepSarif, type SemgrepMatch } from "../helpers/semgrep-sarif.js";
import { PAYMENT_VIOLATIONS } from "../helpers/text-chain.js";
import { runBin } from "../helpers/spawn.js";
import { semgrepSchema, strictYaml, workflowSchema } from "../unit/generate/helpers.js";

type Rule = {
  rule_id: string;
  priority: string;
  area: string;
  reliability: { total_score: number };
  source: { document: string };
};
type File = { path: string; content: string; target: string; rule_ids: string[] };
type Gate = {
  drift_score: number;
  raw_score: number;
  decision: string;
  drift_decision: string;
  quality_gate?: { score: number; grade: string; decision: string; document?: string };
  after_fix: { drift_score: number; decision: string; fixed: number };
  areas: { area: string; score: number; count: number }[];
  violations: {
    rule_id: string;
    priority: string;
    points: number;
    weights: { violation_points: number; rule_weight: number; area_weight: number };
    level: string;
    file: string;
    line: number;
    producer_rule_id: string;
  }[];
  suppressed: { rule_id?: string; reason: string }[];
  unmapped: { producer_rule_id: string }[];
  radar_markdown: string;
};

const SEMGREP_PATH = ".specgate/semgrep/specgate-rules.yml";
const PAYMENTS = fixturePath("e2e", "payflow-payments-design.en.md");

/** What Semgrep finds in the pull request: four violations, one `nosemgrep` match, one registry rule. */
const MATCHES: SemgrepMatch[] = [
  ...PAYMENT_VIOLATIONS,
  {
    id: "specgate.rule-sec-003",
    file: "src/debug/dump.ts",
    line: 8,
    code: "console.warn(password); // nosemgrep",
    suppressed: true,
  },
  {
    id: "javascript.express.security.audit.xss.direct-response-write",
    file: "src/routes/echo.ts",
    line: 5,
    code: "res.write(req.query.q);",
  },
];

/**
 * The Drift Score by the formula (docs/gate.md): Σ violation_points[priority] × rule_weight(reliability)
 * × area_weight(area). Extraction gives RULE-PERF-001 reliability 75 (no rationale, no reference),
 * so its rule weight is 0.7; every other rule scores 100 → 1.0.
 */
const EXPECTED_POINTS = {
  "RULE-SEC-001": 10 * 1.0 * 0.9, // MUST, SEC
  "RULE-SEC-003": 15 * 1.0 * 0.9, // MUST NOT, SEC
  "RULE-ARCH-001": 15 * 1.0 * 0.8, // MUST NOT, ARCH
  "RULE-PERF-001": 5 * 0.7 * 0.6, // SHOULD, reliability 75, PERF
};
const EXPECTED_SCORE = 36.6; // 9 + 13.5 + 12 + 2.1: WARNING (30 ≤ score < 50)

describe("the chain through one MCP client (structuredContent passed from tool to tool)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await connectInMemory();
  });
  afterAll(async () => h.close());

  const call = async <T>(name: string, args: Record<string, unknown>): Promise<T> => {
    const result = await h.client.callTool({ name, arguments: args });
    expect(result.isError, `${name}: ${JSON.stringify(result.content).slice(0, 300)}`).toBeFalsy();
    return result.structuredContent as T;
  };

  it("standards + payments documents → rules → Semgrep rules and a workflow → Semgrep SARIF → Drift Score 36.6, WARNING", async () => {
    const standards = await readCorpus("specgate-docs", "standards", "SpecGate-API-Design.md");
    const payments = await readFile(PAYMENTS, "utf8");

    // 1. rule_extract: both documents in one call.
    const extracted = await call<{ rules: Rule[]; conflicts: unknown[] }>("rule_extract", {
      documents: [
        { id: "docs/SpecGate-API-Design.md", content: standards },
        { id: "docs/payments.md", content: payments },
      ],
    });
    const { rules } = extracted;
    expect(rules.map((r) => r.rule_id)).toEqual([
      ...["001", "002", "003", "004", "005", "006", "007"].map((n) => `RULE-API-${n}`),
      "RULE-SEC-001",
      "RULE-SEC-002",
      "RULE-DATA-001",
      "RULE-PERF-001",
      "RULE-SEC-003",
      "RULE-ARCH-001",
    ]);
    const byId = new Map(rules.map((r) => [r.rule_id, r]));
    // The inputs of the hand computation, as extracted.
    expect(
      ["RULE-SEC-001", "RULE-SEC-003", "RULE-ARCH-001", "RULE-PERF-001"].map((id) => [
        id,
        byId.get(id)!.priority,
        byId.get(id)!.area,
        byId.get(id)!.reliability.total_score,
      ]),
    ).toEqual([
      ["RULE-SEC-001", "MUST", "SEC", 100],
      ["RULE-SEC-003", "MUST NOT", "SEC", 100],
      ["RULE-ARCH-001", "MUST NOT", "ARCH", 100],
      ["RULE-PERF-001", "SHOULD", "PERF", 75],
    ]);

    // 2. spec_generate: Semgrep rules for the rules with violation patterns, and the CI workflow.
    const generated = await call<{ files: File[]; skipped: { rule_id?: string; target: string; reason: string }[] }>(
      "spec_generate",
      {
        rules,
        targets: ["semgrep", "workflow"],
        project: "PayFlow",
      },
    );
    expect(generated.files.map((f) => f.path)).toEqual([
      SEMGREP_PATH,
      ".github/workflows/design-guard.yml",
      ".specgate/rules.json",
    ]);
    const semgrepFile = generated.files[0]!;
    expect(semgrepFile.rule_ids).toEqual([
      "RULE-ARCH-001",
      "RULE-DATA-001",
      "RULE-PERF-001",
      "RULE-SEC-001",
      "RULE-SEC-003",
    ]);
    expect(semgrepFile.content.split("\n")[0]).toBe(
      "# generated by SpecGate from docs/SpecGate-API-Design.md, docs/payments.md, do not edit",
    );
    expect(semgrepSchema()(strictYaml(semgrepFile.content)), JSON.stringify(semgrepSchema().errors?.slice(0, 3))).toBe(
      true,
    );
    expect(workflowSchema()(strictYaml(generated.files[1]!.content))).toBe(true);
    expect(generated.skipped.filter((s) => s.target === "semgrep").map((s) => s.rule_id)).toEqual([
      "RULE-API-001",
      "RULE-API-002",
      "RULE-API-003",
      "RULE-API-004",
      "RULE-API-005",
      "RULE-API-006",
      "RULE-API-007",
      "RULE-SEC-002",
    ]);

    // 3. Semgrep runs in CI with those rules (hand-made log, each match checked against its regex).
    const { log, generated: semgrepRules } = semgrepSarif(semgrepFile.content, MATCHES);
    expect(semgrepRules.map((r) => r.id)).toEqual([
      "specgate.rule-arch-001",
      "specgate.rule-data-001",
      "specgate.rule-perf-001",
      "specgate.rule-sec-001",
      "specgate.rule-sec-003",
    ]);

    // 4. gate_score, with the payments document linted for the quality gate.
    const gate = await call<Gate>("gate_score", {
      rules,
      sarif: log,
      lint: { content: payments, id: "docs/payments.md" },
    });
    const sum = Object.values(EXPECTED_POINTS).reduce((a, b) => a + b, 0);
    expect(Math.round(sum * 10) / 10).toBe(EXPECTED_SCORE);
    expect(gate.drift_score).toBe(EXPECTED_SCORE);
    expect(gate.drift_decision).toBe("WARNING");
    expect(gate.quality_gate).toMatchObject({ grade: "high", decision: "PASS", document: "docs/payments.md" });
    expect(gate.decision).toBe("WARNING");
    expect(Object.fromEntries(gate.violations.map((v) => [v.rule_id, v.points]))).toEqual({
      "RULE-SEC-001": 9,
      "RULE-SEC-003": 13.5,
      "RULE-ARCH-001": 12,
      "RULE-PERF-001": 2.1,
    });
    for (const v of gate.violations)
      expect(v.points).toBeCloseTo(EXPECTED_POINTS[v.rule_id as keyof typeof EXPECTED_POINTS], 9);
    const sec3 = gate.violations.find((v) => v.rule_id === "RULE-SEC-003")!;
    expect(sec3).toMatchObject({
      producer_rule_id: `${CONFIG_PREFIX}specgate.rule-sec-003`,
      level: "error",
      file: "src/routes/refunds.ts",
      line: 30,
    });
    expect(gate.violations.find((v) => v.rule_id === "RULE-PERF-001")!.level).toBe("warning"); // from the rule's defaultConfiguration
    expect(gate.suppressed).toEqual([expect.objectContaining({ rule_id: "RULE-SEC-003", reason: "suppressed" })]);
    expect(gate.unmapped.map((u) => u.producer_rule_id)).toEqual([
      "javascript.express.security.audit.xss.direct-response-write",
    ]);
    expect(gate.areas.filter((a) => a.count > 0).map((a) => [a.area, a.score, a.count])).toEqual([
      ["SEC", 22.5, 2],
      ["ARCH", 12, 1],
      ["PERF", 2.1, 1],
    ]);
    expect(gate.after_fix).toEqual({ drift_score: 2.1, decision: "PASS", fixed: 3, priorities: ["MUST", "MUST NOT"] });
    // Most rules are written in Korean, so the Drift Radar is too.
    expect(gate.radar_markdown).toContain("**Drift Score: 36.6/100** · **⚠️ 경고**");

    // The next push adds a second card number in the logs: 36.6 + 13.5 = 50.1 → FAIL.
    const worse = semgrepSarif(semgrepFile.content, [
      ...MATCHES,
      { id: "specgate.rule-sec-003", file: "src/routes/payments.ts", line: 77, code: "console.info({ cardNumber });" },
    ]);
    const failing = await call<Gate>("gate_score", { rules, sarif: worse.log });
    expect([failing.drift_score, failing.decision]).toEqual([50.1, "FAIL"]);
  });

  it("a Confluence page in storage format → html_to_md → speclint_lint and rule_extract find the rules inside its macros", async () => {
    const xhtml = await readFixture("e2e", "payflow-refunds.storage.xhtml");
    const converted = await call<{ markdown: string }>("html_to_md", { html: xhtml });
    for (const id of ["RULE-API-101", "RULE-API-102", "RULE-API-103", "RULE-API-104"])
      expect(converted.markdown).toContain(`**${id}**`);

    // The converted Markdown, and — as the converter for Confluence storage writes panels — the same
    // page with its info panel as a GitHub alert (`> [!NOTE]`): both are read alike.
    const alerts = await readFixture("e2e", "payflow-refunds.alerts.md");
    expect(alerts).toMatch(/^> \[!NOTE\]\n> \*\*필수 규칙\*\*\n>\n> - \*\*RULE-API-101\*\*/m);
    for (const markdown of [converted.markdown, alerts]) {
      const lint = await call<{
        score: number;
        grade: string;
        violations: { code: string; rule_id?: string }[];
        stats: { rules: number };
      }>("speclint_lint", { content: markdown });
      expect(lint.stats.rules).toBe(4);
      expect(lint.violations.filter((v) => v.rule_id).map((v) => [v.code, v.rule_id])).toEqual([
        ["rule_type_mismatch", "RULE-API-104"],
      ]); // MUST under 금지 규칙
      expect(lint.violations.map((v) => v.code)).not.toContain("design_rules_missing");

      const extracted = await call<{ rules: (Rule & { scope: { file_patterns: string[] } })[] }>("rule_extract", {
        content: markdown,
        source: { id: "confluence:PAY/4242" },
      });
      expect(extracted.rules.map((r) => [r.rule_id, r.priority, r.scope.file_patterns])).toEqual([
        ["RULE-API-101", "MUST", ["src/refunds/**/*.ts"]],
        ["RULE-API-102", "MUST", ["src/refunds/service/**/*.ts"]],
        ["RULE-API-103", "MUST NOT", ["src/refunds/**/*.ts"]],
        ["RULE-API-104", "MUST", ["src/refunds/routes/**/*.ts"]],
      ]);
      expect(
        extracted.rules.every((r) => r.reliability.total_score >= 90 && r.source.document === "confluence:PAY/4242"),
      ).toBe(true);
    }
    // speclint_lint and rule_extract take the storage XHTML directly too (converted first).
    const direct = await call<{ rules: Rule[] }>("rule_extract", { content: xhtml });
    expect(direct.rules.map((r) => r.rule_id)).toEqual([
      "RULE-API-101",
      "RULE-API-102",
      "RULE-API-103",
      "RULE-API-104",
    ]);
  });
});

describe("the chain through the specgate binary (as CI runs it)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "specgate-chain-"));
    await writeFile(path.join(dir, "doc.md"), await readFile(PAYMENTS, "utf8"));
    await writeFile(
      path.join(dir, "draft.md"),
      await readCorpus("specgate-docs", "test-documents", "03-Data-Model-Design-MissingRules.md"),
    );
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));
  const bin = (args: string[]) => runBin(args, { cwd: dir });

  it("extract > rules.json, generate --out, Semgrep SARIF, gate --lint doc.md: exit 0 on WARNING, 1 on FAIL", async () => {
    const extract = await bin(["extract", "doc.md"]);
    expect(extract.code, extract.stderr).toBe(0);
    await writeFile(path.join(dir, "rules.json"), extract.stdout);
    expect(extract.stderr).toContain("6 rules (6 standardized, 0 keyword) from 1 document");

    const generate = await bin(["generate", "rules.json", "--out", "repo", "--targets", "semgrep,workflow"]);
    expect(generate.code, generate.stderr).toBe(0);
    expect(generate.stdout).toContain(`wrote ${SEMGREP_PATH}`);
    const semgrepYaml = await readFile(path.join(dir, "repo", SEMGREP_PATH), "utf8");
    // The shortcut — generate straight from the document — writes the same bytes.
    const shortcut = await bin(["generate", "doc.md", "--out", "repo2", "--targets", "semgrep,workflow", "--quiet"]);
    expect(shortcut.code, shortcut.stderr).toBe(0);
    expect(await readFile(path.join(dir, "repo2", SEMGREP_PATH), "utf8")).toBe(semgrepYaml);

    await writeFile(path.join(dir, "warn.sarif"), JSON.stringify(semgrepSarif(semgrepYaml, MATCHES).log));
    const warn = await bin(["gate", "--rules", "rules.json", "--sarif", "warn.sarif", "--lint", "doc.md"]);
    expect(warn.code, warn.stderr).toBe(0);
    expect(warn.stdout).toMatch(
      /^SpecGate gate: WARNING — Drift Score 36\.6\/100 \(FAIL ≥ 50, WARNING ≥ 30\); 4 violations/,
    );
    expect(warn.stdout).toContain("drift 36.6/100 → WARNING; document quality 97/100 (high) → PASS");
    expect(warn.stderr).toContain("warning: SpecGate gate WARNING — Drift Score 36.6/100");
    // CI scores against the rules file the workflow target wrote: the same result.
    const ci = await bin(["gate", "--rules", "repo/.specgate/rules.json", "--sarif", "warn.sarif", "--format", "json"]);
    expect((JSON.parse(ci.stdout) as Gate).drift_score).toBe(EXPECTED_SCORE);

    const extra: SemgrepMatch = {
      id: "specgate.rule-sec-003",
      file: "src/routes/payments.ts",
      line: 77,
      code: "console.info({ cardNumber });",
    };
    await writeFile(path.join(dir, "fail.sarif"), JSON.stringify(semgrepSarif(semgrepYaml, [...MATCHES, extra]).log));
    const fail = await bin(["gate", "--rules", "rules.json", "--sarif", "fail.sarif", "--lint", "doc.md"]);
    expect(fail.code).toBe(1);
    expect(fail.stdout).toMatch(/^SpecGate gate: FAIL — Drift Score 50\.1\/100/);

    // The drift only warns, but the design document graded low blocks the merge.
    const draft = await bin(["gate", "--rules", "rules.json", "--sarif", "warn.sarif", "--lint", "draft.md"]);
    expect(draft.code).toBe(1);
    expect(draft.stdout).toContain("drift 36.6/100 → WARNING; document quality 55/100 (low) → FAIL");
  });
});
