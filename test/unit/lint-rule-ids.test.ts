/**
 * What the linter takes for a rule id: upper-case `RULE-` (valid or malformed), or `rule-` with
 * an area and a number in any case. Prose that starts with the word "Rule" ("Rule-of-thumb: …",
 * "Rule-based routing: …") holds no id and costs no points.
 */
import { describe, expect, it } from "vitest";
import { lint } from "../../src/core/lint/linter.js";
import { parseMarkdown } from "../../src/core/markdown/document.js";
import { findRuleStatements } from "../../src/core/markdown/rule-statements.js";
import { readExternalSync } from "../helpers/fixtures.js";

const doc = (rules: string) => `# PayFlow API Design Document

## 1. Overview
Payments.

## 2. Design Rules
${rules}

## 3. Technical Specification
Spec.

## 4. Change History
| Version | Date | Change |
|---|---|---|
| 1.0 | 2025-01-01 | First |
`;

const idViolations = async (md: string) =>
  (await lint(md)).violations.filter((v) => v.code === "rule_id_format_mismatch");

describe("rule ids", () => {
  it("prose starting with Rule-of-thumb or Rule-based is no rule id", async () => {
    const md = doc(
      "Rule-of-thumb: prefer idempotent endpoints.\n\nRule-based routing: requests go to the nearest region.\n\n- Rule-of-thumb: keep payloads small",
    );
    expect(findRuleStatements(parseMarkdown(md))).toEqual([]);
    expect(await idViolations(md)).toEqual([]);
  });

  it("still reads and reports malformed ids: lower case with an area and a number, a short number, an extra part", async () => {
    const md = doc(
      "- rule-api-4 (MUST): Every request carries an id\n- **RULE-API-7** (MUST): Every response is JSON\n- **RULE-API-AUTH-001** (MUST): Tokens expire after 15 min",
    );
    expect(findRuleStatements(parseMarkdown(md)).map((s) => s.id)).toEqual([
      "RULE-API-4",
      "RULE-API-7",
      "RULE-API-AUTH-001",
    ]);
    expect((await idViolations(md)).map((v) => v.rule_id)).toEqual(["RULE-API-4", "RULE-API-7", "RULE-API-AUTH-001"]);
  });

  it("a rule stated without any id in the rules section is still reported as such", async () => {
    const md = doc("Rule-of-thumb: every endpoint MUST be idempotent.");
    expect((await idViolations(md)).map((v) => v.message)).toEqual([
      expect.stringMatching(/has no rule id|no id|without/i),
    ]);
  });

  it("a real KEP: its Rule-of-thumb paragraph costs no points", async () => {
    const kep = readExternalSync("real-docs", "kep-1929-built-in-default.md");
    expect(kep).toContain("\nRule-of-thumb: when clients use the canonical go serialization");
    expect(await idViolations(kep)).toEqual([]);
  });
});
