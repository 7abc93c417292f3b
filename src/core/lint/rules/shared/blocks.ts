import type { Block } from "../../../markdown/document.js";

/** The text of a block as the content checks read it: a table's cells, else the block's text. */
export function blockText(b: Block): string {
  return b.kind === "table" ? (b.rows ?? []).map((r) => r.cells.join(" ")).join("\n") : b.text;
}
