import { readCorpusSync } from "../helpers/fixtures.js";
import { describe, expect, it } from "vitest";
import { parseMarkdown, plainText, sectionBlocks } from "../../src/core/markdown/document.js";
import { findRuleStatements } from "../../src/core/markdown/rule-statements.js";

const corpus = (p: string) => readCorpusSync("specgate-docs", p);

describe("Markdown document model", () => {
  it("reads a document written with CR LF line endings as the same document written with LF", () => {
    const lf = corpus("standards/SpecGate-API-Design.md");
    const crlf = parseMarkdown(lf.replace(/\n/g, "\r\n"));
    const plain = parseMarkdown(lf);
    const shape = (doc: typeof plain) => ({
      headings: doc.headings.map((h) => [h.level, h.title, h.line]),
      blocks: doc.blocks.map((b) => [b.kind, b.line, b.endLine, b.listDepth]),
      rules: findRuleStatements(doc).map((r) => [r.id, r.priority, r.line]),
    });
    expect(plain.headings.length).toBeGreaterThan(5);
    expect(shape(crlf)).toEqual(shape(plain));
  });

  it("keeps headings and rule lines inside code fences as code", () => {
    const doc = parseMarkdown(
      ["# Real", "", "```yaml", "# not a heading", "- **RULE-API-001** (MUST): not a rule", "```", "", "## Next"].join(
        "\n",
      ),
    );
    expect(doc.headings.map((h) => h.text)).toEqual(["Real", "Next"]);
    expect(doc.blocks.filter((b) => b.kind === "code")).toHaveLength(1);
    expect(doc.blocks.find((b) => b.kind === "code")).toMatchObject({ line: 3, endLine: 6, lang: "yaml" });
    expect(findRuleStatements(doc)).toEqual([]);
  });

  it("numbers and titles headings with or without numbering", () => {
    const doc = parseMarkdown("# T\n\n## 2. 설계 규칙 (Design Rules)\n\n### 2.1 MUST 규칙\n\n## Technical Spec\n");
    expect(doc.headings.map((h) => [h.level, h.number, h.title, h.line])).toEqual([
      [1, undefined, "T", 1],
      [2, "2", "설계 규칙 (Design Rules)", 3],
      [3, "2.1", "MUST 규칙", 5],
      [2, undefined, "Technical Spec", 7],
    ]);
    expect(sectionBlocks(doc, 1)).toEqual({ start: 2, end: 3 });
  });

  it("reads list, paragraph and table rule statements with their details and lines", () => {
    const md = [
      "# P API Design Document",
      "",
      "- **RULE-API-001** (MUST): All responses MUST be JSON",
      "  - Scope: src/api/**",
      "  - Rationale: clients parse one format",
      "",
      "**RULE-SEC-002** (MUST NOT): Tokens must not be logged",
      "- 적용 범위: 모든 로깅",
      "- **근거:** 유출 방지",
      "",
      "RULE-API-4 (must): unbolded and short id",
      "",
      "| ID | Type | Rule | Scope |",
      "|---|---|---|---|",
      "| RULE-DATA-003 | SHOULD | Tables SHOULD have a primary key | schema/** |",
    ].join("\n");
    const st = findRuleStatements(parseMarkdown(md));
    expect(st.map((s) => [s.id, s.line, s.form, s.priority, s.idValid])).toEqual([
      ["RULE-API-001", 3, "list", "MUST", true],
      ["RULE-SEC-002", 7, "paragraph", "MUST NOT", true],
      ["RULE-API-4", 11, "paragraph", undefined, false],
      ["RULE-DATA-003", 15, "table", "SHOULD", true],
    ]);
    expect(st[0]!.details.map((d) => [d.key, d.value, d.line])).toEqual([
      ["scope", "src/api/**", 4],
      ["rationale", "clients parse one format", 5],
    ]);
    expect(st[1]!.details.map((d) => [d.key, d.value])).toEqual([
      ["scope", "모든 로깅"],
      ["rationale", "유출 방지"],
    ]);
    expect(st[2]!.typeText).toBe("must");
    expect(st[3]!.details).toEqual([{ key: "scope", label: "Scope", value: "schema/**", line: 15 }]);
  });

  it("detects the language and ignores blockquoted rules", () => {
    const en = parseMarkdown(
      "# X Design Document\n\n> - **RULE-API-001** (MUST): quoted example\n\nPlain English prose here.\n",
    );
    expect(en.language).toBe("en");
    expect(findRuleStatements(en)).toEqual([]);
    expect(parseMarkdown(corpus("standards/SpecGate-API-Design.md")).language).toBe("ko");
  });

  it("finds the seven rules of every standards document at their lines", () => {
    for (const name of ["API", "Architecture", "Data-Model", "Performance", "Security"]) {
      const st = findRuleStatements(parseMarkdown(corpus(`standards/SpecGate-${name}-Design.md`)));
      expect(st.map((s) => s.line)).toEqual([10, 15, 20, 26, 31, 37, 42]);
      expect(st.every((s) => s.idValid && s.details.length === 3)).toBe(true);
    }
  });

  it("reduces inline markup to plain text", () => {
    expect(plainText("**굵게** *기울임* `code` [링크](http://x) ![alt](i.png) <b>t</b>")).toBe(
      "굵게 기울임 code 링크 alt t",
    );
    expect(plainText("snake_case_name stays")).toBe("snake_case_name stays");
  });

  it("keeps backslash-escaped characters literally: never emphasis, links or tags", () => {
    // What html_to_md writes for a Confluence table cell holding `src/api/**`.
    expect(plainText("src/api/\\*\\*")).toBe("src/api/**");
    expect(plainText("\\*not italic\\* but *this* is")).toBe("*not italic* but this is");
    expect(plainText("\\[label\\](x) \\<b\\> a\\\\b \\_id\\_")).toBe("[label](x) <b> a\\b _id_");
  });

  it("reads a GitHub alert (a converted Confluence panel) as document content, a quotation as a quotation", () => {
    const doc = parseMarkdown(
      [
        "# T",
        "",
        "> [!NOTE]",
        "> **필수 규칙**",
        ">",
        "> - **RULE-API-001** (MUST): inside a panel",
        "",
        "> [!warning]",
        "> - **RULE-API-002** (MUST): inside a warning panel",
        "",
        "> - **RULE-API-003** (MUST): quoted from elsewhere",
        "",
        "> [!NOTE] is not a marker when text follows on its line",
        "",
      ].join("\n"),
    );
    const item = (id: string) => doc.blocks.find((b) => b.text.includes(id))!;
    expect(item("RULE-API-001")).toMatchObject({ kind: "list_item", line: 6, quoteDepth: 0 });
    expect(item("RULE-API-002")).toMatchObject({ kind: "list_item", line: 9, quoteDepth: 0 });
    expect(item("RULE-API-003")).toMatchObject({ quoteDepth: 1 });
    // The marker line is not text; the panel's title is.
    expect(doc.blocks.some((b) => /^\[!NOTE\]$/m.test(b.text))).toBe(false);
    expect(doc.blocks.find((b) => b.text === "**필수 규칙**")).toMatchObject({
      kind: "paragraph",
      line: 4,
      quoteDepth: 0,
    });
    expect(doc.blocks.find((b) => b.text.startsWith("[!NOTE] is not"))).toMatchObject({ quoteDepth: 1 });
  });
});
