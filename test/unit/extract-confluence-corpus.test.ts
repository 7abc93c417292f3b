/**
 * The Confluence storage pages of the corpus, converted by html_to_md's engine and then read by
 * rule_extract, as a fetched page is. None states a standardized rule; the Korean QueryPie manual
 * pages state requirements in modal endings (…해야 합니다, …만 …할 수 있습니다), and those are the
 * keyword rules expected below, with their lines in the converted Markdown. What a click leads to,
 * what a reader can look up, and what the manual says one can do (…할 수 있습니다, in the polite
 * register, outside a rules section and without a restriction) is description, not a rule.
 */
import { readFileSync, readdirSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { convertHtml } from "../../src/core/convert/index.js";
import { extractRules } from "../../src/core/extract/index.js";
import { parseMarkdown } from "../../src/core/markdown/document.js";
import { corpusPath, readCorpusSync } from "../helpers/fixtures.js";

type Row = [line: number, ruleId: string, priority: string, area: string];

const EXPECTED: Record<string, Row[]> = {
  // "…문의하거나 … 경험을 공유할 수 있습니다" says what a reader can do: no rule.
  "qp-1844969501-ko-support.page.xhtml": [],
  "qp-544381877-ko-code-expand-emoticon.page.xhtml": [
    [19, "RULE-GEN-3CF62500", "MUST", "SEC"],
    [41, "RULE-GEN-B3D47E60", "MUST", "API"],
    // "…verb가 선택되어 있어야 합니다:" with the list of verbs it introduces.
    [42, "RULE-GEN-13AFC862", "MUST", "API"],
    [45, "RULE-GEN-A8DC72FF", "MUST", "UI"],
    [56, "RULE-GEN-9EAC67AD", "MUST", "GEN"],
  ],
  "qp-544382364-ko-status-code.page.xhtml": [
    [51, "RULE-GEN-C74EB91C", "MUST NOT", "DATA"],
    [55, "RULE-GEN-487E745E", "MUST", "GEN"],
  ],
  "qp-544384417-ko-rowspan-status.page.xhtml": [
    [65, "RULE-GEN-8D474E2C", "MUST", "SEC"],
    [95, "RULE-GEN-EA5F32DB", "MUST", "SEC"],
    [123, "RULE-GEN-EA5F32DB", "MUST", "SEC"],
    // A restriction (…데이터만 선택할 수 있습니다) is a rule even in the polite register.
    [151, "RULE-GEN-AF97130B", "MAY", "DATA"],
    [152, "RULE-GEN-3CC14242", "MAY", "DATA"],
  ],
};

const pages = readdirSync(corpusPath("confluence-storage"))
  .filter((f) => f.endsWith(".xhtml"))
  .sort();
const ajv = new Ajv({ allErrors: true, strict: false });
const validateRule = ajv.compile(
  JSON.parse(readFileSync(new URL("../../schemas/design-rule-spec.schema.json", import.meta.url), "utf8")) as object,
);

async function extractPage(file: string) {
  const { markdown } = await convertHtml(readCorpusSync("confluence-storage", file));
  return { markdown, result: extractRules(markdown, { source: { id: file } }) };
}

describe("rule extraction on the Confluence storage corpus, after conversion", () => {
  it("covers every page: the expectations name only pages of the corpus", () => {
    expect(pages).toHaveLength(11);
    for (const name of Object.keys(EXPECTED)) expect(pages).toContain(name);
  });

  it.each(pages)("%s: exactly the expected keyword rules, at their lines, none from code", async (file) => {
    const { markdown, result } = await extractPage(file);
    expect(result.rules.map((r) => [r.source.line, r.rule_id, r.priority, r.area])).toEqual(EXPECTED[file] ?? []);
    const lines = markdown.split("\n");
    const code = parseMarkdown(markdown).blocks.filter((b) => b.kind === "code");
    for (const r of result.rules) {
      expect(r.reliability.extraction_method).toBe("keyword");
      expect(r.area_guessed).toBe(true);
      // The line is the sentence's: its first word is on it (escapes and inline code marks aside).
      const firstWord = r.description.split(/\s+/).find((w) => /[\p{L}\p{N}]/u.test(w))!;
      expect(lines[r.source.line - 1]!.replace(/[\\`*]/g, ""), `${r.rule_id} at line ${r.source.line}`).toContain(
        firstWord.replace(/[\\`*]/g, ""),
      );
      expect(code.some((b) => r.source.line >= b.line && r.source.line <= b.endLine)).toBe(false);
      expect(validateRule(r), ajv.errorsText(validateRule.errors)).toBe(true);
    }
  });

  it("reports a sentence a page states twice as a duplicate with both lines, and nothing as a conflict", async () => {
    const { result } = await extractPage("qp-544384417-ko-rowspan-status.page.xhtml");
    expect(result.duplicates.map((d) => [d.rules[0].rule_id, d.rules[0].line, d.rules[1].line])).toEqual([
      ["RULE-GEN-EA5F32DB", 95, 123],
    ]);
    expect(result.conflicts).toEqual([]);
  });
});
