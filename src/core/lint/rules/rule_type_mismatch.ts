/**
 * `rule_type_mismatch`: A rule's (TYPE) is missing, not MUST/SHOULD/MUST NOT/MAY/SHOULD NOT, or
 * contradicts its sub-section. The page docs/rules/rule_type_mismatch.md is generated from `docs`
 * below.
 */
import { defineRule } from "./rule.js";
import { normalizePriority } from "../../spec/rule-terms.js";
import type { LintFix } from "../types.js";
import { lineFix, locatedRules } from "./shared/rule-lines.js";

export const ruleTypeMismatch = defineRule({
  code: "rule_type_mismatch",
  severity: "warning",
  checkTypes: ["full", "basic"],
  summary: "A rule's (TYPE) is missing, not MUST/SHOULD/MUST NOT/MAY/SHOULD NOT, or contradicts its sub-section.",
  messages: {
    type_missing: {
      ko: (p) => `${p.id}에 규칙 유형(MUST, SHOULD, MUST NOT, MAY, SHOULD NOT)이 없습니다.`,
      en: (p) => `${p.id} has no rule type (MUST, SHOULD, MUST NOT, MAY, SHOULD NOT).`,
    },
    type_invalid: {
      ko: (p) => `${p.id}의 규칙 유형 '${p.type}'은(는) 허용된 유형(${p.types})이 아닙니다.`,
      en: (p) => `The rule type '${p.type}' of ${p.id} is not one of ${p.types}.`,
    },
    type_section: {
      ko: (p) => `${p.id}의 유형 ${p.type}이(가) 상위 섹션 '${p.section}'과(와) 맞지 않습니다.`,
      en: (p) => `${p.id} is ${p.type} but sits under '${p.section}'.`,
    },
  },
  suggestion: {
    ko: "규칙 유형을 MUST, SHOULD, MUST NOT, MAY, SHOULD NOT 중 하나로 수정하세요.",
    en: "Set the rule type to MUST, SHOULD, MUST NOT, MAY or SHOULD NOT.",
  },
  check(ctx) {
    const valid = ctx.ruleset.validTypes;
    for (const { statement: s, at } of locatedRules(ctx)) {
      const typeText = s.typeText?.replace(/\s+/g, " ");
      if (typeText === undefined) {
        ctx.report({ ...at, messageId: "type_missing", params: { id: s.id } });
        continue;
      }
      if (!valid.includes(typeText)) {
        const normal = normalizePriority(typeText);
        let fix: LintFix | undefined;
        if (normal && valid.includes(normal) && s.form !== "table") {
          const line = ctx.lines.get(s.line);
          const m = /[(（]\s*([^)）\n]{1,20}?)\s*[)）]/.exec(line);
          if (m && m[1]!.replace(/\s+/g, " ") === typeText)
            fix = lineFix(
              s.line,
              line.slice(0, m.index) + `(${normal})` + line.slice(m.index + m[0].length),
              `(${normal})`,
            );
        }
        ctx.report({
          ...at,
          messageId: "type_invalid",
          params: { id: s.id, type: typeText, types: valid.join(", ") },
          fix,
        });
        continue;
      }
      const heading = ctx.doc.headings[s.section];
      const implied = heading ? impliedTypes(heading.title) : undefined;
      if (implied && !implied.includes(typeText)) {
        ctx.report({ ...at, messageId: "type_section", params: { id: s.id, type: typeText, section: heading!.text } });
      }
    }
  },
  docs: {
    lead: "A rule's type is missing, invalid or contradicts its sub-section.",
    paragraphs: [
      [
        "When it fires",
        "Once per rule statement: no `(TYPE)` after the id; a type that is not exactly one of `rule_types.valid_types` (`MUST`, `SHOULD`, `MUST NOT`, `MAY`, `SHOULD NOT` — so `(must)` and `(필수)` fail); or a valid type under a sub-section that implies another (`### MUST 규칙` holding a SHOULD; `### 금지 규칙` / `Prohibited` holding anything but MUST NOT or SHOULD NOT).",
      ],
      ["Where it is reported", "The rule's line, column of its id, with `rule_id`."],
      ["Fix", "Upper-cases or normalises a recognisable type: `(must)` → `(MUST)`, `(must-not)` → `(MUST NOT)`."],
    ],
    wrong: [
      "### 2.1 MUST 규칙 (필수)",
      "- **RULE-API-001** (should): 주문 목록은 커서 기반 페이지네이션을 사용한다",
    ].join("\n"),
    right: [
      "### 2.2 SHOULD 규칙 (권장)",
      "- **RULE-API-001** (SHOULD): 주문 목록은 커서 기반 페이지네이션을 사용한다",
    ].join("\n"),
  },
});

/** Types a sub-section heading implies: "MUST 규칙 (필수)" → MUST; "금지 규칙" / "Prohibited" → MUST NOT, SHOULD NOT. */
function impliedTypes(title: string): string[] | undefined {
  const t = title.trim();
  const m = /^(MUST NOT|SHOULD NOT|MUST|SHOULD|MAY)(?![A-Za-z])/.exec(t);
  if (m) return [m[1]!];
  if (/^(?:금지|prohibited|forbidden)/i.test(t)) return ["MUST NOT", "SHOULD NOT"];
  return undefined;
}
