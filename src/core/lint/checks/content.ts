/**
 * Document-level checks of the content:
 *
 * - `no_rules_found`: no rule statement anywhere and no id-less rule in the design rules
 *   section. Reported at the design rules heading, or where that section belongs.
 * - `design_rules_insufficient`: there are rules, but fewer than `min_must_rules` (3) of type
 *   MUST (a mis-cased `(must)` counts). Reported at the design rules heading, else the first rule.
 * - `design_rules_keywords_missing`: the design rules section (headings, rules and prose) uses
 *   none of the rule type keywords (MUST, SHOULD, MAY …, upper case). Reported at its heading.
 * - `rule_spec_relation_missing`: the document has rules and a technical spec section, but no
 *   link between them — no rule (text, scope, rationale or reference) names a sub-section of the
 *   spec (a title such as "API 설계" or its parenthesised part such as "OpenAPI", "ERD") or the
 *   spec section itself, no rule names a code identifier (snake_case or camelCase) that the spec
 *   contains, and the spec names no rule id. Reported at the technical spec heading. (On huge
 *   documents the title comparison stops after 2 million word look-ups and the check passes.)
 * - `code_example_missing`: no non-empty code block other than diagrams (mermaid, plantuml,
 *   dot). Reported at the implementation guide heading, else the technical spec heading, else
 *   the last line with content.
 */
import { sectionBlocks, type Block } from "../../markdown/document.js";
import { normalizePriority } from "../../spec/design-rule-spec.js";
import type { CheckContext } from "../context.js";
import { placeMissing } from "../sections.js";
import { stripParenthesized } from "../../text.js";

const DIAGRAMS = new Set(["mermaid", "plantuml", "puml", "dot", "graphviz", "ditaa"]);
const WORD = /[A-Za-z0-9_]+/g;
const RELATION_BUDGET = 2_000_000;

export function checkRuleCounts(ctx: CheckContext, unidentified: number): void {
  const { doc, statements, ruleset } = ctx;
  const at = ctx.sections.design_rules_section;
  const sectionLine = at === undefined ? undefined : doc.headings[at]!.line;
  if (statements.length === 0 && unidentified === 0) {
    if (!ctx.enabled("no_rules_found")) return;
    const line = sectionLine ?? placeMissing(doc, "design_rules_section", ruleset.sections.design_rules_section, ctx.sections, ctx.lines).line;
    ctx.report({ code: "no_rules_found", line, column: 1, messageId: "no_rules" });
    return;
  }
  if (!ctx.enabled("design_rules_insufficient")) return;
  const must = statements.filter((s) => s.typeText !== undefined && normalizePriority(s.typeText) === "MUST").length;
  if (must < ruleset.minMustRules) {
    ctx.report({
      code: "design_rules_insufficient",
      line: sectionLine ?? statements[0]?.line ?? 1,
      column: 1,
      messageId: "insufficient",
      params: { count: must, min: ruleset.minMustRules },
    });
  }
}

export function checkKeywords(ctx: CheckContext): void {
  const at = ctx.sections.design_rules_section;
  if (at === undefined || !ctx.enabled("design_rules_keywords_missing")) return;
  const words = [...new Set(ctx.ruleset.validTypes.map((t) => t.split(" ")[0]!))];
  const keyword = new RegExp(`(?:^|[^A-Za-z])(?:${words.map(escape).join("|")})(?![A-Za-z])`);
  const { start, end } = sectionBlocks(ctx.doc, at);
  for (let i = start - 1; i < end; i++) {
    if (keyword.test(blockText(ctx.doc.blocks[i]!))) return;
  }
  const heading = ctx.doc.headings[at]!;
  ctx.report({ code: "design_rules_keywords_missing", line: heading.line, column: 1, messageId: "keywords_missing", params: { section: heading.text, types: ctx.ruleset.validTypes.join(", ") } });
}

export function checkRelation(ctx: CheckContext): void {
  const at = ctx.sections.technical_spec_section;
  if (at === undefined || ctx.statements.length === 0 || !ctx.enabled("rule_spec_relation_missing")) return;
  const { doc, statements } = ctx;
  const { start, end } = sectionBlocks(doc, at);
  const ruleTexts = statements.map((s) => [s.text, ...s.details.map((d) => d.value)].join("\n").toLowerCase());

  // (a) a rule names the spec section or one of its sub-sections.
  const titles: string[][] = ctx.ruleset.sections.technical_spec_section.names.map(words);
  for (let i = start; i < end; i++) {
    const b = doc.blocks[i]!;
    if (b.kind !== "heading") continue;
    const title = doc.headings[b.section]!.title;
    titles.push(words(stripParenthesized(title)));
    for (const m of title.matchAll(/[(（]([^)）]{1,80})[)）]/g)) titles.push(words(m[1]!));
  }
  // Bounded: a huge document with thousands of rules and sub-sections and no link stops
  // comparing after RELATION_BUDGET word look-ups and is not reported (the check fails open).
  let budget = RELATION_BUDGET;
  const names = (t: string, ws: string[]) => {
    budget -= ws.length;
    return ws.length > 0 && ws.filter((w) => t.includes(w)).length >= Math.min(2, ws.length);
  };
  if (ruleTexts.some((t) => budget <= 0 || titles.some((ws) => names(t, ws)))) return;

  // (b) the spec names a rule id; (c) a rule and the spec share a code identifier.
  const ids = new Set(statements.map((s) => s.id));
  const identifiers = new Set<string>();
  for (const s of statements) for (const id of identifiersIn([s.text, ...s.details.map((d) => d.value)].join(" "))) identifiers.add(id);
  for (let i = start; i < end; i++) {
    const text = blockText(doc.blocks[i]!);
    for (const m of text.matchAll(/RULE-[A-Z0-9]+-[0-9A-Z]+/gi)) if (ids.has(m[0].toUpperCase())) return;
    if (identifiers.size > 0) for (const id of identifiersIn(text)) if (identifiers.has(id)) return;
  }
  const heading = doc.headings[at]!;
  ctx.report({ code: "rule_spec_relation_missing", line: heading.line, column: 1, messageId: "relation_missing", params: { section: heading.text } });
}

export function checkCodeExample(ctx: CheckContext): void {
  if (!ctx.enabled("code_example_missing")) return;
  const { doc } = ctx;
  if (doc.blocks.some((b) => b.kind === "code" && b.text.trim() !== "" && !DIAGRAMS.has((b.lang ?? "").toLowerCase()))) return;
  const at = ctx.sections.implementation_guide_section ?? ctx.sections.technical_spec_section;
  const line = at === undefined ? ctx.lines.lastContentLine() : doc.headings[at]!.line;
  ctx.report({ code: "code_example_missing", line, column: 1, messageId: "code_missing" });
}

/** Code identifiers in text: snake_case or camelCase words of 4 to 100 characters. */
function* identifiersIn(text: string): Generator<string> {
  for (const m of text.matchAll(WORD)) {
    const w = m[0];
    if (w.length < 4 || w.length > 100) continue;
    if ((/[A-Za-z]_[A-Za-z0-9]/.test(w) && /[A-Za-z]/.test(w[0]!)) || /^[a-z][a-z0-9]*[A-Z]/.test(w)) yield w;
  }
}

const STOPWORDS = new Set(["및", "과", "와", "의", "설계", "상세", "정의", "개요", "and", "or", "of", "the", "for", "to", "in", "design", "overview", "details", "definition", "api", "apis"]);

/** Content words of a heading, lower-cased: Hangul words of 2+ letters, others of 3+. */
function words(title: string): string[] {
  const out: string[] = [];
  for (const m of title.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    const w = m[0];
    if (STOPWORDS.has(w) || w.length < (/[\uac00-\ud7a3]/.test(w) ? 2 : 3)) continue;
    out.push(w);
  }
  return out;
}

function blockText(b: Block): string {
  return b.kind === "table" ? (b.rows ?? []).map((r) => r.cells.join(" ")).join("\n") : b.text;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
