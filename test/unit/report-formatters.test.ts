/** The report package: one diagnostic shape, formatters over it (SARIF, GitHub annotations, JUnit). */
import { readFile } from "node:fs/promises";
import Ajv04Module from "ajv-draft-04";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/core/report/diagnostic.js";
import { formatGithub } from "../../src/core/report/formatters/github.js";
import { formatJunit } from "../../src/core/report/formatters/junit.js";
import { toSarif } from "../../src/core/report/formatters/sarif.js";
import { schemaPath } from "../helpers/fixtures.js";

const Ajv04 = Ajv04Module.default;
const addFormats = addFormatsModule.default;

const diagnostics: Diagnostic[] = [
  {
    source: "check",
    code: "RULE-API-002",
    severity: "info",
    message: "may <x>",
    title: "RULE-API-002 (MAY)",
    file: "src/a b.ts",
    line: 9,
  },
  {
    source: "speclint",
    code: "scope_missing",
    severity: "warning",
    message: 'RULE-API-001 has no scope, 100% "sure"',
    help: "Add a '- Scope: ...' sub-item.",
    title: "speclint scope_missing",
    file: "docs/a.md",
    line: 3,
    column: 3,
    fix: { start_line: 4, end_line: 4, text: "  - Scope: [where]\n", description: "Scope: …" },
    properties: { deduction: 2 },
  },
  {
    source: "gate",
    code: "RULE-SEC-001",
    severity: "error",
    message: "logs a body",
    help: "Fix: do not",
    file: "src/a b.ts",
    line: 20,
    fingerprints: { "specgate/v1": "abc" },
  },
  {
    source: "speclint",
    code: "reference_missing",
    severity: "info",
    message: "silenced",
    file: "docs/a.md",
    line: 5,
    suppression: { kind: "disable-next-line", justification: "later" },
  },
];

describe("report formatters", () => {
  it("SARIF: one run that validates against the OASIS 2.1.0 schema, with fixes, suppressions and fingerprints", async () => {
    const schema = JSON.parse(await readFile(schemaPath("sarif-schema-2.1.0.json"), "utf8")) as object;
    const ajv = new Ajv04({ strict: false, allErrors: true });
    addFormats(ajv);
    const log = toSarif(diagnostics, {
      tool: { name: "t", version: "1.2.3" },
      rules: [{ id: "scope_missing", shortDescription: "no scope", helpUri: "relative/x.md" }],
      notifications: [],
    });
    expect(ajv.validate(schema, log), JSON.stringify(ajv.errors?.slice(0, 3))).toBe(true);
    const run = log.runs[0]!;
    expect((run.tool.driver.rules as { id: string; helpUri?: string }[]).map((r) => [r.id, r.helpUri])).toEqual([
      ["scope_missing", undefined],
      ["RULE-API-002", undefined],
      ["RULE-SEC-001", undefined],
      ["reference_missing", undefined],
    ]);
    expect(run.results.map((r) => [r.ruleIndex, r.level, (r.message as { text: string }).text])).toEqual([
      [1, "note", "may <x>"],
      [0, "warning", "RULE-API-001 has no scope, 100% \"sure\"\nAdd a '- Scope: ...' sub-item."],
      [2, "error", "logs a body\nFix: do not"],
      [3, "note", "silenced"],
    ]);
    expect(run.results[2]!.partialFingerprints).toEqual({ "specgate/v1": "abc" });
    expect(run.results[3]!.suppressions).toEqual([{ kind: "inSource", status: "accepted", justification: "later" }]);
    expect(run.invocations).toEqual([{ executionSuccessful: true, toolExecutionNotifications: [] }]);
  });

  it("GitHub: most severe first and capped by default, or as given; one escaping for data and properties", () => {
    expect(formatGithub(diagnostics.slice(0, 3), { max: 2 }).split("\n")).toEqual([
      "::error file=src/a b.ts,line=20::logs a body%0AFix: do not",
      "::warning file=docs/a.md,line=3,col=3,title=speclint scope_missing::RULE-API-001 has no scope, 100%25 \"sure\"%0AAdd a '- Scope: ...' sub-item.",
      "::notice::1 more findings are not shown as annotations.",
      "",
    ]);
    expect(formatGithub(diagnostics.slice(0, 1), { order: "given" })).toBe(
      "::notice file=src/a b.ts,line=9,title=RULE-API-002 (MAY)::may <x>\n",
    );
  });

  it("JUnit: a suite per file, failures for errors and warnings, skipped for suppressed, escaped", () => {
    const xml = formatJunit(diagnostics, { name: "speclint", files: ["docs/a.md", "docs/clean.md"] });
    expect(xml).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="speclint" tests="5" failures="2" errors="0">',
        '  <testsuite name="docs/a.md" tests="2" failures="1" errors="0" skipped="1">',
        '    <testcase name="scope_missing (line 3:3)" classname="docs/a.md">',
        '      <failure type="scope_missing" message="warning: RULE-API-001 has no scope, 100% &quot;sure&quot;">docs/a.md:3:3',
        'RULE-API-001 has no scope, 100% "sure"',
        "Add a '- Scope: ...' sub-item.</failure>",
        "    </testcase>",
        '    <testcase name="reference_missing (line 5)" classname="docs/a.md">',
        '      <skipped message="later"/>',
        "    </testcase>",
        "  </testsuite>",
        '  <testsuite name="docs/clean.md" tests="1" failures="0" errors="0" skipped="0">',
        '    <testcase name="speclint" classname="docs/clean.md"/>',
        "  </testsuite>",
        '  <testsuite name="src/a b.ts" tests="2" failures="1" errors="0" skipped="0">',
        '    <testcase name="RULE-API-002 (line 9)" classname="src/a b.ts">',
        "      <system-out>info: src/a b.ts:9",
        "may &lt;x&gt;</system-out>",
        "    </testcase>",
        '    <testcase name="RULE-SEC-001 (line 20)" classname="src/a b.ts">',
        '      <failure type="RULE-SEC-001" message="error: logs a body">src/a b.ts:20',
        "logs a body",
        "Fix: do not</failure>",
        "    </testcase>",
        "  </testsuite>",
        "</testsuites>",
        "",
      ].join("\n"),
    );
  });
});
