import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { parse, parseDocument } from "yaml";
import { readRules, type DesignRuleSpec } from "../../../src/core/spec/design-rule-spec.js";
import { FIXTURES, referencePath, schemaPath } from "../../helpers/fixtures.js";

export { FIXTURES };

export const STANDARDS = ["api", "architecture", "data-model", "performance", "security"] as const;

/** A rule file from test/fixtures/rules; `spring-examples` is the reference DesignRuleSpec_Examples.json. */
export function fixtureJson(name: string): unknown {
  const file =
    name === "spring-examples"
      ? referencePath("DesignRuleSpec_Examples.json")
      : path.join(FIXTURES, "rules", `${name}.json`);
  return JSON.parse(readFileSync(file, "utf8"));
}

/** Rules of a fixture, read with the lenient reader (asserting none is unreadable). */
export function fixtureRules(name: string): DesignRuleSpec[] {
  const { rules, issues } = readRules(fixtureJson(name));
  if (issues.length) throw new Error(`fixture ${name}: ${JSON.stringify(issues)}`);
  return rules;
}

export function allStandardRules(): DesignRuleSpec[] {
  return STANDARDS.flatMap((s) => fixtureRules(`standards-${s}`));
}

let semgrep: ValidateFunction | undefined;
let workflow: ValidateFunction | undefined;

/** The published Semgrep rule schema (YAML, draft-07), compiled once. */
export function semgrepSchema(): ValidateFunction {
  semgrep ??= new Ajv({ strict: false, allErrors: true }).compile(
    parse(readFileSync(schemaPath("semgrep-rule_schema_v1.yaml"), "utf8")) as object,
  );
  return semgrep;
}

/** SchemaStore's GitHub workflow schema (draft-07), compiled once. */
export function workflowSchema(): ValidateFunction {
  workflow ??= new Ajv({ strict: false, allErrors: true }).compile(
    JSON.parse(readFileSync(schemaPath("github-workflow.json"), "utf8")) as object,
  );
  return workflow;
}

/** Parses YAML strictly: any error or warning (duplicate keys, bad indentation…) throws. */
export function strictYaml(text: string): unknown {
  const doc = parseDocument(text, { strict: true, uniqueKeys: true, prettyErrors: true });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length) throw new Error(problems.map((p) => p.message).join("\n"));
  return doc.toJS();
}

/** Splits an .mdc file into its front matter text and body. */
export function splitMdc(content: string): { front: string; body: string } {
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(content);
  if (!m) throw new Error("no front matter");
  return { front: m[1]!, body: m[2]! };
}
