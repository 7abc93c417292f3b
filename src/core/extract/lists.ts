/**
 * Rules that a list completes. Specifications write a requirement across a lead-in and a list
 * in two ways, and a rule read from one sentence alone would miss half of it:
 *
 * - the lead-in holds the keyword and ends with a colon ("Servers MUST:", "the client MUST pick a
 *   single dictionary using the following rules:"): the list's items are what is required, and
 *   they are attached to the rule;
 * - the lead-in names the subject and the items start with the keyword ("A successful response
 *   to a HEAD request" + "- MUST include the offset …"): each item's rule is the lead-in and the item.
 *
 * The list is the one right after a paragraph (or a list item's own sub-items). Items are read
 * by their first paragraph; at most MAX_CHARS of them are attached.
 */
import { plainText, type Block, type MarkdownDocument } from "../markdown/document.js";

const MAX_CHARS = 1500;

/** Whether block `c` is an item of the list right under block `i` (same container, one level deeper). */
function isItemUnder(blocks: readonly Block[], c: Block, i: number): boolean {
  const b = blocks[i]!;
  return (
    c.kind === "list_item" && c.listDepth === b.listDepth + 1 && c.parent === (b.kind === "list_item" ? i : b.parent)
  );
}

/**
 * The items of the list a block introduces, as one string to attach to its rule
 * ("(1) … (2) …" for an ordered list, "…; …" otherwise), or "" when no list follows.
 */
export function introducedList(doc: MarkdownDocument, i: number): string {
  const { blocks } = doc;
  const first = blocks[i + 1];
  if (first === undefined || !isItemUnder(blocks, first, i)) return "";
  const items: string[] = [];
  let length = 0;
  for (let j = i + 1; j < blocks.length; j++) {
    const c = blocks[j]!;
    if (isItemUnder(blocks, c, i)) {
      const text = plainText(c.text).replace(/\s+/g, " ").trim();
      if (text === "") continue;
      if (length + text.length > MAX_CHARS) {
        items.push("…");
        break;
      }
      items.push(first.ordered ? `(${items.length + 1}) ${text}` : text);
      length += text.length;
    } else if (!insideAny(blocks, j, i)) break;
  }
  return first.ordered ? items.join(" ") : items.join("; ");
}

/** Whether block `j` lies inside an item of the list under block `i` (a nested list, an item's paragraph). */
function insideAny(blocks: readonly Block[], j: number, i: number): boolean {
  for (let p = blocks[j]!.parent; p >= 0; p = blocks[p]!.parent) if (isItemUnder(blocks, blocks[p]!, i)) return true;
  return false;
}

/**
 * For a list item: the paragraph that introduces its list when that paragraph is an unfinished
 * sentence (no end punctuation), e.g. "A successful response to a HEAD request" before
 * "- MUST include the offset …". Undefined otherwise.
 */
export function subjectLeadIn(doc: MarkdownDocument, item: number): string | undefined {
  const { blocks } = doc;
  const it = blocks[item]!;
  if (it.kind !== "list_item") return undefined;
  let memo = leadIns.get(doc);
  if (memo === undefined) leadIns.set(doc, (memo = new Map()));
  let k = item - 1;
  // Back over whatever is nested in the item before; an earlier item of the same list has the
  // same lead-in (remembered, so a long list costs its length, not its length squared).
  while (k >= 0) {
    const c = blocks[k]!;
    if (c.kind === "list_item" && c.listDepth === it.listDepth && c.parent === it.parent) {
      const known = memo.get(k);
      if (known !== undefined) {
        memo.set(item, known);
        return known ?? undefined;
      }
      k--;
    } else if (c.listDepth > it.listDepth || (c.kind === "paragraph" && c.parent >= 0 && c.listDepth >= it.listDepth))
      k--;
    else break;
  }
  const lead = blocks[k];
  let text: string | null = null;
  if (
    lead !== undefined &&
    lead.kind === "paragraph" &&
    lead.listDepth === it.listDepth - 1 &&
    lead.parent === it.parent
  ) {
    const t = plainText(lead.text).replace(/\s+/g, " ").trim();
    if (t !== "" && !/[.!?。:：;]$/.test(t)) text = t;
  }
  memo.set(item, text);
  return text ?? undefined;
}

/** Per document: the lead-in found for each list item (null: none). */
const leadIns = new WeakMap<MarkdownDocument, Map<number, string | null>>();
