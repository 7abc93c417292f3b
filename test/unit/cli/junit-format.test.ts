/** `--format junit` of specgate lint and specgate gate: JUnit XML through the report package. */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runCliInProcess as cli } from "../../helpers/cli.js";
import { fixturePath, schemaPath } from "../../helpers/fixtures.js";

const XMLLINT = process.env.XMLLINT_BIN ?? "/usr/bin/xmllint";

/** Validates a report against the JUnit XML schema CI systems read (xmllint, from libxml2). */
async function assertValidJunit(xml: string): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), "specgate-junit-"));
  try {
    const file = path.join(dir, "report.xml");
    await writeFile(file, xml);
    const { stderr } = await promisify(execFile)(XMLLINT, ["--noout", "--schema", schemaPath("junit.xsd"), file]);
    expect(stderr).toContain("report.xml validates");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const suites = (xml: string) =>
  [...xml.matchAll(/<testsuite name="([^"]*)" tests="(\d+)" failures="(\d+)"/g)].map((m) => [
    m[1],
    Number(m[2]),
    Number(m[3]),
  ]);

describe("--format junit", () => {
  it("specgate lint: a suite per document, a failure per error or warning, the exit code unchanged", async () => {
    const r = await cli(["lint", "defects.ko.md", "payflow-api-design.en.md", "missing.md", "--format", "junit"], {
      cwd: fixturePath("lint"),
    });
    expect(r.code).toBe(2); // missing.md matches nothing
    expect(r.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="speclint" ')).toBe(true);
    const json = JSON.parse(
      (
        await cli(["lint", "defects.ko.md", "payflow-api-design.en.md", "--format", "json"], {
          cwd: fixturePath("lint"),
        })
      ).stdout,
    ) as {
      results: { file: string; violations: { severity: string }[] }[];
    };
    const failing = (file: string) =>
      json.results.find((x) => x.file === file)!.violations.filter((v) => v.severity !== "info").length;
    // In the order of the other formats: what matched nothing first, then the documents.
    await assertValidJunit(r.stdout);
    expect(suites(r.stdout)).toEqual([
      ["missing.md", 1, 1],
      ["defects.ko.md", expect.any(Number), failing("defects.ko.md")],
      ["payflow-api-design.en.md", expect.any(Number), failing("payflow-api-design.en.md")],
    ]);
  });

  it("specgate gate: a failure per listed violation", async () => {
    const r = await cli([
      "gate",
      "--rules",
      path.join(fixturePath("gate"), "rules.json"),
      "--sarif",
      path.join(fixturePath("gate"), "semgrep.sarif"),
      "--format",
      "junit",
    ]);
    expect(r.code).toBe(0);
    await assertValidJunit(r.stdout);
    expect(suites(r.stdout)).toEqual([
      ["src/main/java/com/acme/UserController.java", 1, 1],
      ["src/main/java/com/acme/OrderController.java", 1, 1],
    ]);
  });
});
