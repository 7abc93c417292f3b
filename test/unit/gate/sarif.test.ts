import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scoreGate } from "../../../src/core/gate/index.js";
import { fixturePath, readFixture } from "../../helpers/fixtures.js";

const FIX = fixturePath("gate");
const load = async (name: string): Promise<unknown> => JSON.parse(await readFile(path.join(FIX, name), "utf8"));
const RULES = await load("rules.json");

type Sarif = {
  version: string;
  runs: { tool: { driver: Record<string, unknown> }; results: Record<string, unknown>[] }[];
};
function sarifWith(results: Record<string, unknown>[], rules: Record<string, unknown>[] = []): Sarif {
  return { version: "2.1.0", runs: [{ tool: { driver: { name: "test-tool", rules } }, results }] };
}
const result = (ruleId: string, extra: Record<string, unknown> = {}) => ({
  ruleId,
  message: { text: `finding of ${ruleId}` },
  locations: [{ physicalLocation: { artifactLocation: { uri: "src/x.ts" }, region: { startLine: 7 } } }],
  ...extra,
});

describe("reading SARIF from several producers", () => {
  it("maps a Semgrep log (config-path prefixed ids, no result level) and takes the level from the rule", async () => {
    const r = await scoreGate({ rules: RULES, sarif: await load("semgrep.sarif") });
    expect(r.drift_score).toBe(10.9); // RULE-API-001 10 + RULE-PERF-002 5 × 0.3 × 0.6
    expect(r.violations.map((v) => [v.rule_id, v.level, v.file, v.line])).toEqual([
      ["RULE-API-001", "error", "src/main/java/com/acme/UserController.java", 25],
      ["RULE-PERF-002", "warning", "src/main/java/com/acme/OrderController.java", 40],
    ]);
    expect(r.violations[0]!.producer_rule_id).toBe(".specgate.semgrep.specgate.rule-api-001");
    expect(r.violations[0]!.tool).toBe("Semgrep OSS");
    expect(r.unmapped).toHaveLength(1);
    expect(r.unmapped[0]).toMatchObject({
      producer_rule_id: "python.lang.security.audit.eval-detected",
      file: "tools/script.py",
      line: 3,
    });
    expect(r.stats).toMatchObject({ findings: 3, violations: 2, unmapped: 1, suppressed: 0 });
  });

  it("maps a CodeQL log through ruleIndex / rule.toolComponent into extensions and their properties", async () => {
    const r = await scoreGate({ rules: RULES, sarif: await load("codeql.sarif") });
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({
      rule_id: "RULE-ARCH-001",
      level: "error",
      file: "src/main/java/com/acme/UserController.java", // from artifacts[0]
      line: 30,
      points: 6.4,
      overrides: ["rule_weight", "area_weight"],
    });
    expect(r.unmapped.map((u) => u.producer_rule_id).sort()).toEqual(["java/sql-injection", "java/unused-import"]);
    expect(r.drift_score).toBe(6.4);
  });

  it("scores several logs together and counts each source", async () => {
    const r = await scoreGate({ rules: RULES, sarif: [await load("semgrep.sarif"), await load("codeql.sarif")] });
    expect(r.drift_score).toBe(17.3);
    expect(r.stats.sources).toEqual([
      { source: "sarif[0]", tool: "Semgrep OSS", results: 3 },
      { source: "sarif[1]", tool: "CodeQL", results: 3 },
    ]);
  });

  it("maps by properties[specgate/rule_id] first, then an id inside ruleId (any case), then the Semgrep id", async () => {
    const rules = [
      { rule_id: "RULE-API-001", priority: "MUST" },
      { rule_id: "RULE-SEC-002", priority: "SHOULD" },
      { rule_id: "RULE-DATA-003", priority: "MUST", ci_info: { semgrep_rule: { rule_id: "no-raw-sql" } } },
    ];
    const r = await scoreGate({
      rules,
      sarif: sarifWith([
        result("whatever/custom-check", { properties: { "specgate/rule_id": "RULE-SEC-002" } }),
        result("eslint/Rule-Api-001-restful"),
        result("specgate.rule-api-001"),
        result("configs.semgrep.no-raw-sql"),
        result("java/RULE-API-999"),
        result("RULE-API-001", { properties: { "specgate/rule_id": "RULE-OPS-001" } }),
      ]),
    });
    expect(r.violations.map((v) => v.rule_id).sort()).toEqual([
      "RULE-API-001",
      "RULE-API-001",
      "RULE-DATA-003",
      "RULE-SEC-002",
    ]);
    expect(r.unmapped.map((u) => u.reason)).toEqual([
      "RULE-API-999 is not among the rules given",
      "specgate/rule_id RULE-OPS-001 is not among the rules given",
    ]);
  });

  it("resolves the level: result.level, else the rule's defaultConfiguration.level, else warning", async () => {
    const rules = [{ rule_id: "RULE-API-001", priority: "MUST" }];
    const log = sarifWith(
      [
        result("RULE-API-001", { level: "note" }),
        result("RULE-API-001", { ruleIndex: 0 }),
        result("other/RULE-API-001"),
      ],
      [{ id: "RULE-API-001", defaultConfiguration: { level: "error" } }],
    );
    const r = await scoreGate({ rules, sarif: log });
    expect(r.violations.map((v) => v.level).sort()).toEqual(["error", "note", "warning"]);
    // The level never changes the points.
    expect(r.drift_score).toBe(30);
  });

  it("does not count suppressed results or baselineState unchanged/absent, and reports them apart", async () => {
    const rules = [{ rule_id: "RULE-API-001", priority: "MUST" }];
    const r = await scoreGate({
      rules,
      sarif: sarifWith([
        result("RULE-API-001", { suppressions: [{ kind: "inSource", justification: "legacy" }] }),
        result("RULE-API-001", { suppressions: [] }),
        result("RULE-API-001", { suppressions: [{ kind: "external", status: "rejected" }] }),
        result("RULE-API-001", { baselineState: "unchanged" }),
        result("RULE-API-001", { baselineState: "absent" }),
        result("RULE-API-001", { baselineState: "new" }),
        result("RULE-API-001", { baselineState: "updated" }),
        result("RULE-API-001", { kind: "pass" }),
        result("eslint/no-undef", { suppressions: [{ kind: "inSource" }] }),
      ]),
    });
    expect(r.stats).toMatchObject({ findings: 9, violations: 4, suppressed: 4, not_failures: 1, unmapped: 0 });
    expect(r.drift_score).toBe(40);
    expect(r.suppressed.map((s) => s.reason)).toEqual([
      "suppressed",
      "baseline_unchanged",
      "baseline_absent",
      "suppressed",
    ]);
    expect(r.suppressed[0]!.rule_id).toBe("RULE-API-001");
    expect(r.suppressed[3]!.rule_id).toBeUndefined();
  });

  it("reads message templates, artifact indexes, file: URIs and a null results array", async () => {
    const rules = [{ rule_id: "RULE-API-001", priority: "MUST" }];
    const log = {
      version: "2.1.0",
      runs: [
        { tool: { driver: { name: "none-ran" } }, results: null },
        {
          tool: {
            driver: {
              name: "t",
              rules: [{ id: "RULE-API-001", messageStrings: { verb: { text: "Endpoint {0} uses the verb {1}." } } }],
            },
          },
          results: [
            {
              ruleId: "RULE-API-001",
              ruleIndex: 0,
              message: { id: "verb", arguments: ["/getUser", "get"] },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: "file:///work/repo/src/My%20File.ts" },
                    region: { startLine: 2 },
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    const r = await scoreGate({ rules, sarif: log });
    expect(r.violations[0]).toMatchObject({
      message: "Endpoint /getUser uses the verb get.",
      file: "/work/repo/src/My File.ts",
      line: 2,
    });
  });

  it("rejects malformed SARIF with E_INVALID_INPUT naming the JSON path", async () => {
    const rules = [{ rule_id: "RULE-API-001", priority: "MUST" }];
    const cases: [unknown, string][] = [
      [{ version: "2.1.0", runs: {} }, "sarif.runs must be an array"],
      [{ version: "2.0.0", runs: [] }, "sarif.version"],
      [
        sarifWith([result("RULE-API-001"), result("RULE-API-001"), result("RULE-API-001", { level: "severe" })]),
        "sarif.runs[0].results[2].level",
      ],
      [sarifWith([result("RULE-API-001", { ruleIndex: 4 })]), "sarif.runs[0].results[0].ruleIndex"],
      [
        sarifWith([result("RULE-API-001", { locations: [{ physicalLocation: { region: { startLine: 0 } } }] })]),
        "sarif.runs[0].results[0].locations[0].physicalLocation.region.startLine",
      ],
      [sarifWith([result("RULE-API-001", { suppressions: "yes" })]), "sarif.runs[0].results[0].suppressions"],
      [sarifWith([5 as never]), "sarif.runs[0].results[0] must be an object"],
      [
        sarifWith([], [{ id: "x", defaultConfiguration: { level: "fatal" } }]),
        "sarif.runs[0].tool.driver.rules[0].defaultConfiguration.level",
      ],
    ];
    for (const [log, needle] of cases) {
      const error = await scoreGate({ rules, sarif: log }).then(
        () => undefined,
        (e: unknown) => e as { code: string; message: string; details?: { path?: string } },
      );
      expect(error, needle).toBeDefined();
      expect(error!.code).toBe("E_INVALID_INPUT");
      expect(error!.message).toContain(needle);
    }
  });

  it("never recurses into user data: deep and cyclic properties cost nothing", async () => {
    const rules = [{ rule_id: "RULE-API-001", priority: "MUST" }];
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    let deep: Record<string, unknown> = {};
    const top = deep;
    for (let i = 0; i < 100_000; i++) deep = (deep.next = {}) as Record<string, unknown>;
    const log = sarifWith([result("RULE-API-001", { properties: { cyclic, top } })]);
    (log.runs[0]!.tool.driver as Record<string, unknown>).properties = cyclic;
    const r = await scoreGate({ rules, sarif: log });
    expect(r.drift_score).toBe(10);
  });

  it("reads the simple findings list and both sources together", async () => {
    const rules = [
      { rule_id: "RULE-API-001", priority: "MUST" },
      { rule_id: "RULE-SEC-001", priority: "SHOULD" },
    ];
    const r = await scoreGate({
      rules,
      findings: [
        { rule_id: "RULE-SEC-001", file: "a.ts", line: 3, message: "m", level: "ERROR" },
        { rule_id: "rule-api-001" },
        { rule_id: "RULE-NOPE-001", file: "b.ts" },
      ],
      sarif: sarifWith([result("RULE-API-001")]),
    });
    expect(r.stats.violations).toBe(3);
    expect(r.drift_score).toBe(24.5);
    expect(r.violations.find((v) => v.rule_id === "RULE-SEC-001")!.level).toBe("error");
    expect(r.unmapped).toHaveLength(1);
    await expect(scoreGate({ rules, findings: [{ rule_id: "RULE-API-001", line: "3" }] })).rejects.toMatchObject({
      message: expect.stringContaining("findings[0].line"),
    });
    await expect(scoreGate({ rules, findings: [{ file: "a" }] })).rejects.toMatchObject({
      message: expect.stringContaining("findings[0].rule_id"),
    });
    await expect(scoreGate({ rules, findings: "x" })).rejects.toMatchObject({ code: "E_INVALID_INPUT" });
  });
});

describe("SpecGate's own lint SARIF as findings", () => {
  it("reads its results as findings about the document: never drift, even when they name a rule", async () => {
    const { lint } = await import("../../../src/core/lint/linter.js");
    const { formatSarif } = await import("../../../src/core/lint/format/sarif.js");
    const doc = [
      "# PayFlow API 설계서",
      "## 2. 설계 규칙",
      "- **RULE-API-001** (MUST): 모든 결제 요청은 멱등 키를 포함해야 한다",
      "## 3. 기술 스펙",
      "없음",
    ].join("\n");
    const lintSarif = JSON.parse(
      formatSarif([{ file: "docs/api.md", result: await lint(doc) }], { cwd: process.cwd() }),
    ) as Sarif;
    // scope_missing, reason_missing, reference_missing name RULE-API-001 in properties["specgate/rule_id"].
    expect(
      lintSarif.runs[0]!.results.filter(
        (x) => (x.properties as Record<string, unknown>)["specgate/rule_id"] === "RULE-API-001",
      ),
    ).toHaveLength(3);
    const r = await scoreGate({
      rules: [{ rule_id: "RULE-API-001", priority: "MUST" }],
      sarif: [lintSarif, sarifWith([result("RULE-API-001")])],
    });
    expect([r.drift_score, r.stats.violations]).toEqual([10, 1]);
    expect(r.violations.map((v) => v.tool)).toEqual(["test-tool"]);
    expect(r.unmapped.length).toBe(lintSarif.runs[0]!.results.length);
    expect(
      r.unmapped.every(
        (u) => u.tool === "speclint" && u.reason.startsWith("a speclint finding about the design document"),
      ),
    ).toBe(true);
  });
});

describe("ids spec_generate writes", () => {
  it("maps every Semgrep id of the generated rule file back to its rule, under Semgrep's config-path prefix", async () => {
    const { generateFiles } = await import("../../../src/core/generate/index.js");
    const { readRules } = await import("../../../src/core/spec/design-rule-spec.js");
    const { parse } = await import("yaml");
    const input: unknown = JSON.parse(await readFixture("rules", "java-layered.json"));
    const { rules } = readRules(input);
    const file = generateFiles(rules, { targets: ["semgrep"] }).files.find((f) => f.target === "semgrep")!;
    const ids = (parse(file.content) as { rules: { id: string }[] }).rules.map((r) => r.id);
    expect(ids.length).toBeGreaterThan(0);
    const r = await scoreGate({
      rules: input,
      sarif: sarifWith(ids.map((id) => result(`.specgate.semgrep.specgate-rules.${id}`))),
    });
    expect(r.stats.unmapped).toBe(0);
    expect(r.violations.map((v) => v.rule_id).sort()).toEqual([...file.rule_ids].sort());
  });
});
