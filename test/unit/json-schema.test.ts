import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extractRules } from "../../src/core/extract/index.js";
import { DESIGN_RULE_SPEC_SCHEMA_ID, publishedSchemas, schemaFileText } from "../../src/core/spec/json-schema.js";
import { readRules } from "../../src/core/spec/design-rule-spec.js";
import { referencePath } from "../helpers/fixtures.js";

const schemaFile = (name: string) => readFileSync(new URL(`../../schemas/${name}`, import.meta.url), "utf8");

describe("published JSON Schemas", () => {
  it("are current with the zod definitions (run `npm run schemas` when this fails)", () => {
    for (const [name, schema] of Object.entries(publishedSchemas())) {
      expect(schemaFile(name), `schemas/${name} is stale: run npm run schemas`).toBe(schemaFileText(schema));
    }
  });

  it("are draft-07 with an $id and a title, and compile under Ajv's strict mode", () => {
    const ajv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true });
    for (const name of Object.keys(publishedSchemas())) {
      const schema = JSON.parse(schemaFile(name)) as Record<string, unknown>;
      expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
      expect(typeof schema.$id).toBe("string");
      expect(typeof schema.title).toBe("string");
      expect(() => ajv.compile(schema)).not.toThrow();
    }
    expect(JSON.parse(schemaFile("design-rule-spec.schema.json")).$id).toBe(DESIGN_RULE_SPEC_SCHEMA_ID);
  });

  it("accepts the reference DesignRuleSpec examples once read leniently, and rejects a rule without an id", () => {
    const validate = new Ajv({ strict: false }).compile(
      JSON.parse(schemaFile("design-rule-spec.schema.json")) as object,
    );
    const { rules, issues } = readRules(
      JSON.parse(readFileSync(referencePath("DesignRuleSpec_Examples.json"), "utf8")),
    );
    expect(issues).toEqual([]);
    for (const r of rules) expect(validate(r), JSON.stringify(validate.errors)).toBe(true);
    const { rule_id: _drop, ...noId } = rules[0]!;
    expect(validate(noId)).toBe(false);
    expect(validate({ ...rules[0]!, priority: "MUSTN'T" })).toBe(false);
  });

  it("every extraction of generated Markdown validates (property test)", () => {
    const validate = new Ajv({ strict: false }).compile(
      JSON.parse(schemaFile("rule-extract-result.schema.json")) as object,
    );
    const piece = fc.constantFrom(
      "# T 설계서",
      "## 2. 설계 규칙",
      "### 2.2 SHOULD 규칙 (권장)",
      "- **RULE-API-001** (MUST): 모든 API는 JSON으로 응답해야 한다",
      "  - 적용 범위: `src/api/**`, com.x.api, @RestController",
      "  - 근거: 일관성",
      "  - 참조: §3.1, OpenAPI",
      "**RULE-SEC-7** (금지): 토큰 로그 금지",
      "| ID | Type | Rule |\n|---|---|---|\n| RULE-DATA-002 | SHOULD | Tables SHOULD have keys |",
      "Clients MUST retry. Servers MAY cache for 30 s.",
      "캐시는 5분 동안 유지해야 한다.",
      "> 인용: 모든 응답은 XML이어야 한다.",
      "```\n- **RULE-X-001** (MUST): code\n```",
      "<!-- MUST NOT -->",
      "❌ 잘못된 예:",
      "- [ ] 체크해야 한다",
      "## 3. 기술 스펙\n```yaml\nopenapi: 3.0.0\n```",
      "Is it REQUIRED?",
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 40 })), { maxLength: 25 }), (parts) => {
        const result = extractRules(parts.join("\n\n"));
        expect(validate(JSON.parse(JSON.stringify(result))), JSON.stringify(validate.errors)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
