/**
 * The published JSON Schemas (JSON Schema draft-07, the draft most validators and editors
 * support), generated from the zod definitions so they cannot drift apart. `npm run schemas`
 * writes them to `schemas/`; a test fails when the checked-in files are stale.
 */
import { z } from "zod";
import { ExtractResultSchema } from "../extract/schema.js";
import { DesignRuleSpecSchema } from "./design-rule-spec.js";

export const DESIGN_RULE_SPEC_SCHEMA_ID = "urn:specgate:schema:design-rule-spec:v1";
export const EXTRACT_RESULT_SCHEMA_ID = "urn:specgate:schema:rule-extract-result:v1";

function draft07(schema: z.ZodType, id: string, title: string, description: string): Record<string, unknown> {
  const generated = z.toJSONSchema(schema, { target: "draft-07", io: "output" }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, $id: id, title, description, ...rest };
}

/** One DesignRuleSpec rule (an element of rule_extract's `rules`, or of a hand-written rules file in strict form). */
export function designRuleSpecJsonSchema(): Record<string, unknown> {
  return draft07(
    DesignRuleSpecSchema,
    DESIGN_RULE_SPEC_SCHEMA_ID,
    "DesignRuleSpec",
    "One design rule as SpecGate's rule_extract produces it (see docs/rule-extract.md). Extra keys are allowed.",
  );
}

/** rule_extract's whole result (`specgate extract --format json`). */
export function extractResultJsonSchema(): Record<string, unknown> {
  return draft07(
    ExtractResultSchema,
    EXTRACT_RESULT_SCHEMA_ID,
    "rule_extract result",
    "The result of SpecGate's rule_extract tool and `specgate extract`: rules (DesignRuleSpec), conflicts, duplicates, warnings, stats.",
  );
}

/** File name → schema, as written under `schemas/`. */
export function publishedSchemas(): Record<string, Record<string, unknown>> {
  return {
    "design-rule-spec.schema.json": designRuleSpecJsonSchema(),
    "rule-extract-result.schema.json": extractResultJsonSchema(),
  };
}

/** The exact text of a published schema file. */
export function schemaFileText(schema: Record<string, unknown>): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
