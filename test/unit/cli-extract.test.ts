import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { runCliInProcess as run } from "../helpers/cli.js";
import { corpusPath, externalPath } from "../helpers/fixtures.js";

const API = corpusPath("specgate-docs", "standards", "SpecGate-API-Design.md");
const COPY = corpusPath("specgate-docs", "test-documents", "01-API-Design-Perfect.md");

interface Out {
  rules: { rule_id: string; reliability: { total_score: number }; source: { document: string } }[];
  duplicates: unknown[];
  documents?: { document: string; ok: boolean; rules: number; error?: { code: string } }[];
  stats: { rules: number };
}

describe("specgate extract", () => {
  it("prints the rules of one file as JSON on stdout and a summary on stderr", async () => {
    const m = await run(["extract", API]);
    expect(m.code).toBe(0);
    const out = JSON.parse(m.stdout) as Out;
    expect(out.rules.map((r) => r.rule_id)).toHaveLength(7);
    expect(out.rules[0]!.source.document).toBe(API);
    expect(out.documents).toBeUndefined();
    expect(m.stderr).toBe("7 rules (7 standardized, 0 keyword) from 1 document; 0 duplicates, 0 conflicts.\n");
  });

  it("extracts several files with per-document outcomes and cross-document duplicates", async () => {
    const m = await run(["extract", API, COPY]);
    expect(m.code).toBe(0);
    const out = JSON.parse(m.stdout) as Out;
    expect(out.stats.rules).toBe(14);
    expect(out.duplicates).toHaveLength(7);
    expect(out.documents!.map((d) => [d.document, d.ok, d.rules])).toEqual([
      [API, true, 7],
      [COPY, true, 7],
    ]);
  });

  it("--format yaml and --format table", async () => {
    const y = await run(["extract", "--format", "yaml", API]);
    expect(y.code).toBe(0);
    expect((parse(y.stdout) as Out).rules[6]!.rule_id).toBe("RULE-API-007");
    const t = await run(["extract", "-f", "table", API, COPY]);
    expect(t.code).toBe(0);
    const lines = t.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^RULE\s+PRIORITY\s+AREA\s+REL\s+SOURCE\s+TITLE$/);
    expect(lines[1]).toMatch(
      /^RULE-API-001\s+MUST\s+API\s+95\s+\S+SpecGate-API-Design\.md:10\s+모든 MCP 도구는 FastMCP 2\.12 표준을 따라야 한다$/,
    );
    expect(lines.filter((l) => l.startsWith("duplicate: "))).toHaveLength(7);
  });

  it("--min-reliability leaves out weaker rules and says how many", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "specgate-extract-"));
    const file = path.join(dir, "doc.md");
    writeFileSync(
      file,
      "# Notes\n\n- **RULE-API-001** (MUST): All responses MUST be JSON\n  - Scope: src/api/**\n  - Rationale: one format\n  - Reference: team guide\n\nClients MUST retry.\n",
    );
    const m = await run(["extract", "--min-reliability", "90", file]);
    expect(m.code).toBe(0);
    expect((JSON.parse(m.stdout) as Out).rules.map((r) => r.rule_id)).toEqual(["RULE-API-001"]);
    expect(m.stderr).toContain("1 below --min-reliability");
    const bad = await run(["extract", "--min-reliability", "120", file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/expected a number from 0 to 100/);
  });

  it("reads standard input with -, and HTML when asked", async () => {
    const m = await run(["extract", "--from", "html", "-"], { stdin: "<h1>T</h1><p>Clients MUST retry.</p>" });
    expect(m.code).toBe(0);
    const out = JSON.parse(m.stdout) as Out;
    expect(out.rules.map((r) => r.source.document)).toEqual(["stdin"]);
  });

  it("exits 2 for a missing file; with several files the others are still printed", async () => {
    const one = await run(["extract", "/nonexistent/doc.md"]);
    expect(one.code).toBe(2);
    expect(one.stdout).toBe("");
    expect(one.stderr).toMatch(/E_NOT_FOUND/);
    const many = await run(["extract", API, "/nonexistent/doc.md"]);
    expect(many.code).toBe(2);
    const out = JSON.parse(many.stdout) as Out;
    expect(out.documents!.map((d) => [d.ok, d.error?.code])).toEqual([
      [true, undefined],
      [false, "E_NOT_FOUND"],
    ]);
    expect(many.stderr).toMatch(/specgate: \/nonexistent\/doc\.md: E_NOT_FOUND/);
  });

  it("expands directories and quoted globs as specgate lint does, and reports a pattern that matches nothing", async () => {
    const standards = corpusPath("specgate-docs", "standards");
    const dir = await run(["extract", standards]);
    expect(dir.code).toBe(0);
    const byDir = JSON.parse(dir.stdout) as Out;
    expect(byDir.stats.rules).toBe(35);
    expect(byDir.documents!.map((d) => path.basename(d.document))).toEqual([
      "SpecGate-API-Design.md",
      "SpecGate-Architecture-Design.md",
      "SpecGate-Data-Model-Design.md",
      "SpecGate-Performance-Design.md",
      "SpecGate-Security-Design.md",
    ]);
    const glob = await run(["extract", path.join(standards, "*-A*.md"), path.join(standards, "*.nothing")]);
    expect(glob.code).toBe(2);
    const out = JSON.parse(glob.stdout) as Out;
    expect(out.documents!.map((d) => [path.basename(d.document), d.ok, d.error?.code])).toEqual([
      ["SpecGate-API-Design.md", true, undefined],
      ["SpecGate-Architecture-Design.md", true, undefined],
      ["*.nothing", false, "E_NOT_FOUND"],
    ]);
  });

  it("--any-case reads a KEP's lower-case must/should, with lower reliability; without it the KEP has no rules", async () => {
    const kep = externalPath("real-docs", "kep-1981-windows-privileged-container-support.md");
    const plain = JSON.parse((await run(["extract", kep])).stdout) as Out;
    expect(plain.rules).toEqual([]);
    const m = await run(["extract", "--any-case", kep]);
    expect(m.code).toBe(0);
    const out = JSON.parse(m.stdout) as {
      rules: { description: string; reliability: { total_score: number; keyword_case?: string } }[];
    };
    expect(out.rules.map((r) => r.description)).toContain("On Windows, all containers in a pod must be privileged.");
    expect(out.rules.every((r) => r.reliability.keyword_case === "lower" && r.reliability.total_score <= 19)).toBe(
      true,
    );
  });

  it("rejects an unknown --format", async () => {
    const m = await run(["extract", "--format", "xml", API]);
    expect(m.code).toBe(2);
  });
});
