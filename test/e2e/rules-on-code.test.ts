/**
 * Design rules run on code, end to end, over a small multi-language repository written for it
 * (test/fixtures/check/shop-repo: Java layers where a controller imports a repository, logs a
 * request body and prints to standard output, a service with a hard-coded password, a TypeScript
 * client that uses console.log) and its design document (shop-orders-design.en.md):
 *
 * document → rule_extract → spec_generate (astgrep, semgrep, archunit) → the real ast-grep binary
 * scans the repository with the generated files, from its root, as the workflow runs it → the
 * workflow's findings collector → gate_score: exact findings, Drift Score and decision. Then
 * rule_check finds the same with `paths`, with `files` and, limited to the changed lines, with a
 * `diff`.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parse as parseJava } from "java-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COLLECT_FINDINGS_JS } from "../../src/core/generate/index.js";
import { fixturePath } from "../helpers/fixtures.js";
import { connectInMemory, type Harness } from "../helpers/runtime.js";
import { ROOT } from "../helpers/spawn.js";
import { semgrepSchema, strictYaml } from "../unit/generate/helpers.js";

const run = promisify(execFile);
const REPO = fixturePath("check", "shop-repo");
const DOCUMENT = fixturePath("check", "shop-orders-design.en.md");
const CONTROLLER = "src/main/java/com/acme/shop/controller/OrderController.java";
const SERVICE = "src/main/java/com/acme/shop/service/OrderService.java";
const CLIENT = "web/src/api/orders.ts";

type Rule = {
  rule_id: string;
  priority: string;
  area: string;
  reliability: { total_score: number };
  validation_conditions?: Record<string, unknown>;
};
type File = { path: string; content: string; target: string; rule_ids: string[] };
type Finding = {
  rule_id: string;
  priority: string;
  file: string;
  line: number;
  column: number;
  end_line: number;
  message: string;
  snippet: string;
};
type Check = {
  findings: Finding[];
  unchecked: { rule_id: string; reason: string }[];
  stats: { files: number; checked_rules: number; rules: number; outside_diff: number };
};
type Gate = {
  drift_score: number;
  decision: string;
  violations: { rule_id: string; file: string; line: number; points: number; level: string }[];
  unmapped: unknown[];
};

/** What the repository breaks, by reading it: [rule, file, line]. */
const EXPECTED: [string, string, number][] = [
  ["RULE-ARCH-001", CONTROLLER, 3], // import com.acme.shop.repository.OrderRepository;
  ["RULE-SEC-001", CONTROLLER, 20], // log.info("order payload {}", request.getBody());
  ["RULE-DEV-001", CONTROLLER, 21], // System.out.println("creating order");
  ["RULE-SEC-002", SERVICE, 7], // private String password = "hunter2-admin";
  ["RULE-DEV-001", SERVICE, 15], // System.out.println("saved " + id);
  ["RULE-DEV-002", CLIENT, 5], // console.log("order created", id);
];
/**
 * Every rule has reliability 100 (rule weight 1.0): Σ points[priority] × area weight =
 * ARCH 15×0.8 + SEC 15×0.9 ×2 + DEV 15×0.5 ×2 + DEV 5×0.5 (SHOULD NOT) = 12 + 27 + 15 + 2.5.
 */
const EXPECTED_SCORE = 56.5;

const sorted = (list: [string, string, number][]) =>
  [...list].sort(
    (a, b) =>
      (a[1] + a[2].toString().padStart(5)).localeCompare(b[1] + b[2].toString().padStart(5)) ||
      a[0].localeCompare(b[0]),
  );
const triples = (findings: { rule_id: string; file: string; line: number }[]) =>
  sorted(findings.map((f) => [f.rule_id, f.file, f.line]));

describe("design rules run on code: document → rules → ast-grep → gate, and rule_check", () => {
  let h: Harness;
  let repo: string;
  let rules: Rule[];
  beforeAll(async () => {
    repo = await mkdtemp(path.join(tmpdir(), "specgate-shop-"));
    await cp(REPO, repo, { recursive: true });
    h = await connectInMemory({ env: { SPECGATE_WORKSPACE: repo } });
  });
  afterAll(async () => {
    await h.close();
    await rm(repo, { recursive: true, force: true });
  });

  const call = async <T>(name: string, args: Record<string, unknown>): Promise<T> => {
    const result = await h.client.callTool({ name, arguments: args });
    expect(result.isError, `${name}: ${JSON.stringify(result.content).slice(0, 400)}`).toBeFalsy();
    return result.structuredContent as T;
  };

  it("extracts the rules with their patterns by kind and the dependencies their sentences state", async () => {
    const extracted = await call<{ rules: Rule[]; warnings: unknown[] }>("rule_extract", {
      content: await readFile(DOCUMENT, "utf8"),
      source: { id: "docs/shop-orders-design.en.md" },
    });
    rules = extracted.rules;
    expect(extracted.warnings).toEqual([]);
    expect(
      rules.map((r) => [r.rule_id, r.priority, r.area, r.reliability.total_score, r.validation_conditions ?? null]),
    ).toEqual([
      ["RULE-API-001", "MUST", "API", 100, null],
      [
        "RULE-ARCH-001",
        "MUST NOT",
        "ARCH",
        100,
        { dependency_rules: [{ from: "controller", to: "repository", direction: "forbidden" }] },
      ],
      [
        "RULE-ARCH-002",
        "MUST NOT",
        "ARCH",
        100,
        { dependency_rules: [{ from: "service", to: "controller", direction: "forbidden" }] },
      ],
      ["RULE-SEC-001", "MUST NOT", "SEC", 100, { structural_patterns: ["$LOG.info($$$ARGS, $REQ.getBody())"] }],
      ["RULE-SEC-002", "MUST NOT", "SEC", 100, { code_patterns: ['password\\s*=\\s*"[^"]+"'] }],
      ["RULE-DEV-001", "MUST NOT", "DEV", 100, { structural_patterns: ["System.out.println($$$ARGS)"] }],
      ["RULE-DEV-002", "SHOULD NOT", "DEV", 100, { structural_patterns: ["console.log($$$ARGS)"] }],
    ]);
  });

  it("generates ast-grep rules that the real binary runs from the repository root; their SARIF scores in the gate", async () => {
    const generated = await call<{ files: File[]; skipped: { rule_id?: string; target: string; reason: string }[] }>(
      "spec_generate",
      {
        rules,
        targets: ["semgrep", "astgrep", "archunit", "workflow"],
        archunit: { base_package: "com.acme.shop" },
      },
    );
    const paths = generated.files.map((f) => f.path);
    expect(paths.filter((p) => p.startsWith(".specgate/ast-grep/"))).toEqual([
      ".specgate/ast-grep/sgconfig.yml",
      ".specgate/ast-grep/rules/rule-arch-001.yml",
      ".specgate/ast-grep/rules/rule-arch-002.yml",
      ".specgate/ast-grep/rules/rule-dev-001.yml",
      ".specgate/ast-grep/rules/rule-dev-002.yml",
      ".specgate/ast-grep/rules/rule-sec-001.yml",
      ".specgate/ast-grep/rules/rule-sec-002.yml",
    ]);
    expect(generated.skipped).toContainEqual(
      expect.objectContaining({
        rule_id: "RULE-API-001",
        target: "astgrep",
        reason: expect.stringMatching(/no violation pattern/),
      }),
    );

    // Semgrep: structural patterns as `pattern` (in Semgrep's ellipsis syntax), the regex as `pattern-regex`.
    const semgrep = generated.files.find((f) => f.target === "semgrep")!;
    const semgrepDoc = strictYaml(semgrep.content) as { rules: Record<string, unknown>[] };
    expect(semgrepSchema()(semgrepDoc), JSON.stringify(semgrepSchema().errors?.slice(0, 3))).toBe(true);
    expect(semgrepDoc.rules.map((r) => [r.id, r.pattern ?? null, r["pattern-regex"] ?? null, r.languages])).toEqual([
      ["specgate.rule-dev-001", "System.out.println($...ARGS)", null, ["java"]],
      ["specgate.rule-dev-002", "console.log($...ARGS)", null, ["typescript"]],
      ["specgate.rule-sec-001", "$LOG.info($...ARGS, $REQ.getBody())", null, ["java"]],
      ["specgate.rule-sec-002", null, 'password\\s*=\\s*"[^"]+"', ["java"]],
    ]);

    // ArchUnit: the two dependency rules, in a class that parses as Java.
    const arch = generated.files.find((f) => f.target === "archunit")!;
    expect(arch.rule_ids).toEqual(["RULE-ARCH-001", "RULE-ARCH-002"]);
    expect(arch.content).toContain(
      'noClasses().that().resideInAnyPackage("..controller..", "..controllers..").should().dependOnClassesThat().resideInAnyPackage("..repository..", "..repositories..")',
    );
    expect(arch.content).toContain(
      'noClasses().that().resideInAnyPackage("..service..", "..services..").should().dependOnClassesThat().resideInAnyPackage("..controller..", "..controllers..")',
    );
    expect(() => parseJava(arch.content)).not.toThrow();

    // The workflow runs exactly this scan (no Docker, no pip).
    const workflow = generated.files.find((f) => f.path === ".github/workflows/design-guard.yml")!;
    expect(workflow.content).toContain(
      "npx --yes --package=@ast-grep/cli@0.51.1 ast-grep scan -c .specgate/ast-grep/sgconfig.yml --format sarif > astgrep.sarif",
    );

    for (const f of generated.files) {
      await mkdir(path.dirname(path.join(repo, f.path)), { recursive: true });
      await writeFile(path.join(repo, f.path), f.content);
    }
    // `ast-grep` as npx runs it: the package's executable (the native binary, or its shim when
    // npm did not run the install script), from the repository root.
    const scan: { code?: number; stdout: string; stderr: string } = await run(
      path.join(ROOT, "node_modules", ".bin", "ast-grep"),
      ["scan", "-c", ".specgate/ast-grep/sgconfig.yml", "--format", "sarif"],
      {
        cwd: repo,
        maxBuffer: 64 * 1024 * 1024,
      },
    ).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(scan.code ?? 0, scan.stderr).toBe(1); // 1: error-level findings were found
    await writeFile(path.join(repo, "astgrep.sarif"), scan.stdout);
    const sarif = JSON.parse(scan.stdout) as {
      runs: {
        tool: { driver: { name: string } };
        results: {
          ruleId: string;
          locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
        }[];
      }[];
    };
    expect(sarif.runs[0]!.tool.driver.name).toBe("ast-grep");
    expect(
      sorted(
        sarif.runs[0]!.results.map((r) => [
          r.ruleId.replace(/^specgate\.(rule-[a-z]+-\d+).*$/, "$1").toUpperCase(),
          r.locations[0]!.physicalLocation.artifactLocation.uri,
          r.locations[0]!.physicalLocation.region.startLine,
        ]),
      ),
    ).toEqual(sorted(EXPECTED));

    // The workflow's collector merges it into the log the gate reads.
    const collected = await run(process.execPath, ["--input-type=commonjs", "-e", COLLECT_FINDINGS_JS], {
      cwd: repo,
      env: { ...process.env, ASTGREP_EXIT: "1" },
    });
    expect(collected.stdout).toContain("SpecGate findings: 6 results from 1 tools");
    const findings = JSON.parse(await readFile(path.join(repo, "specgate-findings.sarif"), "utf8"));

    const gate = await call<Gate>("gate_score", { rules, sarif: findings });
    expect(gate.unmapped).toEqual([]);
    expect(triples(gate.violations)).toEqual(sorted(EXPECTED));
    expect(gate.drift_score).toBe(EXPECTED_SCORE);
    expect(gate.decision).toBe("FAIL");
    expect(Object.fromEntries(gate.violations.map((v) => [`${v.rule_id}@${v.line}`, v.points]))).toEqual({
      "RULE-ARCH-001@3": 12,
      "RULE-SEC-001@20": 13.5,
      "RULE-DEV-001@21": 7.5,
      "RULE-SEC-002@7": 13.5,
      "RULE-DEV-001@15": 7.5,
      "RULE-DEV-002@5": 2.5,
    });
    expect(gate.violations.find((v) => v.rule_id === "RULE-DEV-002")!.level).toBe("warning");

    // ast-grep's SARIF straight into the gate maps the same way (its rule ids carry the RULE id).
    const direct = await call<Gate>("gate_score", { rules, sarif: JSON.parse(scan.stdout) });
    expect([direct.drift_score, direct.decision, direct.unmapped.length]).toEqual([EXPECTED_SCORE, "FAIL", 0]);
  });

  it("rule_check with `paths` under the workspace finds the same", async () => {
    const out = await call<Check>("rule_check", { rules, paths: ["src/**", "web/**"] });
    expect(triples(out.findings)).toEqual(sorted(EXPECTED));
    expect(out.unchecked).toEqual([
      { rule_id: "RULE-API-001", reason: expect.stringMatching(/no violation pattern and no forbidden dependency/) },
    ]);
    expect(out.stats).toMatchObject({ rules: 7, checked_rules: 6, files: 4 });
    const body = out.findings.find((f) => f.rule_id === "RULE-SEC-001")!;
    expect(body).toEqual({
      rule_id: "RULE-SEC-001",
      priority: "MUST NOT",
      file: CONTROLLER,
      line: 20,
      column: 9,
      end_line: 20,
      message: "RULE-SEC-001 (MUST NOT): Request bodies must never be written to logs.",
      snippet: 'log.info("order payload {}", request.getBody());',
    });
  });

  it("rule_check with `files` (editor buffers) and with the document as `content` finds the same", async () => {
    const files = await Promise.all(
      [CONTROLLER, SERVICE, CLIENT, "src/main/java/com/acme/shop/repository/OrderRepository.java"].map(async (p) => ({
        path: p,
        content: await readFile(path.join(REPO, p), "utf8"),
      })),
    );
    const out = await call<Check>("rule_check", { rules, files });
    expect(triples(out.findings)).toEqual(sorted(EXPECTED));
    const fromDocument = await call<Check>("rule_check", { content: await readFile(DOCUMENT, "utf8"), files });
    expect(triples(fromDocument.findings)).toEqual(sorted(EXPECTED));
  });

  it("rule_check with a `diff` reports only findings on the lines it adds or changes", async () => {
    const diff = [
      `diff --git a/${CONTROLLER} b/${CONTROLLER}`,
      `--- a/${CONTROLLER}`,
      `+++ b/${CONTROLLER}`,
      "@@ -18,4 +18,6 @@ public class OrderController {",
      "     public String create(Request request) {",
      '         log.info("create order from {}", request.getRemoteAddr());',
      '+        log.info("order payload {}", request.getBody());',
      '+        System.out.println("creating order");',
      "         return orders.create(request.getBody());",
      "     }",
      `diff --git a/${CLIENT} b/${CLIENT}`,
      `--- a/${CLIENT}`,
      `+++ b/${CLIENT}`,
      '@@ -3,5 +3,5 @@ import { createOrder } from "../services/orders";',
      " export async function submitOrder(form: Record<string, string>): Promise<string> {",
      "   const id = await createOrder(form);",
      '-  console.info("order created", id);',
      '+  console.log("order created", id);',
      "   return id;",
      " }",
      "",
    ].join("\n");
    const changed: [string, string, number][] = [
      ["RULE-SEC-001", CONTROLLER, 20],
      ["RULE-DEV-001", CONTROLLER, 21],
      ["RULE-DEV-002", CLIENT, 5],
    ];
    // The diff alone: its files are read from the workspace.
    const alone = await call<Check>("rule_check", { rules, diff });
    expect(triples(alone.findings)).toEqual(sorted(changed));
    expect(alone.stats).toMatchObject({ files: 2, outside_diff: 1 }); // the controller's import of the repository was there before
    // With the paths, and with the buffers: the same lines.
    expect(triples((await call<Check>("rule_check", { rules, diff, paths: ["src/**", "web/**"] })).findings)).toEqual(
      sorted(changed),
    );
    const files = await Promise.all(
      [CONTROLLER, CLIENT, SERVICE].map(async (p) => ({
        path: p,
        content: await readFile(path.join(REPO, p), "utf8"),
      })),
    );
    expect(triples((await call<Check>("rule_check", { rules, diff, files })).findings)).toEqual(sorted(changed));
  });
});
