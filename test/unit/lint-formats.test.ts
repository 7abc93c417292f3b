/** Report formats: SARIF validated against the OASIS 2.1.0 schema, GitHub annotations, Markdown, JSON, stylish. */
import { readFile } from "node:fs/promises";
import Ajv04Module from "ajv-draft-04";
import addFormatsModule from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { LINT_CODES } from "../../src/core/lint/codes.js";
import { DEFAULT_DOCS_URL } from "../../src/core/lint/catalog.js";
import { formatSarif } from "../../src/core/lint/format/sarif.js";
import { formatGithub, formatJson, formatMarkdown, formatStylish } from "../../src/core/lint/format/text.js";
import type { FileReport } from "../../src/core/lint/format/report.js";
import { lint } from "../../src/core/lint/linter.js";
import { readCorpus, readFixture, schemaPath } from "../helpers/fixtures.js";

// CommonJS packages: under NodeNext the default import is `module.exports`, whose `.default` is the export.
const Ajv04 = Ajv04Module.default;
const addFormats = addFormatsModule.default;

let reports: FileReport[];
const cwd = "/repo";

beforeAll(async () => {
  const defects = await readFixture("lint", "defects.ko.md");
  const suppressed = `<!-- speclint-disable-file rule_content_too_short -- 짧은 규칙 허용 -->\n${defects}`;
  reports = [
    { file: "docs/결제 API.md", result: await lint(suppressed), belowMinimum: true },
    {
      file: "docs/05.md",
      result: await lint(await readCorpus("specgate-docs", "test-documents/05-Performance-Design-MissingHistory.md")),
      belowMinimum: false,
    },
    { file: "docs/missing.md", error: { code: "E_NOT_FOUND", message: "No file matches docs/missing.md." } },
  ];
});

describe("SARIF", () => {
  it("validates against the OASIS SARIF 2.1.0 schema (draft-04)", async () => {
    const schema = JSON.parse(await readFile(schemaPath("sarif-schema-2.1.0.json"), "utf8")) as { $schema: string };
    expect(schema.$schema).toBe("http://json-schema.org/draft-04/schema#");
    const ajv = new Ajv04({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const log = JSON.parse(formatSarif(reports, { cwd })) as unknown;
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
  });

  it("has one rules[] entry per code with a helpUri to docs/rules/<code>.md, and rule ids on rule results", async () => {
    const log = JSON.parse(formatSarif(reports, { cwd }));
    const run = log.runs[0];
    const rules = run.tool.driver.rules as { id: string; helpUri: string; defaultConfiguration: { level: string } }[];
    expect(rules.map((r) => r.id)).toEqual([...LINT_CODES]);
    for (const r of rules) expect(r.helpUri).toMatch(new RegExp(`^https://.+/docs/rules/${r.id}\\.md$`));
    const results = run.results as {
      ruleId: string;
      ruleIndex: number;
      level: string;
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
      properties: Record<string, unknown>;
      suppressions?: { kind: string; justification?: string }[];
    }[];
    const dup = results.find(
      (r) => r.ruleId === "rule_id_format_mismatch" && r.properties["specgate/rule_id"] === "RULE-API-001",
    )!;
    expect(dup.locations[0]!.physicalLocation).toMatchObject({
      artifactLocation: { uri: "docs/%EA%B2%B0%EC%A0%9C%20API.md", uriBaseId: "%SRCROOT%" },
      region: { startLine: 20 },
    });
    expect(rules[dup.ruleIndex]!.id).toBe("rule_id_format_mismatch");
    expect(results.find((r) => r.ruleId === "title_format_mismatch")!.properties["specgate/rule_id"]).toBeUndefined();
    expect(results.find((r) => r.ruleId === "reference_missing")!.level).toBe("note");
    const silenced = results.filter((r) => r.suppressions);
    expect(silenced.map((r) => [r.ruleId, r.suppressions![0]])).toEqual([
      ["rule_content_too_short", { kind: "inSource", status: "accepted", justification: "짧은 규칙 허용" }],
    ]);
    expect(run.invocations[0].executionSuccessful).toBe(false);
    expect(run.invocations[0].toolExecutionNotifications[0].message.text).toMatch(/^E_NOT_FOUND/);
    const history = results.find(
      (r) =>
        r.ruleId === "change_history_missing" && r.locations[0]!.physicalLocation.artifactLocation.uri === "docs/05.md",
    ) as unknown as { fixes: { artifactChanges: { replacements: { insertedContent: { text: string } }[] }[] }[] };
    expect(history.fixes[0]!.artifactChanges[0]!.replacements[0]!.insertedContent.text).toContain("## 5. 변경 이력");
  });

  it("points helpUri at the default docs, or at the docs URL given, and stays schema-valid (absolute URIs)", async () => {
    const schema = JSON.parse(await readFile(schemaPath("sarif-schema-2.1.0.json"), "utf8")) as object;
    const ajv = new Ajv04({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const byDefault = JSON.parse(formatSarif(reports, { cwd }));
    expect(byDefault.runs[0].tool.driver.rules[0].helpUri).toBe(`${DEFAULT_DOCS_URL}/rules/${LINT_CODES[0]}.md`);
    expect(byDefault.runs[0].tool.driver.informationUri).toBe(`${DEFAULT_DOCS_URL}/speclint.md`);
    const mirror = "https://ghe.acme.example/tools/specgate/blob/v0.1.0/docs/";
    const log = JSON.parse(formatSarif(reports, { cwd, docsUrl: mirror }));
    const rules = log.runs[0].tool.driver.rules as { id: string; helpUri: string }[];
    expect(rules.map((r) => r.helpUri)).toEqual(
      LINT_CODES.map((c) => `https://ghe.acme.example/tools/specgate/blob/v0.1.0/docs/rules/${c}.md`),
    );
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    // What makes a relative helpUri wrong: the schema's `format: uri` wants an absolute URI.
    const relative = structuredClone(log);
    relative.runs[0].tool.driver.rules[0].helpUri = "docs/rules/parsing_error.md";
    expect(validate(relative)).toBe(false);
    // Every page linked exists in the repository.
    for (const code of LINT_CODES)
      await expect(readFile(new URL(`../../docs/rules/${code}.md`, import.meta.url), "utf8")).resolves.toContain(code);
  });
});

describe("text formats", () => {
  it("github: one ::error/::warning/::notice annotation per violation with file, line, col; escaped", () => {
    const out = formatGithub(reports).trimEnd().split("\n");
    expect(out[0]).toBe(
      "::error file=docs/결제 API.md,line=2,col=1,title=speclint title_format_mismatch (-20)::제목 'API 설계'이(가) '[프로젝트명] [문서유형] 설계서' 형식이 아닙니다.%0A제목을 '[프로젝트명] [문서유형] 설계서' 형식으로 수정하세요.%0A예%3A '[SpecGate] API 설계서'".replace(
        "예%3A",
        "예:",
      ),
    );
    expect(out).toContain(
      "::notice file=docs/결제 API.md,line=9,col=5,title=speclint reference_missing RULE-API-001 (-1)::RULE-API-001에 참조가 없습니다.%0A규칙 아래에 '- 참조%3A ...' 항목을 추가하여 관련 기술 스펙이나 문서를 연결하세요.".replace(
        "참조%3A",
        "참조:",
      ),
    );
    expect(out).toContain("::error file=docs/결제 API.md,title=speclint score::20/100 (low) — below the minimum score");
    expect(out).toContain(
      "::warning file=docs/05.md,line=515,col=1,title=speclint change_history_missing (-5)::'변경 이력' 섹션이 없습니다 (문서 끝에 추가하세요).%0A## 5. 변경 이력 섹션을 추가하여 문서 변경 사항을 추적하세요.%0A테이블 형식으로 버전, 날짜, 변경내용, 작성자를 기록하세요.",
    );
    expect(out).toContain("::error file=docs/missing.md,title=speclint::E_NOT_FOUND: No file matches docs/missing.md.");
  });

  it("markdown: a summary table and one table per file, pipes escaped", () => {
    const md = formatMarkdown(reports);
    expect(md).toContain("| docs/결제 API.md | 20 ❌ | low | 2 | 12 | 3 | 1 |");
    expect(md).toContain("| docs/05.md | 95 | high | 0 | 1 | 0 | 0 |");
    expect(md).toContain(
      "| 515 | warning | `change_history_missing` |  | -5 | '변경 이력' 섹션이 없습니다 (문서 끝에 추가하세요). |",
    );
    expect(md).toContain("E_NOT_FOUND: No file matches docs/missing.md.");
  });

  it("json: every result with its file, and a summary", () => {
    const json = JSON.parse(formatJson(reports));
    expect(json.results.map((r: { file: string; ok: boolean; score?: number }) => [r.file, r.ok, r.score])).toEqual([
      ["docs/결제 API.md", true, 20],
      ["docs/05.md", true, 95],
      ["docs/missing.md", false, undefined],
    ]);
    expect(json.summary).toMatchObject({
      files: 3,
      failed: 1,
      errors: 2,
      warnings: 13,
      info: 3,
      suppressed: 1,
      lowest_score: 20,
    });
  });

  it("stylish: line:col, severity, message, code; a closing count", () => {
    const out = formatStylish(reports);
    expect(out).toContain(
      "docs/05.md  95/100 high\n  515:1  warning  '변경 이력' 섹션이 없습니다 (문서 끝에 추가하세요).  change_history_missing  -5\n",
    );
    expect(out).toContain("docs/결제 API.md  20/100 low  (below the minimum score)  1 suppressed");
    expect(out.trimEnd().split("\n").pop()).toBe(
      "✖ 18 problems (2 errors, 13 warnings, 3 info) in 3 files, 1 could not be linted · lowest score 20 (low) in docs/결제 API.md",
    );
  });
});
