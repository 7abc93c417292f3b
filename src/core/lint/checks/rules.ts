/**
 * Per-rule checks, each reported at most once per rule statement, at the statement's line
 * (column of its id), with its `rule_id`:
 *
 * - `rule_id_format_mismatch`: the id is not bold (list and paragraph forms), does not match the
 *   ruleset's `id_pattern` (as written, so `rule-api-001` and `RULE-API-4` fail), names an area
 *   outside `area_codes.valid_areas`, or repeats an id used earlier. Also: a list item or
 *   paragraph in the design rules section that states a rule with a modal keyword (MUST,
 *   SHOULD, SHALL, MAY; 해야 한다, 해서는 안 된다, 금지, 권장) but has no rule id at all.
 * - `rule_type_mismatch`: no `(TYPE)`, a type not in `rule_types.valid_types` (exact, upper
 *   case), or a type that contradicts the sub-section it sits under ("MUST 규칙" holding a SHOULD).
 * - `scope_missing`, `reason_missing`, `reference_missing`: no `적용 범위`/`근거`/`참조`
 *   (Scope/Rationale/Reference) detail, or only a placeholder (`[…]`, TODO, TBD, -).
 * - `rule_content_too_short`: the statement after the colon has fewer than `min_rule_length`
 *   non-space characters.
 */
import { sectionBlocks, type Block } from "../../markdown/document.js";
import { RULE_ID_ANYWHERE, parseDetail, parseHead, type DetailKey, type RuleStatement } from "../../markdown/rule-statements.js";
import { normalizePriority } from "../../spec/design-rule-spec.js";
import type { LintCode } from "../codes.js";
import type { CheckContext } from "../context.js";
import { DETAIL_LABELS, type Lang } from "../messages.js";
import type { LintFix } from "../types.js";

const RAW_ID = /rule-[a-z0-9]+(?:-[a-z0-9]+)*/i;
const PLACEHOLDER = /^(?:\[[^\]]*\]|todo|tbd|n\/a|-|…|\.{3})$/i;
const MODAL_EN = /(?:^|[^A-Za-z])(?:MUST|SHOULD|SHALL|MAY)(?![A-Za-z])/;
const MODAL_KO = /(?:해야|하여야|되어야|돼야)\s*(?:한다|함|합니다|된다)|(?:해서는|하면|되어서는|돼서는)\s*안\s*(?:된다|됨|됩니다)|금지(?:한다|된다|함|합니다|됨)?[\s.]*$|권장(?:한다|함|합니다|됨)/;
const DETAIL_CODES: readonly [Exclude<DetailKey, "pattern">, LintCode, "scope_missing" | "reason_missing" | "reference_missing"][] = [
  ["scope", "scope_missing", "scope_missing"],
  ["rationale", "reason_missing", "reason_missing"],
  ["reference", "reference_missing", "reference_missing"],
];

export function checkRules(ctx: CheckContext, unidentified: readonly UnidentifiedRule[]): void {
  const firstSeen = new Map<string, number>();
  const known = new Set(ctx.statements.map((s) => s.id));
  for (const s of ctx.statements) {
    const raw = RAW_ID.exec(ctx.lines.get(s.line));
    const rawId = raw?.[0] ?? s.id;
    const column = raw ? raw.index + 1 : undefined;
    const base = { line: s.line, column, rule_id: s.id };
    if (ctx.enabled("rule_id_format_mismatch")) checkId(ctx, s, rawId, base, firstSeen, known);
    if (!firstSeen.has(s.id)) firstSeen.set(s.id, s.line);
    if (ctx.enabled("rule_type_mismatch")) checkType(ctx, s, base);
    checkDetails(ctx, s, base);
    if (ctx.enabled("rule_content_too_short")) {
      const length = s.text.replace(/\s+/g, "").length;
      if (length < ctx.ruleset.minRuleLength) {
        ctx.report({ code: "rule_content_too_short", ...base, messageId: "content_short", params: { id: s.id, length, min: ctx.ruleset.minRuleLength } });
      }
    }
  }
  if (!ctx.enabled("rule_id_format_mismatch")) return;
  for (const u of unidentified) {
    ctx.report({ code: "rule_id_format_mismatch", line: u.line, column: 1, messageId: "id_missing", params: { text: u.text.length > 60 ? `${u.text.slice(0, 57)}…` : u.text } });
  }
}

export interface UnidentifiedRule {
  line: number;
  /** The rule's plain text (first line). */
  text: string;
}

type Base = { line: number; column: number | undefined; rule_id: string };

function checkId(ctx: CheckContext, s: RuleStatement, rawId: string, base: Base, firstSeen: Map<string, number>, known: Set<string>): void {
  const { ruleset, lines } = ctx;
  const line = lines.get(s.line);
  const report = (messageId: "id_not_bold" | "id_pattern" | "id_area" | "id_duplicate", params: Record<string, string | number>, fix?: LintFix) =>
    ctx.report({ code: "rule_id_format_mismatch", ...base, messageId, params: { id: rawId, ...params }, fix });
  if (!ruleset.idPattern.test(rawId)) {
    const fixed = canonicalId(rawId, ruleset.idPattern, known);
    const text = fixed && s.form !== "table" ? rewriteId(line, rawId, fixed, s.bold || !ruleset.requireBold) : undefined;
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

function lineFix(line: number, text: string, description: string): LintFix {
  return { start_line: line, end_line: line + 1, text: `${text}\n`, description };
}

function checkType(ctx: CheckContext, s: RuleStatement, base: Base): void {
  const valid = ctx.ruleset.validTypes;
  const typeText = s.typeText?.replace(/\s+/g, " ");
  if (typeText === undefined) {
    ctx.report({ code: "rule_type_mismatch", ...base, messageId: "type_missing", params: { id: s.id } });
    return;
  }
  if (!valid.includes(typeText)) {
    const normal = normalizePriority(typeText);
    let fix: LintFix | undefined;
    if (normal && valid.includes(normal) && s.form !== "table") {
      const line = ctx.lines.get(s.line);
      const m = /[(（]\s*([^)）\n]{1,20}?)\s*[)）]/.exec(line);
      if (m && m[1]!.replace(/\s+/g, " ") === typeText) fix = lineFix(s.line, line.slice(0, m.index) + `(${normal})` + line.slice(m.index + m[0].length), `(${normal})`);
    }
    ctx.report({ code: "rule_type_mismatch", ...base, messageId: "type_invalid", params: { id: s.id, type: typeText, types: valid.join(", ") }, fix });
    return;
  }
  const heading = ctx.doc.headings[s.section];
  const implied = heading ? impliedTypes(heading.title) : undefined;
  if (implied && !implied.includes(typeText)) {
    ctx.report({ code: "rule_type_mismatch", ...base, messageId: "type_section", params: { id: s.id, type: typeText, section: heading!.text } });
  }
}

/** Types a sub-section heading implies: "MUST 규칙 (필수)" → MUST; "금지 규칙" / "Prohibited" → MUST NOT, SHOULD NOT. */
function impliedTypes(title: string): string[] | undefined {
  const t = title.trim();
  const m = /^(MUST NOT|SHOULD NOT|MUST|SHOULD|MAY)(?![A-Za-z])/.exec(t);
  if (m) return [m[1]!];
  if (/^(?:금지|prohibited|forbidden)/i.test(t)) return ["MUST NOT", "SHOULD NOT"];
  return undefined;
}

function checkDetails(ctx: CheckContext, s: RuleStatement, base: Base): void {
  const wanted = DETAIL_CODES.filter(([, code]) => ctx.enabled(code));
  if (wanted.length === 0) return;
  const has = (key: DetailKey) => s.details.some((d) => d.key === key && d.value.trim() !== "" && !PLACEHOLDER.test(d.value.trim()));
  let insertion: { at: number; prefix: string; lang: Lang } | undefined;
  for (const [key, code, messageId] of wanted) {
    if (has(key)) continue;
    insertion ??= s.form === "table" ? undefined : detailInsertion(ctx, s);
    const labels = insertion ? DETAIL_LABELS[insertion.lang][key] : undefined;
    const fix: LintFix | undefined =
      insertion && labels
        ? { start_line: insertion.at, end_line: insertion.at, text: `${insertion.prefix}${labels.label}: ${labels.placeholder}\n`, description: `${labels.label}: …` }
        : undefined;
    ctx.report({ code, ...base, messageId, params: { id: s.id }, fix });
  }
}

/** Where and how a missing detail sub-item goes: after the statement's last line, styled like its siblings. */
function detailInsertion(ctx: CheckContext, s: RuleStatement): { at: number; prefix: string; lang: Lang } {
  const { blocks } = ctx.doc;
  let end = blocks[s.block]!.endLine;
  for (const d of s.details) end = Math.max(end, d.line);
  if (s.form === "list") {
    for (let j = s.block + 1; j < blocks.length && inside(blocks, j, s.block); j++) end = Math.max(end, blocks[j]!.endLine);
  }
  const lang: Lang = s.details.length > 0 ? (/[\uac00-\ud7a3]/.test(s.details[0]!.label) ? "ko" : "en") : ctx.lang;
  let prefix: string;
  const sibling = s.details.length > 0 ? /^(\s*(?:[-*+]|\d+[.)])\s+)/.exec(ctx.lines.get(s.details[0]!.line)) : null;
  if (sibling) prefix = sibling[1]!;
  else {
    const own = /^(\s*)(?:([-*+]|\d+[.)])(\s+))?/.exec(ctx.lines.get(s.line))!;
    prefix = s.form === "list" && own[2] ? `${" ".repeat(own[1]!.length + own[2].length + own[3]!.length)}- ` : `${own[1]}- `;
  }
  return { at: end + 1, prefix, lang };
}

function inside(blocks: Block[], j: number, i: number): boolean {
  for (let p = blocks[j]!.parent; p >= 0; p = blocks[p]!.parent) if (p === i) return true;
  return false;
}

/** Rules written without an id in the design rules section (e.g. "- API는 JSON을 사용해야 함"). */
export function findUnidentifiedRules(ctx: CheckContext): UnidentifiedRule[] {
  const at = ctx.sections.design_rules_section;
  if (at === undefined) return [];
  const { blocks } = ctx.doc;
  const statementBlocks = new Set(ctx.statements.map((s) => s.block));
  const { start, end } = sectionBlocks(ctx.doc, at);
  const out: UnidentifiedRule[] = [];
  for (let i = start; i < end; i++) {
    const b = blocks[i]!;
    if (b.quoteDepth > 0 || statementBlocks.has(i)) continue;
    if (!((b.kind === "list_item" && b.listDepth === 1) || (b.kind === "paragraph" && b.parent === -1 && b.listDepth === 0))) continue;
    let p = b.parent;
    while (p >= 0 && !statementBlocks.has(p)) p = blocks[p]!.parent;
    if (p >= 0) continue;
    const first = b.text.split("\n")[0] ?? "";
    if (RULE_ID_ANYWHERE.test(b.text) || parseHead(first) || parseDetail(first, b.line)) continue;
    const plain = first.replace(/[*_`]/g, "").trim();
    if (MODAL_EN.test(plain) || MODAL_KO.test(plain)) out.push({ line: b.line, text: plain });
  }
  return out;
}
