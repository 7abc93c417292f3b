/**
 * `rule_id_format_mismatch`: A rule id is not a bold RULE-AREA-NNN with a known area, repeats an
 * earlier id, or a rule has no id. The page docs/rules/rule_id_format_mismatch.md is generated
 * from `docs` below.
 */
import { defineRule, type RuleContext } from "./rule.js";
import type { RuleStatement } from "../../markdown/rule-statements.js";
import type { LintFix } from "../types.js";
import { lineFix, locatedRules, type RuleLocation } from "./shared/rule-lines.js";

export const ruleIdFormatMismatch = defineRule({
  code: "rule_id_format_mismatch",
  severity: "warning",
  checkTypes: ["full", "basic"],
  summary: "A rule id is not a bold RULE-AREA-NNN with a known area, repeats an earlier id, or a rule has no id.",
  messages: {
    id_not_bold: {
      ko: (p) => `규칙 ID ${p.id}이(가) 굵게(**${p.id}**) 표시되지 않았습니다.`,
      en: (p) => `The rule id ${p.id} is not in bold (**${p.id}**).`,
    },
    id_pattern: {
      ko: (p) => `규칙 ID '${p.id}'이(가) RULE-[영역]-[번호](번호 3자리) 형식이 아닙니다.`,
      en: (p) => `The rule id '${p.id}' does not match RULE-AREA-NNN (a three-digit number).`,
    },
    id_area: {
      ko: (p) => `규칙 ID ${p.id}의 영역 '${p.area}'은(는) 정의된 영역 코드(${p.areas})가 아닙니다.`,
      en: (p) => `The area '${p.area}' of ${p.id} is not a defined area code (${p.areas}).`,
    },
    id_duplicate: {
      ko: (p) => `규칙 ID ${p.id}이(가) ${p.first}행에서 이미 사용되었습니다.`,
      en: (p) => `The rule id ${p.id} is already used at line ${p.first}.`,
    },
    id_missing: {
      ko: (p) => `규칙 ID 없이 작성된 규칙입니다: '${p.text}'.`,
      en: (p) => `This rule has no rule id: '${p.text}'.`,
    },
  },
  suggestion: {
    ko: "규칙 ID를 **RULE-[영역]-[번호]** 형식으로 작성하세요.",
    en: "Write the rule id as **RULE-AREA-NNN**.",
  },
  check(ctx) {
    const firstSeen = new Map<string, number>();
    const known = new Set(ctx.statements.map((s) => s.id));
    for (const { statement: s, rawId, at } of locatedRules(ctx)) {
      checkId(ctx, s, rawId, at, firstSeen, known);
      if (!firstSeen.has(s.id)) firstSeen.set(s.id, s.line);
    }
    for (const u of ctx.unidentified()) {
      ctx.report({
        line: u.line,
        column: 1,
        messageId: "id_missing",
        params: { text: u.text.length > 60 ? `${u.text.slice(0, 57)}…` : u.text },
      });
    }
  },
  docs: {
    lead: "A rule's id is malformed, unknown or repeated, or a rule has no id.",
    paragraphs: [
      [
        "When it fires",
        "Once per rule statement, for the first of: the id as written does not match `structure_checks.rule_format.id_pattern` (default `^RULE-[A-Z]+-[0-9]{3}$`: `RULE-API-4` and `rule-api-001` fail); the id is not bold in a list item or paragraph (`require_bold`; table cells need no bold); its area is not in `area_codes.valid_areas`; the id was already used by an earlier rule. Also once for each list item or paragraph in the design rules section that states a rule with a modal keyword (MUST, SHOULD, SHALL, MAY; 해야 한다, 해서는 안 된다, 금지, 권장) but carries no `RULE-` id at all.",
      ],
      [
        "What reads as an id",
        'Upper-case `RULE-` followed by an id (`RULE-API-001`, and malformed ones such as `RULE-API-4` or `RULE-API-AUTH-001`), or `rule-` in any case with an area and a number (`rule-api-4`). Prose that merely starts with the word — "Rule-of-thumb: …", "Rule-based routing: …" — holds no id and is not reported (unless it states a rule with a modal keyword in the design rules section, which is then a rule without id).',
      ],
      [
        "Where it is reported",
        "The rule's line, column of the id (column 1 for a rule without id); `rule_id` is the id as read (absent for rules without id).",
      ],
      [
        "Fix",
        "Bolds an unbolded id; rewrites a short or lower-case id to `RULE-AREA-NNN` (`RULE-API-4` → `RULE-API-004`) when that id is free.",
      ],
    ],
    wrong: [
      "- RULE-API-4 (MUST): 모든 주문 API는 JSON 형식으로 응답해야 한다",
      "- 모든 API는 버전을 URL에 포함해야 한다",
    ].join("\n"),
    right: [
      "- **RULE-API-004** (MUST): 모든 주문 API는 JSON 형식으로 응답해야 한다",
      "- **RULE-API-005** (MUST): 모든 API는 버전을 URL에 포함해야 한다",
    ].join("\n"),
  },
});

type IdMessage = "id_not_bold" | "id_pattern" | "id_area" | "id_duplicate" | "id_missing";

/** Reports the first of: pattern, bold, area, duplicate. */
function checkId(
  ctx: RuleContext<IdMessage>,
  s: RuleStatement,
  rawId: string,
  at: RuleLocation,
  firstSeen: Map<string, number>,
  known: Set<string>,
): void {
  const { ruleset, lines } = ctx;
  const line = lines.get(s.line);
  const report = (
    messageId: Exclude<IdMessage, "id_missing">,
    params: Record<string, string | number>,
    fix?: LintFix,
  ) => ctx.report({ ...at, messageId, params: { id: rawId, ...params }, fix });
  if (!ruleset.idPattern.test(rawId)) {
    const fixed = canonicalId(rawId, ruleset.idPattern, known);
    const text =
      fixed && s.form !== "table" ? rewriteId(line, rawId, fixed, s.bold || !ruleset.requireBold) : undefined;
    report("id_pattern", {}, text === undefined ? undefined : lineFix(s.line, text, `${rawId} → ${fixed}`));
    return;
  }
  if (!s.bold && ruleset.requireBold && s.form !== "table") {
    const text = rewriteId(line, rawId, rawId, false);
    report("id_not_bold", {}, text === undefined ? undefined : lineFix(s.line, text, `**${rawId}**`));
    return;
  }
  const area = /^RULE-([A-Z0-9]+)-/.exec(rawId)?.[1];
  if (area && ruleset.validAreas.length > 0 && !ruleset.validAreas.includes(area)) {
    report("id_area", { area, areas: ruleset.validAreas.join(", ") });
    return;
  }
  const first = firstSeen.get(s.id);
  if (first !== undefined) report("id_duplicate", { first });
}

/** `rule-api-4` → `RULE-API-004` when that passes the pattern and is not taken. */
function canonicalId(rawId: string, pattern: RegExp, known: Set<string>): string | undefined {
  const m = /^rule-([a-z]+)-(\d{1,3})$/i.exec(rawId);
  if (!m) return undefined;
  const id = `RULE-${m[1]!.toUpperCase()}-${m[2]!.padStart(3, "0")}`;
  if (!pattern.test(id)) return undefined;
  return id === rawId.toUpperCase() || !known.has(id) ? id : undefined;
}

/** The line with `rawId` replaced by `id`, bolded unless it already was. */
function rewriteId(line: string, rawId: string, id: string, alreadyBold: boolean): string | undefined {
  const at = line.indexOf(rawId);
  if (at === -1) return undefined;
  return line.slice(0, at) + (alreadyBold ? id : `**${id}**`) + line.slice(at + rawId.length);
}
