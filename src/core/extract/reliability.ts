/**
 * Reliability by the rubric of docs/rule-extract.md: standardized form 40, rule id 20, scope 15,
 * rationale 10, reference 10, link to the technical spec 5.
 *
 * - standardized form: 40 for `**RULE-…** (TYPE): text` with one of the five types; 20 when the
 *   statement has the RULE head but its type had to be inferred (missing, `(필수)`, lower case).
 * - rule id: 20 for a bold `RULE-[A-Z]+-[0-9]{3}`; 10 for an id that had to be normalised
 *   (not bold, `RULE-API-4`, lower case, sub-areas); 0 for keyword rules.
 * - scope: 15 when a scope is stated (a `적용 범위`/`Scope` detail, or paths/packages/annotations
 *   in the rule sentence).
 * - rationale / reference: 10 each when the `근거`/`Rationale` or `참조`/`Reference` detail is there.
 * - a keyword rule found by a lower-case keyword (the any-case opt-in) gets half of each of
 *   these points, rounded down: at most 19, where an upper-case keyword rule gets at most 40.
 * - spec link: 5 when a reference points into the document's technical spec section
 *   (`## 3. 기술 스펙` / `Technical Spec`): it names that section ("기술 스펙", "Technical Spec"),
 *   one of its section numbers with a marker ("§3.1", "3.2절", "section 3.2"), or a spec
 *   artifact the section holds (OpenAPI, ERD, JSON Schema, AsyncAPI, GraphQL, Protobuf, DDL —
 *   found in its headings or its code blocks).
 */
import type { ReliabilityBreakdown } from "../spec/design-rule-spec.js";
import { sectionBlocks, type MarkdownDocument } from "../markdown/document.js";

export interface TechSpec {
  /** Section numbers of the technical spec and its subsections ("3", "3.1", …). */
  numbers: Set<string>;
  /** Spec artifacts the section holds (keys of ARTIFACTS). */
  artifacts: Set<string>;
  present: boolean;
}

const TECH_SPEC_HEADING = /기술 ?(?:스펙|사양|명세)|technical ?spec/i;

/** Spec artifacts: how a reference names them, and how a technical spec section shows them. */
const ARTIFACTS: readonly { key: string; named: RegExp; shown: RegExp }[] = [
  { key: "openapi", named: /openapi|swagger|api ?명세/i, shown: /openapi|swagger/i },
  { key: "erd", named: /\berd\b|er ?다이어그램|entity[- ]relationship/i, shown: /\berd\b|erDiagram|er ?다이어그램/i },
  { key: "json-schema", named: /json ?schema|json ?스키마/i, shown: /json ?schema|json ?스키마|"\$schema"/i },
  { key: "asyncapi", named: /asyncapi/i, shown: /asyncapi/i },
  { key: "graphql", named: /graphql/i, shown: /graphql|\btype Query\b/i },
  {
    key: "protobuf",
    named: /protobuf|proto ?buffers?|\.proto\b|grpc/i,
    shown: /protobuf|syntax ?= ?"proto|\bproto\b/i,
  },
  { key: "ddl", named: /\bddl\b|sql ?스키마|sql schema/i, shown: /\bddl\b|create table/i },
];

const SECTION_REF =
  /(?:§|(?<!#)#{2,}|section|sec\.|섹션|항목) ?(\d+(?:\.\d+)*)|(?<!\d|\d\.)(\d+(?:\.\d+)*) ?(?:절|장|항)/gi;

/** Reads the technical spec section of a document (first heading that names it). */
export function readTechSpec(doc: MarkdownDocument): TechSpec {
  const spec: TechSpec = { numbers: new Set(), artifacts: new Set(), present: false };
  const h = doc.headings.findIndex((x) => TECH_SPEC_HEADING.test(x.title));
  if (h === -1) return spec;
  spec.present = true;
  const heading = doc.headings[h]!;
  if (heading.number) spec.numbers.add(heading.number);
  const { start, end } = sectionBlocks(doc, h);
  const texts: string[] = [heading.text];
  for (let i = start; i < end; i++) {
    const b = doc.blocks[i]!;
    if (b.kind === "heading") {
      const sub = doc.headings[b.section];
      if (sub?.number) spec.numbers.add(sub.number);
      texts.push(b.text);
    } else if (b.kind === "code") {
      texts.push(`${b.lang ?? ""}\n${b.text.slice(0, 400)}`);
    }
  }
  const all = texts.join("\n");
  for (const a of ARTIFACTS) if (a.shown.test(all)) spec.artifacts.add(a.key);
  return spec;
}

/** Whether any reference links the rule to the technical spec. */
export function linksToSpec(references: readonly string[], spec: TechSpec): boolean {
  if (!spec.present) return false;
  for (const ref of references) {
    if (TECH_SPEC_HEADING.test(ref)) return true;
    SECTION_REF.lastIndex = 0;
    for (let m = SECTION_REF.exec(ref); m; m = SECTION_REF.exec(ref)) {
      const n = (m[1] ?? m[2] ?? "").replace(/\.$/, "");
      if (spec.numbers.has(n)) return true;
    }
    for (const a of ARTIFACTS) if (spec.artifacts.has(a.key) && a.named.test(ref)) return true;
  }
  return false;
}

export interface ScoreInput {
  form: "standardized" | "inferred" | "keyword";
  /** A keyword rule found by a lower-case keyword (any-case): every criterion counts half. */
  lowerCase?: boolean;
  id: "valid" | "normalised" | "none";
  scope: boolean;
  rationale: boolean;
  reference: boolean;
  specLink: boolean;
}

export function scoreRule(input: ScoreInput): { total: number; breakdown: ReliabilityBreakdown } {
  const k = input.lowerCase ? 0.5 : 1;
  const breakdown: ReliabilityBreakdown = {
    standardized_form: input.form === "standardized" ? 40 : input.form === "inferred" ? 20 : 0,
    rule_id: input.id === "valid" ? 20 : input.id === "normalised" ? 10 : 0,
    scope: input.scope ? Math.floor(15 * k) : 0,
    rationale: input.rationale ? Math.floor(10 * k) : 0,
    reference: input.reference ? Math.floor(10 * k) : 0,
    spec_link: input.specLink ? Math.floor(5 * k) : 0,
  };
  const total =
    breakdown.standardized_form +
    breakdown.rule_id +
    breakdown.scope +
    breakdown.rationale +
    breakdown.reference +
    breakdown.spec_link;
  return { total, breakdown };
}
