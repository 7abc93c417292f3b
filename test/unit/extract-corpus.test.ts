import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { combineResults, extractRules, type DocumentOutcome } from "../../src/core/extract/index.js";
import { parseMarkdown } from "../../src/core/markdown/document.js";
import { corpusPath, fixturePath, readCorpusSync, referencePath } from "../helpers/fixtures.js";

interface Expected {
  document: string;
  keyword_rules: number;
  rules: {
    rule_id: string;
    priority: string;
    area: string;
    line: number;
    description: string;
    scope: string;
    rationale: string;
    references: string[];
    reliability: { total_score: number; spec_link: number };
  }[];
}

const FIXTURES = fixturePath("extract");
const fixtures: Expected[] = readdirSync(FIXTURES)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => JSON.parse(readFileSync(path.join(FIXTURES, f), "utf8")) as Expected);

const ajv = new Ajv({ allErrors: true, strict: false });
const validateRule = ajv.compile(
  JSON.parse(readFileSync(new URL("../../schemas/design-rule-spec.schema.json", import.meta.url), "utf8")) as object,
);
const validateResult = ajv.compile(
  JSON.parse(readFileSync(new URL("../../schemas/rule-extract-result.schema.json", import.meta.url), "utf8")) as object,
);

const extractCorpus = (doc: string) => extractRules(readCorpusSync("specgate-docs", doc), { source: { id: doc } });

describe("rule extraction on the ten corpus documents", () => {
  it("has a fixture for every corpus document", () => {
    const docs = ["standards", "test-documents"].flatMap((dir) =>
      readdirSync(corpusPath("specgate-docs", dir)).map((f) => `${dir}/${f}`),
    );
    expect(fixtures.map((f) => f.document).sort()).toEqual(docs.sort());
    expect(fixtures).toHaveLength(10);
  });

  for (const fx of fixtures) {
    it(`${fx.document}: exactly the expected rules, priorities, areas and lines`, () => {
      const result = extractCorpus(fx.document);
      expect(result.rules.map((r) => [r.rule_id, r.priority, r.area, r.source.line])).toEqual(
        fx.rules.map((r) => [r.rule_id, r.priority, r.area, r.line]),
      );
      expect(result.stats.keyword).toBe(fx.keyword_rules);
      for (const [k, r] of result.rules.entries()) {
        const e = fx.rules[k]!;
        expect(r.description).toBe(e.description);
        expect(r.scope.text).toBe(e.scope);
        expect(r.rationale).toBe(e.rationale);
        expect(r.references).toEqual(e.references);
        expect(r.reliability.extraction_method).toBe("standardized");
        expect(r.reliability.total_score).toBe(e.reliability.total_score);
        expect(r.reliability.breakdown).toEqual({
          standardized_form: 40,
          rule_id: 20,
          scope: 15,
          rationale: 10,
          reference: 10,
          spec_link: e.reliability.spec_link,
        });
        expect(r.source.document).toBe(fx.document);
        expect(r.source.section).toMatch(/^2\. 설계 규칙 \(Design Rules\) > 2\.[123] /);
        expect(r.ci_info.drift_calculation.rule_weight).toBe(1);
        expect(r.area_guessed).toBeUndefined();
      }
      expect(result.duplicates).toEqual([]);
      expect(result.conflicts).toEqual([]);
    });
  }

  it("every rule of every document validates against the published JSON Schema, and so does every result", () => {
    for (const fx of fixtures) {
      const result = extractCorpus(fx.document);
      for (const rule of result.rules)
        expect(validateRule(rule), `${rule.rule_id}: ${ajv.errorsText(validateRule.errors)}`).toBe(true);
      expect(validateResult(JSON.parse(JSON.stringify(result))), ajv.errorsText(validateResult.errors)).toBe(true);
    }
  });

  it("takes nothing from code fences (the API and Performance documents have rule-like text in them)", () => {
    for (const doc of [
      "standards/SpecGate-API-Design.md",
      "standards/SpecGate-Performance-Design.md",
      "test-documents/05-Performance-Design-MissingHistory.md",
    ]) {
      const md = readCorpusSync("specgate-docs", doc);
      const code = parseMarkdown(md).blocks.filter((b) => b.kind === "code");
      expect(code.length).toBeGreaterThanOrEqual(3);
      const result = extractRules(md);
      for (const r of result.rules)
        expect(code.some((b) => r.source.line >= b.line && r.source.line <= b.endLine)).toBe(false);
    }
    // The Performance checklist ("- [ ] 모든 I/O 작업이 비동기로 구현됨", "캐시 TTL이 적절히 설정됨") is YAML in a fence;
    // the same lines as real Markdown sentences with modal endings are rules.
    const fenced = [
      "# X 성능 설계서",
      "",
      "```yaml",
      "- 모든 I/O 작업은 비동기로 처리해야 한다",
      "- **RULE-PERF-009** (MUST): 캐시 TTL은 설정해야 한다",
      "```",
    ].join("\n");
    expect(extractRules(fenced).rules).toEqual([]);
    const unfenced = fenced.replace(/```(yaml)?\n/g, "");
    expect(extractRules(unfenced).rules.map((r) => r.rule_id.slice(0, 9))).toEqual(["RULE-GEN-", "RULE-PERF"]);
  });

  it("the authoring guide: its example rules are all in fences or wrong-example lists, so only its own instruction is a rule", () => {
    const result = extractRules(readFileSync(referencePath("authoring-guide.md"), "utf8"));
    expect(
      result.rules.map((r) => [r.source.line, r.priority, r.description, r.reliability.extraction_method]),
    ).toEqual([[80, "MUST", "각 규칙마다 다음 정보를 포함해야 합니다", "keyword"]]);
    // "…준수해야 하는 표준 템플릿과 규칙을 설명합니다" and "…평가할 수 있습니다" are in "📋 개요".
    expect(result.stats.rejected.non_rule_section).toBe(2);
  });

  it("03 (no rule section) yields no rules, says so, and counts nothing it turned down", () => {
    const result = extractCorpus("test-documents/03-Data-Model-Design-MissingRules.md");
    expect(result.rules).toEqual([]);
    expect(result.warnings.map((w) => w.code)).toEqual(["no_rules"]);
    expect(Object.values(result.stats.rejected).every((n) => n === 0)).toBe(true);
    expect(result.stats.lines).toBe(442);
  });

  it("the ten documents as one batch: the copies in test-documents are reported as duplicates with both lines, no conflicts", () => {
    const outcomes: DocumentOutcome[] = fixtures.map((fx) => ({
      ok: true,
      name: fx.document,
      result: extractCorpus(fx.document),
    }));
    const batch = combineResults(outcomes, 1);
    expect(batch.stats.rules).toBe(63);
    expect(batch.conflicts).toEqual([]);
    // 01 = API, 02 = Architecture, 04 = Security, 05 = Performance: 4 × 7 identical repeats.
    expect(batch.duplicates).toHaveLength(28);
    expect(
      batch.duplicates.every((d) => d.kind === "same_id" && d.identical && d.rules[0].line === d.rules[1].line),
    ).toBe(true);
    const api1 = batch.duplicates.find((d) => d.rules[0].rule_id === "RULE-API-001")!;
    expect(api1.rules.map((r) => `${r.document}:${r.line}`)).toEqual([
      "test-documents/01-API-Design-Perfect.md:10",
      "standards/SpecGate-API-Design.md:10",
    ]);
    expect(batch.documents.map((d) => d.rules)).toEqual([7, 7, 0, 7, 7, 7, 7, 7, 7, 7]);
  });
});
