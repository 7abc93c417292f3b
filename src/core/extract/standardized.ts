/**
 * Standardized rules: `**RULE-AREA-NNN** (TYPE): sentence` statements (found by the shared
 * rule-statement reader) with their `적용 범위`/`근거`/`참조` (Scope/Rationale/Reference) details.
 *
 * The priority is the written type. When the type is missing or not one of the five (`(필수)`,
 * `(must)`), it is inferred — from a synonym (필수/required → MUST, 권장/recommended → SHOULD,
 * 금지/prohibited → MUST NOT, 선택/optional → MAY, 지양/discouraged → SHOULD NOT), else from the
 * sentence's own keyword or ending, else from the heading it sits under — with a warning and 20
 * instead of 40 points for the form. A statement whose priority cannot be read at all, or that has
 * no sentence, is reported and skipped.
 */
import { parseDetail, parseHead, type RuleStatement } from "../markdown/rule-statements.js";
import { plainText, type MarkdownDocument } from "../markdown/document.js";
import type { SourceLines } from "../markdown/lines.js";
import { areaFromRuleId, normalizePriority, type Priority } from "../spec/rule-terms.js";
import { normalizeWrittenId } from "./ids.js";
import { codeSpanTexts, literalDetail, plainInline, protectCode } from "./inline.js";
import { cleanSentence, detectModal } from "./modal.js";
import { splitPatterns } from "./pattern-kinds.js";
import { scopePatterns } from "./scope.js";
import type { ExtractWarning, RuleDraft } from "./types.js";

const TYPE_SYNONYMS: readonly [RegExp, Priority][] = [
  [/^(?:비권장|지양|not recommended|discouraged)$/i, "SHOULD NOT"],
  [/^(?:금지|prohibited|forbidden|must ?not|mustn'?t)$/i, "MUST NOT"],
  [/^(?:필수|required|mandatory|shall)$/i, "MUST"],
  [/^(?:권장|recommended)$/i, "SHOULD"],
  [/^(?:선택|optional)$/i, "MAY"],
];

export interface DocContext {
  doc: MarkdownDocument;
  lines: SourceLines;
  /** Priority a heading names (`2.3 금지 규칙` → MUST NOT), per heading index. */
  sectionPriority(section: number): Priority | undefined;
  /** Whether the section (or one it is in) names rules: a priority, 규칙, 제약 사항, Requirements … */
  rulesSection(section: number): boolean;
  /** The heading path of a section, e.g. `2. 설계 규칙 > 2.1 MUST 규칙`. */
  sectionHeading(section: number): string;
  guessArea(sentence: string, section: number): string;
  warn(warning: ExtractWarning): void;
}

export function typePriority(typeText: string | undefined): Priority | undefined {
  if (!typeText) return undefined;
  const t = typeText.trim();
  for (const [re, p] of TYPE_SYNONYMS) if (re.test(t)) return p;
  return normalizePriority(t);
}

/** A statement → a draft, or undefined (with a warning) when it cannot be a rule. */
export function standardizedDraft(st: RuleStatement, ctx: DocContext): RuleDraft | undefined {
  const description = statementSentence(st, ctx.doc);
  if (!description) {
    ctx.warn({
      code: "empty_rule_text",
      message: `${st.id} has no rule sentence after its type; it was skipped.`,
      line: st.line,
    });
    return undefined;
  }
  let priority = st.priority;
  let form: RuleDraft["form"] = "standardized";
  if (!priority) {
    priority =
      typePriority(st.typeText) ?? detectModal(cleanSentence(description))?.priority ?? ctx.sectionPriority(st.section);
    if (!priority) {
      ctx.warn({
        code: "priority_unknown",
        message: `${st.id} has no readable type${st.typeText ? ` ("${st.typeText}")` : ""}; write one of MUST, SHOULD, MUST NOT, MAY, SHOULD NOT. It was skipped.`,
        line: st.line,
      });
      return undefined;
    }
    form = "inferred";
    ctx.warn({
      code: "priority_inferred",
      message: `${st.id}: type ${st.typeText ? `"${st.typeText}" is not one of the five` : "is missing"}; read as ${priority}.`,
      line: st.line,
    });
  }
  const normalized = normalizeWrittenId(st.id);
  const idQuality: RuleDraft["idQuality"] = st.idValid && normalized === st.id ? "valid" : "normalised";
  if (idQuality === "normalised") {
    ctx.warn({
      code: "id_normalised",
      message: !normalized
        ? `${st.id} is not a RULE-AREA-NNN id; the rule gets a generated id.`
        : normalized === st.id
          ? `${st.id} is not written in bold (**${st.id}**).`
          : `${st.id} is not a RULE-AREA-NNN id; it is read as ${normalized}.`,
      line: st.line,
    });
  }
  const details = st.details.map((d) =>
    d.key === "scope" ? literalDetail(ctx.doc, ctx.lines, d, st.form === "table" ? st.block : undefined) : d,
  );
  const scopes = details.filter((d) => d.key === "scope" && meaningful(d.value)).map((d) => d.value);
  const scopeText = scopes.join("; ");
  const patterns = scopePatterns(scopeText || description);
  const anyPattern =
    patterns.file_patterns.length + patterns.package_patterns.length + patterns.annotation_patterns.length > 0;
  const rationale = details
    .filter((d) => d.key === "rationale" && meaningful(d.value))
    .map((d) => d.value)
    .join(" ");
  const references = details
    .filter((d) => d.key === "reference" && meaningful(d.value))
    .flatMap((d) => splitReferences(d.value));
  const written = splitPatterns(violationPatterns(st, ctx));
  const area = areaFromRuleId(st.id);
  return {
    ruleId: normalized,
    idAsWritten: normalized === st.id ? undefined : st.id,
    idQuality,
    priority,
    form,
    area: area ?? ctx.guessArea(description, st.section),
    areaGuessed: area === undefined,
    description,
    scopeText,
    patterns,
    scopeStated: scopeText !== "" || anyPattern,
    ...(written.code.length ? { codePatterns: written.code } : {}),
    ...(written.structural.length ? { structuralPatterns: written.structural } : {}),
    rationale,
    references,
    line: st.line,
    section: st.section,
    keyword: undefined,
  };
}

/**
 * The statement's violation patterns: the code spans of its `위반 패턴` / `Violation pattern`
 * details, read from the source as written (a regex's backslashes intact). A pattern written as
 * plain text is not read — Markdown would have eaten its escapes — and a warning says so.
 */
function violationPatterns(st: RuleStatement, ctx: DocContext): string[] {
  const out: string[] = [];
  for (const d of st.details) {
    if (d.key !== "pattern" || !meaningful(d.value)) continue;
    let raw: string;
    if (st.form === "table") {
      const row = ctx.doc.blocks[st.block]?.rows?.find((r) => r.line === d.line);
      raw = row?.cells.find((c) => plainText(c) === d.value) ?? "";
    } else raw = ctx.lines.get(d.line).replace(/^[^:：]*[:：]/, "");
    const spans = codeSpanTexts(raw);
    if (spans.length === 0) {
      ctx.warn({
        code: "pattern_not_code",
        message: `${st.id}: write its violation pattern as code (\`…\`) so it is read exactly; "${d.value.slice(0, 80)}" was ignored.`,
        line: d.line,
      });
    }
    for (const p of spans) if (!out.includes(p)) out.push(p);
  }
  return out;
}

/**
 * The statement's full sentence: the text after the colon plus the lines that continue it
 * (a wrapped sentence), up to the first detail line.
 */
function statementSentence(st: RuleStatement, doc: MarkdownDocument): string {
  let text = st.text;
  const block = doc.blocks[st.block]!;
  if (st.form === "table") {
    const cells = block.rows?.find((r) => r.line === st.line)?.cells ?? [];
    const cell = cells.find((c) => plainText(c) === st.text);
    if (cell !== undefined && cell.includes("`")) text = plainInline(cell);
    else if (cell === undefined) {
      // The whole statement written in one cell: its sentence follows the id and type.
      const whole = cells.find((c) => c.includes("`") && /^(?:\*\*|__)?\s*RULE-/i.test(c.trim()));
      if (whole !== undefined) {
        const p = protectCode(whole.replace(/<br\s*\/?>/gi, " "));
        const head = parseHead(p.text);
        if (head) text = p.restore(head.text);
      }
    }
  } else {
    const lines = block.text.split("\n");
    if (lines[0]!.includes("`")) {
      const p = protectCode(lines[0]!);
      const head = parseHead(p.text);
      if (head) text = p.restore(head.text);
    }
    for (let k = 1; k < lines.length; k++) {
      if (parseDetail(lines[k]!, 0)) break;
      const more = plainInline(lines[k]!);
      if (more) text = `${text} ${more}`;
    }
  }
  return text.replace(/\s+/g, " ").trim();
}

/** "-", "N/A", "없음", "TBD" do not count as a stated detail. */
export function meaningful(value: string): boolean {
  return value.trim() !== "" && !/^(?:-+|n\/?a|none|없음|해당 ?없음|tbd|미정|\.\.\.|…)$/i.test(value.trim());
}

/** "A, B; C" → ["A", "B", "C"], not splitting inside parentheses. */
export function splitReferences(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === "(" || c === "（" || c === "[") depth++;
    else if ((c === ")" || c === "）" || c === "]") && depth > 0) depth--;
    else if (depth === 0 && (c === ";" || c === "；" || (c === "," && value[i + 1] === " ") || c === "、")) {
      out.push(value.slice(start, i));
      start = i + 1;
    }
  }
  out.push(value.slice(start));
  return out.map((s) => s.trim()).filter(Boolean);
}
