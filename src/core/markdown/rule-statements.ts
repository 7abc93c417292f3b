/**
 * Rule statements: where a document states a rule in the standard form
 * `**RULE-AREA-NNN** (TYPE): text` with its `적용 범위`/`근거`/`참조` (Scope/Rationale/Reference)
 * details (and, optionally, `위반 패턴`/`Violation pattern`) — in a list item (details as sub-items), a paragraph (details on following lines or in
 * the list right after it) or a table row (details in named columns).
 *
 * This is the shared reading of rules: the linter checks each statement's form, the extractor
 * turns each into a DesignRuleSpec. Statements are found in prose only — never in code blocks,
 * HTML comments or blockquotes (the document model tells them apart).
 */
import { normalizePriority, type Priority } from "../spec/rule-terms.js";
import { plainText, type Block, type MarkdownDocument } from "./document.js";

/**
 * `pattern` (위반 패턴 / Violation pattern): a regular expression, written as code, that matches
 * code breaking the rule — what lets spec_generate turn a documented rule into a Semgrep check.
 */
export type DetailKey = "scope" | "rationale" | "reference" | "pattern";

export interface RuleDetail {
  key: DetailKey;
  /** The label as written, e.g. "적용 범위" or "Scope". */
  label: string;
  value: string;
  line: number;
}

export interface RuleStatement {
  /** 1-based line of the statement. */
  line: number;
  /** Index of the block holding the statement. */
  block: number;
  form: "list" | "paragraph" | "table";
  /** The id as written (possibly malformed, e.g. `RULE-API-4`), upper-cased. */
  id: string;
  /** Whether the id was written in bold (`**RULE-…**`). */
  bold: boolean;
  /** `RULE-[A-Z]+-[0-9]{3}`, bold, as the template requires. */
  idValid: boolean;
  /** The type in parentheses as written (e.g. "MUST", "must", "필수"), or undefined. */
  typeText: string | undefined;
  /** The normalised priority when `typeText` is one of the five valid types (upper case). */
  priority: Priority | undefined;
  /** The rule sentence after the colon, plain text. */
  text: string;
  details: RuleDetail[];
  /** Index of the heading the statement sits under (-1 if none). */
  section: number;
}

const VALID_ID = /^RULE-[A-Z]+-[0-9]{3}$/;

/**
 * What reads as a rule id, valid or not: upper-case `RULE-` and an id character (`RULE-API-001`,
 * `RULE-API-4`, `RULE-API-AUTH-001`), or `rule-` in any case with an area and a number
 * (`rule-api-4`). Prose that starts with the word ("Rule-of-thumb: …", "Rule-based routing: …")
 * holds no id.
 */
export const RULE_ID_START = /^(?:RULE-[A-Za-z0-9]|[Rr][Uu][Ll][Ee]-[A-Za-z]+-[0-9])/;
export const RULE_ID_ANYWHERE = /(?<![A-Za-z0-9])(?:RULE-[A-Za-z0-9]|[Rr][Uu][Ll][Ee]-[A-Za-z]+-[0-9])/;
const VALID_TYPES = new Set(["MUST", "SHOULD", "MUST NOT", "MAY", "SHOULD NOT"]);

/**
 * `**RULE-API-001** (MUST): text`, tolerant of what writers actually type: missing bold, bold
 * around the type too, missing colon, full-width colon or parentheses, lower case.
 * Groups: 1 bold-open, 2 id, 3 type, 4 rest.
 */
const STATEMENT =
  /^(\*\*|__)?\s*(RULE-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)\s*(?:(?:\*\*|__)\s*)?(?:[(（]\s*([^)）\n]{1,20}?)\s*[)）]\s*)?(?:(?:\*\*|__)\s*)?(?:[:：]\s*)?(.*)$/is;

const DETAIL =
  /^(?:\*\*|__)?\s*(적용\s*범위|적용범위|범위|scope|applies\s+to|근거|이유|rationale|reason|why|참조|참고|references?|ref|see|(?:위반|금지|검증|코드)\s*패턴|(?:violation|forbidden|code|detection)\s+patterns?)\s*(?:(?:\*\*|__)\s*)?[:：]\s*(?:(?:\*\*|__)\s*)?(.*)$/is;

export function detailKey(label: string): DetailKey | undefined {
  const l = label.toLowerCase().replace(/\s+/g, " ").trim();
  if (/^(적용 ?범위|범위|scope|applies to)$/.test(l)) return "scope";
  if (/^(근거|이유|rationale|reason|why)$/.test(l)) return "rationale";
  if (/^(참조|참고|references?|ref|see)$/.test(l)) return "reference";
  if (/^((위반|금지|검증|코드) ?패턴|(violation|forbidden|code|detection) patterns?)$/.test(l)) return "pattern";
  return undefined;
}

/** Parses `label: value` detail lines; undefined when the line is no detail. */
export function parseDetail(text: string, line: number): RuleDetail | undefined {
  const m = DETAIL.exec(plainTextKeepingColon(text));
  if (!m) return undefined;
  const key = detailKey(m[1]!);
  if (!key) return undefined;
  return { key, label: m[1]!.trim(), value: m[2]!.trim(), line };
}

/** Every rule statement in the document, in document order. */
export function findRuleStatements(doc: MarkdownDocument): RuleStatement[] {
  const out: RuleStatement[] = [];
  const { blocks } = doc;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    if (b.quoteDepth > 0) continue;
    if (b.kind === "table") {
      out.push(...tableStatements(b, i));
      continue;
    }
    if (b.kind !== "list_item" && b.kind !== "paragraph") continue;
    const nl = b.text.indexOf("\n");
    const head = parseHead(nl === -1 ? b.text : b.text.slice(0, nl));
    if (!head) continue;
    const details: RuleDetail[] = [];
    if (nl !== -1) {
      b.text
        .slice(nl + 1)
        .split("\n")
        .forEach((l, k) => {
          const d = parseDetail(l, b.line + 1 + k);
          if (d) details.push(d);
        });
    }
    if (b.kind === "list_item") {
      // Sub-items of this item (and paragraphs inside it) carry the details.
      for (let j = i + 1; j < blocks.length && isInside(blocks, j, i); j++) {
        const c = blocks[j]!;
        if (c.kind !== "list_item" && c.kind !== "paragraph") continue;
        const lines = c.text.split("\n");
        for (let k = 0; k < lines.length; k++) {
          const d = parseDetail(lines[k]!, c.line + k);
          if (d) details.push(d);
        }
      }
    } else {
      // A paragraph statement: details in the list that follows it directly.
      for (let j = i + 1; j < blocks.length; j++) {
        const c = blocks[j]!;
        if (c.kind !== "list_item" || c.listDepth !== b.listDepth + 1 || c.line > blocks[j - 1]!.endLine + 2) break;
        const d = parseDetail(c.text.split("\n")[0] ?? "", c.line);
        if (!d) break;
        details.push(d);
      }
    }
    // Spelled out rather than spread from `head`: one object shape, built without a copy loop.
    out.push({
      id: head.id,
      bold: head.bold,
      idValid: head.idValid,
      typeText: head.typeText,
      priority: head.priority,
      text: head.text,
      line: b.line,
      block: i,
      form: b.kind === "list_item" ? "list" : "paragraph",
      details,
      section: b.section,
    });
  }
  return out;
}

type Head = Pick<RuleStatement, "id" | "bold" | "idValid" | "typeText" | "priority" | "text">;

/** Reads the head of a statement line, or undefined when the line does not start with a rule id. */
export function parseHead(line: string): Head | undefined {
  const trimmed = line.trim();
  if (!RULE_ID_START.test(trimmed.replace(/^(?:\*\*|__)\s*/, ""))) return undefined;
  const m = STATEMENT.exec(trimmed);
  if (!m) return undefined;
  const id = m[2]!.toUpperCase();
  const bold = m[1] !== undefined;
  const typeText = m[3]?.trim();
  const priority = typeText && VALID_TYPES.has(typeText.replace(/\s+/g, " ")) ? normalizePriority(typeText) : undefined;
  return { id, bold, idValid: bold && VALID_ID.test(m[2]!), typeText, priority, text: plainText(m[4] ?? "") };
}

/**
 * Table rows that state rules: rows whose id column holds a rule id, details from columns named
 * like the labels. The id column is the one its header names (`ID`, `Rule`, `규칙 ID`, …), or
 * else the first column whose cells hold whole statements (`**RULE-API-001** (MUST): text`, the
 * standard form written in a cell). A cell holding a whole statement gives the type and the
 * sentence when no column of their own does; a bare id in an unnamed column is a mention, not a rule.
 */
function tableStatements(table: Block, index: number): RuleStatement[] {
  const rows = table.rows ?? [];
  const header = rows.find((r) => r.header);
  if (!header) return [];
  const body = rows.filter((r) => !r.header);
  const names = header.cells.map((c) => plainText(c).toLowerCase());
  const col = (re: RegExp) => names.findIndex((n) => re.test(n));
  const statementIn = (cell: string | undefined) =>
    cell === undefined ? undefined : parseHead(plainText(cell.replace(/<br\s*\/?>/gi, " ")));
  const whole = (cell: string | undefined) => statementIn(cell)?.typeText !== undefined;
  let idCol = names.findIndex(
    (n, k) =>
      /\b(id|규칙\s*id|rule)\b|규칙 ?번호|아이디/.test(n) &&
      body.some((r) => RULE_ID_START.test(plainText(r.cells[k] ?? ""))),
  );
  const named = idCol !== -1;
  if (!named) idCol = names.findIndex((_n, k) => body.some((r) => whole(r.cells[k])));
  if (idCol === -1) return [];
  const typeCol = col(/type|priority|유형|우선순위|구분/);
  const textCol = col(/rule|statement|description|내용|규칙(?!\s*id)|설명/);
  const scopeCol = col(/scope|범위/);
  const rationaleCol = col(/rationale|reason|근거|이유/);
  const referenceCol = col(/reference|ref|참조|참고/);
  const patternCol = col(/pattern|패턴/);
  const out: RuleStatement[] = [];
  for (const row of body) {
    const idCell = plainText(row.cells[idCol] ?? "");
    if (!RULE_ID_START.test(idCell)) continue;
    const head = statementIn(row.cells[idCol]);
    if (!named && head?.typeText === undefined) continue;
    const rawId = /^(RULE-[A-Za-z0-9-]+)/i.exec(idCell)?.[1] ?? idCell;
    let typeText = typeCol >= 0 && typeCol !== idCol ? plainText(row.cells[typeCol] ?? "") || undefined : undefined;
    let priority = typeText && VALID_TYPES.has(typeText) ? normalizePriority(typeText) : undefined;
    if (typeText === undefined && head?.typeText !== undefined) ({ typeText, priority } = head);
    let text = textCol >= 0 && textCol !== idCol ? plainText(row.cells[textCol] ?? "") : "";
    if (head?.typeText !== undefined && head.text !== "") text = head.text;
    const details: RuleDetail[] = [];
    const add = (key: DetailKey, c: number) => {
      const value = c >= 0 && c !== idCol ? plainText(row.cells[c] ?? "") : "";
      if (value && value !== "-") details.push({ key, label: header.cells[c] ?? key, value, line: row.line });
    };
    add("scope", scopeCol);
    add("rationale", rationaleCol);
    add("reference", referenceCol);
    add("pattern", patternCol);
    out.push({
      id: rawId.toUpperCase(),
      // A table cell stands for itself: bold is not required there.
      bold: true,
      idValid: VALID_ID.test(rawId),
      typeText,
      priority,
      text,
      details,
      line: row.line,
      block: index,
      form: "table",
      section: table.section,
    });
  }
  return out;
}

/** Whether block `j` is nested inside list item `i` (parent chain). */
function isInside(blocks: Block[], j: number, i: number): boolean {
  let p = blocks[j]!.parent;
  while (p >= 0) {
    if (p === i) return true;
    p = blocks[p]!.parent;
  }
  return false;
}

/** plainText, but keeps a bold label's colon where writers put it inside the bold (`**근거:**`). */
function plainTextKeepingColon(text: string): string {
  return plainText(text.replace(/[:：]\s*(\*\*|__)/, "$1:"));
}
