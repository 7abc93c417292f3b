/**
 * `rule_spec_relation_missing`: No rule refers to the technical spec and the spec names no rule.
 * The page docs/rules/rule_spec_relation_missing.md is generated from `docs` below.
 */
import { defineRule } from "./rule.js";
import { sectionBlocks } from "../../markdown/document.js";
import { stripParenthesized } from "../../text.js";
import { blockText } from "./shared/blocks.js";

const WORD = /[A-Za-z0-9_]+/g;
/** Word look-ups before the check gives up on a huge document (and passes it). */
const RELATION_BUDGET = 2_000_000;

export const ruleSpecRelationMissing = defineRule({
  code: "rule_spec_relation_missing",
  severity: "warning",
  checkTypes: ["full"],
  summary: "No rule refers to the technical spec and the spec names no rule.",
  messages: {
    relation_missing: {
      ko: (p) => `어떤 규칙도 '${p.section}'의 내용을 참조하지 않고, 스펙도 규칙 ID를 언급하지 않습니다.`,
      en: (p) => `No rule refers to anything in '${p.section}', and the spec names no rule id.`,
    },
  },
  suggestion: {
    ko: "규칙과 기술 스펙의 참조 관계를 명시하세요.",
    en: "Link the rules and the technical spec.",
  },
  check(ctx) {
    const at = ctx.sections.technical_spec_section;
    if (at === undefined || ctx.statements.length === 0) return;
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
    for (const s of statements)
      for (const id of identifiersIn([s.text, ...s.details.map((d) => d.value)].join(" "))) identifiers.add(id);
    for (let i = start; i < end; i++) {
      const text = blockText(doc.blocks[i]!);
      for (const m of text.matchAll(/RULE-[A-Z0-9]+-[0-9A-Z]+/gi)) if (ids.has(m[0].toUpperCase())) return;
      if (identifiers.size > 0) for (const id of identifiersIn(text)) if (identifiers.has(id)) return;
    }
    const heading = doc.headings[at]!;
    ctx.report({ line: heading.line, column: 1, messageId: "relation_missing", params: { section: heading.text } });
  },
  docs: {
    lead: "Rules and technical spec do not refer to each other.",
    paragraphs: [
      [
        "When it fires",
        "The document has at least one rule and a technical spec section, and none of these links exists: (a) a rule's text, scope, rationale or reference names the spec — the section's own name, or a sub-section title of the spec: all of its content words, or at least two of them (`3.3 입력 검증 및 이스케이프` is named by a rule about “입력은 검증 및 이스케이프”; a parenthesised part such as `OpenAPI` or `ERD` counts as a title of its own); (b) the spec section (prose or code) names a rule's id; (c) a rule and the spec share a code identifier (a snake_case or camelCase word of 4+ characters, e.g. `createOrder`, `speclint_lint`).",
      ],
      ["Where it is reported", "The technical spec heading."],
      ["Fix", "None."],
    ],
    wrong: [
      "- **RULE-API-001** (MUST): 모든 주문 API는 JSON 형식으로 응답해야 한다",
      "  - 참조: 사내 가이드",
      "",
      "## 3. 기술 스펙",
      "### 3.1 API 설계 (OpenAPI)",
      "```yaml",
      "openapi: 3.0.0",
      "```",
    ].join("\n"),
    right: [
      "- **RULE-API-001** (MUST): 모든 주문 API는 JSON 형식으로 응답해야 한다",
      "  - 참조: 3.1 API 설계 (OpenAPI)",
      "",
      "## 3. 기술 스펙",
      "### 3.1 API 설계 (OpenAPI)",
      "```yaml",
      "openapi: 3.0.0",
      "```",
    ].join("\n"),
  },
});

/** Code identifiers in text: snake_case or camelCase words of 4 to 100 characters. */
function* identifiersIn(text: string): Generator<string> {
  for (const m of text.matchAll(WORD)) {
    const w = m[0];
    if (w.length < 4 || w.length > 100) continue;
    if ((/[A-Za-z]_[A-Za-z0-9]/.test(w) && /[A-Za-z]/.test(w[0]!)) || /^[a-z][a-z0-9]*[A-Z]/.test(w)) yield w;
  }
}

const STOPWORDS = new Set([
  "및",
  "과",
  "와",
  "의",
  "설계",
  "상세",
  "정의",
  "개요",
  "and",
  "or",
  "of",
  "the",
  "for",
  "to",
  "in",
  "design",
  "overview",
  "details",
  "definition",
  "api",
  "apis",
]);

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
