/** Each check on small documents: where it fires, where it does not, and what it reports. */
import { describe, expect, it } from "vitest";
import { applyFixes } from "../../src/core/lint/fixes.js";
import { lint } from "../../src/core/lint/linter.js";
import { SpecGateError } from "../../src/errors.js";
import { readFixture } from "../helpers/fixtures.js";

const rule = (id: string, type: string, text: string, details = true) =>
  [
    `- **${id}** (${type}): ${text}`,
    ...(details
      ? ["  - 적용 범위: 모든 주문 API", "  - 근거: 일관된 클라이언트 처리", "  - 참조: 3.1 OpenAPI 스펙"]
      : []),
    "",
  ].join("\n");

/** A document that passes every check; tests break one part at a time. */
const GOOD = [
  "# PayFlow API 설계서",
  "",
  "## 1. 개요",
  "주문 API의 설계 규칙입니다.",
  "",
  "## 2. 설계 규칙 (Design Rules)",
  "### 2.1 MUST 규칙 (필수)",
  rule("RULE-API-001", "MUST", "모든 주문 API는 JSON 형식으로 응답해야 한다"),
  rule("RULE-API-002", "MUST", "모든 주문 요청은 인증 토큰을 검사해야 한다"),
  rule("RULE-API-003", "MUST", "모든 금액은 정수(최소 통화 단위)로 전달해야 한다"),
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
  "| 버전 | 날짜 | 변경내용 | 작성자 |",
  "|---|---|---|---|",
  "| 1.0 | 2025-01-10 | 최초 작성 | 결제팀 |",
  "",
].join("\n");

const codes = async (content: string, options: Parameters<typeof lint>[1] = {}) =>
  (await lint(content, options)).violations.map((v) => [v.code, v.line]);
const lineOf = (content: string, text: string) => content.split("\n").findIndex((l) => l.includes(text)) + 1;

describe("speclint checks", () => {
  it("passes the reference document with a perfect score", async () => {
    const r = await lint(GOOD);
    expect(r).toMatchObject({ score: 100, grade: "high", violations: [], suppressed: [] });
    expect(r.stats).toMatchObject({
      language: "ko",
      ruleset: "specgate",
      check_type: "full",
      rules: 3,
      must_rules: 3,
      format: "markdown",
    });
  });

  describe("title_format_mismatch", () => {
    it.each([
      "# [PayFlow] API 설계서",
      "# PayFlow API 설계서",
      "# MyProject 데이터 모델 설계서",
      "# [PayFlow] [결제] 설계서",
    ])("accepts %s", async (title) => {
      expect(await codes(GOOD.replace("# PayFlow API 설계서", title))).toEqual([]);
    });

    it.each(["# API 설계", "# 잘못된 제목", "# API 설계서", "# PayFlow API Design"])(
      "rejects %s at line 1",
      async (title) => {
        const r = await lint(GOOD.replace("# PayFlow API 설계서", title));
        expect(r.violations.map((v) => [v.code, v.line, v.column])).toEqual([["title_format_mismatch", 1, 1]]);
        expect(r.score).toBe(80);
      },
    );

    it("fixes a near miss mechanically ('… 설계' → '… 설계서')", async () => {
      const content = GOOD.replace("# PayFlow API 설계서", "# PayFlow API 설계");
      const [v] = (await lint(content)).violations;
      expect(v!.fix).toMatchObject({ start_line: 1, end_line: 2, text: "# PayFlow API 설계서\n" });
      expect((await lint(applyFixes(content, [v!]).output)).score).toBe(100);
    });

    it("reports a missing title at the first line with content, with a placeholder title as fix", async () => {
      const content = `\n\n${GOOD.replace("# PayFlow API 설계서\n", "")}`;
      const [v] = (await lint(content)).violations;
      expect(v).toMatchObject({
        code: "title_format_mismatch",
        line: 4,
        message: expect.stringContaining("제목(# …)이 없습니다"),
      });
      expect(v!.fix!.text).toBe("# [프로젝트명] [문서유형] 설계서\n\n");
    });

    it("does not take a '# …' line inside a code fence for the title", async () => {
      const content = `\`\`\`bash\n# PayFlow API 설계서\n\`\`\`\n\n${GOOD.replace("# PayFlow API 설계서\n", "")}`;
      expect((await codes(content))[0]).toEqual(["title_format_mismatch", 1]);
    });
  });

  describe("section checks", () => {
    it("recognises sections in Korean and English, numbered or not, with emoji or compact spacing", async () => {
      const variants = GOOD.replace("## 2. 설계 규칙 (Design Rules)", "## Design Rules")
        .replace("## 3. 기술 스펙", "## 📐 Technical Specification")
        .replace("## 5. 변경 이력", "## 변경이력");
      expect(await codes(variants)).toEqual([]);
    });

    it("design_rules_missing: where the section belongs, with the template skeleton as fix (unnumbered when the document is)", async () => {
      const content = GOOD.replace(/## 2\. 설계 규칙[\s\S]*?(?=## 3\.)/, "").replace(/## (\d)\. /g, "## ");
      const r = await lint(content);
      expect(r.violations.map((v) => [v.code, v.line])).toEqual([
        ["design_rules_missing", lineOf(content, "## 기술 스펙")],
        ["no_rules_found", lineOf(content, "## 기술 스펙")],
      ]);
      expect(r.violations[0]!.fix!.text).toBe(
        "## 설계 규칙 (Design Rules)\n### MUST 규칙 (필수)\n\n### SHOULD 규칙 (권장)\n\n### 금지 규칙 (Prohibited)\n\n",
      );
      expect(r.score).toBe(55);
    });

    it("technical_spec_missing: before the next template section", async () => {
      const content = GOOD.replace(/## 3\. 기술 스펙[\s\S]*?(?=## 4\.)/, "");
      const r = await lint(content);
      expect(r.violations.map((v) => [v.code, v.line, v.deduction])).toEqual([
        ["technical_spec_missing", lineOf(content, "## 4. 구현 가이드"), 25],
      ]);
      expect(r.violations[0]!.fix!.text).toBe("## 3. 기술 스펙\n\n");
    });

    it("change_history_missing: a heading inside a code block is no section; an empty section is flagged at its heading", async () => {
      const fenced = GOOD.replace(/## 5\. 변경 이력[\s\S]*$/, "```markdown\n## 5. 변경 이력\n```\n");
      expect(await codes(fenced)).toEqual([["change_history_missing", lineOf(fenced, "```markdown") + 2]]);
      const empty = GOOD.replace(/## 5\. 변경 이력[\s\S]*$/, "## 5. 변경 이력\n");
      const r = await lint(empty);
      expect(r.violations.map((v) => [v.code, v.line])).toEqual([
        ["change_history_missing", lineOf(empty, "## 5. 변경 이력")],
      ]);
      expect(r.violations[0]!.message).toBe("'5. 변경 이력' 섹션에 변경 기록이 없습니다.");
      expect((await lint(applyFixes(empty, r.violations).output)).violations).toEqual([]);
    });
  });

  describe("per-rule checks", () => {
    it("reports each defect once per rule, at the rule's line and id column, with its rule_id", async () => {
      const content = await readFixture("lint", "defects.ko.md");
      const r = await lint(content);
      expect(r.violations.map((v) => [v.code, v.line, v.column ?? null, v.rule_id ?? null])).toEqual([
        ["title_format_mismatch", 1, 1, null],
        ["reference_missing", 8, 5, "RULE-API-001"],
        ["rule_id_format_mismatch", 12, 3, "RULE-API-002"], // not bold
        ["rule_id_format_mismatch", 17, 5, "RULE-API-3"], // not three digits
        ["rule_type_mismatch", 17, 5, "RULE-API-3"], // (must)
        ["scope_missing", 17, 5, "RULE-API-3"],
        ["reason_missing", 17, 5, "RULE-API-3"],
        ["reference_missing", 17, 5, "RULE-API-3"],
        ["rule_content_too_short", 17, 5, "RULE-API-3"],
        ["rule_id_format_mismatch", 19, 5, "RULE-API-001"], // duplicate of line 8
        ["rule_type_mismatch", 19, 5, "RULE-API-001"], // SHOULD under "MUST 규칙"
        ["scope_missing", 19, 5, "RULE-API-001"], // placeholder only
        ["reference_missing", 19, 5, "RULE-API-001"], // "-"
        ["rule_id_format_mismatch", 24, 1, null], // a rule with no id at all
        ["rule_id_format_mismatch", 27, 5, "RULE-FOO-005"], // unknown area
        ["rule_type_mismatch", 27, 5, "RULE-FOO-005"], // MAY under "금지 규칙"
        ["technical_spec_missing", 37, 1, null],
        ["change_history_missing", 37, 1, null],
      ]);
      const byLine = (line: number, code: string) => r.violations.find((v) => v.line === line && v.code === code)!;
      expect(byLine(12, "rule_id_format_mismatch").fix!.text).toBe(
        "- **RULE-API-002** (MUST): 모든 주문 요청은 인증 토큰을 검사해야 한다\n",
      );
      expect(byLine(17, "rule_id_format_mismatch").fix!.text).toBe("- **RULE-API-003** (must): 짧다\n");
      expect(byLine(17, "rule_type_mismatch").fix!.text).toBe("- **RULE-API-3** (MUST): 짧다\n");
      expect(byLine(19, "rule_id_format_mismatch").message).toBe(
        "규칙 ID RULE-API-001이(가) 8행에서 이미 사용되었습니다.",
      );
      expect(byLine(24, "rule_id_format_mismatch").message).toBe(
        "규칙 ID 없이 작성된 규칙입니다: '모든 API는 버전을 URL에 포함해야 한다'.",
      );
      expect(r.stats).toMatchObject({ rules: 5, must_rules: 3 }); // (must) counts as MUST for design_rules_insufficient
      expect(r.score).toBe(19);
    });

    it("inserts missing details as sub-items after the rule's last line, in scope / rationale / reference order", async () => {
      const content = [
        "# PayFlow API 설계서",
        "",
        "## 설계 규칙",
        "- **RULE-API-001** (MUST): 모든 주문 API는 JSON으로 응답해야 한다",
        "- **RULE-API-002** (MUST): 모든 요청은 인증되어야 한다",
        "  - 근거: 보안",
        "",
      ].join("\n");
      const r = await lint(content);
      const fixed = applyFixes(
        content,
        r.violations.filter((v) => v.rule_id),
      );
      expect(fixed.output.split("\n").slice(3, 10)).toEqual([
        "- **RULE-API-001** (MUST): 모든 주문 API는 JSON으로 응답해야 한다",
        "  - 적용 범위: [규칙이 적용되는 범위]",
        "  - 근거: [규칙이 필요한 이유]",
        "  - 참조: [관련 기술 스펙이나 문서]",
        "- **RULE-API-002** (MUST): 모든 요청은 인증되어야 한다",
        "  - 근거: 보안",
        "  - 적용 범위: [규칙이 적용되는 범위]",
      ]);
      // Placeholders are not details: the fix adds structure, the writer adds the content.
      expect((await lint(fixed.output)).violations.filter((v) => v.code === "scope_missing")).toHaveLength(2);
    });

    it("reads paragraph and table rules too, and never rules inside code blocks or quotes", async () => {
      const content = [
        "# PayFlow API 설계서",
        "## 설계 규칙",
        "**RULE-API-001** (MUST): 모든 주문 API는 JSON으로 응답해야 한다",
        "- 적용 범위: 모든 API",
        "- 근거: 일관성",
        "",
        "| ID | 유형 | 규칙 | 적용 범위 | 근거 | 참조 |",
        "|---|---|---|---|---|---|",
        "| RULE-API-002 | MUST | 모든 요청은 인증 토큰을 검사해야 한다 | 모든 API | 보안 | 보안 가이드 |",
        "",
        "> - **RULE-API-003** (MUST): 인용문 안의 규칙",
        "",
        "```",
        "- **RULE-API-004** (MUST): 코드 안의 규칙",
        "```",
      ].join("\n");
      const r = await lint(content, { checkType: "basic" });
      expect(r.stats.rules).toBe(2);
      expect(r.violations.filter((v) => v.rule_id).map((v) => [v.code, v.line, v.rule_id])).toEqual([
        ["reference_missing", 3, "RULE-API-001"],
      ]);
    });

    it("reads a whole statement written in one table cell under a '규칙' column", async () => {
      const content = [
        "# PayFlow API 설계서",
        "## 설계 규칙",
        "| 규칙 | 적용 범위 | 근거 | 참조 |",
        "|---|---|---|---|",
        "| **RULE-API-001** (MUST): 모든 결제 요청은 멱등 키를 포함해야 한다 | 결제 API | 재시도 안전 | 3.1 |",
        "| RULE-API-2 (MUST): 모든 응답은 JSON으로 보내야 한다 | 전체 | 일관성 | 3.2 |",
      ].join("\n");
      const r = await lint(content, { checkType: "basic" });
      expect([r.stats.rules, r.stats.must_rules]).toEqual([2, 2]);
      expect(r.violations.filter((v) => v.rule_id).map((v) => [v.code, v.line, v.rule_id])).toEqual([
        ["rule_id_format_mismatch", 6, "RULE-API-2"],
      ]);
    });

    it("rule_type_mismatch for a missing type and for Korean types (필수), with design_rules_keywords_missing", async () => {
      const content = GOOD.replace("(MUST): 모든 주문 API는", "(필수): 모든 주문 API는")
        .replace("(MUST): 모든 주문 요청은", ": 모든 주문 요청은")
        .replace("(MUST): 모든 금액은", "(필수): 모든 금액은")
        .replace("### 2.1 MUST 규칙 (필수)", "### 2.1 필수 규칙");
      const r = await lint(content);
      expect(r.violations.map((v) => [v.code, v.line])).toEqual([
        ["design_rules_insufficient", lineOf(content, "## 2. 설계 규칙")],
        ["design_rules_keywords_missing", lineOf(content, "## 2. 설계 규칙")],
        ["rule_type_mismatch", lineOf(content, "RULE-API-001")],
        ["rule_type_mismatch", lineOf(content, "RULE-API-002")],
        ["rule_type_mismatch", lineOf(content, "RULE-API-003")],
      ]);
      expect(r.violations[4]!.message).toBe(
        "RULE-API-003의 규칙 유형 '필수'은(는) 허용된 유형(MUST, SHOULD, MUST NOT, MAY, SHOULD NOT)이 아닙니다.",
      );
    });
  });

  describe("content checks", () => {
    it("design_rules_insufficient: fewer than 3 MUST rules, at the design rules heading", async () => {
      const content = GOOD.replace("(MUST): 모든 금액은", "(SHOULD): 모든 금액은").replace(
        "### 2.1 MUST 규칙 (필수)",
        "### 2.1 규칙",
      );
      expect(await codes(content)).toEqual([["design_rules_insufficient", lineOf(content, "## 2. 설계 규칙")]]);
    });

    it("rule_spec_relation_missing: none of the three links, at the technical spec heading", async () => {
      const unlinked = GOOD.replaceAll("참조: 3.1 OpenAPI 스펙", "참조: 사내 가이드");
      expect(await codes(unlinked)).toEqual([["rule_spec_relation_missing", lineOf(unlinked, "## 3. 기술 스펙")]]);
      // The spec naming a rule id links them…
      expect(await codes(unlinked.replace("openapi: 3.0.0", "openapi: 3.0.0 # RULE-API-002"))).toEqual([]);
      // …and so does a code identifier that both a rule and the spec name.
      const shared = unlinked
        .replace("적용 범위: 모든 주문 API", "적용 범위: createOrder 핸들러")
        .replace("openapi: 3.0.0", "operationId: createOrder");
      expect(await codes(shared)).toEqual([]);
    });

    it("code_example_missing: diagrams are not code examples", async () => {
      const content = GOOD.replace("```yaml\nopenapi: 3.0.0\n```", "```mermaid\nerDiagram\n```").replace(
        /```ts[\s\S]*?```\n/,
        "구현은 팀 가이드를 따른다.\n",
      );
      expect(await codes(content)).toEqual([["code_example_missing", lineOf(content, "## 4. 구현 가이드")]]);
    });

    it("parsing_error: an empty document scores 0 and nothing else is reported", async () => {
      const r = await lint("  \n\n");
      expect(r).toMatchObject({ score: 0, grade: "low" });
      expect(r.violations.map((v) => [v.code, v.line, v.deduction])).toEqual([["parsing_error", 1, 100]]);
    });

    it("parsing_error: an unclosed code fence that swallows the document's headings, at the fence", async () => {
      const content = GOOD.replace("```ts\n", "````ts\n");
      expect(await codes(content)).toEqual([["parsing_error", lineOf(content, "````ts")]]);
    });
  });

  describe("check types", () => {
    it("structure reads headings only; basic adds the rules' form; full adds content quality", async () => {
      const content = await readFixture("lint", "defects.ko.md");
      const run = async (checkType: "full" | "basic" | "structure") =>
        [...new Set((await lint(content, { checkType })).violations.map((v) => v.code))].sort();
      expect(await run("structure")).toEqual(["technical_spec_missing", "title_format_mismatch"]);
      expect(await run("basic")).toEqual([
        "change_history_missing",
        "reason_missing",
        "reference_missing",
        "rule_id_format_mismatch",
        "rule_type_mismatch",
        "scope_missing",
        "technical_spec_missing",
        "title_format_mismatch",
      ]);
      expect(await run("full")).toEqual([...(await run("basic")), "rule_content_too_short"].sort());
      expect((await lint(content, { checkType: "structure" })).stats.check_type).toBe("structure");
    });
  });

  describe("English documents", () => {
    it("are linted with specgate-en: English title and sections, English messages and fix labels", async () => {
      const content = await readFixture("lint", "payflow-api-design.en.md");
      const good = await lint(content);
      expect([good.score, good.stats.language, good.stats.ruleset]).toEqual([100, "en", "specgate-en"]);
      const broken = content
        .replace("# PayFlow API Design Document", "# PayFlow API Design")
        .replace("  - Reference: PCI DSS v4.0\n", "")
        .replace(/## 5\. Change History[\s\S]*$/, "");
      const r = await lint(broken);
      expect(r.violations.map((v) => [v.code, v.line, v.message])).toEqual([
        [
          "title_format_mismatch",
          1,
          "The title 'PayFlow API Design' does not follow '<Project> <Type> Design Document'.",
        ],
        ["reference_missing", lineOf(broken, "RULE-SEC-003"), "RULE-SEC-003 has no reference."],
        [
          "change_history_missing",
          broken.trimEnd().split("\n").length,
          "The 'Change History' section is missing (add it at the end of the document).",
        ],
      ]);
      expect(r.violations[0]!.fix!.text).toBe("# PayFlow API Design Document\n");
      expect(r.violations[1]!.fix!.text).toBe("  - Reference: [related technical spec or documents]\n");
      expect(r.violations[2]!.suggestion).toMatch(/^Add a '## 5\. Change History' section/);
      expect(r.violations[2]!.fix!.text).toContain("| Version | Date | Change | Author |");
    });

    it("a Korean ruleset can be forced on an English document", async () => {
      const content = await readFixture("lint", "payflow-api-design.en.md");
      expect(await codes(content, { ruleset: "specgate" })).toEqual([["title_format_mismatch", 1]]);
    });
  });

  describe("input", () => {
    it("converts Confluence storage format before linting; lines refer to the Markdown", async () => {
      const storage =
        "<h1>PayFlow API 설계서</h1><h2>설계 규칙</h2><ul><li><strong>RULE-API-001</strong> (MUST): 모든 주문 API는 JSON으로 응답해야 한다</li></ul>" +
        '<ac:structured-macro ac:name="info"><ac:rich-text-body><p>note</p></ac:rich-text-body></ac:structured-macro>';
      const r = await lint(storage);
      expect(r.stats.format).toBe("html");
      expect(r.violations.map((v) => v.code)).toContain("technical_spec_missing");
      expect(r.violations.find((v) => v.rule_id === "RULE-API-001")).toBeDefined();
    });

    it("refuses content that is not text", async () => {
      await expect(lint("# x\u0000")).rejects.toMatchObject({ code: "E_INVALID_INPUT" });
      await expect(lint("# x\u0000")).rejects.toBeInstanceOf(SpecGateError);
    });
  });
});

describe("input format detection", () => {
  it("reads Markdown that quotes storage markup in code, or starts with a directive, as Markdown; HTML as HTML", async () => {
    const { isHtml } = await import("../../src/core/lint/linter.js");
    expect(isHtml('# PayFlow API 설계서\n\n```xml\n<ac:structured-macro ac:name="code"/>\n```\n', "auto")).toBe(false);
    expect(isHtml("\uFEFF<!-- speclint-disable-file reference_missing -->\n# PayFlow API 설계서\n", "auto")).toBe(
      false,
    );
    expect(isHtml('<p>intro</p><ac:structured-macro ac:name="info"/>', "auto")).toBe(true);
    expect(isHtml("  <!-- page -->\n<h1>PayFlow API 설계서</h1>", "auto")).toBe(true);
    expect(isHtml("<!DOCTYPE html><html><body><h1>x</h1></body></html>", "auto")).toBe(true);
    expect(isHtml("# x", "html")).toBe(true);
    expect(isHtml("<h1>x</h1>", "markdown")).toBe(false);
  });
});
