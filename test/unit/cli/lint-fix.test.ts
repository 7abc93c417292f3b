/** `specgate lint --fix`: the mechanical fixes written back, never one that changes the rules. */
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCliInProcess } from "../../helpers/cli.js";

const details = ["  - 적용 범위: 모든 주문 API", "  - 근거: 일관된 클라이언트 처리", "  - 참조: 3.1 OpenAPI 스펙"];

/** Near-miss title, a lower-case type, two rules without their details, an empty change history: all fixable. */
const FIXABLE = [
  "# PayFlow API 설계",
  "",
  "## 1. 개요",
  "주문 API의 설계 규칙입니다.",
  "",
  "## 2. 설계 규칙 (Design Rules)",
  "### 2.1 MUST 규칙 (필수)",
  "- **RULE-API-001** (must): 모든 주문 API는 JSON 형식으로 응답해야 한다",
  ...details,
  "- **RULE-API-002** (MUST): 모든 주문 요청은 인증 토큰을 검사해야 한다",
  "- **RULE-API-003** (MUST): 모든 금액은 정수(최소 통화 단위)로 전달해야 한다",
  "",
  "## 3. 기술 스펙",
  "### 3.1 OpenAPI",
  "```yaml",
  "openapi: 3.0.0",
  "```",
  "",
  "## 4. 구현 가이드",
  "```ts",
  'app.post("/orders", createOrder);',
  "```",
  "",
  "## 5. 변경 이력",
  "",
].join("\n");

const DETAIL_CODES = ["scope_missing", "reason_missing", "reference_missing"];
const FIXED_CODES = [
  "title_format_mismatch",
  "rule_type_mismatch",
  "scope_missing",
  "reason_missing",
  "reference_missing",
  "change_history_missing",
];

/**
 * No design-rules section; the rules-to-be sit under a level-3 heading. The section's skeleton
 * would go before that heading, making its sentences rules: a fix that changes the rules.
 */
const RULE_CHANGING = [
  "# PayFlow API 설계서",
  "",
  "## 1. 개요",
  "주문 처리.",
  "",
  "### 3. 기술 스펙",
  "```yaml",
  "a: 1",
  "```",
  "- 모든 결제 요청은 감사 로그를 남겨야 한다.",
  "",
  "## 4. 구현 가이드",
  "```ts",
  "x()",
  "```",
  "",
  "## 5. 변경 이력",
  "| 버전 | 날짜 | 변경내용 | 작성자 |",
  "|---|---|---|---|",
  "| 1.0 | 2025-01-10 | 최초 작성 | 결제팀 |",
  "",
].join("\n");

async function repo(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "specgate-lint-fix-"));
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  return dir;
}

const codesOf = (stdout: string) =>
  (JSON.parse(stdout) as { results: { violations: { code: string }[] }[] }).results.flatMap((r) =>
    r.violations.map((v) => v.code),
  );

describe("specgate lint --fix", () => {
  it("fixes a document, says what it changed, reports on the fixed content; a second run changes nothing", async () => {
    const cwd = await repo({ "a.md": FIXABLE });
    const before = await runCliInProcess(["lint", "a.md", "--format", "json"], { cwd });
    expect(codesOf(before.stdout)).toEqual(expect.arrayContaining(FIXED_CODES));

    const r = await runCliInProcess(["lint", "a.md", "--fix", "--format", "json"], { cwd });
    expect(r.stderr).toMatch(/^specgate lint --fix: fixed \d+ problems in a\.md \(/m);
    for (const code of FIXED_CODES) expect(r.stderr).toContain(code);
    expect(r.stderr).toMatch(/scope_missing ×2/);
    const after = codesOf(r.stdout);
    for (const code of FIXED_CODES.filter((c) => !DETAIL_CODES.includes(c))) expect(after).not.toContain(code);
    // A missing detail becomes a placeholder line for the author to fill, which the check still reports.
    for (const code of DETAIL_CODES) expect(after.filter((c) => c === code)).toHaveLength(2);
    expect(r.code).toBe(0);

    const fixed = await readFile(path.join(cwd, "a.md"), "utf8");
    expect(fixed).not.toBe(FIXABLE);
    expect(fixed.split("\n")[0]).toBe("# PayFlow API 설계서");
    expect(fixed).toContain("(MUST): 모든 주문 API는 JSON");
    // What the fixed file lints to is what --fix reported.
    const plain = await runCliInProcess(["lint", "a.md", "--format", "json"], { cwd });
    expect(codesOf(plain.stdout)).toEqual(after);
    // No temp file is left behind.
    expect(await readdir(cwd)).toEqual(["a.md"]);

    const again = await runCliInProcess(["lint", "a.md", "--fix", "--format", "json"], { cwd });
    expect(again.stderr).not.toContain("fixed");
    expect(await readFile(path.join(cwd, "a.md"), "utf8")).toBe(fixed);
    expect(codesOf(again.stdout)).toEqual(after);
  });

  it("refuses a fix that would change the document's rules and leaves the file byte-identical", async () => {
    const cwd = await repo({ "rules.md": RULE_CHANGING, "ok.md": FIXABLE });
    const r = await runCliInProcess(["lint", "rules.md", "ok.md", "--fix", "--format", "json", "--min-score", "0"], {
      cwd,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      "specgate lint --fix: left rules.md unchanged: its fixes would change the rules it states (ids, priorities or descriptions); fix it by hand.",
    );
    expect(await readFile(path.join(cwd, "rules.md"), "utf8")).toBe(RULE_CHANGING);
    // The report is on the file as it is; the other file is fixed all the same.
    const json = JSON.parse(r.stdout) as { results: { file: string; violations: { code: string }[] }[] };
    expect(json.results.find((x) => x.file === "rules.md")!.violations.map((v) => v.code)).toContain(
      "design_rules_missing",
    );
    expect(r.stderr).toMatch(/fixed \d+ problems in ok\.md/);
    expect(await readFile(path.join(cwd, "ok.md"), "utf8")).not.toBe(FIXABLE);
  });

  it("leaves a clean document alone and exits on the score as without --fix", async () => {
    const cwd = await repo({ "rules.md": RULE_CHANGING });
    const r = await runCliInProcess(["lint", "rules.md", "--fix"], { cwd });
    const plain = await runCliInProcess(["lint", "rules.md"], { cwd });
    expect(r.code).toBe(plain.code);
    expect(r.stdout).toBe(plain.stdout);
  });

  it("leaves an HTML document alone: its fixes are lines of the Markdown it converts to", async () => {
    const html = "<h1>PayFlow API 설계</h1>\n<h2>1. 개요</h2>\n<p>주문 API.</p>\n";
    const cwd = await repo({ "page.html": html });
    const r = await runCliInProcess(["lint", "page.html", "--fix", "--min-score", "0"], { cwd });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      "specgate lint --fix: left page.html unchanged: --fix rewrites Markdown documents only.",
    );
    expect(await readFile(path.join(cwd, "page.html"), "utf8")).toBe(html);
  });

  it("--fix with standard input is a usage error (exit 2)", async () => {
    const r = await runCliInProcess(["lint", "--fix", "-"], { stdin: FIXABLE });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--fix rewrites files and cannot be used with standard input (-)");
    expect(r.stdout).toBe("");
  });
});
