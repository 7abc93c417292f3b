/**
 * Rules written without an id in the design rules section (e.g. "- API는 JSON을 사용해야 함"):
 * a top-level list item or paragraph, outside any rule statement, that states a rule with a
 * modal keyword (MUST, SHOULD, SHALL, MAY; 해야 한다, 해서는 안 된다, 금지, 권장) but carries no
 * `RULE-` id. `rule_id_format_mismatch` reports them; `no_rules_found` and
 * `design_rules_insufficient` count them.
 */
import { sectionBlocks, type MarkdownDocument } from "../markdown/document.js";
import { RULE_ID_ANYWHERE, parseDetail, parseHead, type RuleStatement } from "../markdown/rule-statements.js";

const MODAL_EN = /(?:^|[^A-Za-z])(?:MUST|SHOULD|SHALL|MAY)(?![A-Za-z])/;
const MODAL_KO =
  /(?:해야|하여야|되어야|돼야)\s*(?:한다|함|합니다|된다)|(?:해서는|하면|되어서는|돼서는)\s*안\s*(?:된다|됨|됩니다)|금지(?:한다|된다|함|합니다|됨)?[\s.]*$|권장(?:한다|함|합니다|됨)/;

export interface UnidentifiedRule {
  line: number;
  /** The rule's plain text (first line). */
  text: string;
}

/** `designRules`: index in `doc.headings` of the design rules section, if found. */
export function findUnidentifiedRules(
  doc: MarkdownDocument,
  statements: readonly RuleStatement[],
  designRules: number | undefined,
): UnidentifiedRule[] {
  if (designRules === undefined) return [];
  const { blocks } = doc;
  const statementBlocks = new Set(statements.map((s) => s.block));
  const { start, end } = sectionBlocks(doc, designRules);
  const out: UnidentifiedRule[] = [];
  for (let i = start; i < end; i++) {
    const b = blocks[i]!;
    if (b.quoteDepth > 0 || statementBlocks.has(i)) continue;
    if (!(
      (b.kind === "list_item" && b.listDepth === 1) ||
      (b.kind === "paragraph" && b.parent === -1 && b.listDepth === 0)
    ))
      continue;
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
